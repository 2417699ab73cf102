package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
)

// Public disclosures (财务公开, migration 0017): the accountant or the
// township agency prepares a snapshot of a period whose months are all
// closed, the members' oversight group's check is recorded, then it is
// published; a published one never changes, a correction is a new version.

// DisclosureStatus is where a disclosure stands in its workflow.
type DisclosureStatus string

// Disclosure statuses, in order.
const (
	DisclosurePrepared  DisclosureStatus = "prepared"
	DisclosureChecked   DisclosureStatus = "checked"
	DisclosurePublished DisclosureStatus = "published"
)

// Errors of disclosures.
var (
	ErrDisclosureOpenMonth    = jiti.Errorf(jiti.Conflict, "disclosure.open_month")
	ErrDisclosurePending      = jiti.Errorf(jiti.Conflict, "disclosure.pending")
	ErrDisclosurePublished    = jiti.Errorf(jiti.Conflict, "disclosure.published")
	ErrDisclosureStatus       = jiti.Errorf(jiti.Conflict, "disclosure.status")
	ErrDisclosureSuperseded   = jiti.Errorf(jiti.Conflict, "disclosure.superseded")
	ErrDisclosureStale        = jiti.Errorf(jiti.Conflict, "disclosure.stale")
	ErrDisclosureReason       = jiti.Errorf(jiti.Invalid, "disclosure.reason")
	ErrDisclosureChecker      = jiti.Errorf(jiti.Invalid, "disclosure.checker")
	ErrDisclosureCheckDate    = jiti.Errorf(jiti.Invalid, "disclosure.check_date")
	ErrDisclosureRemarksLong  = jiti.Errorf(jiti.Invalid, "disclosure.remarks")
	ErrDisclosureBeforePeriod = jiti.Errorf(jiti.Invalid, "disclosure.check_before_end")
)

// Disclosure is one version of a collective's disclosure for a period.
// Content, the canonical snapshot, is filled only where asked for.
type Disclosure struct {
	ID             int64            `json:"id"`
	CollectiveID   int64            `json:"collective_id"`
	Period         string           `json:"period"`
	Kind           disclose.Kind    `json:"kind"`
	Title          string           `json:"title,omitempty"`
	From           jiti.Period      `json:"from"`
	To             jiti.Period      `json:"to"`
	Version        int              `json:"version"`
	ReplacesID     int64            `json:"replaces_id,omitempty"`
	Reason         string           `json:"reason,omitempty"`
	Status         DisclosureStatus `json:"status"`
	Hash           string           `json:"hash"`
	ChainSeq       int64            `json:"chain_seq"`
	ChainHash      string           `json:"chain_hash"`
	PreparedBy     int64            `json:"prepared_by"`
	PreparedAt     time.Time        `json:"prepared_at"`
	Checker        string           `json:"checker,omitempty"`
	CheckedOn      jiti.Date        `json:"checked_on,omitzero"`
	CheckRemarks   string           `json:"check_remarks,omitempty"`
	CheckedBy      int64            `json:"checked_by,omitempty"`
	PublishedBy    int64            `json:"published_by,omitempty"`
	PublishedAt    time.Time        `json:"published_at,omitzero"`
	Content        []byte           `json:"-"`
	CollectiveCode string           `json:"-"` // the collective's code and name, for the public pages
	CollectiveName string           `json:"-"`
}

// Span returns the disclosure's period as disclose knows it.
func (d *Disclosure) Span() disclose.Period {
	return disclose.Period{Kind: d.Kind, From: d.From, To: d.To, Title: d.Title}
}

// DisclosureCheck is the oversight group's check as recorded: who of the
// group checked (their names), on which day, and what they remarked.
type DisclosureCheck struct {
	Checker string    `json:"checker"`
	On      jiti.Date `json:"on"`
	Remarks string    `json:"remarks,omitempty"`
}

func (c *DisclosureCheck) validate(d *Disclosure, today jiti.Date) error {
	c.Checker, c.Remarks = strings.TrimSpace(c.Checker), strings.TrimSpace(c.Remarks)
	if c.Checker == "" || utf8.RuneCountInString(c.Checker) > 100 {
		return ErrDisclosureChecker.At("checker")
	}
	if c.On.IsZero() || c.On.After(today) {
		return ErrDisclosureCheckDate.With(c.On).At("checked_on")
	}
	if c.On.Before(d.To.Last()) && d.Kind != disclose.Matter {
		return ErrDisclosureBeforePeriod.With(c.On, d.To.Last()).At("checked_on")
	}
	if utf8.RuneCountInString(c.Remarks) > 1000 {
		return ErrDisclosureRemarksLong.At("check_remarks")
	}
	return nil
}

