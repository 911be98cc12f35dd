// Package importers loads the files of the NHS "Appointments in General
// Practice" (GPAD) and online-consultation (OC) publications into the
// store, recognising each by its header: the GPAD sub-ICB daily file
// (current and CCG-era headers), the monthly regional file (current and
// CCG-era), GP coverage, national categories, National Overview, SDS role
// group, actual duration, the practice-level crosstab and its Mapping.csv,
// and the OC monthly, by-day-and-time and daily files (docs/data.md). Each
// can be given as a .csv, as a published .zip of CSVs, or as a folder of
// either.
//
// Each file is imported as one session (one run), after listmonk's
// importer: the session opens the file and its reader detects the format,
// the reader parses and validates each record into a row of small
// integers, rows are batched and handed to the store's loader (binary COPY
// into each month's own table on PostgreSQL, prepared inserts into a
// staging table on SQLite) while a heartbeat records progress, and one
// transaction makes the file visible, with its rollups, and records the
// run. ImportInputs runs the sessions of several files in order, for the
// command line; Start runs a web upload's in the background. Memory stays flat whatever the file size: only a few
// batches are held at a time. A file already imported whose figures are
// still stored is recognised by its SHA-256 and not loaded again; that
// decision is made under the table's merge lock, so concurrent imports end
// as if run one after the other. A reference file (Mapping.csv) only
// places practices in the geography.
package importers
