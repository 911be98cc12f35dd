package models_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/strikeline/strikeline/models"
)

// An outage is told by the error's type and code: the web layer answers
// 503 for it and the importer waits, while a query error stays an error
// whatever its text quotes.
func TestUnavailableReason(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"refused", fmt.Errorf("store: unable to list: %w", refused), "connection refused"},
		{"server stopped", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, "terminating connection"},
		{"server starting", &pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}, "the database system is starting up or shutting down"},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), "connection reset"},
		{"closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), "conn closed"},
		{"cut short", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), "unexpected eof"},
		{"no host", &net.DNSError{Err: "no such host", Name: "db.invalid"}, "no such host"},
		{"deadline", fmt.Errorf("store: %w", context.DeadlineExceeded), "timeout"},
		{"query error quoting an outage", &pgconn.PgError{Code: "42P01", Message: `relation "connection refused" does not exist`}, ""},
		{"plain error", errors.New("failed to connect: broken pipe"), ""},
		{"nil", nil, ""},
	}
	for _, c := range cases {
		if got := models.UnavailableReason(c.err); got != c.want {
			t.Errorf("%s: UnavailableReason(%v) = %q, want %q", c.name, c.err, got, c.want)
		}
	}
}

// A replica read that conflicted with recovery or tried to write is run
// again on the primary; a bad query is not.
func TestRetryOnPrimary(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("store: %w", &pgconn.PgError{Code: "40001", Message: "canceling statement due to conflict with recovery"}), true},
		{&pgconn.PgError{Code: "25006", Message: "cannot execute INSERT in a read-only transaction"}, true},
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "42703", Message: `column "read-only transaction" does not exist`}, false},
	}
	for _, c := range cases {
		if got := models.RetryOnPrimary(ctx, c.err); got != c.want {
			t.Errorf("retryOnPrimary(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if models.RetryOnPrimary(cancelled, &pgconn.PgError{Code: "40001"}) {
		t.Error("a cancelled request was retried")
	}
}
