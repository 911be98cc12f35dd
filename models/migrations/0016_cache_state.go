package migrations

import "gorm.io/gorm"

// migrateCacheState adds cache_state, the one row that names the state of
// everything an anonymous visitor can see. Every public request reads it
// (for its ETag and the register memo), so it must cost one primary-key
// look-up however large the register grows; counting and summing the
// events table per request did not. Triggers keep it, not the Go writers,
// so no write path (the CLI, a bulk import, a hand-run UPDATE) can forget
// it: any change to a record, and any import run that succeeds or stops
// having succeeded, adds one to seq in the writing transaction, and
// changed_at only moves forward.
//
// On PostgreSQL the triggers are deferred to commit and bump at most once
// per transaction: the row is locked for the last instant of a write, after
// every lock the writer takes on records, so two writers cannot deadlock
// over it, and a bulk import of thousands of records bumps it once. SQLite
// has one writer at a time, so ordinary row triggers suffice there.
func migrateCacheState(tx *gorm.DB, b Backend) error {
	if b == SQLite {
		const bump = `UPDATE cache_state SET seq = seq + 1,
			changed_at = max(changed_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE id = 1;`
		return execAll(tx,
			`CREATE TABLE cache_state (id integer PRIMARY KEY CHECK (id = 1), seq integer NOT NULL, changed_at text NOT NULL)`,
			`INSERT INTO cache_state (id, seq, changed_at) VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
			`CREATE TRIGGER cache_state_event_insert AFTER INSERT ON events BEGIN `+bump+` END`,
			`CREATE TRIGGER cache_state_event_update AFTER UPDATE ON events BEGIN `+bump+` END`,
			`CREATE TRIGGER cache_state_event_delete AFTER DELETE ON events BEGIN `+bump+` END`,
			`CREATE TRIGGER cache_state_run_insert AFTER INSERT ON import_runs WHEN NEW.status = 'succeeded' BEGIN `+bump+` END`,
			`CREATE TRIGGER cache_state_run_update AFTER UPDATE ON import_runs WHEN OLD.status = 'succeeded' OR NEW.status = 'succeeded' BEGIN `+bump+` END`,
			`CREATE TRIGGER cache_state_run_delete AFTER DELETE ON import_runs WHEN OLD.status = 'succeeded' BEGIN `+bump+` END`,
		)
	}
	// One bump per transaction: the first deferred trigger to fire marks
	// the row with its transaction, and the rest find it marked.
	const bump = `UPDATE cache_state SET seq = seq + 1, changed_at = GREATEST(changed_at, clock_timestamp()),
				last_tx = txid_current() WHERE id = 1 AND last_tx <> txid_current();`
	return execAll(tx,
		`CREATE TABLE cache_state (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL,
			changed_at timestamptz NOT NULL, last_tx bigint NOT NULL DEFAULT 0)`,
		`INSERT INTO cache_state (id, seq, changed_at) VALUES (1, 1, clock_timestamp())`,
		// search_path is fixed at creation: the function finds this
		// schema's cache_state whatever the writing session's path is.
		`CREATE FUNCTION cache_state_bump() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
		BEGIN
			`+bump+`
			RETURN NULL;
		END $$`,
		// A run counts while it has succeeded: its heartbeats while
		// running change nothing a visitor sees.
		`CREATE FUNCTION cache_state_bump_run() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
		BEGIN
			IF (TG_OP <> 'DELETE' AND NEW.status = 'succeeded') OR (TG_OP <> 'INSERT' AND OLD.status = 'succeeded') THEN
				`+bump+`
			END IF;
			RETURN NULL;
		END $$`,
		`CREATE CONSTRAINT TRIGGER cache_state_events AFTER INSERT OR UPDATE OR DELETE ON events
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_state_bump()`,
		`CREATE CONSTRAINT TRIGGER cache_state_import_runs AFTER INSERT OR UPDATE OR DELETE ON import_runs
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cache_state_bump_run()`,
	)
}
