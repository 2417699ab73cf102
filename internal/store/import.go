package store

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// VoucherSource yields vouchers to import, one at a time, so a file of
// millions of lines is never held in memory.
type VoucherSource interface {
	// Next returns the next voucher (with CollectiveID set), io.EOF at the
	// end, or an error about bad input, after which reading goes on.
	Next() (*ledger.Voucher, error)
	// Locate returns err, an error or a note about voucher v (the voucher
	// Next returned last), with v's place in the source (sheet, row,
	// column) added.
	Locate(v *ledger.Voucher, err error) error
}

// ImportFile says what an import reads and how.
type ImportFile struct {
	Name   string // the file's name, or what else the vouchers come from
	SHA256 string // the hex SHA-256 of the file's bytes; "" without a file
	// Again imports content that was imported into the same collective
	// before, which is otherwise refused; the record says so.
	Again bool
}

// ImportResult tells what an import did or found.
type ImportResult struct {
	Vouchers int         `json:"vouchers"`
	Lines    int         `json:"lines"`
	FirstID  int64       `json:"first_id,omitempty"`
	LastID   int64       `json:"last_id,omitempty"`
	Errors   jiti.Errors `json:"-"`
	More     int         `json:"more_errors,omitempty"` // errors found beyond those kept
	// Imports are the records of the import, one per collective.
	Imports []ImportRecord `json:"imports,omitempty"`
	// Repeats are imported vouchers that repeat a voucher already in the
	// books or earlier in the file: imported all the same, and flagged.
	Repeats     []Repeat `json:"repeats,omitempty"`
	MoreRepeats int      `json:"more_repeats,omitempty"` // repeats beyond those kept
}

// Repeat is an imported voucher that repeats another of its collective
// (the same date, summary and lines): a possible duplicate.
type Repeat struct {
	Voucher jiti.VoucherRef `json:"voucher"` // the imported voucher, a draft
	Of      jiti.VoucherRef `json:"of"`      // the voucher it repeats
	// Place is where the imported voucher is in the source: ErrRepeats as
	// the source's Locate placed it.
	Place error `json:"-"`
}

// MaxImportErrors is how many errors an import keeps; it counts the rest.
// It keeps as many repeats.
const MaxImportErrors = 1000

// ErrImportInvalid reports an import refused because its input has errors;
// the ImportResult lists them.
var ErrImportInvalid = jiti.Errorf(jiti.Invalid, "import.invalid")

// ErrRepeats marks an imported voucher that repeats another (its place in
// a Repeat).
var ErrRepeats = jiti.Errorf(jiti.Invalid, "import.repeats")

// ImportVouchers imports the vouchers of src, which come from no file (the
// demo's, a test's): Import without a file's digest.
func (db *DB) ImportVouchers(ctx context.Context, by jiti.UserID, src VoucherSource, source string) (*ImportResult, error) {
	return db.Import(ctx, by, src, ImportFile{Name: source})
}

// Import reads every voucher of src, validates each against its
// collective's books, and saves them as drafts made by by, all in one
// transaction: if any voucher or row is wrong, nothing is written and the
// result lists every error found (the whole source is read either way).
//
// Content imported into a collective before (the same vouchers, in any
// file) is refused, naming the earlier import, unless f.Again. Vouchers
// that repeat one already in the collective's books or earlier in src are
// imported all the same and listed in the result's Repeats. Each import
// leaves a record per collective (ImportRecord), audited.
//
// Reading and validating run beside writing: batches of valid vouchers go
// to a second goroutine that writes them, so parsing the file and the
// database's work overlap.
func (db *DB) Import(ctx context.Context, by jiti.UserID, src VoucherSource, f ImportFile) (*ImportResult, error) {
	res := &ImportResult{}
	err := db.tx(ctx, func(tx *Tx) error {
		imp := &importer{tx: tx, by: by, src: src, res: res, parts: map[int64]*importPart{}, spans: map[int64]*idSpan{}}
		imp.w = imp.startWriter(ctx)
		for !imp.w.failed() {
			v, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if jiti.KindOf(err) == jiti.Internal {
					imp.w.stop()
					return err
				}
				imp.fail(err)
				continue
			}
			if err := imp.add(ctx, v); err != nil {
				if errors.Is(err, errRefusedBefore) {
					continue
				}
				if jiti.KindOf(err) == jiti.Internal {
					imp.w.stop()
					return err
				}
				imp.fail(src.Locate(v, err))
			}
			if len(imp.pending) >= importBatch {
				imp.w.send(imp.pending)
				imp.pending = nil
			}
		}
		if len(res.Errors) > 0 {
			imp.w.stop()
			return ErrImportInvalid.With(len(res.Errors) + res.More)
		}
		imp.w.send(imp.pending)
		imp.pending = nil
		if err := imp.w.stop(); err != nil {
			return err
		}
		if err := imp.record(ctx, f); err != nil {
			return err
		}
		return imp.resolveRepeats(ctx)
	})
	return res, err
}

