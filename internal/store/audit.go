package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// AuditEvent is one entry of the audit log: who did what, when, to which
// record, with the record's values before and after as JSON.
type AuditEvent struct {
	ID           int64           `json:"id"`
	At           time.Time       `json:"at"`
	UserID       jiti.UserID     `json:"user_id,omitempty"`
	UserName     string          `json:"user,omitempty"`
	Action       string          `json:"action"`
	Entity       string          `json:"entity"`
	EntityID     string          `json:"entity_id"`
	CollectiveID int64           `json:"collective_id,omitempty"`
	Old          json.RawMessage `json:"old,omitempty"`
	New          json.RawMessage `json:"new,omitempty"`
}

// audit appends an event in the transaction of the write it records, so an
// act and its record commit or vanish together. The event extends the
// audit chain of its collective (chain 0 for events of no collective).
//
// A collective's chain has its head in the collective's row (migration
// 13), taken by lockCollective or by auditHead here; the chain of no
// collective is the last lock a transaction takes (its events come after
// the collective work of the same act), so two writes never hold locks
// crosswise.
func (t *Tx) audit(ctx context.Context, by jiti.UserID, action, entity string, id any, collective int64, old, new any) error {
	o, err := auditValue(old)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	n, err := auditValue(new)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	e := chainedEvent{At: t.now, UserID: int64(by), Action: action, Entity: entity, EntityID: fmt.Sprint(id),
		CollectiveID: collective, Old: o, New: n}
	// The head first: it holds the collective's row, whose revision then
	// moves with the rest of the row (advance), in one UPDATE.
	head, err := t.auditHead(ctx, collective)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if err := t.advance(ctx, entity, collective); err != nil {
		return err
	}
	e.Seq, e.PrevHash = head.seq+1, head.hash
	e.Hash = e.hash()
	// Sent with the act's other writes, or its commit.
	err = t.later(ctx, nil, `INSERT INTO audit_events (at, user_id, action, entity, entity_id, collective_id, old_value, new_value, seq, prev_hash, hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		timeArg(e.At), nullID(e.UserID), e.Action, e.Entity, e.EntityID, nullID(e.CollectiveID), nullText(e.Old), nullText(e.New),
		e.Seq, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	head.seq, head.hash, head.dirty = e.Seq, e.Hash, true
	return nil
}

// auditValue is the JSON text of an event's old or new value; nil for none.
func auditValue(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func nullText(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// chainedEvent is an audit event as its chain covers it.
type chainedEvent struct {
	ID           int64
	At           time.Time
	UserID       int64
	Action       string
	Entity       string
	EntityID     string
	CollectiveID int64   // 0: no collective, the chain of the deployment
	Old, New     *string // JSON text; nil for none
	Seq          int64
	PrevHash     string
	Hash         string
}

// hash returns the SHA-256, in hex, of the event's canonical content
// followed by its PrevHash: a JSON array of fixed order, as vouchers are
// hashed (ledger.HashVoucher), so no two events share it. The old and new
// values are covered as the text stored, which both engines keep exactly.
func (e *chainedEvent) hash() string {
	b, err := json.Marshal([]any{
		"jiti-audit-v1",
		e.CollectiveID, e.Seq, ledger.HashTime(e.At), e.UserID,
		e.Action, e.Entity, e.EntityID, e.Old, e.New,
		e.PrevHash,
	})
	if err != nil {
		panic("store: hash audit event: " + err.Error()) // only plain values above: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// auditHead is the head of an audit chain as a transaction extends it.
type auditHead struct {
	seq   int64
	hash  string
	dirty bool // extended: written back before commit
}

// auditHead returns the head of a chain, locking its row the first time
// the transaction extends it: the collective's row for a collective's
// chain, whose head is made with it; the row of audit_chains for the chain
// of no collective, and for every chain while migration 7 chains the log
// of an earlier version (headsInTable).
func (t *Tx) auditHead(ctx context.Context, chain int64) (*auditHead, error) {
	if h, ok := t.chains[chain]; ok {
		return h, nil
	}
	var b batch
	t.queueAuditHead(&b, collective(chain))
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	if h, ok := t.chains[chain]; ok {
		return h, nil
	}
	if chain != 0 && !t.headsInTable {
		return nil, jiti.ErrNotFound.With("collective", chain)
	}
	if _, err := t.exec(ctx, `INSERT INTO audit_chains (chain, seq, head) VALUES (?, 0, ?) ON CONFLICT (chain) DO NOTHING`,
		chain, ledger.ChainStart); err != nil {
		return nil, err
	}
	var again batch
	t.queueAuditHead(&again, collective(chain))
	if err := t.send(ctx, &again); err != nil {
		return nil, err
	}
	if h, ok := t.chains[chain]; ok {
		return h, nil
	}
	return nil, fmt.Errorf("store: audit chain %d has no head", chain)
}

// queueAuditHead queues the read and lock of the head of a collective's
// chain (or, as collective(0), of the chain of no collective), unless the
// transaction holds it already. The head is the transaction's once the
// batch has run, if its row exists; a collective's row is then held
// (holdCollective), and the head written back with the rest of it.
// lockCollective reads the head with the collective's row, in the same
// statement, and needs none of this.
func (t *Tx) queueAuditHead(b *batch, c collectiveRef) {
	if _, ok := t.chains[c.id]; ok && c.expr == "?" {
		return
	}
	table := `SELECT chain, seq, head FROM audit_chains WHERE chain = `
	inRow := (c.id != 0 || c.expr != "?") && !t.headsInTable
	if inRow {
		table = `SELECT id, audit_seq, audit_head FROM collectives WHERE id = `
	}
	b.query(func(scan func(...any) error) error {
		var chain int64
		h := &auditHead{}
		if err := scan(&chain, &h.seq, &h.hash); err != nil {
			return err
		}
		t.keepAuditHead(chain, h)
		if inRow {
			t.holdCollective(chain)
		}
		return nil
	}, table+c.expr+t.d.forUpdate(), c.arg)
}

// keepAuditHead makes h the head of chain for the rest of the transaction,
// unless it holds one already (which this transaction may have moved).
func (t *Tx) keepAuditHead(chain int64, h *auditHead) {
	if t.chains == nil {
		t.chains = map[int64]*auditHead{}
	}
	if _, ok := t.chains[chain]; !ok {
		t.chains[chain] = h
	}
}

// saveAuditHeads writes the heads of the chains the transaction extended
// that saveCollectives did not write with their collectives' rows, once
// each however many events it appended: a batch of a thousand postings
// writes its chain's head once.
func (t *Tx) saveAuditHeads(ctx context.Context) error {
	for chain, h := range t.chains {
		if !h.dirty {
			continue
		}
		if err := t.later(ctx, nil, `UPDATE audit_chains SET seq = ?, head = ? WHERE chain = ?`, h.seq, h.hash, chain); err != nil {
			return fmt.Errorf("audit chain %d: %w", chain, err)
		}
		h.dirty = false
	}
	return nil
}

// AuditFilter selects audit events.
type AuditFilter struct {
	CollectiveID int64
	Entity       string
	EntityID     string
	Action       string
	Limit        int // default 100
	Offset       int
}

// FindAuditEvents returns audit events, newest first, and the number of
// events that match the filter.
func (db *DB) FindAuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, int, error) {
	return db.findAuditEvents(ctx, f, "1=1", nil)
}

// findAuditEvents is FindAuditEvents within a condition on the events
// ("e"), such as a user's scope.
func (db *DB) findAuditEvents(ctx context.Context, f AuditFilter, within string, withinArgs []any) ([]AuditEvent, int, error) {
	where, args := "WHERE "+within, append([]any(nil), withinArgs...)
	if f.CollectiveID != 0 {
		where += " AND e.collective_id = ?"
		args = append(args, f.CollectiveID)
	}
	if f.Entity != "" {
		where += " AND e.entity = ?"
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		where += " AND e.entity_id = ?"
		args = append(args, f.EntityID)
	}
	if f.Action != "" {
		where += " AND e.action = ?"
		args = append(args, f.Action)
	}
	r := db.reader()
	var total int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM audit_events e `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := r.query(ctx, `SELECT e.id, e.at, COALESCE(e.user_id, 0), COALESCE(u.name, ''), e.action, e.entity, e.entity_id,
       COALESCE(e.collective_id, 0), COALESCE(e.old_value, ''), COALESCE(e.new_value, '')
FROM audit_events e LEFT JOIN users u ON u.id = e.user_id `+where+`
ORDER BY e.id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		var old, nw string
		if err := rows.Scan(&e.ID, dbTime{&e.At}, &e.UserID, &e.UserName, &e.Action, &e.Entity, &e.EntityID,
			&e.CollectiveID, &old, &nw); err != nil {
			return nil, 0, err
		}
		if old != "" {
			e.Old = json.RawMessage(old)
		}
		if nw != "" {
			e.New = json.RawMessage(nw)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// chainAuditLog chains the audit events of a database from before the
// chains (migration 7), in id order, then records every register record as
// it stands in an audit.baseline event, so that verify has a whole record
// to compare each with (earlier events held only what changed).
func chainAuditLog(ctx context.Context, t *Tx) error {
	// Migration 7 knows the heads in audit_chains only, to the end of its
	// transaction: migration 13 moves those of collectives into their rows.
	t.headsInTable = true
	const page = 5000
	for after := int64(0); ; {
		evs, err := loadChainedEvents(ctx, t, `WHERE id > ? AND seq IS NULL ORDER BY id`, page, after)
		if err != nil {
			return err
		}
		for i := range evs {
			e := &evs[i]
			head, err := t.auditHead(ctx, e.CollectiveID)
			if err != nil {
				return err
			}
			e.Seq, e.PrevHash = head.seq+1, head.hash
			e.Hash = e.hash()
			if _, err := t.exec(ctx, `UPDATE audit_events SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?`, e.Seq, e.PrevHash, e.Hash, e.ID); err != nil {
				return err
			}
			head.seq, head.hash, head.dirty = e.Seq, e.Hash, true
		}
		if len(evs) < page {
			break
		}
		after = evs[len(evs)-1].ID
	}
	return baselineRecords(ctx, t)
}

// loadChainedEvents reads up to limit audit events by a condition ending
// in an ORDER BY, after a key given as its first argument.
func loadChainedEvents(ctx context.Context, q querier, where string, limit int, args ...any) ([]chainedEvent, error) {
	rows, err := q.query(ctx, `SELECT id, at, COALESCE(user_id, 0), action, entity, entity_id, COALESCE(collective_id, 0),
  old_value, new_value, COALESCE(seq, 0), COALESCE(prev_hash, ''), COALESCE(hash, '')
FROM audit_events `+where+` LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []chainedEvent
	for rows.Next() {
		var e chainedEvent
		var old, nw sql.NullString
		if err := rows.Scan(&e.ID, dbTime{&e.At}, &e.UserID, &e.Action, &e.Entity, &e.EntityID, &e.CollectiveID,
			&old, &nw, &e.Seq, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		if old.Valid {
			e.Old = &old.String
		}
		if nw.Valid {
			e.New = &nw.String
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
