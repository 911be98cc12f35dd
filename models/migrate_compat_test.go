package models_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// shippedVersion is the last migration whose schema is pinned in
// testdata/schema_v15_<backend>.txt and whose databases are in
// testdata/migrated_v15_<backend>.sql, both written by the code that
// shipped it. A later migration adds its own number; these files stay.
const shippedVersion = 15

// The shipped migrations still build exactly the schema they built when
// they shipped: a migration edited after release would leave new
// databases different from the ones already in use.
func TestShippedMigrationsUnchanged(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			s := testdb.Open(t, b)
			if err := s.MigrateUpTo(ctx, shippedVersion); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("schema_v%d_%s.txt", shippedVersion, b)))
			if err != nil {
				t.Fatal(err)
			}
			if got := describeSchema(t, models.DBForTest(s), b); got != string(want) {
				t.Errorf("schema at version %d differs from the one shipped:\n%s", shippedVersion, lineDiff(string(want), got))
			}
		})
	}
}

// A database the released code migrated to version 15 (its dump, with the
// schema_migrations rows that code wrote) is recognised as migrated: no
// shipped migration runs again, and after Migrate it has the schema a new
// database gets.
func TestMigratedDatabaseIsRecognised(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			dump, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("migrated_v%d_%s.sql", shippedVersion, b)))
			if err != nil {
				t.Fatal(err)
			}
			old := testdb.Open(t, b)
			db := models.DBForTest(old)
			if err := db.Exec(string(dump)).Error; err != nil {
				t.Fatalf("load the released database: %v", err)
			}
			type rec struct {
				Version   int
				Name      string
				AppliedAt time.Time
			}
			var before, after []rec
			if err := db.Raw("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").Scan(&before).Error; err != nil {
				t.Fatal(err)
			}
			if applied, _, err := old.SchemaVersion(ctx); err != nil || applied != shippedVersion {
				t.Fatalf("schema version of the released database: %d %v", applied, err)
			}
			if err := old.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Raw("SELECT version, name, applied_at FROM schema_migrations WHERE version <= ? ORDER BY version", shippedVersion).Scan(&after).Error; err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("shipped migrations recorded again:\nbefore %v\nafter  %v", before, after)
			}
			if applied, latest, err := old.SchemaVersion(ctx); err != nil || applied != latest {
				t.Errorf("after Migrate: applied %d, latest %d, %v", applied, latest, err)
			}
			fresh := testdb.New(t, b)
			want := describeSchema(t, models.DBForTest(fresh), b)
			if got := describeSchema(t, db, b); got != want {
				t.Errorf("released database after Migrate differs from a new one:\n%s", lineDiff(want, got))
			}
		})
	}
}

// describeSchema lists what a migration decides: tables, columns, types,
// defaults, keys, indexes, partitioning, and the migration records
// (version and name; not when they ran).
func describeSchema(t *testing.T, db *gorm.DB, b models.Backend) string {
	t.Helper()
	var sb strings.Builder
	// section prints a query's rows under a title. Sections added after
	// version 15 was pinned (triggers, functions) print only when they
	// have rows, so the pinned description stays what it was.
	section := func(title, q string, optional ...bool) {
		t.Helper()
		rows, err := db.Raw(q).Rows()
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		header := false
		for rows.Next() {
			if !header {
				fmt.Fprintf(&sb, "# %s\n", title)
				header = true
			}
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				parts[i] = strings.Join(strings.Fields(fmt.Sprint(v)), " ")
			}
			sb.WriteString(strings.Join(parts, " | ") + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !header && len(optional) == 0 {
			fmt.Fprintf(&sb, "# %s\n", title)
		}
	}
	if b == models.SQLite {
		section("objects", `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
			WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	} else {
		section("relations", `SELECT c.relname, c.relkind, COALESCE(pg_get_partkeydef(c.oid), '')
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S', 'v', 'm') ORDER BY 1`)
		section("columns", `SELECT table_name, column_name, data_type, COALESCE(character_maximum_length, 0),
			is_nullable, COALESCE(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
		section("constraints", `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
			ORDER BY 1, 2`)
		section("indexes", `SELECT tablename, indexname, replace(indexdef, current_schema() || '.', '')
			FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2`)
		section("triggers", `SELECT tgrelid::regclass::text, tgname, replace(pg_get_triggerdef(t.oid), current_schema() || '.', '')
			FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND NOT t.tgisinternal ORDER BY 1, 2`, true)
		section("functions", `SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = current_schema() ORDER BY 1`, true)
	}
	section("schema_migrations", `SELECT version, name FROM schema_migrations ORDER BY version`)
	return sb.String()
}

// lineDiff lists the lines only one side has, enough to see what changed.
func lineDiff(want, got string) string {
	left := map[string]int{}
	for _, l := range strings.Split(got, "\n") {
		left[l]++
	}
	var out []string
	for _, l := range strings.Split(want, "\n") {
		if left[l] > 0 {
			left[l]--
		} else {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if left[l] > 0 {
			left[l]--
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
