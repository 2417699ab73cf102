package store

import (
	"context"
	"database/sql"
	"errors"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// Errors of references to decisions.
var (
	ErrDecisionUnknown     = jiti.Errorf(jiti.Invalid, "decision.unknown")
	ErrDecisionNotAdopted  = jiti.Errorf(jiti.Invalid, "decision.not_adopted")
	ErrDecisionKindOther   = jiti.Errorf(jiti.Invalid, "decision.wrong_kind")
	ErrDecisionAfterTheAct = jiti.Errorf(jiti.Invalid, "decision.after_the_act")
)

// adoptedDecision finds the decision numbered number of collective cid that
// an act of one of kinds on day rests on, and returns its id: it must be
// the collective's, adopted (its resolution passed), of one of kinds (any
// when none is given) and adopted on or before day (when day is set). Its
// errors name the number; the caller places them on its field.
func (t *Tx) adoptedDecision(ctx context.Context, cid int64, number string, day jiti.Date, kinds ...register.DecisionKind) (int64, error) {
	var (
		id      int64
		kind    string
		status  string
		adopted jiti.Date
	)
	err := t.queryRow(ctx, `SELECT id, kind, status, adopted_on FROM decisions WHERE collective_id = ? AND number = ?`, cid, number).
		Scan(&id, &kind, &status, dbDate{&adopted})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrDecisionUnknown.With(number)
	}
	if err != nil {
		return 0, err
	}
	if register.DecisionStatus(status) != register.DecisionAdopted {
		return 0, ErrDecisionNotAdopted.With(number)
	}
	if len(kinds) > 0 && !hasKind(kinds, register.DecisionKind(kind)) {
		return 0, ErrDecisionKindOther.With(number)
	}
	if !day.IsZero() && !adopted.IsZero() && day.Before(adopted) {
		return 0, ErrDecisionAfterTheAct.With(number, adopted)
	}
	return id, nil
}

func hasKind(kinds []register.DecisionKind, k register.DecisionKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// decisionAt places an error of adoptedDecision on the field of the act
// that names the decision; other errors pass as they are.
func decisionAt(err error, field string) error {
	if e := jiti.AsError(err); e != nil && e.Field == "" {
		return e.At(field)
	}
	return err
}
