-- A sqlite database as the code that shipped migration 15 left it: every
-- migration up to 15 applied (no rows but the migration records). Made with
-- sqlite3 .dump (the connection pragma line dropped).
BEGIN TRANSACTION;
CREATE TABLE `schema_migrations` (`version` integer,`name` text,`applied_at` datetime,PRIMARY KEY (`version`));
INSERT INTO schema_migrations VALUES(1,'events, sources and history','2026-12-01 12:21:12.543202934+00:00');
INSERT INTO schema_migrations VALUES(2,'users and api tokens','2026-12-01 12:21:12.543889615+00:00');
INSERT INTO schema_migrations VALUES(3,'sessions and login attempts','2026-12-01 12:21:12.544573568+00:00');
INSERT INTO schema_migrations VALUES(4,'activity data and imports','2026-12-01 12:21:12.545681796+00:00');
INSERT INTO schema_migrations VALUES(5,'api token roles','2026-12-01 12:21:12.592884203+00:00');
INSERT INTO schema_migrations VALUES(6,'impact overrides on events','2026-12-01 12:21:12.60881438+00:00');
INSERT INTO schema_migrations VALUES(7,'activity tables by month, source lines, no ICB rollup','2026-12-01 12:21:12.614557081+00:00');
INSERT INTO schema_migrations VALUES(8,'day ranges of imports','2026-12-01 12:21:12.61558431+00:00');
INSERT INTO schema_migrations VALUES(10,'event text widths, import commit order','2026-12-01 12:21:12.615983895+00:00');
INSERT INTO schema_migrations VALUES(11,'editorial states and the published register','2026-12-01 12:21:12.633174373+00:00');
INSERT INTO schema_migrations VALUES(12,'announcement, recovery and slice on events; stored impact results','2026-12-01 12:21:12.650712536+00:00');
INSERT INTO schema_migrations VALUES(13,'spc rebase mark on events','2026-12-01 12:21:12.651367186+00:00');
INSERT INTO schema_migrations VALUES(14,'stable keys of imported events','2026-12-01 12:21:12.651966909+00:00');
INSERT INTO schema_migrations VALUES(15,'monthly, coverage, overview, role, duration and OC day-time tables; area months','2026-12-01 12:21:12.660164769+00:00');
CREATE TABLE `events` (`id` integer PRIMARY KEY AUTOINCREMENT,`kind` text NOT NULL,`title` text NOT NULL,`summary` text,`notes` text,`start_at` datetime NOT NULL,`end_at` datetime,`all_day` numeric,`dispute_id` integer,`staff_group` text,`nation` text,`unions` text,`status` text,`round_number` integer,`action_type` text,`scope` text,`figures` text,`pay_year` text,`headline_pct` real,`average_pct` real,`lump_sum` text,`outcome` text,`effective_date` datetime,`body` text,`instrument` text,`what_changes` text,`affects` text,`milestone_type` text,`turnout_pct` real,`yes_pct` real,`parties` text,`seed_key` text,`version` integer NOT NULL DEFAULT 1,`created_by` text,`updated_by` text,`created_at` datetime,`updated_at` datetime,`deleted_at` datetime, impact_from datetime, impact_to datetime, impact_scope text, impact_metrics text, pub_state VARCHAR(20) NOT NULL DEFAULT 'draft', published_version INTEGER NOT NULL DEFAULT 0, announced_on datetime, impact_recovery_days INTEGER, impact_slice text, spc_rebase boolean NOT NULL DEFAULT 0, import_key varchar(200));
CREATE TABLE `sources` (`id` integer PRIMARY KEY AUTOINCREMENT,`event_id` integer NOT NULL,`position` integer NOT NULL,`url` text NOT NULL,`title` text,`publisher` text,`published_on` text);
CREATE TABLE `event_history` (`id` integer PRIMARY KEY AUTOINCREMENT,`event_id` integer NOT NULL,`version` integer NOT NULL,`action` text NOT NULL,`actor` text,`at` datetime NOT NULL,`before` text,`after` text);
CREATE TABLE `users` (`id` integer PRIMARY KEY AUTOINCREMENT,`email` text NOT NULL,`password_hash` text,`role` text NOT NULL,`disabled` numeric NOT NULL DEFAULT false,`created_at` datetime,`updated_at` datetime);
CREATE TABLE `api_tokens` (`id` integer PRIMARY KEY AUTOINCREMENT,`user_id` integer NOT NULL,`name` text,`prefix` text,`token_hash` text NOT NULL,`created_at` datetime,`last_used_at` datetime,`revoked_at` datetime, role VARCHAR(20) NOT NULL DEFAULT '');
CREATE TABLE `sessions` (`id` integer PRIMARY KEY AUTOINCREMENT,`token_hash` text NOT NULL,`user_id` integer NOT NULL,`csrf_token` text NOT NULL,`created_at` datetime,`last_seen_at` datetime,`expires_at` datetime NOT NULL,`user_agent` text,`ip` text);
CREATE TABLE `login_attempts` (`id` integer PRIMARY KEY AUTOINCREMENT,`email` text NOT NULL,`ip` text NOT NULL,`at` datetime NOT NULL);
CREATE TABLE `areas` (`id` integer PRIMARY KEY AUTOINCREMENT,`level` integer NOT NULL,`code` text NOT NULL,`ons_code` text,`name` text,`region_id` integer,`icb_id` integer,`sub_icb_id` integer,`pcn_id` integer);
CREATE TABLE `activity_labels` (`id` integer PRIMARY KEY AUTOINCREMENT,`kind` text NOT NULL,`label` text NOT NULL);
CREATE TABLE `import_runs` (`id` integer PRIMARY KEY AUTOINCREMENT,`file_name` text NOT NULL,`sha256` text,`format` text,`policy` text NOT NULL,`status` text NOT NULL,`actor` text,`bytes_total` integer,`bytes_read` integer,`rows_read` integer,`rows_inserted` integer,`rows_updated` integer,`rows_deleted` integer,`rows_rejected` integer,`revised` numeric NOT NULL DEFAULT false,`note` text,`message` text,`errors` text,`started_at` datetime NOT NULL,`heartbeat_at` datetime NOT NULL,`finished_at` datetime,`duration_ms` integer, target VARCHAR(40), day_from BIGINT, day_to BIGINT, commit_seq BIGINT);
CREATE TABLE appt_subicb_daily (
			area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			status INTEGER NOT NULL, hcp INTEGER NOT NULL, mode INTEGER NOT NULL, lead INTEGER NOT NULL,
			n INTEGER NOT NULL, import_id INTEGER NOT NULL, line INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (area_id, day, status, hcp, mode, lead)) WITHOUT ROWID;
