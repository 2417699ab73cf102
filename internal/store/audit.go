package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"example.org/jiti"
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
// act and its record commit or vanish together.
func (t *Tx) audit(ctx context.Context, by jiti.UserID, action, entity string, id any, collective int64, old, new any) error {
	enc := func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	o, err := enc(old)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	n, err := enc(new)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	_, err = t.exec(ctx, `INSERT INTO audit_events (at, user_id, action, entity, entity_id, collective_id, old_value, new_value)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		timeArg(t.now), nullID(by), action, entity, fmt.Sprint(id), nullID(collective), o, n)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return t.advance(ctx, entity, collective)
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
