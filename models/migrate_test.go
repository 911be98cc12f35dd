package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// Activity loaded before migration 7 survives it: rows kept (with line 0),
// ICB rollup rows gone, and on PostgreSQL the rows sit in month partitions
// that a later load can replace.
func TestActivityPartitionMigration(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			s := testdb.Open(t, b)
			if err := s.MigrateUpTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			exec := func(q string, args ...any) {
				t.Helper()
				if err := models.DBForTest(s).Exec(q, args...).Error; err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			oct := models.DayNumber(time.Date(2023, 10, 31, 0, 0, 0, 0, time.UTC))
			nov := models.DayNumber(time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC))
			exec(`INSERT INTO areas (id, level, code, name) VALUES (1, 1, 'E40000001', 'R'), (2, 2, 'E54000001', 'I'), (3, 3, '00X', 'S')`)
			exec(`UPDATE areas SET region_id = 1, icb_id = 2 WHERE id = 3`)
			exec(`INSERT INTO appt_subicb_daily (area_id, day, status, hcp, mode, lead, n, import_id) VALUES (3, ?, 1, 1, 1, 1, 10, 7), (3, ?, 1, 1, 1, 1, 20, 7)`, oct, nov)
			exec(`INSERT INTO appt_rollup_daily (level, area_id, day, status, hcp, mode, lead, n) VALUES
				(0, 0, ?, 1, 1, 1, 1, 10), (1, 1, ?, 1, 1, 1, 1, 10), (2, 2, ?, 1, 1, 1, 1, 10),
				(0, 0, ?, 1, 1, 1, 1, 20), (1, 1, ?, 1, 1, 1, 1, 20), (2, 2, ?, 1, 1, 1, 1, 20)`, oct, oct, oct, nov, nov, nov)
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var got []struct{ Day, N, Line, ImportID int64 }
			if err := models.DBForTest(s).Raw(`SELECT day, n, line, import_id FROM appt_subicb_daily ORDER BY day`).Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].N != 10 || got[1].N != 20 || got[1].Line != 0 || got[1].ImportID != 7 {
				t.Fatalf("rows after migration: %+v", got)
			}
			var levels []int64
			models.DBForTest(s).Raw(`SELECT DISTINCT level FROM appt_rollup_daily ORDER BY level`).Scan(&levels)
			if len(levels) != 2 || levels[1] != 1 {
				t.Fatalf("rollup levels %v, want [0 1]", levels)
			}
			// The ICB series now comes from the sub-ICB rows.
			pts, err := s.ActivitySeries(ctx, models.ActivityQuery{Area: "E54000001", From: time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC), Granularity: "month"})
			if err != nil || len(pts) != 2 || pts[0].Count != 10 || pts[1].Count != 20 {
				t.Fatalf("ICB series %+v %v", pts, err)
			}
			if b == models.Postgres {
				var parts []string
				models.DBForTest(s).Raw(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
					WHERE i.inhparent = 'appt_subicb_daily'::regclass ORDER BY 1`).Scan(&parts)
				if len(parts) != 2 || parts[0] != "appt_subicb_daily_m202310" || parts[1] != "appt_subicb_daily_m202311" {
					t.Fatalf("partitions %v", parts)
				}
			}
		})
	}
}