// PrepareDisclosure takes the snapshot of period p of collective cid as
// its first version. Every month of p must be closed, so the snapshot
// stands; a period already prepared is corrected (CorrectDisclosure), not
// prepared again.
func (db *DB) PrepareDisclosure(ctx context.Context, by jiti.UserID, cid int64, p disclose.Period) (*Disclosure, error) {
	return db.prepareDisclosure(ctx, by, cid, p, 0, "")
}

// CorrectDisclosure prepares a new version of the published disclosure
// id, for the reason given; the published one stays readable.
func (db *DB) CorrectDisclosure(ctx context.Context, by jiti.UserID, id int64, reason string) (*Disclosure, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return nil, ErrDisclosureReason.At("reason")
	}
	old, err := db.findDisclosure(ctx, db.reader(), id, false)
	if err != nil {
		return nil, err
	}
	if old.Status != DisclosurePublished {
		return nil, ErrDisclosureStatus.With(string(old.Status)).At("status")
	}
	return db.prepareDisclosure(ctx, by, old.CollectiveID, old.Span(), id, reason)
}

// PrepareDisclosures prepares the first versions of several periods of
// one collective from one read of its books: a year's four quarters cost
// little more than one.
func (db *DB) PrepareDisclosures(ctx context.Context, by jiti.UserID, cid int64, ps []disclose.Period) ([]*Disclosure, error) {
	return db.prepareDisclosures(ctx, by, cid, ps, 0, "")
}

// prepareDisclosure builds and stores a version: the first when replaces
// is 0, else a correction of the published version replaces.
func (db *DB) prepareDisclosure(ctx context.Context, by jiti.UserID, cid int64, p disclose.Period, replaces int64, reason string) (*Disclosure, error) {
	ds, err := db.prepareDisclosures(ctx, by, cid, []disclose.Period{p}, replaces, reason)
	if err != nil {
		return nil, err
	}
	return ds[0], nil
}

func (db *DB) prepareDisclosures(ctx context.Context, by jiti.UserID, cid int64, ps []disclose.Period, replaces int64, reason string) ([]*Disclosure, error) {
	return db.takeDisclosures(ctx, by, cid, ps, replaces, reason, nil)
}

