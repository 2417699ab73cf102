package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

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

// ImportProgress is how far a source has read: rows of the file, and
// bytes of Total (0 when the file's size is not known). A VoucherSource
// with a method Progress() (rows int, bytes, total int64) has it shown
// while it imports.
type ImportProgress struct {
	Rows  int
	Bytes int64
	Total int64
}

// ImportFile says what an import reads and how.
type ImportFile struct {
	Name   string // the file's name, or what else the vouchers come from
	SHA256 string // the hex SHA-256 of the file's bytes; "" without a file
	// Again imports content that was imported into the same collective
	// before, which is otherwise refused; the record says so.
	Again bool
	// Size is the file's size in bytes, for its progress; 0 when unknown.
	Size int64
	// Job is the import's job (CreateImportJob) when its caller made it
	// first, to follow it; 0 makes one.
	Job int64
}

// ImportResult tells what an import did or found.
type ImportResult struct {
	Job      int64       `json:"job"`
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
	// Batches is how many transactions wrote the vouchers (SQLite stages
	// them in batches; PostgreSQL writes them in its one transaction), and
	// Publish how long the last step took: the transaction that checked
	// the books, kept the records and made the vouchers drafts.
	Batches int           `json:"-"`
	Publish time.Duration `json:"-"`
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

// ErrBooksChanged refuses an import whose collective's books changed while
// it was read so that they no longer take its vouchers (a month closed, an
// account made a parent or deactivated); the changes follow it.
var ErrBooksChanged = jiti.Errorf(jiti.Conflict, "import.books_changed")

// ImportVouchers imports the vouchers of src, which come from no file (the
// demo's, a test's): Import without a file's digest.
func (db *DB) ImportVouchers(ctx context.Context, by jiti.UserID, src VoucherSource, source string) (*ImportResult, error) {
	return db.Import(ctx, by, src, ImportFile{Name: source})
}

// Import reads every voucher of src, validates each against its
// collective's books, and saves them as drafts made by by, all or nothing:
// if any voucher or row is wrong, nothing is imported and the result lists
// every error found (the whole source is read either way).
//
// Content imported into a collective before (the same vouchers, in any
// file) is refused, naming the earlier import, unless f.Again. Vouchers
// that repeat one already in the collective's books or earlier in src are
// imported all the same and listed in the result's Repeats. Each import
// leaves a record per collective (ImportRecord), audited, and runs as a
// job (ImportJob) whose row shows its progress.
//
// Reading and validating run beside writing: batches of valid vouchers go
// to a second goroutine that writes them, so parsing the file and the
// database's work overlap. How the batches are written differs by engine,
// so that an import never stops the other writes for long:
//
//   - SQLite has one write lock for the whole file. Each batch is written
//     in a short transaction of its own, as vouchers of status 'staged'
//     that nothing else sees, and the lock is left free a moment after each
//     so other writers (a server's requests, waiting their turn) get it.
//     A last short transaction checks the books, keeps the records and
//     makes the staged vouchers drafts; if anything fails, the staged
//     batches are removed. The lock is held a batch at a time, never for
//     the whole import.
//   - PostgreSQL writes everything in one transaction, invisible to others
//     until it commits, and holds no lock of the collectives until its last
//     step: other writes, even to the same collectives, go on meanwhile.
//
// In both, the books are read when the import starts and checked again in
// the last step (recheck): a month closed or an account changed meanwhile
// so that a voucher no longer fits refuses the import (ErrBooksChanged).
func (db *DB) Import(ctx context.Context, by jiti.UserID, src VoucherSource, f ImportFile) (*ImportResult, error) {
	res := &ImportResult{}
	if _, err := db.RecoverImports(ctx); err != nil {
		return res, err
	}
	if f.Job == 0 {
		var err error
		if f.Job, err = db.CreateImportJob(ctx, by, f, 0); err != nil {
			return res, err
		}
	}
	res.Job = f.Job
	imp := &importer{db: db, by: by, src: src, res: res, job: f.Job, size: f.Size, now: db.now(),
		parts: map[int64]*importPart{}, spans: map[int64]*idSpan{}}
	imp.snapshot()
	err := imp.run(ctx, f)
	if err != nil {
		imp.end(ctx, err)
		if db.dialect == sqlite {
			// Nothing of a refused or failed import stays. The job is
			// ended first, so that should this process end before the
			// batches are all removed, the next import or server start
			// removes the rest (RecoverImports). Cleaning up goes on when
			// ctx has ended.
			if derr := db.discardStages(context.WithoutCancel(ctx), imp.job); derr != nil {
				err = errors.Join(err, derr)
			}
		}
	}
	return res, err
}

// run reads, writes and publishes the import, on each engine its way.
func (imp *importer) run(ctx context.Context, f ImportFile) error {
	db := imp.db
	if db.dialect == postgres {
		return db.tx(ctx, func(tx *Tx) error {
			imp.tx = tx
			if err := imp.readAll(ctx); err != nil {
				return err
			}
			return imp.publish(ctx, tx, f)
		})
	}
	if err := imp.readAll(ctx); err != nil {
		return err
	}
	return db.patientTx(ctx, func(tx *Tx) error { return imp.publish(ctx, tx, f) })
}

// readAll reads and validates every voucher of the source while the
// writer writes the valid ones, and the heartbeat keeps the job's row.
func (imp *importer) readAll(ctx context.Context) error {
	stop := imp.startHeartbeat(ctx)
	defer stop()
	imp.w = imp.startWriter(ctx)
	res := imp.res
	for n := 0; !imp.w.failed(); n++ {
		if n%256 == 0 {
			imp.snapshot()
			if imp.interrupted.Load() {
				imp.w.stop()
				return ErrImportInterrupted
			}
			if err := ctx.Err(); err != nil {
				imp.w.stop()
				return err
			}
		}
		v, err := imp.src.Next()
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
			imp.fail(imp.src.Locate(v, err))
		}
		if len(imp.pending) >= importBatch {
			imp.w.send(imp.pending)
			imp.pending = nil
		}
	}
	imp.snapshot()
	if len(res.Errors) > 0 {
		imp.w.stop()
		return ErrImportInvalid.With(len(res.Errors) + res.More)
	}
	imp.w.send(imp.pending)
	imp.pending = nil
	return imp.w.stop()
}