CREATE TABLE appt_rollup_daily (
			level INTEGER NOT NULL, area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			status INTEGER NOT NULL, hcp INTEGER NOT NULL, mode INTEGER NOT NULL, lead INTEGER NOT NULL,
			n INTEGER NOT NULL,
			PRIMARY KEY (level, area_id, day, status, hcp, mode, lead)) WITHOUT ROWID;
CREATE TABLE appt_natcat_daily (
			area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			setting INTEGER NOT NULL, context INTEGER NOT NULL, category INTEGER NOT NULL,
			n INTEGER NOT NULL, import_id INTEGER NOT NULL, line INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (area_id, day, setting, context, category)) WITHOUT ROWID;
CREATE TABLE appt_practice_monthly (
			practice_id INTEGER NOT NULL, day INTEGER NOT NULL,
			hcp INTEGER NOT NULL, mode INTEGER NOT NULL, category INTEGER NOT NULL, lead INTEGER NOT NULL, status INTEGER NOT NULL,
			n INTEGER NOT NULL, import_id INTEGER NOT NULL, line INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (practice_id, day, hcp, mode, category, lead, status)) WITHOUT ROWID;
CREATE TABLE oc_practice_monthly (
			practice_id INTEGER NOT NULL, day INTEGER NOT NULL,
			supplier INTEGER NOT NULL, metric INTEGER NOT NULL,
			n INTEGER NOT NULL, import_id INTEGER NOT NULL, line INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (practice_id, day, supplier, metric)) WITHOUT ROWID;
CREATE TABLE `register_versions` (`version` integer,`published_at` datetime NOT NULL,`actor` text,`event_id` integer,`action` text NOT NULL,`note` text,PRIMARY KEY (`version`));
CREATE TABLE `publications` (`id` integer PRIMARY KEY AUTOINCREMENT,`event_id` integer NOT NULL,`event_version` integer NOT NULL,`register_version` integer NOT NULL,`superseded_in` integer,`state` text NOT NULL,`minor` numeric NOT NULL DEFAULT false,`note` text,`actor` text,`at` datetime NOT NULL,`first_published_at` datetime NOT NULL,`kind` text NOT NULL,`title` text NOT NULL,`summary` text,`notes` text,`unions` text,`staff_group` text,`dispute_id` integer,`start_at` datetime NOT NULL,`end_at` datetime,`doc` text NOT NULL);
CREATE TABLE impact_results (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			event_id BIGINT NOT NULL,
			event_version INTEGER NOT NULL,
			slice_key VARCHAR(500) NOT NULL,
			data_state VARCHAR(200) NOT NULL,
			body TEXT NOT NULL,
			created_at datetime NOT NULL
		);
