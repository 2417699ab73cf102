package cli

import (
	"context"
	"io"
	"runtime"
	"sync"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// journalExport writes collectives' books as one journal, reading and
// formatting several pieces at once and writing them in order: for each
// collective its header (the accounts and the balances brought in) and
// then its posted vouchers, a chunk of consecutive numbers at a time
// (store.JournalChunk). Reading a row costs the driver far more than
// writing its line, so the pieces are read by as many workers as there
// are processors (at most four, the read pool's connections), each
// formatting what it read; at most a few pieces wait to be written, so
// memory stays flat however large the books.
type journalExport struct {
	ctx      context.Context
	db       *store.DB
	from, to string // the months asked for, "" for all
	month    func(from, to string, defFrom, defTo jiti.Period) (jiti.Period, jiti.Period, error)
	lines    int // postings written
	// chunk is the most vouchers read at once, store.JournalChunkSize
	// when 0.
	chunk int
	// read reads a chunk's vouchers: db.JournalVouchers, unless a test
	// watches the reads.
	read func(context.Context, store.JournalChunk, []*ledger.Voucher) ([]*ledger.Voucher, error)
}

// journalReaders is how many pieces of a journal are read at once: a
// reader a processor, at most four (the read pool's connections).
func journalReaders() int { return min(runtime.GOMAXPROCS(0), 4) }

// journalPiece is what a worker makes of a piece of the journal: a
// collective's header, or a chunk of its vouchers formatted.
type journalPiece struct {
	c        *jiti.Collective
	chunk    *store.JournalChunk // nil for the header
	from     jiti.Period         // the header's first month
	accounts []ledger.Account
	opening  map[string]jiti.Amount
	openDate jiti.Date
	text     []byte
	links    []report.ChainLink
	lines    int
	err      error
	done     chan struct{}
}

// write writes the journal of cs to w and returns the vouchers written.
func (x *journalExport) write(w io.Writer, cs []jiti.Collective) (int, error) {
	ctx, cancel := context.WithCancel(x.ctx)
	defer cancel()
	workers := journalReaders()
	jobs := make(chan *journalPiece)
	// Pieces in the order they are written; its room bounds the pieces
	// read ahead of the writer.
	order := make(chan *journalPiece, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &journalWorker{x: x}
			for p := range jobs {
				if ctx.Err() == nil {
					p.err = wk.make(ctx, p)
				} else {
					p.err = ctx.Err()
				}
				close(p.done)
			}
		}()
	}
	var planErr error
	go func() {
		defer close(order)
		defer close(jobs)
		for i := range cs {
			c := &cs[i]
			f, t, err := x.month(x.from, x.to, c.BooksOpenedOn.Period(), jiti.NewPeriod(9999, 12))
			if err != nil {
				planErr = err
				return
			}
			chunks, err := x.db.JournalChunks(ctx, c.ID, f, t, x.chunk)
			if err != nil {
				planErr = err
				return
			}
			// Pieces are made as they are sent, and forgotten: one the
			// writer has written is garbage.
			for j := -1; j < len(chunks); j++ {
				p := &journalPiece{c: c, from: f, done: make(chan struct{})}
				if j >= 0 {
					p.chunk = &chunks[j]
				}
				select {
				case order <- p:
				case <-ctx.Done():
					return
				}
				select {
				case jobs <- p:
				case <-ctx.Done():
					close(p.done)
					return
				}
			}
		}
	}()
	hw := report.NewHledgerWriter(w)
	vouchers := 0
	var err error
	for p := range order {
		<-p.done
		if err == nil && p.err != nil {
			err = p.err
			cancel()
		}
		if err != nil {
			continue
		}
		if p.chunk == nil {
			hw.Begin(p.c, p.accounts)
			hw.Opening(p.c, p.openDate, p.opening)
			continue
		}
		hw.Formatted(p.c, p.text, p.links...)
		vouchers += len(p.links)
		x.lines += p.lines
	}
	wg.Wait()
	if err == nil {
		err = planErr
	}
	if cerr := hw.Close(); err == nil {
		err = cerr
	}
	return vouchers, err
}

// journalWorker reads and formats pieces, keeping its buffers between
// them.
type journalWorker struct {
	x        *journalExport
	vouchers []*ledger.Voucher
	f        *report.JournalFormatter
}

func (wk *journalWorker) make(ctx context.Context, p *journalPiece) error {
	db, c := wk.x.db, p.c
	if p.chunk == nil {
		var err error
		if p.accounts, err = db.Accounts(ctx, c.ID); err != nil {
			return err
		}
		moves, err := db.Movements(ctx, c.ID, p.from.Prev())
		if err != nil {
			return err
		}
		p.opening = ledger.NetBalances(moves, p.from.Prev())
		p.openDate = p.from.First()
		if p.from <= c.BooksOpenedOn.Period() {
			p.openDate = c.BooksOpenedOn
		}
		return nil
	}
	read := db.JournalVouchers
	if wk.x.read != nil {
		read = wk.x.read
	}
	vs, err := read(ctx, *p.chunk, wk.vouchers)
	if err != nil {
		return err
	}
	wk.vouchers = vs
	if wk.f == nil || wk.f.Collective() != c.Code {
		wk.f = report.NewJournalFormatter(c.Code)
	}
	p.links = make([]report.ChainLink, 0, len(vs))
	for _, v := range vs {
		p.text = wk.f.AppendVoucher(p.text, v)
		p.links = append(p.links, report.ChainLink{Seq: v.Seq, Hash: v.Hash})
		p.lines += len(v.Lines)
	}
	return nil
}
