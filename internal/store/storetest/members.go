package storetest

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// MembershipDecision adds an adopted decision of kind membership numbered
// number to collective cid, adopted on (YYYY-MM-DD), straight into the
// table, for tests of the members' register that need a decision to rest
// on without recording its steps.
func MembershipDecision(t testing.TB, db *store.DB, cid int64, number, on string) {
	t.Helper()
	must(t, Exec(db, `INSERT INTO decisions (collective_id, number, subject, kind, status, reached, adopted_on, created_at)
VALUES (?, ?, ?, 'membership', 'adopted', 4, ?, ?)`, cid, number, "成员资格确认 "+number, jiti.MustDate(on).String(), Now.Format("2006-01-02T15:04:05Z")))
}
