package models_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// Migration 10 numbers the successful imports made before it in id order
// (the best order known for them), so a file imported before the upgrade
// is still recognised as stored; a failed run gets no number. On
// PostgreSQL it also widens events.body to the validator's 200 characters.
func TestCommitOrderMigration(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			s := testdb.Open(t, b)
			if err := s.MigrateUpTo(ctx, 8); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`INSERT INTO import_runs (id, file_name, sha256, policy, status, bytes_total, rows_read, rows_inserted, rows_updated, rows_deleted, rows_rejected, revised, started_at, heartbeat_at, target, day_from, day_to)
				VALUES (1, 'a.csv', 'aa', 'reject', 'succeeded', 10, 5, 5, 0, 0, 0, false, '2025-01-01', '2025-01-01', 'appt_subicb_daily', 100, 130)`,
				`INSERT INTO import_runs (id, file_name, sha256, policy, status, bytes_total, rows_read, rows_inserted, rows_updated, rows_deleted, rows_rejected, revised, started_at, heartbeat_at)
				VALUES (2, 'b.csv', 'bb', 'reject', 'failed', 10, 0, 0, 0, 0, 0, false, '2025-01-01', '2025-01-01')`,
			} {
				if err := models.DBForTest(s).Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var seqs []struct{ CommitSeq *int64 }
			if err := models.DBForTest(s).Raw("SELECT commit_seq FROM import_runs ORDER BY id").Scan(&seqs).Error; err != nil {
				t.Fatal(err)
			}
			if len(seqs) != 2 || seqs[0].CommitSeq == nil || *seqs[0].CommitSeq != 1 || seqs[1].CommitSeq != nil {
				t.Fatalf("commit_seq after migration: %+v", seqs)
			}
			if p, err := s.StillStored(ctx, "aa", 10); err != nil || p == nil || p.ID != 1 {
				t.Fatalf("file imported before the upgrade: %+v %v", p, err)
			}
			d := cloneDoc(kindDocs()[models.KindRegulatoryChange])
			d.Body = strings.Repeat("b", 200)
			if _, err := s.CreateEvent(ctx, "planner@example.org", d); err != nil {
				t.Fatalf("200-character body after the upgrade: %v", err)
			}
		})
	}
}