// batchWriter writes batches of vouchers in its own goroutine.
type batchWriter struct {
	batches chan []pendingVoucher
	synced  chan struct{}
	done    chan error
	err     atomic.Bool // set when a write failed: reading stops
}

// pendingVoucher is a valid voucher waiting to be written.
type pendingVoucher struct {
	v           *ledger.Voucher
	fingerprint int64
}

func (imp *importer) startWriter(ctx context.Context) *batchWriter {
	w := &batchWriter{batches: make(chan []pendingVoucher, 1), synced: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		var err error
		for vs := range w.batches {
			if vs == nil {
				w.synced <- struct{}{}
				continue
			}
			if err == nil {
				if err = imp.write(ctx, vs); err != nil {
					w.err.Store(true)
				}
			}
		}
		w.done <- err
	}()
	return w
}

func (w *batchWriter) send(vs []pendingVoucher) {
	if len(vs) > 0 {
		w.batches <- vs
	}
}

// sync waits until the batches sent so far are written, so the
// transaction is free for a query of the reading side.
func (w *batchWriter) sync() {
	w.batches <- nil
	<-w.synced
}

func (w *batchWriter) failed() bool { return w.err.Load() }

// stop waits for the writes sent so far and returns the first error.
func (w *batchWriter) stop() error {
	close(w.batches)
	return <-w.done
}

// errRefusedBefore marks a voucher of a collective the user was already
// refused: the refusal is reported once, not for every voucher.
var errRefusedBefore = errors.New("collective refused before")

// importBatch is how many vouchers are buffered before they are written.
const importBatch = 2000

type importer struct {
	tx      *Tx
	by      jiti.UserID
	src     VoucherSource
	res     *ImportResult
	w       *batchWriter
	pending []pendingVoucher
	// parts are what the reading side learns of each collective's vouchers
	// (nil for a collective refused); spans are the ids the writing side
	// gave them. Each side keeps its own, so neither waits on the other.
	parts   map[int64]*importPart
	spans   map[int64]*idSpan
	repeats []*ledger.Voucher // the repeats kept, for Repeats once written
}

// importPart is an import's vouchers of one collective, as read.
type importPart struct {
	books    *ledger.Books
	content  ledger.Content
	vouchers int
	lines    int
	from, to jiti.Date
	repeats  int
	// seen holds the fingerprints of the collective's vouchers, those in
	// the books and those read so far: a voucher whose fingerprint is
	// already there repeats one. A set of numbers keeps a file of millions
	// of vouchers in tens of megabytes and costs no query per voucher.
	seen map[int64]struct{}
}

// idSpan is the first and last id given to an import's vouchers of one
// collective. No other voucher of the collective can be made meanwhile (the
// import holds its lock), so the vouchers between are the import's.
type idSpan struct{ first, last int64 }

func (imp *importer) fail(err error) {
	// One error per problem, so that the count the refusal states is the
	// number of problems listed: a voucher may have several, each at its
	// own row and column.
	for _, one := range problems(err) {
		if len(imp.res.Errors) < MaxImportErrors {
			imp.res.Errors = append(imp.res.Errors, one)
		} else {
			imp.res.More++
		}
	}
	if c, ok := err.(interface{ Count() int }); ok {
		// A source that stopped keeping a row's problems still counts them.
		imp.res.More += max(0, c.Count()-len(problems(err)))
	}
	// Nothing will be written: stop buffering.
	imp.pending = nil
}

// problems returns the single problems err holds: the members of a list
// (jiti.Errors, a source's list of cell errors), each in turn flattened, or
// err itself.
func problems(err error) []error {
	u, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, one := range u.Unwrap() {
		out = append(out, problems(one)...)
	}
	return out
}

