// Package importers loads NHS appointment activity files into the store:
// the GPAD sub-ICB daily file (current and CCG-era headers), the GPAD
// national-category daily file, the GPAD practice-level monthly crosstab
// and the online-consultation (OC) submissions file. Each can be given as a
// .csv, as a published .zip of CSVs, or as a folder of either.
//
// The shape follows listmonk's importer session: a reader per format parses
// and validates each record into a row of small integers, rows are batched
// and handed to the store's Loader (binary COPY into each month's own
// table on PostgreSQL, prepared inserts into a staging table on SQLite),
// and one transaction makes the file visible, with its rollups, and
// records the run. Memory stays flat whatever the file size: only a few
// batches are held at a time. A file already imported whose figures are
// still stored is recognised by its SHA-256 and not loaded again; that
// decision is made under the table's merge lock, so concurrent imports end
// as if run one after the other.
package importers
