package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"net"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres opens the pool of a PostgreSQL database through pgx, with
// every connection counting its round trips to the server into trips and
// the statements it has the server run into statements.
func openPostgres(dsn string, trips, statements *atomic.Int64) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	dial := cfg.DialFunc
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &tripConn{Conn: c, trips: trips, statements: statements}, nil
	}
	return stdlib.OpenDB(*cfg), nil
}

// tripConn counts the round trips of a connection: a write that follows a
// read (or opens the conversation) starts one, however many messages and
// reads it takes. Waiting for the server is what costs, not bytes: the
// count is the measure of a use case's cost that a busy machine's clock
// cannot blur.
//
// pgx may read in the background while it writes a long pipeline, hence
// the atomic flag.
type tripConn struct {
	net.Conn
	trips      *atomic.Int64
	writing    atomic.Bool
	statements *atomic.Int64
	messages   messageCounter // written by Write only, which pgx never calls concurrently
}

func (c *tripConn) Write(b []byte) (int, error) {
	if !c.writing.Swap(true) {
		c.trips.Add(1)
	}
	if n := c.messages.executes(b); n > 0 {
		c.statements.Add(n)
	}
	return c.Conn.Write(b)
}

// messageCounter follows the messages a client writes to PostgreSQL
// (frontend protocol 3) to count the statements it has the server run:
// Execute and simple Query messages, BEGIN and COMMIT among them. A
// connection that asks for TLS is not followed (its bytes are encrypted
// below here).
type messageCounter struct {
	started bool    // the untyped start-up message is behind
	off     bool    // encrypted or not understood: counts nothing
	head    [8]byte // the header being read: type and length (start-up: length and code)
	nhead   int
	skip    int // bytes of the current message's body still to pass
}

func (m *messageCounter) executes(b []byte) int64 {
	var n int64
	for len(b) > 0 && !m.off {
		if m.skip > 0 {
			k := min(m.skip, len(b))
			m.skip, b = m.skip-k, b[k:]
			continue
		}
		size := 5 // type byte and length
		if !m.started {
			size = 8 // length and protocol code
		}
		k := copy(m.head[m.nhead:size], b)
		m.nhead, b = m.nhead+k, b[k:]
		if m.nhead < size {
			break
		}
		m.nhead = 0
		if !m.started {
			length, code := binary.BigEndian.Uint32(m.head[:4]), binary.BigEndian.Uint32(m.head[4:8])
			if code != 196608 || length < 8 { // not protocol 3.0: an SSL or GSS request, or unknown
				m.off = true
				break
			}
			m.started, m.skip = true, int(length)-8
			continue
		}
		if m.head[0] == 'E' || m.head[0] == 'Q' {
			n++
		}
		m.skip = int(binary.BigEndian.Uint32(m.head[1:5])) - 4
	}
	return n
}

func (c *tripConn) Read(b []byte) (int, error) {
	c.writing.Store(false)
	return c.Conn.Read(b)
}

// RoundTrips returns how many round trips the database's connections have
// made to the PostgreSQL server since it was opened; 0 on SQLite.
func (db *DB) RoundTrips() int64 { return db.trips.Load() }

// Statements returns how many statements the database's connections have
// had the PostgreSQL server run since it was opened, BEGIN and COMMIT
// included; 0 on SQLite.
func (db *DB) Statements() int64 { return db.statements.Load() }