// add validates a voucher against its books and buffers it.
func (imp *importer) add(ctx context.Context, v *ledger.Voucher) error {
	p, ok := imp.parts[v.CollectiveID]
	if !ok {
		var err error
		if p, err = imp.open(ctx, v.CollectiveID); err != nil {
			return err
		}
	}
	if p == nil {
		return errRefusedBefore
	}
	v.Status, v.Kind, v.MakerID, v.CreatedAt = ledger.Draft, ledger.Normal, imp.by, imp.tx.now
	v.ReversesID, v.Number = 0, 0
	v.Normalize()
	if err := ledger.Validate(v, p.books); err != nil {
		return err
	}
	imp.res.Vouchers++
	imp.res.Lines += len(v.Lines)
	p.vouchers++
	p.lines += len(v.Lines)
	if p.from.IsZero() || v.Date.Before(p.from) {
		p.from = v.Date
	}
	if p.to.Before(v.Date) {
		p.to = v.Date
	}
	p.content.Add(v)
	fp, _ := v.Fingerprint()
	if _, seen := p.seen[fp]; seen {
		p.repeats++
		if len(imp.res.Errors) == 0 {
			imp.repeat(v)
		}
	} else {
		p.seen[fp] = struct{}{}
	}
	if len(imp.res.Errors) == 0 {
		imp.pending = append(imp.pending, pendingVoucher{v, fp})
	}
	return nil
}

// open begins a collective's part of the import the first time one of its
// vouchers is read: it checks the user may keep its books, takes its lock,
// and reads its books and its vouchers' fingerprints once for the whole
// import. A collective refused gets a nil part.
func (imp *importer) open(ctx context.Context, cid int64) (*importPart, error) {
	// The reading side's queries wait for the writes sent so far: one
	// transaction does not run two statements at once.
	imp.w.sync()
	if _, err := imp.tx.authorize(ctx, imp.by, cid, PermKeepBooks); err != nil {
		imp.parts[cid] = nil
		return nil, err
	}
	// Hold the collective's lock so no month closes meanwhile.
	if _, _, err := imp.tx.lockCollective(ctx, cid); err != nil {
		return nil, err
	}
	b, err := imp.tx.books(ctx, cid)
	if err != nil {
		return nil, err
	}
	p := &importPart{books: b, seen: map[int64]struct{}{}}
	rows, err := imp.tx.query(ctx, `SELECT fingerprint FROM vouchers WHERE collective_id = ? AND fingerprint IS NOT NULL`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var fp int64
		if err := rows.Scan(&fp); err != nil {
			return nil, err
		}
		p.seen[fp] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	imp.parts[cid] = p
	return p, nil
}

// repeat keeps a repeated voucher for the result, with its place.
func (imp *importer) repeat(v *ledger.Voucher) {
	if len(imp.res.Repeats) >= MaxImportErrors {
		imp.res.MoreRepeats++
		return
	}
	imp.res.Repeats = append(imp.res.Repeats, Repeat{Place: imp.src.Locate(v, ErrRepeats)})
	imp.repeats = append(imp.repeats, v)
}

// write saves a batch of validated vouchers with bulk inserts.
func (imp *importer) write(ctx context.Context, vs []pendingVoucher) error {
	ids, err := imp.tx.reserveIDs(ctx, "vouchers", len(vs))
	if err != nil {
		return err
	}
	vrows := make([][]any, len(vs))
	var lrows [][]any
	for i, pv := range vs {
		v := pv.v
		v.ID = ids[i]
		vrows[i] = []any{v.ID, v.CollectiveID, int(v.Period), imp.tx.d.copyDate(v.Date), string(v.Status), string(v.Kind),
			v.Attachments, v.Note, int64(v.MakerID), imp.tx.d.copyTime(v.CreatedAt), pv.fingerprint}
		for _, l := range v.Lines {
			lrows = append(lrows, []any{v.ID, l.No, v.CollectiveID, l.Account, l.Summary, int64(l.Debit), int64(l.Credit),
				l.Counterparty, l.Household, l.Project, l.Asset, l.Contract})
		}
		if s := imp.spans[v.CollectiveID]; s == nil {
			imp.spans[v.CollectiveID] = &idSpan{v.ID, v.ID}
		} else {
			s.last = v.ID
		}
	}
	if err := imp.tx.bulkInsert(ctx, "vouchers", []string{"id", "collective_id", "period", "date", "status", "kind",
		"attachments", "note", "maker_id", "created_at", "fingerprint"}, vrows); err != nil {
		return err
	}
	if err := imp.tx.bulkInsert(ctx, "voucher_lines", []string{"voucher_id", "line_no", "collective_id", "account_code",
		"summary", "debit", "credit", "counterparty", "household_code", "project", "asset", "contract"}, lrows); err != nil {
		return err
	}
	if imp.res.FirstID == 0 {
		imp.res.FirstID = ids[0]
	}
	imp.res.LastID = ids[len(ids)-1]
	return nil
}

// queryIDs returns the ids a query selects.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]any, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// reserveIDs returns n new ids of table, for rows written in bulk. On SQLite
// the transaction holds the only write lock, so the ids after the largest
// are free; PostgreSQL draws them from the table's identity sequence.
func (t *Tx) reserveIDs(ctx context.Context, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if t.d == postgres {
		rows, err := t.query(ctx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	// AUTOINCREMENT tables never give an id twice: sqlite_sequence remembers
	// the largest ever used, even after the row with it was deleted.
	var last int64
	if err := t.queryRow(ctx, `SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),
  COALESCE((SELECT MAX(id) FROM `+table+`), 0))`, table).Scan(&last); err != nil {
		return nil, err
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, last+int64(i))
	}
	return ids, nil
}

// ApproveVouchers approves every draft of a collective in the months
// from..to that by did not make, and returns how many it approved and how
// many it left because by made them.
func (db *DB) ApproveVouchers(ctx context.Context, by jiti.UserID, cid int64, from, to jiti.Period) (approved, own int, err error) {
	err = db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermApprove); err != nil {
			return err
		}
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM vouchers WHERE collective_id = ? AND period BETWEEN ? AND ? AND status = ? AND maker_id = ?`,
			cid, int(from), int(to), string(ledger.Draft), int64(by)).Scan(&own); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE vouchers SET status = ?, approver_id = ?, approved_at = ?
WHERE collective_id = ? AND period BETWEEN ? AND ? AND status = ? AND maker_id <> ?`,
			string(ledger.Approved), int64(by), timeArg(tx.now), cid, int(from), int(to), string(ledger.Draft), int64(by))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		approved = int(n)
		return tx.audit(ctx, by, "voucher.approve_batch", "collective", cid, cid, nil,
			map[string]any{"from": from, "to": to, "approved": approved})
	})
	return approved, own, err
}