// publish is the import's last step, in one transaction: under the lock
// of each collective it checks the books still take the vouchers, keeps
// the import's records (refusing content imported before), makes staged
// vouchers drafts (SQLite), names the repeats and ends the job.
func (imp *importer) publish(ctx context.Context, tx *Tx, f ImportFile) error {
	start := time.Now()
	defer func() { imp.res.Publish = time.Since(start) }()
	imp.tx = tx
	for _, cid := range imp.collectives() {
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		if err := imp.recheck(ctx, tx, cid, imp.parts[cid]); err != nil {
			return err
		}
	}
	if err := imp.record(ctx, f); err != nil {
		return err
	}
	if tx.d == sqlite {
		if err := imp.unstage(ctx, tx); err != nil {
			return err
		}
	}
	if err := imp.resolveRepeats(ctx); err != nil {
		return err
	}
	return tx.endJob(ctx, imp.job, JobDone, imp.snapshot())
}

// collectives returns the collectives the import has vouchers of, in
// order (the order every use case locks them in).
func (imp *importer) collectives() []int64 {
	cids := make([]int64, 0, len(imp.parts))
	for cid, p := range imp.parts {
		if p != nil && p.vouchers > 0 {
			cids = append(cids, cid)
		}
	}
	slices.Sort(cids)
	return cids
}

