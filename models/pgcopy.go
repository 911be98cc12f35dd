package models

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// copyStream is one COPY … FROM STDIN (FORMAT binary) into a table of
// integer columns, fed row by row and sent as it fills.
//
// pgx.CopyFrom would do the job through its general type map, but encoding
// each value through an interface cost a third of an import's CPU, and each
// CopyFrom call is a statement of its own that waits for the server before
// the next batch can start. Integers in the binary format are a length and
// big-endian bytes (PostgreSQL docs, COPY, "Binary Format"), so the loader
// writes them itself and keeps one statement open per month.
type copyStream struct {
	widths []int // bytes per column: 2, 4 or 8
	buf    []byte
	pw     *io.PipeWriter
	done   chan copyResult
	rows   int64
}

type copyResult struct {
	rows int64
	err  error
}

// copyFlushBytes is how much encoded data is handed to the connection at a
// time.
const copyFlushBytes = 256 << 10

var errCopyAborted = errors.New("load abandoned")

// columnWidths returns the byte width of each of table's columns in cols,
// which must all be smallint, integer or bigint.
func columnWidths(ctx context.Context, pool *pgxpool.Pool, table string, cols []string) ([]int, error) {
	rows, err := pool.Query(ctx, `SELECT attname, atttypid::regtype::text FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, table)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the columns of %s: %w", table, err)
	}
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		types[name] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	widths := make([]int, len(cols))
	for i, c := range cols {
		switch types[c] {
		case "smallint":
			widths[i] = 2
		case "integer":
			widths[i] = 4
		case "bigint":
			widths[i] = 8
		default:
			return nil, fmt.Errorf("store: column %s.%s is %q, not an integer", table, c, types[c])
		}
	}
	return widths, nil
}

// openCopy starts a binary COPY of cols into table on a connection of its
// own, held until the stream ends.
func openCopy(ctx context.Context, pool *pgxpool.Pool, table string, cols []string, widths []int) (*copyStream, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: unable to get a connection for COPY: %w", err)
	}
	pr, pw := io.Pipe()
	cs := &copyStream{widths: widths, pw: pw, done: make(chan copyResult, 1), buf: make([]byte, 0, copyFlushBytes+1024)}
	sql := "COPY " + table + " (" + strings.Join(cols, ", ") + ") FROM STDIN (FORMAT binary)"
	go func() {
		tag, err := conn.Conn().PgConn().CopyFrom(ctx, pr, sql)
		// Unblock a writer still waiting on the pipe.
		pr.CloseWithError(errCopyAborted)
		if err != nil {
			// A failed COPY can leave the connection mid-protocol.
			conn.Conn().Close(context.WithoutCancel(ctx))
		}
		conn.Release()
		cs.done <- copyResult{tag.RowsAffected(), err}
	}()
	// Signature, flags, header extension length.
	cs.buf = append(cs.buf, "PGCOPY\n\xff\r\n\x00"...)
	cs.buf = binary.BigEndian.AppendUint32(cs.buf, 0)
	cs.buf = binary.BigEndian.AppendUint32(cs.buf, 0)
	return cs, nil
}

// row appends one row; vals must match the columns.
func (cs *copyStream) row(vals []int64) error {
	b := binary.BigEndian.AppendUint16(cs.buf, uint16(len(vals)))
	for i, v := range vals {
		switch cs.widths[i] {
		case 2:
			if v < math.MinInt16 || v > math.MaxInt16 {
				return fmt.Errorf("store: value %d out of range for a smallint column", v)
			}
			b = binary.BigEndian.AppendUint32(b, 2)
			b = binary.BigEndian.AppendUint16(b, uint16(v))
		case 4:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return fmt.Errorf("store: value %d out of range for an integer column", v)
			}
			b = binary.BigEndian.AppendUint32(b, 4)
			b = binary.BigEndian.AppendUint32(b, uint32(v))
		default:
			b = binary.BigEndian.AppendUint32(b, 8)
			b = binary.BigEndian.AppendUint64(b, uint64(v))
		}
	}
	cs.buf = b
	cs.rows++
	if len(cs.buf) >= copyFlushBytes {
		return cs.flush()
	}
	return nil
}

func (cs *copyStream) flush() error {
	if len(cs.buf) == 0 {
		return nil
	}
	_, err := cs.pw.Write(cs.buf)
	cs.buf = cs.buf[:0]
	if err != nil {
		// The COPY ended early: its own error says why.
		r := <-cs.done
		cs.done <- r
		if r.err != nil {
			return r.err
		}
		return err
	}
	return nil
}

// finish ends the stream and waits for the server to confirm every row.
func (cs *copyStream) finish() error {
	cs.buf = binary.BigEndian.AppendUint16(cs.buf, 0xffff) // trailer: -1
	if err := cs.flush(); err != nil {
		return err
	}
	cs.pw.Close()
	r := <-cs.done
	if r.err != nil {
		return r.err
	}
	if r.rows != cs.rows {
		return fmt.Errorf("store: COPY stored %d rows of %d", r.rows, cs.rows)
	}
	return nil
}

// abort cancels the stream; the server discards what it received.
func (cs *copyStream) abort() {
	cs.pw.CloseWithError(errCopyAborted)
	<-cs.done
}