// takeDisclosures reads the books of the months of ps once and stores a
// version of each period, then runs then (when given) on each in the
// same transaction.
func (db *DB) takeDisclosures(ctx context.Context, by jiti.UserID, cid int64, ps []disclose.Period, replaces int64, reason string,
	then func(tx *Tx, i int, d *Disclosure) error) ([]*Disclosure, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	if _, err := authorizeOn(ctx, db.reader(), by, cid, PermKeepBooks); err != nil {
		return nil, err
	}
	var chain disclose.Chain
	if err := db.reader().queryRow(ctx, `SELECT chain_seq, chain_hash FROM collectives WHERE id = ?`, cid).
		Scan(&chain.Seq, &chain.Hash); err != nil {
		return nil, notFound(err, "collective", cid)
	}
	from, to := span(ps)
	src, err := db.disclosureSource(ctx, cid, from, to, chain)
	if err != nil {
		return nil, err
	}
	out := make([]*Disclosure, len(ps))
	err = db.tx(ctx, func(tx *Tx) error {
		for i, p := range ps {
			var err error
			if out[i], err = tx.storeDisclosure(ctx, by, cid, p, src, replaces, reason); err != nil {
				return err
			}
			if then != nil {
				if err := then(tx, i, out[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PublishChecked prepares disclosures of collective cid, records the
// oversight group's check of each (checks[i] is the check of ps[i]) and
// publishes them, in one act: for the township agency entering material
// the group checked on paper at its meeting. The snapshots are taken and
// published in one transaction, so nothing can change between; the books
// are read once for all of them. A correction (replaces, reason) takes
// one period.
func (db *DB) PublishChecked(ctx context.Context, by jiti.UserID, cid int64, ps []disclose.Period, checks []DisclosureCheck,
	replaces int64, reason string) ([]*Disclosure, error) {
	if len(checks) != len(ps) {
		return nil, jiti.ErrRequired.At("checked_on")
	}
	if replaces != 0 {
		reason = strings.TrimSpace(reason)
		if reason == "" || utf8.RuneCountInString(reason) > 500 {
			return nil, ErrDisclosureReason.At("reason")
		}
	}
	return db.takeDisclosures(ctx, by, cid, ps, replaces, reason, func(tx *Tx, i int, d *Disclosure) error {
		if err := tx.recordCheck(ctx, by, d, checks[i]); err != nil {
			return err
		}
		return tx.markPublished(ctx, by, d)
	})
}

// span is the months from the first to the last of periods.
func span(ps []disclose.Period) (from, to jiti.Period) {
	from, to = ps[0].From, ps[0].To
	for _, p := range ps[1:] {
		from, to = min(from, p.From), max(to, p.To)
	}
	return from, to
}

// storeDisclosure checks, under the collective's lock, that the period
// may have a new version, builds it from src and stores it.
func (t *Tx) storeDisclosure(ctx context.Context, by jiti.UserID, cid int64, p disclose.Period, src *disclose.Source, replaces int64, reason string) (*Disclosure, error) {
	if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
		return nil, err
	}
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return nil, err
	}
	if err := t.requireClosed(ctx, cid, p); err != nil {
		return nil, err
	}
	v := disclose.Version{Number: 1}
	var lastID int64
	var lastVersion int
	var lastStatus string
	err := t.queryRow(ctx, `SELECT id, version, status FROM disclosures WHERE collective_id = ? AND period = ? ORDER BY version DESC LIMIT 1`,
		cid, p.Key()).Scan(&lastID, &lastVersion, &lastStatus)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if replaces != 0 {
			return nil, jiti.ErrNotFound.With("disclosure", replaces)
		}
	case err != nil:
		return nil, err
	case DisclosureStatus(lastStatus) != DisclosurePublished:
		return nil, ErrDisclosurePending.With(p.Key(), lastVersion)
	case replaces == 0:
		return nil, ErrDisclosurePublished.With(p.Key())
	case replaces != lastID:
		return nil, ErrDisclosureSuperseded.With(p.Key(), lastVersion)
	default:
		v = disclose.Version{Number: lastVersion + 1, Replaces: lastVersion, Reason: reason}
	}
	content := disclose.Build(src, p, v).Canonical()
	d := &Disclosure{CollectiveID: cid, Period: p.Key(), Kind: p.Kind, Title: p.Title, From: p.From, To: p.To,
		Version: v.Number, ReplacesID: replaces, Reason: reason, Status: DisclosurePrepared,
		Hash: disclose.Hash(content), ChainSeq: src.Chain.Seq, ChainHash: src.Chain.Hash,
		PreparedBy: int64(by), PreparedAt: t.now, Content: content}
	if err := t.queryRow(ctx, `INSERT INTO disclosures (collective_id, period, kind, title, from_period, to_period, version, replaces_id, reason,
status, content, hash, chain_seq, chain_hash, prepared_by, prepared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		cid, d.Period, string(d.Kind), d.Title, int(d.From), int(d.To), d.Version, nullID(replaces), reason, string(d.Status), string(content), d.Hash,
		d.ChainSeq, d.ChainHash, int64(by), timeArg(t.now)).Scan(&d.ID); err != nil {
		return nil, err
	}
	return d, t.audit(ctx, by, "disclosure.prepare", "disclosure", d.ID, cid, nil, d)
}

// requireClosed checks that every month of p is closed.
func (t *Tx) requireClosed(ctx context.Context, cid int64, p disclose.Period) error {
	closed := map[int]bool{}
	rows, err := t.query(ctx, `SELECT period FROM periods WHERE collective_id = ? AND period >= ? AND period <= ? AND is_closed = ?`,
		cid, int(p.From), int(p.To), true)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m int
		if err := rows.Scan(&m); err != nil {
			return err
		}
		closed[m] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range p.Months() {
		if !closed[int(m)] {
			return ErrDisclosureOpenMonth.With(p.Key(), m).At("period")
		}
	}
	return nil
}

// CheckDisclosure records the oversight group's check of a prepared
// disclosure.
func (db *DB) CheckDisclosure(ctx context.Context, by jiti.UserID, id int64, c DisclosureCheck) (*Disclosure, error) {
	var d *Disclosure
	err := db.tx(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.disclosureFor(ctx, by, id, DisclosurePrepared); err != nil {
			return err
		}
		return tx.recordCheck(ctx, by, d, c)
	})
	return d, err
}

// recordCheck records check c of prepared disclosure d.
func (t *Tx) recordCheck(ctx context.Context, by jiti.UserID, d *Disclosure, c DisclosureCheck) error {
	if err := c.validate(d, jiti.DateOf(t.now)); err != nil {
		return err
	}
	old := *d
	d.Status, d.Checker, d.CheckedOn, d.CheckRemarks, d.CheckedBy = DisclosureChecked, c.Checker, c.On, c.Remarks, int64(by)
	if err := t.later(ctx, nil, `UPDATE disclosures SET status = ?, checker = ?, checked_on = ?, check_remarks = ?, checked_by = ? WHERE id = ?`,
		string(d.Status), d.Checker, dateArg(d.CheckedOn), d.CheckRemarks, int64(by), d.ID); err != nil {
		return err
	}
	return t.audit(ctx, by, "disclosure.check", "disclosure", d.ID, d.CollectiveID, &old, d)
}

// markPublished publishes checked disclosure d.
func (t *Tx) markPublished(ctx context.Context, by jiti.UserID, d *Disclosure) error {
	old := *d
	d.Status, d.PublishedBy, d.PublishedAt = DisclosurePublished, int64(by), t.now
	if err := t.later(ctx, nil, `UPDATE disclosures SET status = ?, published_by = ?, published_at = ? WHERE id = ?`,
		string(d.Status), int64(by), timeArg(t.now), d.ID); err != nil {
		return err
	}
	return t.audit(ctx, by, "disclosure.publish", "disclosure", d.ID, d.CollectiveID, &old, d)
}

// PublishDisclosure publishes a checked disclosure, once its snapshot is
// found to be still what the books say: a month reopened and changed
// since it was prepared stops it.
func (db *DB) PublishDisclosure(ctx context.Context, by jiti.UserID, id int64) (*Disclosure, error) {
	ds, err := db.PublishDisclosures(ctx, by, []int64{id})
	if err != nil {
		return nil, err
	}
	return ds[0], nil
}

// ErrDisclosuresMixed reports disclosures of several collectives given to
// be published together.
var ErrDisclosuresMixed = jiti.Errorf(jiti.Invalid, "disclosure.mixed")

// PublishDisclosures publishes checked disclosures of one collective
// together, each checked against the books from one read of them.
func (db *DB) PublishDisclosures(ctx context.Context, by jiti.UserID, ids []int64) ([]*Disclosure, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ds := make([]*Disclosure, len(ids))
	ps := make([]disclose.Period, len(ids))
	for i, id := range ids {
		d, err := db.findDisclosure(ctx, db.reader(), id, false)
		if err != nil {
			return nil, err
		}
		if i > 0 && d.CollectiveID != ds[0].CollectiveID {
			return nil, ErrDisclosuresMixed
		}
		ds[i], ps[i] = d, d.Span()
	}
	cid := ds[0].CollectiveID
	if _, err := authorizeOn(ctx, db.reader(), by, cid, PermKeepBooks); err != nil {
		return nil, err
	}
	from, to := span(ps)
	src, err := db.disclosureSource(ctx, cid, from, to, disclose.Chain{})
	if err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx *Tx) error {
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		for i, id := range ids {
			cur, err := tx.disclosureFor(ctx, by, id, DisclosureChecked)
			if err != nil {
				return err
			}
			if err := tx.requireClosed(ctx, cid, cur.Span()); err != nil {
				return err
			}
			if disclose.Hash(rebuild(src, cur)) != cur.Hash {
				return ErrDisclosureStale.With(cur.Period)
			}
			ds[i] = cur
			if err := tx.markPublished(ctx, by, cur); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// rebuild builds d's snapshot from src (read for months covering d's) at
// d's version and chain head.
func rebuild(src *disclose.Source, d *Disclosure) []byte {
	s := *src
	s.Chain = disclose.Chain{Seq: d.ChainSeq, Hash: d.ChainHash}
	v := disclose.Version{Number: d.Version, Reason: d.Reason}
	if d.Version > 1 {
		v.Replaces = d.Version - 1
	}
	return disclose.Build(&s, d.Span(), v).Canonical()
}

// disclosureFor reads disclosure id for a write by by, who must keep the
// books of its collective, and checks that it is in status want.
func (t *Tx) disclosureFor(ctx context.Context, by jiti.UserID, id int64, want DisclosureStatus) (*Disclosure, error) {
	d, err := findDisclosureOn(ctx, t, id, false)
	if err != nil {
		return nil, err
	}
	if _, err := t.authorize(ctx, by, d.CollectiveID, PermKeepBooks); err != nil {
		return nil, err
	}
	if d.Status != want {
		return nil, ErrDisclosureStatus.With(string(d.Status)).At("status")
	}
	return d, nil
}

const disclosureColumns = `d.id, d.collective_id, d.period, d.kind, d.title, d.from_period, d.to_period, d.version, d.replaces_id, d.reason,
d.status, d.hash, d.chain_seq, d.chain_hash, d.prepared_by, d.prepared_at, d.checker, d.checked_on, d.check_remarks, d.checked_by,
d.published_by, d.published_at, c.code, c.name`

func scanDisclosure(sc interface{ Scan(...any) error }, content *string) (*Disclosure, error) {
	var d Disclosure
	var replaces, checkedBy, publishedBy sql.NullInt64
	dest := []any{&d.ID, &d.CollectiveID, &d.Period, &d.Kind, &d.Title, &d.From, &d.To, &d.Version, &replaces, &d.Reason,
		&d.Status, &d.Hash, &d.ChainSeq, &d.ChainHash, &d.PreparedBy, dbTime{&d.PreparedAt}, &d.Checker, dbDate{&d.CheckedOn},
		&d.CheckRemarks, &checkedBy, &publishedBy, dbTime{&d.PublishedAt}, &d.CollectiveCode, &d.CollectiveName}
	if content != nil {
		dest = append(dest, content)
	}
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	d.ReplacesID, d.CheckedBy, d.PublishedBy = replaces.Int64, checkedBy.Int64, publishedBy.Int64
	if content != nil {
		d.Content = []byte(*content)
	}
	return &d, nil
}

func (db *DB) findDisclosure(ctx context.Context, q querier, id int64, content bool) (*Disclosure, error) {
	return findDisclosureOn(ctx, q, id, content)
}

func findDisclosureOn(ctx context.Context, q querier, id int64, content bool) (*Disclosure, error) {
	cols := disclosureColumns
	var text *string
	if content {
		cols += ", d.content"
		text = new(string)
	}
	d, err := scanDisclosure(q.queryRow(ctx, `SELECT `+cols+` FROM disclosures d JOIN collectives c ON c.id = d.collective_id WHERE d.id = ?`, id), text)
	if err != nil {
		return nil, notFound(err, "disclosure", id)
	}
	return d, nil
}

// findDisclosures lists disclosures by a WHERE clause over "disclosures
// d", newest period first, then by version.
func findDisclosures(ctx context.Context, q querier, where string, args ...any) ([]*Disclosure, error) {
	rows, err := q.query(ctx, `SELECT `+disclosureColumns+` FROM disclosures d JOIN collectives c ON c.id = d.collective_id `+where+`
ORDER BY d.to_period DESC, d.from_period DESC, d.period, d.version DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Disclosure
	for rows.Next() {
		d, err := scanDisclosure(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Disclosures lists every version of every disclosure of a collective,
// whatever its status.
func (db *DB) Disclosures(ctx context.Context, cid int64) ([]*Disclosure, error) {
	return findDisclosures(ctx, db.reader(), `WHERE d.collective_id = ?`, cid)
}

// FindDisclosure returns a disclosure with its content.
func (db *DB) FindDisclosure(ctx context.Context, id int64) (*Disclosure, error) {
	return db.findDisclosure(ctx, db.reader(), id, true)
}

// Disclosures lists every version of every disclosure of a collective in
// scope, whatever its status.
func (v *View) Disclosures(ctx context.Context, cid int64) ([]*Disclosure, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.Disclosures(ctx, cid)
}

// Disclosure returns a disclosure of a collective in scope with its
// content; any other reads as not found.
func (v *View) Disclosure(ctx context.Context, id int64) (*Disclosure, error) {
	d, err := v.db.FindDisclosure(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.requireCollective(ctx, d.CollectiveID) != nil {
		return nil, jiti.ErrNotFound.With("disclosure", id)
	}
	return d, nil
}

// PublishedDisclosures lists the published disclosures of the collective
// with code code, for anyone: nothing else of it is read.
func (db *DB) PublishedDisclosures(ctx context.Context, code string) ([]*Disclosure, error) {
	return findDisclosures(ctx, db.reader(), `WHERE c.code = ? AND d.status = ?`, code, string(DisclosurePublished))
}

// PublishedDisclosure returns published disclosure id of the collective
// with code code, with its content; any other reads as not found.
func (db *DB) PublishedDisclosure(ctx context.Context, code string, id int64) (*Disclosure, error) {
	d, err := db.findDisclosure(ctx, db.reader(), id, true)
	if err != nil || d.Status != DisclosurePublished || d.CollectiveCode != code {
		return nil, jiti.ErrNotFound.With("disclosure", id)
	}
	return d, nil
}