// recheck confirms, under the collective's lock, that its books still take
// what the import validated against them when it read them: the months of
// its vouchers still open, the books still opened before its first date,
// every account it posts to still a leaf and active. These are the
// checks of ledger.Validate that depend on the books rather than on the
// voucher, made once per collective instead of once per voucher.
// Households are never removed, so one known then is known now.
func (imp *importer) recheck(ctx context.Context, tx *Tx, cid int64, p *importPart) error {
	b, err := tx.books(ctx, cid)
	if err != nil {
		return err
	}
	var changed jiti.Errors
	if p.from.Before(b.OpenedOn) {
		changed = append(changed, ledger.ErrBeforeBooks.With(p.from, b.OpenedOn))
	}
	for _, m := range slices.Sorted(mapKeys(p.periods)) {
		if b.Closed(m) {
			changed = append(changed, ledger.ErrPeriodClosed.With(m))
		}
	}
	for _, code := range slices.Sorted(mapKeys(p.accounts)) {
		if err := ledger.CheckPostable(b.Chart[code], code); err != nil {
			changed = append(changed, err)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	var name string
	if err := tx.queryRow(ctx, `SELECT name FROM collectives WHERE id = ?`, cid).Scan(&name); err != nil {
		return err
	}
	return append(jiti.Errors{ErrBooksChanged.With(name)}, changed...)
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// unstage makes the import's staged vouchers drafts, batch by batch, and
// checks they are all there: a job taken for dead and cleaned up by
// another process would have lost some.
func (imp *importer) unstage(ctx context.Context, tx *Tx) error {
	rows, err := tx.query(ctx, `SELECT first_id, last_id FROM import_stages WHERE job_id = ? ORDER BY first_id`, imp.job)
	if err != nil {
		return err
	}
	var spans []idSpan
	for rows.Next() {
		var s idSpan
		if err := rows.Scan(&s.first, &s.last); err != nil {
			rows.Close()
			return err
		}
		spans = append(spans, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var n int64
	for _, s := range spans {
		res, err := tx.exec(ctx, `UPDATE vouchers SET status = ? WHERE id BETWEEN ? AND ? AND status = ?`,
			string(ledger.Draft), s.first, s.last, statusStaged)
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return err
		}
		n += k
	}
	if n != int64(imp.res.Vouchers) {
		return ErrImportInterrupted
	}
	_, err = tx.exec(ctx, `DELETE FROM import_stages WHERE job_id = ?`, imp.job)
	return err
}

// end writes how a job that did not publish ended: refused for the user's
// errors, failed otherwise. A job ended from outside stays as it was left.
func (imp *importer) end(ctx context.Context, err error) {
	state := JobFailed
	if k := jiti.KindOf(err); k == jiti.Invalid || k == jiti.Conflict || k == jiti.Forbidden || k == jiti.NotFound {
		state = JobRefused
	}
	p := imp.snapshot()
	ctx = context.WithoutCancel(ctx)
	imp.db.patientTx(ctx, func(tx *Tx) error { return tx.endJob(ctx, imp.job, state, p) })
}

// snapshot takes the import's progress for its heartbeat (which runs in a
// goroutine of its own) and returns it.
func (imp *importer) snapshot() jobProgress {
	p := jobProgress{collective: imp.first, collectives: len(imp.parts), vouchers: imp.res.Vouchers,
		lines: imp.res.Lines, errors: len(imp.res.Errors) + imp.res.More}
	if ps, ok := imp.src.(interface {
		Progress() (rows int, bytes, total int64)
	}); ok {
		p.Rows, p.Bytes, p.Total = ps.Progress()
	} else {
		p.Total = imp.size
	}
	imp.progress.Store(&p)
	return p
}

// startHeartbeat writes the job's progress every importHeartbeat until the
// returned function is called. A heartbeat that finds the job no longer
// running stops the import.
func (imp *importer) startHeartbeat(ctx context.Context) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(importHeartbeat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := imp.db.beat(ctx, imp.job, *imp.progress.Load()); errors.Is(err, ErrImportInterrupted) {
					imp.interrupted.Store(true)
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// batchWriter writes batches of vouchers in its own goroutine.
type batchWriter struct {
	batches chan []pendingVoucher
	done    chan error
	err     atomic.Bool // set when a write failed: reading stops
}

// pendingVoucher is a valid voucher waiting to be written.
type pendingVoucher struct {
	v           *ledger.Voucher
	fingerprint int64
}

func (imp *importer) startWriter(ctx context.Context) *batchWriter {
	w := &batchWriter{batches: make(chan []pendingVoucher, 1), done: make(chan error, 1)}
	go func() {
		var err error
		for vs := range w.batches {
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

func (w *batchWriter) failed() bool { return w.err.Load() }

// stop waits for the writes sent so far and returns the first error.
func (w *batchWriter) stop() error {
	close(w.batches)
	return <-w.done
}

// errRefusedBefore marks a voucher of a collective the user was already
// refused: the refusal is reported once, not for every voucher.
var errRefusedBefore = errors.New("collective refused before")

// importBatch is how many vouchers are buffered before they are written:
// on SQLite, what one transaction writes while it holds the write lock.
const importBatch = 2000

// importYield is how long an import leaves SQLite's write lock free after
// each batch, so that writers of other processes, which try for it every
// millisecond or two (writer.begin), get their turn; those of its own
// process queue for it in order anyway.
const importYield = 10 * time.Millisecond

type importer struct {
	db  *DB
	tx  *Tx // PostgreSQL's one transaction, and at the end the publishing one
	by  jiti.UserID
	src VoucherSource
	res *ImportResult
	job int64
	// size is the file's size, for the progress of a source that does not
	// tell its own.
	size    int64
	now     time.Time // the vouchers' creation time
	w       *batchWriter
	pending []pendingVoucher
	// parts are what the reading side learns of each collective's vouchers
	// (nil for a collective refused); spans are the ids the writing side
	// gave them. Each side keeps its own, so neither waits on the other.
	parts   map[int64]*importPart
	spans   map[int64]*idSpan
	first   int64             // the first collective read, which the job names
	repeats []*ledger.Voucher // the repeats kept, for Repeats once written
	// progress is the latest snapshot for the heartbeat; interrupted is set
	// when the job was ended from outside.
	progress    atomic.Pointer[jobProgress]
	interrupted atomic.Bool
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
	// periods and accounts are the months and accounts the vouchers were
	// validated in, checked again when the import publishes (recheck).
	periods  map[jiti.Period]struct{}
	accounts map[string]struct{}
}

// idSpan is the first and last id given to an import's vouchers of one
// collective. Other vouchers of the collective made while the import
// runs (it holds no lock of the collective until its end) may have ids
// between.
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
	v.Status, v.Kind, v.MakerID, v.CreatedAt = ledger.Draft, ledger.Normal, imp.by, imp.now
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
	p.periods[v.Period] = struct{}{}
	for i := range v.Lines {
		p.accounts[v.Lines[i].Account] = struct{}{}
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
// vouchers is read: it checks the user may keep its books, and reads its
// books and its vouchers' fingerprints once for the whole import, on the
// read pool (no transaction of the import's is open meanwhile on SQLite).
// A collective refused gets a nil part.
func (imp *importer) open(ctx context.Context, cid int64) (*importPart, error) {
	r := imp.db.reader()
	if _, err := authorizeOn(ctx, r, imp.by, cid, PermKeepBooks); err != nil {
		imp.parts[cid] = nil
		return nil, err
	}
	b, err := readBooks(ctx, r, cid, jiti.DateOf(imp.db.now()))
	if err != nil {
		return nil, err
	}
	p := &importPart{books: b, seen: map[int64]struct{}{}, periods: map[jiti.Period]struct{}{}, accounts: map[string]struct{}{}}
	rows, err := r.query(ctx, `SELECT fingerprint FROM vouchers WHERE collective_id = ? AND fingerprint IS NOT NULL AND status <> ?`,
		cid, statusStaged)
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
	if imp.first == 0 {
		imp.first = cid
	}
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

// write saves a batch of validated vouchers: on PostgreSQL into the
// import's transaction, on SQLite staged in a transaction of its own.
func (imp *importer) write(ctx context.Context, vs []pendingVoucher) error {
	imp.res.Batches++
	if imp.db.dialect == postgres {
		return imp.insert(ctx, imp.tx, vs, ledger.Draft)
	}
	err := imp.db.patientTx(ctx, func(tx *Tx) error {
		if err := imp.insert(ctx, tx, vs, statusStaged); err != nil {
			return err
		}
		// The batch's ids are one run (reserveIDs), recorded with it so
		// that publishing or removing the job finds them.
		_, err := tx.exec(ctx, `INSERT INTO import_stages (job_id, first_id, last_id) VALUES (?, ?, ?)`,
			imp.job, vs[0].v.ID, vs[len(vs)-1].v.ID)
		return err
	})
	if err == nil {
		time.Sleep(importYield)
	}
	return err
}

// insert writes a batch of validated vouchers with bulk inserts, with the
// given status.
func (imp *importer) insert(ctx context.Context, tx *Tx, vs []pendingVoucher, status ledger.Status) error {
	ids, err := tx.reserveIDs(ctx, "vouchers", len(vs))
	if err != nil {
		return err
	}
	for i, pv := range vs {
		v := pv.v
		v.ID = ids[i]
		if s := imp.spans[v.CollectiveID]; s == nil {
			imp.spans[v.CollectiveID] = &idSpan{v.ID, v.ID}
		} else {
			s.last = v.ID
		}
	}
	// The rows are made as COPY sends them (bulkInsertFrom), each in the
	// same slice, rather than all first.
	row := make([]any, 12)
	i := 0
	if err := tx.bulkInsertFrom(ctx, "vouchers", []string{"id", "collective_id", "period", "date", "status", "kind",
		"attachments", "note", "maker_id", "created_at", "fingerprint"}, func() []any {
		if i == len(vs) {
			return nil
		}
		v := vs[i].v
		row = append(row[:0], v.ID, v.CollectiveID, int(v.Period), tx.d.copyDate(v.Date), string(status), string(v.Kind),
			v.Attachments, v.Note, int64(v.MakerID), tx.d.copyTime(v.CreatedAt), vs[i].fingerprint)
		i++
		return row
	}); err != nil {
		return err
	}
	i, k := 0, 0
	if err := tx.bulkInsertFrom(ctx, "voucher_lines", []string{"voucher_id", "line_no", "collective_id", "account_code",
		"summary", "debit", "credit", "counterparty", "household_code", "project", "asset", "contract"}, func() []any {
		for i < len(vs) && k == len(vs[i].v.Lines) {
			i, k = i+1, 0
		}
		if i == len(vs) {
			return nil
		}
		v := vs[i].v
		l := &v.Lines[k]
		k++
		row = append(row[:0], v.ID, l.No, v.CollectiveID, l.Account, l.Summary, int64(l.Debit), int64(l.Credit),
			l.Counterparty, l.Household, l.Project, l.Asset, l.Contract)
		return row
	}); err != nil {
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
		// One round trip and one row: the sequence is looked up once (a
		// materialized CTE; pg_get_serial_sequence reads the catalogs at
		// each call, which cost more than the COPY of the vouchers), and the
		// ids come back as one array, in order, read by pgx itself.
		err := t.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("store: reserving ids needs a pgx connection, have %T", dc)
			}
			return c.Conn().QueryRow(ctx, t.d.rebind(`WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(?, 'id')::regclass AS seq)
SELECT array_agg(id ORDER BY id) FROM (SELECT nextval(s.seq) AS id FROM s, generate_series(1, ?)) ids`), table, n).Scan(&ids)
		})
		if err == nil && len(ids) != n {
			err = fmt.Errorf("store: reserved %d ids of %s, asked %d", len(ids), table, n)
		}
		return ids, err
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
