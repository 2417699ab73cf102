package store

import (
	"context"
	"errors"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The decisions register (四议两公开): a decision is created open, its
// steps are recorded one at a time in order (register.Decision.Record
// holds the rules), and nothing is deleted or changed after the fact: the
// decision's status, reached and adopted_on move only with a new step.
// Each write is audited with the whole decision, steps included, as it
// stands after the act.

// ErrDecisionNumberTaken reports a decision number the collective already
// uses.
var ErrDecisionNumberTaken = jiti.Errorf(jiti.Conflict, "decision.number_taken")

// CreateDecision registers an open decision with no step recorded yet.
func (db *DB) CreateDecision(ctx context.Context, by jiti.UserID, d register.Decision) (*register.Decision, error) {
	var out *register.Decision
	err := db.tx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.createDecision(ctx, by, d)
		return err
	})
	return out, err
}

func (t *Tx) createDecision(ctx context.Context, by jiti.UserID, d register.Decision) (*register.Decision, error) {
	if _, err := t.authorize(ctx, by, d.CollectiveID, PermKeepBooks); err != nil {
		return nil, err
	}
	if _, _, err := t.lockCollective(ctx, d.CollectiveID); err != nil {
		return nil, err
	}
	d.Status, d.Reached, d.AdoptedOn, d.Steps = register.DecisionOpen, 0, jiti.Date{}, nil
	d.Normalize()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	err := t.queryRow(ctx, `INSERT INTO decisions (collective_id, number, subject, kind, status, reached, note, created_at)
VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING id`,
		d.CollectiveID, d.Number, d.Subject, string(d.Kind), string(d.Status), d.Note, timeArg(t.now)).Scan(&d.ID)
	if isUnique(err) {
		return nil, ErrDecisionNumberTaken.With(d.Number).At("number")
	}
	if err != nil {
		return nil, err
	}
	if err := t.audit(ctx, by, "decision.create", "decision", d.ID, d.CollectiveID, nil, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// CreateDecisions registers decisions already held, each with the steps
// it carries, in one transaction, all or none: each decision is created
// open and its steps recorded in order by the same rules (and audited
// alike) as one at a time, for a register brought in from the minutes
// kept before. An error names the item at fault.
func (db *DB) CreateDecisions(ctx context.Context, by jiti.UserID, ds []register.Decision) ([]*register.Decision, error) {
	var out []*register.Decision
	err := db.tx(ctx, func(tx *Tx) error {
		out = out[:0]
		for i, d := range ds {
			steps := d.Steps
			made, err := tx.createDecision(ctx, by, d)
			if err != nil {
				return atItem(err, i)
			}
			for _, s := range steps {
				if made, err = tx.recordDecisionStep(ctx, by, made.ID, s); err != nil {
					return atItem(err, i)
				}
			}
			out = append(out, made)
		}
		return nil
	})
	return out, err
}

// RecordDecisionStep records the next step of decision id and returns the
// decision as it then stands: a step that does not pass fails the
// decision, the resolution (step 4) passing adopts it.
func (db *DB) RecordDecisionStep(ctx context.Context, by jiti.UserID, id int64, s register.DecisionStep) (*register.Decision, error) {
	var out *register.Decision
	err := db.tx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.recordDecisionStep(ctx, by, id, s)
		return err
	})
	return out, err
}

