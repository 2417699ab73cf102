package store

import (
	"context"
	"database/sql"
	"net"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres opens the pool of a PostgreSQL database through pgx, with
// every connection counting its round trips to the server into trips.
func openPostgres(dsn string, trips *atomic.Int64) (*sql.DB, error) {
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
		return &tripConn{Conn: c, trips: trips}, nil
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
	trips   *atomic.Int64
	writing atomic.Bool
}

func (c *tripConn) Write(b []byte) (int, error) {
	if !c.writing.Swap(true) {
		c.trips.Add(1)
	}
	return c.Conn.Write(b)
}

func (c *tripConn) Read(b []byte) (int, error) {
	c.writing.Store(false)
	return c.Conn.Read(b)
}

// RoundTrips returns how many round trips the database's connections have
// made to the PostgreSQL server since it was opened; 0 on SQLite.
func (db *DB) RoundTrips() int64 { return db.trips.Load() }