CREATE TABLE appt_subicb_monthly (area_id INTEGER NOT NULL, day INTEGER NOT NULL, status INTEGER NOT NULL, hcp INTEGER NOT NULL, mode INTEGER NOT NULL, lead INTEGER NOT NULL, n INTEGER NOT NULL, line INTEGER NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (area_id, day, status, hcp, mode, lead)) WITHOUT ROWID;
CREATE TABLE gp_coverage_monthly (area_id INTEGER NOT NULL, day INTEGER NOT NULL, measure INTEGER NOT NULL, n INTEGER NOT NULL, line INTEGER NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (area_id, day, measure)) WITHOUT ROWID;
CREATE TABLE appt_national_overview (area_id INTEGER NOT NULL, day INTEGER NOT NULL, status INTEGER NOT NULL, hcp INTEGER NOT NULL, mode INTEGER NOT NULL, setting INTEGER NOT NULL, context INTEGER NOT NULL, category INTEGER NOT NULL, n INTEGER NOT NULL, line INTEGER NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (area_id, day, status, hcp, mode, setting, context, category)) WITHOUT ROWID;
CREATE TABLE appt_sds_role_daily (area_id INTEGER NOT NULL, day INTEGER NOT NULL, role INTEGER NOT NULL, n INTEGER NOT NULL, line INTEGER NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (area_id, day, role)) WITHOUT ROWID;
CREATE TABLE appt_duration_daily (area_id INTEGER NOT NULL, day INTEGER NOT NULL, duration INTEGER NOT NULL, n INTEGER NOT NULL, line INTEGER NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (area_id, day, duration)) WITHOUT ROWID;
CREATE TABLE oc_daytime_monthly (practice_id INTEGER NOT NULL, day INTEGER NOT NULL, supplier INTEGER NOT NULL, weekday INTEGER NOT NULL, band INTEGER NOT NULL, n INTEGER NOT NULL, line INTEGER NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (practice_id, day, supplier, weekday, band)) WITHOUT ROWID;
CREATE TABLE oc_practice_daily (practice_id INTEGER NOT NULL, day INTEGER NOT NULL, supplier INTEGER NOT NULL, kind INTEGER NOT NULL, n INTEGER NOT NULL, line INTEGER NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (practice_id, day, supplier, kind)) WITHOUT ROWID;
CREATE TABLE area_months (area_id INTEGER NOT NULL, day INTEGER NOT NULL, parent_id INTEGER NOT NULL,
			PRIMARY KEY (area_id, day));
DELETE FROM sqlite_sequence;
CREATE INDEX `idx_events_deleted_at` ON `events`(`deleted_at`);
CREATE INDEX `idx_events_staff_group` ON `events`(`staff_group`);
CREATE INDEX `idx_events_dispute_id` ON `events`(`dispute_id`);
CREATE INDEX `idx_events_start_at` ON `events`(`start_at`);
CREATE INDEX `idx_events_kind` ON `events`(`kind`);
CREATE INDEX `idx_sources_event_id` ON `sources`(`event_id`);
CREATE INDEX `idx_event_history_event_id` ON `event_history`(`event_id`);
CREATE UNIQUE INDEX ux_events_seed_key ON events (seed_key) WHERE seed_key IS NOT NULL;
CREATE UNIQUE INDEX ux_event_history_version ON event_history (event_id, version);
CREATE INDEX `idx_api_tokens_user_id` ON `api_tokens`(`user_id`);
CREATE UNIQUE INDEX ux_users_email ON users (email);
CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX `idx_sessions_expires_at` ON `sessions`(`expires_at`);
CREATE INDEX `idx_sessions_user_id` ON `sessions`(`user_id`);
CREATE INDEX `idx_login_attempts_at` ON `login_attempts`(`at`);
CREATE INDEX `idx_login_attempts_ip` ON `login_attempts`(`ip`);
CREATE INDEX `idx_login_attempts_email` ON `login_attempts`(`email`);
CREATE UNIQUE INDEX ux_sessions_token_hash ON sessions (token_hash);
CREATE INDEX `idx_import_runs_started_at` ON `import_runs`(`started_at`);
CREATE INDEX `idx_import_runs_status` ON `import_runs`(`status`);
CREATE UNIQUE INDEX ux_areas_level_code ON areas (level, code);
CREATE UNIQUE INDEX ux_activity_labels ON activity_labels (kind, label);
CREATE INDEX idx_import_runs_sha256 ON import_runs (sha256);
CREATE INDEX idx_import_runs_commit_seq ON import_runs (target, commit_seq);
CREATE INDEX `idx_publications_superseded` ON `publications`(`superseded_in`);
CREATE INDEX `idx_publications_register` ON `publications`(`register_version`);
CREATE INDEX `idx_publications_event` ON `publications`(`event_id`,`register_version`);
CREATE UNIQUE INDEX idx_impact_results_key ON impact_results (event_id, event_version, slice_key, data_state);
CREATE INDEX idx_events_import_key ON events (import_key);
CREATE INDEX ix_area_months_parent ON area_months (parent_id, day);
COMMIT;