func (t *Tx) recordDecisionStep(ctx context.Context, by jiti.UserID, id int64, s register.DecisionStep) (*register.Decision, error) {
	var cid int64
	if err := t.queryRow(ctx, `SELECT collective_id FROM decisions WHERE id = ?`, id).Scan(&cid); err != nil {
		return nil, notFound(err, "decision", id)
	}
	if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
		if errors.Is(err, jiti.ErrNotFound) {
			return nil, jiti.ErrNotFound.With("decision", id)
		}
		return nil, err
	}
	// The lock serializes the acts on the collective's registers, so two
	// people recording the same step cannot both succeed (the primary key
	// (decision_id, step) would refuse the second anyway).
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return nil, err
	}
	ds, err := t.db.loadDecisions(ctx, t, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	d := ds[0]
	old := struct {
		Status  register.DecisionStatus `json:"status"`
		Reached register.Step           `json:"reached"`
	}{d.Status, d.Reached}
	rec, err := d.Record(s)
	if err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `INSERT INTO decision_steps (decision_id, step, held_on, meeting, required, present, approve, content, passed, recorded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, int(rec.Step), dateArg(rec.HeldOn), string(rec.Meeting), rec.Required, rec.Present,
		rec.Approve, rec.Content, rec.Passed, timeArg(t.now)); err != nil {
		return nil, err
	}
	var adopted any
	if !d.AdoptedOn.IsZero() {
		adopted = dateArg(d.AdoptedOn)
	}
	if _, err := t.exec(ctx, `UPDATE decisions SET status = ?, reached = ?, adopted_on = ? WHERE id = ?`,
		string(d.Status), int(d.Reached), adopted, d.ID); err != nil {
		return nil, err
	}
	if err := t.audit(ctx, by, "decision.step", "decision", d.ID, d.CollectiveID, old, d); err != nil {
		return nil, err
	}
	return d, nil
}

// DecisionFilter selects decisions. Year is the year of a decision's
// proposal (step 1): a decision whose steps have not begun has none.
type DecisionFilter struct {
	CollectiveID int64
	Region       string
	Kind         register.DecisionKind
	Status       register.DecisionStatus
	Year         int
}

// FindDecisions returns the decisions that match f with their steps,
// ordered by collective and number.
func (db *DB) FindDecisions(ctx context.Context, f DecisionFilter) ([]*register.Decision, error) {
	where, args := []string{"1=1"}, []any{}
	if f.CollectiveID != 0 {
		where, args = append(where, "collective_id = ?"), append(args, f.CollectiveID)
	}
	if f.Region != "" {
		where, args = append(where, "collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)"), append(args, f.Region+"%")
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Year != 0 {
		where = append(where, "id IN (SELECT decision_id FROM decision_steps WHERE step = 1 AND held_on >= ? AND held_on <= ?)")
		args = append(args, dateArg(jiti.Date{Year: f.Year, Month: 1, Day: 1}), dateArg(jiti.Date{Year: f.Year, Month: 12, Day: 31}))
	}
	return db.loadDecisions(ctx, db.reader(), "WHERE "+strings.Join(where, " AND "), args...)
}

// FindDecision returns one decision with its steps.
func (db *DB) FindDecision(ctx context.Context, id int64) (*register.Decision, error) {
	ds, err := db.loadDecisions(ctx, db.reader(), `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, jiti.ErrNotFound.With("decision", id)
	}
	return ds[0], nil
}

// FindDecisionByNumber returns the decision numbered number of collective
// cid; its error (ErrDecisionUnknown) names the number, the caller places
// it on its field.
func (db *DB) FindDecisionByNumber(ctx context.Context, cid int64, number string) (*register.Decision, error) {
	ds, err := db.loadDecisions(ctx, db.reader(), `WHERE collective_id = ? AND number = ?`, cid, strings.TrimSpace(number))
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, ErrDecisionUnknown.With(number)
	}
	return ds[0], nil
}

// loadDecisions reads decisions by a WHERE clause, with their steps.
func (db *DB) loadDecisions(ctx context.Context, q querier, where string, args ...any) ([]*register.Decision, error) {
	rows, err := q.query(ctx, `SELECT id, collective_id, number, subject, kind, status, reached, adopted_on, note FROM decisions `+
		where+` ORDER BY collective_id, number`, args...)
	if err != nil {
		return nil, err
	}
	var out []*register.Decision
	byID := map[int64]*register.Decision{}
	for rows.Next() {
		d := &register.Decision{Steps: []register.DecisionStep{}}
		if err := rows.Scan(&d.ID, &d.CollectiveID, &d.Number, &d.Subject, &d.Kind, &d.Status, &d.Reached, dbDate{&d.AdoptedOn}, &d.Note); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
		byID[d.ID] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	for start := 0; start < len(out); start += 500 {
		part := out[start:min(start+500, len(out))]
		ids := make([]any, len(part))
		for i, d := range part {
			ids[i] = d.ID
		}
		rows, err := q.query(ctx, `SELECT decision_id, step, held_on, meeting, required, present, approve, content, passed FROM decision_steps
WHERE decision_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY decision_id, step`, ids...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var s register.DecisionStep
			if err := rows.Scan(&id, &s.Step, dbDate{&s.HeldOn}, &s.Meeting, &s.Required, &s.Present, &s.Approve, &s.Content, &s.Passed); err != nil {
				rows.Close()
				return nil, err
			}
			byID[id].Steps = append(byID[id].Steps, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Decisions lists the decisions of a collective in scope or a visible
// region.
func (v *View) Decisions(ctx context.Context, f DecisionFilter) ([]*register.Decision, error) {
	if err := v.requireRegisters(ctx, f.CollectiveID, f.Region); err != nil {
		return nil, err
	}
	return v.db.FindDecisions(ctx, f)
}

// FindDecision returns a decision of a collective in scope; any other is
// not found, as one that does not exist.
func (v *View) FindDecision(ctx context.Context, id int64) (*register.Decision, error) {
	d, err := v.db.FindDecision(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.requireCollective(ctx, d.CollectiveID) != nil {
		return nil, jiti.ErrNotFound.With("decision", id)
	}
	return d, nil
}