// PostVouchers posts every approved voucher of a collective in the months
// from..to, in date order, in one transaction, and returns how many. The
// numbering, chain and balances are exactly those of posting one at a time.
func (db *DB) PostVouchers(ctx context.Context, by jiti.UserID, cid int64, from, to jiti.Period) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		p, err := tx.newPoster(ctx, by, cid)
		if err != nil {
			return err
		}
		type posted struct {
			ID     int64 `json:"id"`
			Number int   `json:"number"`
		}
		var done []posted
		// The order of posting gives the numbers: take it once, then load
		// the vouchers a page at a time by id.
		ids, err := queryIDs(ctx, tx, `SELECT id FROM vouchers WHERE collective_id = ? AND period BETWEEN ? AND ? AND status = ?
ORDER BY period, date, id`, cid, int(from), int(to), string(ledger.Approved))
		if err != nil {
			return err
		}
		const page = 1000
		for start := 0; start < len(ids); start += page {
			chunk := ids[start:min(start+page, len(ids))]
			vs, err := findVouchers(ctx, tx, `WHERE v.id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk,
				"ORDER BY v.period, v.date, v.id", 0, 0)
			if err != nil {
				return err
			}
			for _, v := range vs {
				if err := p.post(ctx, v); err != nil {
					return err
				}
				done = append(done, posted{v.ID, v.Number})
			}
			n += len(vs)
		}
		if err := p.finish(ctx); err != nil {
			return err
		}
		return tx.audit(ctx, by, "voucher.post_batch", "collective", cid, cid, nil,
			map[string]any{"from": from, "to": to, "posted": done})
	})
	return n, err
}
