package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	sqlitedrv "modernc.org/sqlite"
	sqlitelib "modernc.org/sqlite/lib"
)

// Backend names the database engine behind a Store.
type Backend string

// The two supported backends.
const (
	Postgres Backend = "postgres"
	SQLite   Backend = "sqlite"
)

// Options says which database to open. DatabaseURL wins when set; otherwise
// SQLitePath names the embedded database file (created on first use).
type Options struct {
	DatabaseURL string
	SQLitePath  string
	// MaxOpenConns caps the PostgreSQL pool; 0 means 16.
	MaxOpenConns int
	// Logger receives slow-query and error logs; nil means slog.Default().
	Logger *slog.Logger
	// ReplicaURLs are PostgreSQL streaming replicas of DatabaseURL that
	// serve reads (see replica.go); ReplicaMaxLag is how far behind one may
	// be and still serve them (0: DefaultReplicaMaxLag).
	ReplicaURLs   []string
	ReplicaMaxLag time.Duration
}

// Store is the persistence layer. It is safe for concurrent use and holds no
// state beyond its connection pool, so any number of app instances can share
// one PostgreSQL database.
//
// Its connections are unexported so that SQL is written only in this
// package: callers go through Store methods.
type Store struct {
	db      *gorm.DB
	Backend Backend
	// pool is the pgx pool behind db on PostgreSQL (nil on SQLite); bulk
	// loaders use it for COPY. It is always the primary's.
	pool *pgxpool.Pool

	replicas  []*replicaPool
	stopWatch func()

	// cacheStmt is CacheState's query prepared once (SQLite: see
	// cache_state.go).
	cacheStmtOnce sync.Once
	cacheStmt     *sql.Stmt
	// stateReads shares CacheState's queries between concurrent callers,
	// one for reads that may go to a replica and one for the primary.
	stateReads [2]stateReads
}

// Open connects to the configured database. It does not migrate: call
// Migrate (or refuse to start when migrations are pending).
func Open(ctx context.Context, opt Options) (*Store, error) {
	cfg := &gorm.Config{
		TranslateError: true,
		Logger:         newGormLogger(opt.Logger),
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	if opt.DatabaseURL != "" {
		return openPostgres(ctx, opt, cfg)
	}
	return openSQLite(opt, cfg)
}

func openPostgres(ctx context.Context, opt Options, cfg *gorm.Config) (*Store, error) {
	pcfg, err := pgxpool.ParseConfig(opt.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: invalid DATABASE_URL: %w", err)
	}
	max := int32(opt.MaxOpenConns)
	if max <= 0 {
		max = 16
	}
	pcfg.MaxConns = max
	pcfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	// Without a connect timeout a server that vanished from the network
	// makes every request wait for the kernel's TCP timeout (minutes); with
	// it they fail fast and the app answers 503 until the server is back.
	if pcfg.ConnConfig.ConnectTimeout == 0 || pcfg.ConnConfig.ConnectTimeout > 5*time.Second {
		pcfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("store: unable to create pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: unable to reach PostgreSQL: %w", err)
	}
	// GORM shares the pool so COPY and ORM queries see the same connections
	// and limits.
	sqlDB := stdlib.OpenDBFromPool(pool)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), cfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: unable to open gorm on PostgreSQL: %w", err)
	}
	s := &Store{db: db, Backend: Postgres, pool: pool}
	if err := s.openReplicas(ctx, sqlDB, opt); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(opt Options, cfg *gorm.Config) (*Store, error) {
	path := opt.SQLitePath
	if path == "" {
		path = "strikeline.db"
	}
	// busy_timeout must come first so the other pragmas wait for locks too.
	// _txlock=immediate takes the write lock at BEGIN, which turns
	// mid-transaction "database is locked" upgrades into plain waits.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(ON)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := gorm.Open(sqlite.Open(dsn), cfg)
	if err != nil {
		return nil, fmt.Errorf("store: unable to open SQLite database %q: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// SQLite allows one writer; a single connection serialises writes in
	// Go instead of bouncing off SQLITE_BUSY.
	sqlDB.SetMaxOpenConns(1)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: unable to open SQLite database %q: %w", path, err)
	}
	// A path that cannot be written shows up only at the first write: find
	// out now, with a message that names the file.
	if err := db.Exec("CREATE TABLE IF NOT EXISTS _strikeline_probe (x INTEGER); DROP TABLE _strikeline_probe").Error; err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: SQLite database %q is not writable: %w", path, err)
	}
	return &Store{db: db, Backend: SQLite}, nil
}

// Close releases the connections.
func (s *Store) Close() error {
	s.closeReplicas()
	sqlDB, err := s.db.DB()
	if err == nil {
		err = sqlDB.Close()
	}
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// Ping checks that the database answers; /readyz uses it.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// IsUnavailable reports whether err means the database could not be reached
// (as opposed to a bad query), so the web layer can answer 503.
func IsUnavailable(err error) bool { return UnavailableReason(err) != "" }

// UnavailableReason says briefly why err means the database could not be
// reached ("connection refused", "timeout"), or "" when it does not. It
// goes by the error's type and code, not its text: a query error that
// happens to quote "connection refused" from a row is no outage.
func UnavailableReason(err error) string {
	if err == nil {
		return ""
	}
	var (
		pe  *pgconn.PgError
		ce  *pgconn.ConnectError
		dns *net.DNSError
		le  *sqlitedrv.Error
	)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &pe) && (pe.Code == pgAdminShutdown || pe.Code == pgCrashShutdown):
		return "terminating connection"
	case errors.As(err, &pe) && pe.Code == pgCannotConnectNow:
		return "the database system is starting up or shutting down"
	case errors.As(err, &dns):
		return "no such host"
	case errors.As(err, &ce):
		return "failed to connect"
	case errors.Is(err, syscall.EPIPE):
		return "broken pipe"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return "conn closed"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected eof"
	case errors.As(err, &le) && le.Code()&0xff == sqlitelib.SQLITE_BUSY:
		return "database is locked"
	case errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return "timeout"
	}
	return ""
}

// PostgreSQL error codes of a server going away or not yet there.
const (
	pgAdminShutdown    = "57P01" // terminating connection due to administrator command
	pgCrashShutdown    = "57P02"
	pgCannotConnectNow = "57P03" // the database system is starting up / shutting down
)

type gormLogger struct {
	log *slog.Logger
}

func newGormLogger(l *slog.Logger) logger.Interface {
	if l == nil {
		l = slog.Default()
	}
	return &gormLogger{log: l}
}

func (g *gormLogger) LogMode(logger.LogLevel) logger.Interface { return g }
func (g *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	g.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	g.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	g.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// Trace logs slow queries; failed queries are returned to callers, who wrap
// and log them with context, so they are not logged twice here.
func (g *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if d := time.Since(begin); d > 2*time.Second {
		sql, rows := fc()
		g.log.WarnContext(ctx, "slow query", "duration", d, "rows", rows, "sql", truncate(sql, 500))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cutText(s, n) + "…"
}

// execAll runs statements in order, stopping at the first error.
func execAll(tx *gorm.DB, stmts ...string) error {
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", truncate(q, 80), err)
		}
	}
	return nil
}
