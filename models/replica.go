package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// Read replicas (PostgreSQL only). gorm.io/plugin/dbresolver splits the
// statements: transactions, writes, locking reads and raw SQL that is not a
// plain SELECT go to the primary, other reads to a replica. Each replica's
// connection pool is a replicaPool, which sends a read to the primary
// instead when
//   - the context says so (OnPrimary: signed-in users, who are the only
//     writers, so they always read their own writes; migrations; imports;
//     authentication, so a session or token made a moment ago is found),
//   - its watcher last saw the replica down or lagging more than MaxLag, or
//   - the replica fails the query with a connection error (the read is
//     retried on the primary, so a replica stopping under load costs
//     clients nothing).
// The routing state is the health of the connection this process has to
// each server, nothing about the data, so any number of instances may run.

type primaryKey struct{}

// OnPrimary returns a context whose queries all go to the primary, for
// reads that must see the latest committed data (a writer reading its own
// writes, migrations, imports, authentication).
func OnPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

func onPrimary(ctx context.Context) bool {
	v, _ := ctx.Value(primaryKey{}).(bool)
	return v
}

// DefaultReplicaMaxLag is how far behind the primary a replica may be and
// still serve reads, when Options.ReplicaMaxLag is 0.
const DefaultReplicaMaxLag = 2 * time.Second

// replicaPool is the gorm connection pool dbresolver uses for one replica.
type replicaPool struct {
	name             string // host:port, for logs and metrics
	primary, replica *sql.DB
	rpool            *pgxpool.Pool
	maxLag           time.Duration
	log              *slog.Logger

	healthy atomic.Bool
	lagNS   atomic.Int64

	mu      sync.Mutex
	samples []lsnSample // the primary's WAL position over the last few max-lags
}

type lsnSample struct {
	at  time.Time
	lsn int64
}

// ReplicaStatus is what the process currently knows about one replica.
type ReplicaStatus struct {
	Name    string
	Healthy bool
	Lag     time.Duration
}

// Replicas reports the replicas' health as last seen (empty without
// replicas).
func (s *Store) Replicas() []ReplicaStatus {
	out := make([]ReplicaStatus, len(s.replicas))
	for i, r := range s.replicas {
		out[i] = ReplicaStatus{Name: r.name, Healthy: r.healthy.Load(), Lag: time.Duration(r.lagNS.Load())}
	}
	return out
}

func (p *replicaPool) usable(ctx context.Context) bool {
	return !onPrimary(ctx) && p.healthy.Load()
}

// retryOnPrimary says whether a read that failed on the replica may simply
// be run on the primary: the replica is unreachable or shutting down, the
// query conflicted with recovery (PostgreSQL cancels it as a serialization
// failure), or it tried to write.
func retryOnPrimary(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var pe *pgconn.PgError
	return IsUnavailable(err) || errors.As(err, &pe) && (pe.Code == pgSerializationFailure || pe.Code == pgReadOnlyTransaction)
}

// PostgreSQL error codes of a read the replica cannot serve.
const (
	pgSerializationFailure = "40001" // canceling statement due to conflict with recovery
	pgReadOnlyTransaction  = "25006" // cannot execute … in a read-only transaction
)

func (p *replicaPool) markDown(err error) {
	if p.healthy.Swap(false) {
		p.log.Warn("replica unavailable: reading from the primary", "replica", p.name, "err", err)
	}
}

func (p *replicaPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if p.usable(ctx) {
		rows, err := p.replica.QueryContext(ctx, q, args...)
		if err == nil || !retryOnPrimary(ctx, err) {
			return rows, err
		}
		p.markDown(err)
	}
	return p.primary.QueryContext(ctx, q, args...)
}

// QueryRowContext defers its error to Scan, too late to retry elsewhere:
// the few single-row reads gorm makes this way go to the primary.
func (p *replicaPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.primary.QueryRowContext(ctx, q, args...)
}

func (p *replicaPool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.primary.ExecContext(ctx, q, args...)
}

func (p *replicaPool) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return p.primary.PrepareContext(ctx, q)
}

// lsnSQL gives a WAL position as a byte offset, comparable across servers.
const (
	primaryLSNSQL = `SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint`
	replayLSNSQL  = `SELECT COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, -1)`
)

