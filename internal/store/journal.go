package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// The journal export reads a collective's posted vouchers in chunks: runs
// of whole months, or of consecutive numbers of one month larger than a
// chunk, each read in one read-only
// transaction (a snapshot of the chunk) by two queries, the vouchers and
// then their lines, so that a line's row carries none of its voucher's
// fifteen columns. Each column a row carries costs the driver about as
// much as the row itself, and a voucher has four lines or more. Chunks
// are independent, so an export reads several at once, on several
// connections, and writes them in order; a chunk holds at most
// JournalChunkSize vouchers, so memory stays flat however large the books.

// JournalChunkSize is the most vouchers a JournalChunk holds.
const JournalChunkSize = 1000

// JournalChunk is a run of a collective's posted vouchers: the numbers
// From..To of the months First..Last (all of each month's numbers when it
// holds more than one month; a chunk of a single month may hold part of
// it).
type JournalChunk struct {
	Collective  int64
	First, Last jiti.Period
	From, To    int // numbers, both included
}

// JournalChunks returns the chunks of collective cid's posted vouchers of
// the months from..to, in month and number order, from the last number
// given in each month: whole months together while they hold at most size
// vouchers (JournalChunkSize when size is 0), a month of more in parts. A chunk costs a
// transaction and two queries, so a county's small books, a few vouchers
// a month, are read a year or more a chunk.
func (db *DB) JournalChunks(ctx context.Context, cid int64, from, to jiti.Period, size int) ([]JournalChunk, error) {
	if size <= 0 {
		size = JournalChunkSize
	}
	rows, err := db.reader().query(ctx, `SELECT period, last_number FROM periods
WHERE collective_id = ? AND period >= ? AND period <= ? AND last_number > 0 ORDER BY period`, cid, int(from), int(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []JournalChunk
	var open *JournalChunk // whole months gathered, nil when none
	held := 0              // the vouchers numbered in open's months
	for rows.Next() {
		var p, last int
		if err := rows.Scan(&p, &last); err != nil {
			return nil, err
		}
		month := jiti.Period(p)
		if open != nil && held+last <= size {
			open.Last, open.To, held = month, max(open.To, last), held+last
			continue
		}
		if last <= size {
			out = append(out, JournalChunk{Collective: cid, First: month, Last: month, From: 1, To: last})
			open, held = &out[len(out)-1], last
			continue
		}
		for n := 1; n <= last; n += size {
			out = append(out, JournalChunk{Collective: cid, First: month, Last: month, From: n, To: min(n+size-1, last)})
		}
		open = nil
	}
	return out, rows.Err()
}

// The two queries of a chunk. Numbered vouchers are the posted ones (a
// number is given at posting), so the lines' query needs no more than the
// index on (collective, month, number) to find its vouchers. Its lines
// come in the order of their key, (voucher, line number), on SQLite;
// ordering them by line number too made SQLite sort each voucher's few
// lines apart, a quarter of the query's cost, so they are put in order
// in Go when they come out of it (sortLines).
const (
	journalVouchers = `SELECT v.id, v.period, v.date, v.number, v.kind, v.attachments, v.note, COALESCE(v.reverses_id, 0),
  v.maker_id, COALESCE(v.approver_id, 0), COALESCE(v.poster_id, 0), v.posted_at, COALESCE(v.seq, 0),
  COALESCE(v.prev_hash, ''), COALESCE(v.hash, '')
FROM vouchers v WHERE v.collective_id = ? AND v.period >= ? AND v.period <= ? AND v.number >= ? AND v.number <= ? AND v.status = 'posted'
ORDER BY v.period, v.number`
	journalLines = `SELECT l.voucher_id, l.line_no, l.account_code, l.summary, l.debit, l.credit,
  l.counterparty, l.household_code, l.project, l.asset, l.contract
FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id
WHERE v.collective_id = ? AND v.period >= ? AND v.period <= ? AND v.number >= ? AND v.number <= ?
ORDER BY v.period, v.number`
)

// JournalVouchers reads a chunk's posted vouchers with their lines, in
// number order, as the journal shows them: everything a voucher's hash
// covers (but the timestamps of its making and approval, which the
// journal does not show). buf is reused for the result when it has room.
func (db *DB) JournalVouchers(ctx context.Context, ch JournalChunk, buf []*ledger.Voucher) ([]*ledger.Voucher, error) {
	out := buf[:0]
	err := db.readChunk(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.dialect.rebind(journalVouchers), ch.Collective, int(ch.First), int(ch.Last), ch.From, ch.To)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := make(map[int64]*ledger.Voucher, ch.To-ch.From+1)
		// Plain types scan without reflection, which named types (a
		// user id, an amount) need.
		var (
			kind                            string
			period, maker, approver, poster int64
		)
		for rows.Next() {
			var v *ledger.Voucher
			if len(out) < cap(out) {
				out = out[:len(out)+1]
				if v = out[len(out)-1]; v == nil {
					v = &ledger.Voucher{}
					out[len(out)-1] = v
				}
				*v = ledger.Voucher{Lines: v.Lines[:0]}
			} else {
				v = &ledger.Voucher{}
				out = append(out, v)
			}
			if err := rows.Scan(&v.ID, &period, dbDate{&v.Date}, &v.Number, &kind, &v.Attachments, &v.Note, &v.ReversesID,
				&maker, &approver, &poster, dbTime{&v.PostedAt}, &v.Seq, &v.PrevHash, &v.Hash); err != nil {
				return err
			}
			v.CollectiveID, v.Period, v.Status, v.Kind = ch.Collective, jiti.Period(period), ledger.Posted, ledger.VoucherKind(kind)
			v.MakerID, v.ApproverID, v.PosterID = jiti.UserID(maker), jiti.UserID(approver), jiti.UserID(poster)
			byID[v.ID] = v
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		lines, err := tx.QueryContext(ctx, db.dialect.rebind(journalLines), ch.Collective, int(ch.First), int(ch.Last), ch.From, ch.To)
		if err != nil {
			return err
		}
		defer lines.Close()
		var (
			vid, debit, credit int64
			l                  ledger.Line
			v                  *ledger.Voucher
		)
		for lines.Next() {
			if err := lines.Scan(&vid, &l.No, &l.Account, &l.Summary, &debit, &credit, &l.Counterparty, &l.Household,
				&l.Project, &l.Asset, &l.Contract); err != nil {
				return err
			}
			l.Debit, l.Credit = jiti.Amount(debit), jiti.Amount(credit)
			if v == nil || v.ID != vid {
				v = byID[vid] // nil only for a voucher the snapshot holds twice: never
			}
			if v != nil {
				v.Lines = append(v.Lines, l)
			}
		}
		if err := lines.Err(); err != nil {
			return err
		}
		for _, v := range out {
			sortLines(v.Lines)
		}
		return nil
	})
	return out, err
}

// sortLines puts a voucher's lines in the order of their numbers, when
// they are not in it already.
func sortLines(ls []ledger.Line) {
	for i := 1; i < len(ls); i++ {
		if ls[i].No < ls[i-1].No {
			slices.SortFunc(ls, func(a, b ledger.Line) int { return cmp.Compare(a.No, b.No) })
			return
		}
	}
}

// readChunk runs fn in a read-only transaction of its own: one snapshot
// for a chunk's two queries (PostgreSQL's repeatable read; an SQLite read
// transaction is one).
func (db *DB) readChunk(ctx context.Context, fn func(*sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// RawJournalRead reads a chunk's rows as JournalVouchers does, by the same
// queries in the same transaction, into raw bytes and nothing more: the
// reference the journal export is measured against (jiti bench). It
// returns the lines read.
func (db *DB) RawJournalRead(ctx context.Context, ch JournalChunk) (int, error) {
	n := 0
	err := db.readChunk(ctx, func(tx *sql.Tx) error {
		for i, q := range []string{journalVouchers, journalLines} {
			rows, err := tx.QueryContext(ctx, db.dialect.rebind(q), ch.Collective, int(ch.First), int(ch.Last), ch.From, ch.To)
			if err != nil {
				return err
			}
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return err
			}
			raw := make([]sql.RawBytes, len(cols))
			dest := make([]any, len(cols))
			for j := range raw {
				dest[j] = &raw[j]
			}
			for rows.Next() {
				if err := rows.Scan(dest...); err != nil {
					rows.Close()
					return err
				}
				if i == 1 {
					n++
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
