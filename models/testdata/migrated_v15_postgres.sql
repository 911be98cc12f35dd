-- A postgres database as the code that shipped migration 15 left it: every
-- migration up to 15 applied (no rows but the migration records). Made with
-- pg_dump --inserts of its schema, the schema name and session settings dropped.

CREATE TABLE activity_labels (
    id bigint NOT NULL,
    kind character varying(40) NOT NULL,
    label character varying(300) NOT NULL
);

CREATE SEQUENCE activity_labels_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE activity_labels_id_seq OWNED BY activity_labels.id;

CREATE TABLE api_tokens (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    name character varying(100),
    prefix character varying(12),
    token_hash character varying(64) NOT NULL,
    created_at timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    role character varying(20) DEFAULT ''::character varying NOT NULL
);

CREATE SEQUENCE api_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE api_tokens_id_seq OWNED BY api_tokens.id;

CREATE TABLE appt_duration_daily (
    area_id integer NOT NULL,
    day integer NOT NULL,
    duration integer NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE appt_natcat_daily (
    area_id integer NOT NULL,
    day integer NOT NULL,
    setting integer NOT NULL,
    context integer NOT NULL,
    category integer NOT NULL,
    n integer NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE appt_national_overview (
    area_id integer NOT NULL,
    day integer NOT NULL,
    status smallint NOT NULL,
    hcp smallint NOT NULL,
    mode smallint NOT NULL,
    setting integer NOT NULL,
    context integer NOT NULL,
    category integer NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE appt_practice_monthly (
    practice_id integer NOT NULL,
    day integer NOT NULL,
    hcp smallint NOT NULL,
    mode smallint NOT NULL,
    category integer NOT NULL,
    lead smallint NOT NULL,
    status smallint NOT NULL,
    n integer NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE appt_rollup_daily (
    level smallint NOT NULL,
    area_id integer NOT NULL,
    day integer NOT NULL,
    status smallint NOT NULL,
    hcp smallint NOT NULL,
    mode smallint NOT NULL,
    lead smallint NOT NULL,
    n bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE appt_sds_role_daily (
    area_id integer NOT NULL,
    day integer NOT NULL,
    role integer NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE appt_subicb_daily (
    area_id integer NOT NULL,
    day integer NOT NULL,
    status smallint NOT NULL,
    hcp smallint NOT NULL,
    mode smallint NOT NULL,
    lead smallint NOT NULL,
    n integer NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE appt_subicb_monthly (
    area_id integer NOT NULL,
    day integer NOT NULL,
    status smallint NOT NULL,
    hcp smallint NOT NULL,
    mode smallint NOT NULL,
    lead smallint NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE area_months (
    area_id integer NOT NULL,
    day integer NOT NULL,
    parent_id integer NOT NULL
);

CREATE TABLE areas (
    id bigint NOT NULL,
    level smallint NOT NULL,
    code character varying(20) NOT NULL,
    ons_code character varying(20),
    name character varying(300),
    region_id bigint,
    icb_id bigint,
    sub_icb_id bigint,
    pcn_id bigint
);

CREATE SEQUENCE areas_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE areas_id_seq OWNED BY areas.id;

CREATE TABLE event_history (
    id bigint NOT NULL,
    event_id bigint NOT NULL,
    version bigint NOT NULL,
    action character varying(20) NOT NULL,
    actor character varying(320),
    at timestamp with time zone NOT NULL,
    before text,
    after text
);

CREATE SEQUENCE event_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE event_history_id_seq OWNED BY event_history.id;

CREATE TABLE events (
    id bigint NOT NULL,
    kind character varying(32) NOT NULL,
    title character varying(300) NOT NULL,
    summary text,
    notes text,
    start_at timestamp with time zone NOT NULL,
    end_at timestamp with time zone,
    all_day boolean,
    dispute_id bigint,
    staff_group character varying(40),
    nation character varying(40),
    unions text,
    status character varying(40),
    round_number bigint,
    action_type character varying(40),
    scope text,
    figures text,
    pay_year character varying(7),
    headline_pct numeric,
    average_pct numeric,
    lump_sum character varying(200),
    outcome character varying(20),
    effective_date timestamp with time zone,
    body character varying(200),
    instrument character varying(40),
    what_changes text,
    affects text,
    milestone_type character varying(40),
    turnout_pct numeric,
    yes_pct numeric,
    parties text,
    seed_key character varying(100),
    version bigint DEFAULT 1 NOT NULL,
    created_by character varying(320),
    updated_by character varying(320),
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    deleted_at timestamp with time zone,
    impact_from timestamp with time zone,
    impact_to timestamp with time zone,
    impact_scope text,
    impact_metrics text,
    pub_state character varying(20) DEFAULT 'draft'::character varying NOT NULL,
    published_version integer DEFAULT 0 NOT NULL,
    announced_on timestamp with time zone,
    impact_recovery_days integer,
    impact_slice text,
    spc_rebase boolean DEFAULT false NOT NULL,
    import_key character varying(200)
);

CREATE SEQUENCE events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE events_id_seq OWNED BY events.id;

CREATE TABLE gp_coverage_monthly (
    area_id integer NOT NULL,
    day integer NOT NULL,
    measure smallint NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE impact_results (
    id bigint NOT NULL,
    event_id bigint NOT NULL,
    event_version integer NOT NULL,
    slice_key character varying(500) NOT NULL,
    data_state character varying(200) NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE impact_results_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE impact_results_id_seq OWNED BY impact_results.id;

CREATE TABLE import_runs (
    id bigint NOT NULL,
    file_name character varying(500) NOT NULL,
    sha256 character varying(64),
    format character varying(40),
    policy character varying(10) NOT NULL,
    status character varying(20) NOT NULL,
    actor character varying(320),
    bytes_total bigint,
    bytes_read bigint,
    rows_read bigint,
    rows_inserted bigint,
    rows_updated bigint,
    rows_deleted bigint,
    rows_rejected bigint,
    revised boolean DEFAULT false NOT NULL,
    note text,
    message text,
    errors text,
    started_at timestamp with time zone NOT NULL,
    heartbeat_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    duration_ms bigint,
    target character varying(40),
    day_from bigint,
    day_to bigint,
    commit_seq bigint
);

CREATE SEQUENCE import_runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE import_runs_id_seq OWNED BY import_runs.id;

CREATE TABLE login_attempts (
    id bigint NOT NULL,
    email character varying(320) NOT NULL,
    ip character varying(64) NOT NULL,
    at timestamp with time zone NOT NULL
);

CREATE SEQUENCE login_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE login_attempts_id_seq OWNED BY login_attempts.id;

CREATE TABLE oc_daytime_monthly (
    practice_id integer NOT NULL,
    day integer NOT NULL,
    supplier integer NOT NULL,
    weekday smallint NOT NULL,
    band integer NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE oc_practice_daily (
    practice_id integer NOT NULL,
    day integer NOT NULL,
    supplier integer NOT NULL,
    kind integer NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE oc_practice_monthly (
    practice_id integer NOT NULL,
    day integer NOT NULL,
    supplier integer NOT NULL,
    metric integer NOT NULL,
    n bigint NOT NULL,
    line integer NOT NULL,
    import_id bigint NOT NULL
)
PARTITION BY RANGE (day);

CREATE TABLE publications (
    id bigint NOT NULL,
    event_id bigint NOT NULL,
    event_version bigint NOT NULL,
    register_version bigint NOT NULL,
    superseded_in bigint,
    state character varying(20) NOT NULL,
    minor boolean DEFAULT false NOT NULL,
    note text,
    actor character varying(320),
    at timestamp with time zone NOT NULL,
    first_published_at timestamp with time zone NOT NULL,
    kind character varying(32) NOT NULL,
    title character varying(300) NOT NULL,
    summary text,
    notes text,
    unions text,
    staff_group character varying(40),
    dispute_id bigint,
    start_at timestamp with time zone NOT NULL,
    end_at timestamp with time zone,
    doc text NOT NULL
);

CREATE SEQUENCE publications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE publications_id_seq OWNED BY publications.id;

CREATE TABLE register_versions (
    version bigint NOT NULL,
    published_at timestamp with time zone NOT NULL,
    actor character varying(320),
    event_id bigint,
    action character varying(20) NOT NULL,
    note text
);

CREATE TABLE schema_migrations (
    version bigint NOT NULL,
    name text,
    applied_at timestamp with time zone
);

CREATE TABLE sessions (
    id bigint NOT NULL,
    token_hash character varying(64) NOT NULL,
    user_id bigint NOT NULL,
    csrf_token character varying(64) NOT NULL,
    created_at timestamp with time zone,
    last_seen_at timestamp with time zone,
    expires_at timestamp with time zone NOT NULL,
    user_agent character varying(300),
    ip character varying(64)
);

CREATE SEQUENCE sessions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE sessions_id_seq OWNED BY sessions.id;

CREATE TABLE sources (
    id bigint NOT NULL,
    event_id bigint NOT NULL,
    "position" bigint NOT NULL,
    url character varying(2000) NOT NULL,
    title character varying(500),
    publisher character varying(200),
    published_on character varying(10)
);

CREATE SEQUENCE sources_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE sources_id_seq OWNED BY sources.id;

CREATE TABLE users (
    id bigint NOT NULL,
    email character varying(320) NOT NULL,
    password_hash character varying(200),
    role character varying(20) NOT NULL,
    disabled boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

CREATE SEQUENCE users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE users_id_seq OWNED BY users.id;

ALTER TABLE ONLY activity_labels ALTER COLUMN id SET DEFAULT nextval('activity_labels_id_seq'::regclass);

ALTER TABLE ONLY api_tokens ALTER COLUMN id SET DEFAULT nextval('api_tokens_id_seq'::regclass);

ALTER TABLE ONLY areas ALTER COLUMN id SET DEFAULT nextval('areas_id_seq'::regclass);

ALTER TABLE ONLY event_history ALTER COLUMN id SET DEFAULT nextval('event_history_id_seq'::regclass);

ALTER TABLE ONLY events ALTER COLUMN id SET DEFAULT nextval('events_id_seq'::regclass);

ALTER TABLE ONLY impact_results ALTER COLUMN id SET DEFAULT nextval('impact_results_id_seq'::regclass);

ALTER TABLE ONLY import_runs ALTER COLUMN id SET DEFAULT nextval('import_runs_id_seq'::regclass);

ALTER TABLE ONLY login_attempts ALTER COLUMN id SET DEFAULT nextval('login_attempts_id_seq'::regclass);

ALTER TABLE ONLY publications ALTER COLUMN id SET DEFAULT nextval('publications_id_seq'::regclass);

ALTER TABLE ONLY sessions ALTER COLUMN id SET DEFAULT nextval('sessions_id_seq'::regclass);

ALTER TABLE ONLY sources ALTER COLUMN id SET DEFAULT nextval('sources_id_seq'::regclass);

ALTER TABLE ONLY users ALTER COLUMN id SET DEFAULT nextval('users_id_seq'::regclass);

INSERT INTO schema_migrations VALUES (1, 'events, sources and history', '2026-12-01 12:21:12.946419+00');
INSERT INTO schema_migrations VALUES (2, 'users and api tokens', '2026-12-01 12:21:13.024011+00');
INSERT INTO schema_migrations VALUES (3, 'sessions and login attempts', '2026-12-01 12:21:13.118865+00');
INSERT INTO schema_migrations VALUES (4, 'activity data and imports', '2026-12-01 12:21:13.25433+00');
INSERT INTO schema_migrations VALUES (5, 'api token roles', '2026-12-01 12:21:13.263611+00');
INSERT INTO schema_migrations VALUES (6, 'impact overrides on events', '2026-12-01 12:21:13.279577+00');
INSERT INTO schema_migrations VALUES (7, 'activity tables by month, source lines, no ICB rollup', '2026-12-01 12:21:13.296839+00');
INSERT INTO schema_migrations VALUES (8, 'day ranges of imports', '2026-12-01 12:21:13.33658+00');
INSERT INTO schema_migrations VALUES (10, 'event text widths, import commit order', '2026-12-01 12:21:13.354328+00');
INSERT INTO schema_migrations VALUES (11, 'editorial states and the published register', '2026-12-01 12:21:13.444683+00');
INSERT INTO schema_migrations VALUES (12, 'announcement, recovery and slice on events; stored impact results', '2026-12-01 12:21:13.506339+00');
INSERT INTO schema_migrations VALUES (13, 'spc rebase mark on events', '2026-12-01 12:21:13.51212+00');
INSERT INTO schema_migrations VALUES (14, 'stable keys of imported events', '2026-12-01 12:21:13.536581+00');
INSERT INTO schema_migrations VALUES (15, 'monthly, coverage, overview, role, duration and OC day-time tables; area months', '2026-12-01 12:21:13.598012+00');

SELECT pg_catalog.setval('activity_labels_id_seq', 1, false);

SELECT pg_catalog.setval('api_tokens_id_seq', 1, false);

SELECT pg_catalog.setval('areas_id_seq', 1, false);

SELECT pg_catalog.setval('event_history_id_seq', 1, false);

SELECT pg_catalog.setval('events_id_seq', 1, false);

SELECT pg_catalog.setval('impact_results_id_seq', 1, false);

SELECT pg_catalog.setval('import_runs_id_seq', 1, false);

SELECT pg_catalog.setval('login_attempts_id_seq', 1, false);

SELECT pg_catalog.setval('publications_id_seq', 1, false);

SELECT pg_catalog.setval('sessions_id_seq', 1, false);

SELECT pg_catalog.setval('sources_id_seq', 1, false);

SELECT pg_catalog.setval('users_id_seq', 1, false);

ALTER TABLE ONLY activity_labels
    ADD CONSTRAINT activity_labels_pkey PRIMARY KEY (id);

ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY appt_duration_daily
    ADD CONSTRAINT appt_duration_daily_pkey PRIMARY KEY (area_id, day, duration);

ALTER TABLE ONLY appt_natcat_daily
    ADD CONSTRAINT appt_natcat_daily_pkey PRIMARY KEY (area_id, day, setting, context, category);

ALTER TABLE ONLY appt_national_overview
    ADD CONSTRAINT appt_national_overview_pkey PRIMARY KEY (area_id, day, status, hcp, mode, setting, context, category);

ALTER TABLE ONLY appt_practice_monthly
    ADD CONSTRAINT appt_practice_monthly_pkey PRIMARY KEY (practice_id, day, hcp, mode, category, lead, status);

ALTER TABLE ONLY appt_rollup_daily
    ADD CONSTRAINT appt_rollup_daily_pkey PRIMARY KEY (level, area_id, day, status, hcp, mode, lead);

ALTER TABLE ONLY appt_sds_role_daily
    ADD CONSTRAINT appt_sds_role_daily_pkey PRIMARY KEY (area_id, day, role);

ALTER TABLE ONLY appt_subicb_daily
    ADD CONSTRAINT appt_subicb_daily_pkey PRIMARY KEY (area_id, day, status, hcp, mode, lead);

ALTER TABLE ONLY appt_subicb_monthly
    ADD CONSTRAINT appt_subicb_monthly_pkey PRIMARY KEY (area_id, day, status, hcp, mode, lead);

ALTER TABLE ONLY area_months
    ADD CONSTRAINT area_months_pkey PRIMARY KEY (area_id, day);

ALTER TABLE ONLY areas
    ADD CONSTRAINT areas_pkey PRIMARY KEY (id);

ALTER TABLE ONLY event_history
    ADD CONSTRAINT event_history_pkey PRIMARY KEY (id);

ALTER TABLE ONLY events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY gp_coverage_monthly
    ADD CONSTRAINT gp_coverage_monthly_pkey PRIMARY KEY (area_id, day, measure);

ALTER TABLE ONLY impact_results
    ADD CONSTRAINT impact_results_pkey PRIMARY KEY (id);

ALTER TABLE ONLY import_runs
    ADD CONSTRAINT import_runs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY login_attempts
    ADD CONSTRAINT login_attempts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY oc_daytime_monthly
    ADD CONSTRAINT oc_daytime_monthly_pkey PRIMARY KEY (practice_id, day, supplier, weekday, band);

ALTER TABLE ONLY oc_practice_daily
    ADD CONSTRAINT oc_practice_daily_pkey PRIMARY KEY (practice_id, day, supplier, kind);

ALTER TABLE ONLY oc_practice_monthly
    ADD CONSTRAINT oc_practice_monthly_pkey PRIMARY KEY (practice_id, day, supplier, metric);

ALTER TABLE ONLY publications
    ADD CONSTRAINT publications_pkey PRIMARY KEY (id);

ALTER TABLE ONLY register_versions
    ADD CONSTRAINT register_versions_pkey PRIMARY KEY (version);

ALTER TABLE ONLY schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY sources
    ADD CONSTRAINT sources_pkey PRIMARY KEY (id);

ALTER TABLE ONLY users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

CREATE INDEX idx_api_tokens_user_id ON api_tokens USING btree (user_id);

CREATE INDEX idx_event_history_event_id ON event_history USING btree (event_id);

CREATE INDEX idx_events_deleted_at ON events USING btree (deleted_at);

CREATE INDEX idx_events_dispute_id ON events USING btree (dispute_id);

CREATE INDEX idx_events_import_key ON events USING btree (import_key);

CREATE INDEX idx_events_kind ON events USING btree (kind);

CREATE INDEX idx_events_staff_group ON events USING btree (staff_group);

CREATE INDEX idx_events_start_at ON events USING btree (start_at);

CREATE UNIQUE INDEX idx_impact_results_key ON impact_results USING btree (event_id, event_version, slice_key, data_state);

CREATE INDEX idx_import_runs_commit_seq ON import_runs USING btree (target, commit_seq);

CREATE INDEX idx_import_runs_sha256 ON import_runs USING btree (sha256);

CREATE INDEX idx_import_runs_started_at ON import_runs USING btree (started_at);

CREATE INDEX idx_import_runs_status ON import_runs USING btree (status);

CREATE INDEX idx_login_attempts_at ON login_attempts USING btree (at);

CREATE INDEX idx_login_attempts_email ON login_attempts USING btree (email);

CREATE INDEX idx_login_attempts_ip ON login_attempts USING btree (ip);

CREATE INDEX idx_publications_event ON publications USING btree (event_id, register_version);

CREATE INDEX idx_publications_register ON publications USING btree (register_version);

CREATE INDEX idx_publications_superseded ON publications USING btree (superseded_in);

CREATE INDEX idx_sessions_expires_at ON sessions USING btree (expires_at);

CREATE INDEX idx_sessions_user_id ON sessions USING btree (user_id);

CREATE INDEX idx_sources_event_id ON sources USING btree (event_id);

CREATE INDEX ix_area_months_parent ON area_months USING btree (parent_id, day);

CREATE UNIQUE INDEX ux_activity_labels ON activity_labels USING btree (kind, label);

CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens USING btree (token_hash);

CREATE UNIQUE INDEX ux_areas_level_code ON areas USING btree (level, code);

CREATE UNIQUE INDEX ux_event_history_version ON event_history USING btree (event_id, version);

CREATE UNIQUE INDEX ux_events_seed_key ON events USING btree (seed_key) WHERE (seed_key IS NOT NULL);

CREATE UNIQUE INDEX ux_sessions_token_hash ON sessions USING btree (token_hash);

CREATE UNIQUE INDEX ux_users_email ON users USING btree (email);

