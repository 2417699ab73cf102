package storetest

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// AdoptedDecision adds an adopted decision of kind (register.DecisionKind's
// text) numbered number to collective cid, adopted on (YYYY-MM-DD),
// straight into the table, for tests of acts that rest on a decision
// without recording its steps.
func AdoptedDecision(t testing.TB, db *store.DB, cid int64, number, kind, on string) {
	t.Helper()
	must(t, Exec(db, `INSERT INTO decisions (collective_id, number, subject, kind, status, reached, adopted_on, created_at)
VALUES (?, ?, ?, ?, 'adopted', 4, ?, ?)`, cid, number, "决议 "+number, kind, jiti.MustDate(on).String(), Now.Format("2006-01-02T15:04:05Z")))
}