// check measures the replica's lag: it notes the primary's WAL position,
// asks the replica how far it has replayed, and finds the newest noted
// position the replica has passed. Everything committed before that moment
// is readable there, so the lag is at most the time since.
func (p *replicaPool) check(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, p.maxLag)
	defer cancel()
	var plsn, rlsn int64
	if err := p.primary.QueryRowContext(ctx, primaryLSNSQL).Scan(&plsn); err != nil {
		// Without the primary nothing works anyway; keep the last verdict.
		return
	}
	now := time.Now()
	p.mu.Lock()
	p.samples = append(p.samples, lsnSample{now, plsn})
	for len(p.samples) > 1 && now.Sub(p.samples[0].at) > 3*p.maxLag {
		p.samples = p.samples[1:]
	}
	samples := append([]lsnSample(nil), p.samples...)
	p.mu.Unlock()
	if err := p.replica.QueryRowContext(ctx, replayLSNSQL).Scan(&rlsn); err != nil {
		p.markDown(err)
		return
	}
	lag := replicaLag(samples, rlsn, now)
	p.lagNS.Store(int64(lag))
	ok := lag <= p.maxLag
	if was := p.healthy.Swap(ok); was != ok {
		if ok {
			p.log.Info("replica serving reads", "replica", p.name, "lag", lag)
		} else {
			p.log.Warn("replica lagging: reading from the primary", "replica", p.name, "lag", lag, "max", p.maxLag)
		}
	}
}

// replicaLag is how long ago the primary was at a WAL position the replica
// has replayed (rlsn), from samples oldest first; rlsn < 0 means the server
// is not in recovery (a primary given as a replica), which never lags.
func replicaLag(samples []lsnSample, rlsn int64, now time.Time) time.Duration {
	if rlsn < 0 {
		return 0
	}
	for i := len(samples) - 1; i >= 0; i-- {
		if samples[i].lsn <= rlsn {
			return now.Sub(samples[i].at)
		}
	}
	if len(samples) == 0 {
		return 0
	}
	// Behind everything noted: at least as old as the oldest note, plus a
	// tick, so a replica that stopped replaying is never called current.
	return now.Sub(samples[0].at) + time.Nanosecond
}

func (p *replicaPool) watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.check(ctx)
		}
	}
}

// openReplicas connects to each replica and registers dbresolver on db.
// A replica that cannot be reached at start is still registered (marked
// down) so that it serves reads once it is back.
func (s *Store) openReplicas(ctx context.Context, primary *sql.DB, opt Options) error {
	maxLag := opt.ReplicaMaxLag
	if maxLag <= 0 {
		maxLag = DefaultReplicaMaxLag
	}
	log := opt.Logger
	if log == nil {
		log = slog.Default()
	}
	var dialectors []gorm.Dialector
	for _, u := range opt.ReplicaURLs {
		cfg, err := pgxpool.ParseConfig(u)
		if err != nil {
			return fmt.Errorf("store: invalid replica URL: %w", err)
		}
		cfg.MaxConns = max(int32(opt.MaxOpenConns), 16)
		cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
		// A stopped replica must cost a read milliseconds, not a TCP
		// timeout, before it is retried on the primary.
		cfg.ConnConfig.ConnectTimeout = time.Second
		rp, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return fmt.Errorf("store: unable to create replica pool: %w", err)
		}
		p := &replicaPool{name: hostPort(u), primary: primary, replica: stdlib.OpenDBFromPool(rp), rpool: rp, maxLag: maxLag, log: log}
		p.check(ctx)
		s.replicas = append(s.replicas, p)
		dialectors = append(dialectors, postgres.New(postgres.Config{Conn: p}))
	}
	if len(dialectors) == 0 {
		return nil
	}
	if err := s.db.Use(dbresolver.Register(dbresolver.Config{Replicas: dialectors, Policy: dbresolver.RandomPolicy{}})); err != nil {
		return fmt.Errorf("store: unable to register replicas: %w", err)
	}
	wctx, cancel := context.WithCancel(context.Background())
	s.stopWatch = cancel
	for _, p := range s.replicas {
		go p.watch(wctx, max(maxLag/4, 50*time.Millisecond))
	}
	return nil
}

func (s *Store) closeReplicas() {
	if s.stopWatch != nil {
		s.stopWatch()
	}
	for _, p := range s.replicas {
		p.replica.Close()
		p.rpool.Close()
	}
}

func hostPort(u string) string {
	if pu, err := url.Parse(u); err == nil && pu.Host != "" {
		return pu.Host
	}
	return "replica"
}
