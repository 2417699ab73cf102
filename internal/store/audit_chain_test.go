package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// eventAt returns the id of the event at seq of a collective's audit chain
// (0: the chain of no collective).
func eventAt(t testing.TB, db *store.DB, chain int64, seq int64) int64 {
	t.Helper()
	cond := "collective_id = " + itoa(chain)
	if chain == 0 {
		cond = "collective_id IS NULL"
	}
	id := storetest.Count(t, db, `SELECT id FROM audit_events WHERE `+cond+` AND seq = %d`, seq)
	if id == 0 {
		t.Fatalf("no event at seq %d of chain %d", seq, chain)
	}
	return id
}

// chainLength returns the number of events of a collective's audit chain,
// as its head, in the collective's row, holds it (audit_chains holds the
// chain of no collective's).
func chainLength(t testing.TB, db *store.DB, chain int64) int64 {
	t.Helper()
	if chain == 0 {
		return storetest.Count(t, db, `SELECT seq FROM audit_chains WHERE chain = %d`, chain)
	}
	if n := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_chains WHERE chain = %d`, chain); n != 0 {
		t.Fatalf("collective %d has its audit head in audit_chains", chain)
	}
	return storetest.Count(t, db, `SELECT audit_seq FROM collectives WHERE id = %d`, chain)
}

// only returns the problems of kind, failing unless there is exactly one
// problem in all and it is of that kind.
func onlyProblem(t testing.TB, rep *store.VerifyReport, kind string) store.Problem {
	t.Helper()
	if len(rep.Problems) != 1 || rep.Problems[0].Kind != kind {
		t.Fatalf("problems = %+v, want one %s", rep.Problems, kind)
	}
	return rep.Problems[0]
}

// TestDB_VerifyAuditChain tampers with the audit log behind the store's
// back, as someone with the database file could, and checks that verify
// finds and names each change: an event deleted in the middle of a chain,
// an event edited, the last event deleted, an event slipped in, in the
// chains of collectives and in the chain of no collective.
func TestDB_VerifyAuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cids := map[string]int64{}
		for i, name := range []string{"gap", "edit", "tail", "slipped"} {
			c := f.AddCollective(t, []string{"211", "212", "213", "214"}[i], name)
			cids[name] = c.ID
			verifyBooks(t, f, c.ID)
		}
		rep, err := db.Verify(bg, 0)
		ok(t, err)
		if !rep.OK() || rep.AuditEvents < 80 {
			t.Fatalf("clean log: %+v", rep)
		}

		t.Run("ErrDeletedInTheMiddle", func(t *testing.T) {
			cid := cids["gap"]
			before, gone, after := eventAt(t, db, cid, 6), eventAt(t, db, cid, 7), eventAt(t, db, cid, 8)
			ok(t, storetest.Exec(db, `DELETE FROM audit_events WHERE id = ?`, gone))
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			p := onlyProblem(t, rep, "verify.audit_gap")
			if p.CollectiveID != cid || p.EventID != after ||
				!strings.Contains(p.Detail, "seq 7 missing between events #"+itoa(before)+" and #"+itoa(after)) {
				t.Fatalf("gap problem = %+v, want seq 7 between #%d and #%d", p, before, after)
			}
		})
		t.Run("ErrEdited", func(t *testing.T) {
			cid := cids["edit"]
			id := eventAt(t, db, cid, 7)
			ok(t, storetest.Exec(db, `UPDATE audit_events SET new_value = ? WHERE id = ?`, `{"status":"draft"}`, id))
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			if p := onlyProblem(t, rep, "verify.audit_hash"); p.EventID != id {
				t.Fatalf("hash problem names event %d, want %d", p.EventID, id)
			}
			// Who did it and when are covered too.
			ok(t, storetest.Exec(db, `UPDATE audit_events SET new_value = ?, user_id = ? WHERE id = ?`,
				storetest.Rows(t, db, `SELECT new_value FROM audit_events WHERE id = %d`, eventAt(t, db, cid, 8))[0][0], int64(f.Approver), eventAt(t, db, cid, 8)))
			rep, err = db.Verify(bg, cid)
			ok(t, err)
			if len(rep.Problems) != 2 || rep.Problems[1].EventID != eventAt(t, db, cid, 8) {
				t.Fatalf("problems = %+v, want the events at seq 7 and 8", rep.Problems)
			}
		})
		t.Run("ErrLastDeleted", func(t *testing.T) {
			cid := cids["tail"]
			n := chainLength(t, db, cid)
			last := eventAt(t, db, cid, n)
			ok(t, storetest.Exec(db, `DELETE FROM audit_events WHERE id = ?`, last))
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			p := onlyProblem(t, rep, "verify.audit_head")
			if p.CollectiveID != cid || !strings.Contains(p.Detail, "seq "+itoa(n)+" missing after event #"+itoa(eventAt(t, db, cid, n-1))) {
				t.Fatalf("head problem = %+v, want seq %d missing", p, n)
			}
		})
		t.Run("ErrSlippedIn", func(t *testing.T) {
			cid := cids["slipped"]
			ok(t, storetest.Exec(db, `INSERT INTO audit_events (at, action, entity, entity_id, collective_id) VALUES (?, ?, ?, ?, ?)`,
				"2025-12-31T10:00:00Z", "voucher.post", "voucher", "1", cid))
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			if p := onlyProblem(t, rep, "verify.audit_unchained"); p.EventID == 0 {
				t.Fatalf("unchained problem names no event: %+v", p)
			}
		})
		t.Run("ErrNoCollective", func(t *testing.T) {
			// The chain of no collective holds the users and regions.
			gone := eventAt(t, db, 0, 2)
			ok(t, storetest.Exec(db, `DELETE FROM audit_events WHERE id = ?`, gone))
			rep, err := db.Verify(bg, 0)
			ok(t, err)
			found := false
			for _, p := range rep.Problems {
				if p.Kind == "verify.audit_gap" && p.CollectiveID == 0 && p.EventID == eventAt(t, db, 0, 3) &&
					strings.Contains(p.Detail, "audit chain of no collective: events seq 2 missing") {
					found = true
				}
			}
			if !found {
				t.Fatalf("no gap named in the chain of no collective: %+v", rep.Problems)
			}
		})
	})
}

// TestDB_AuditChainMigrates takes a database back to before the chains
// (the columns of migration 7 dropped, its events unchained), migrates it
// again, and checks that its events were chained in id order and that
// verify finds it clean.
func TestDB_AuditChainMigrates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		verifyBooks(t, f, f.A.ID)
		a := addAsset(t, f, asset(f.B.ID, "ZC-001", "2025-02-10", "24000", 120))
		ok(t, db.ChangeAssetStatus(bg, f.Accountant, a.ID, register.Idle, D("2025-03-01"), "闲置"))
		// Events of earlier versions held what changed, not whole records.
		ok(t, storetest.Exec(db, `UPDATE audit_events SET new_value = ? WHERE action = 'asset.status'`,
			`{"note":"闲置","since":"2025-03-01","status":"idle"}`))
		events := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_events`)
		for _, q := range []string{
			`ALTER TABLE audit_events DROP COLUMN seq`,
			`ALTER TABLE audit_events DROP COLUMN prev_hash`,
			`ALTER TABLE audit_events DROP COLUMN hash`,
			`DROP TABLE audit_chains`,
			`ALTER TABLE collectives DROP COLUMN audit_seq`,
			`ALTER TABLE collectives DROP COLUMN audit_head`,
			`DELETE FROM schema_migrations WHERE version IN (7, 13)`, // the others stay applied
		} {
			ok(t, storetest.Exec(db, q))
		}
		applied, err := db.Migrate(bg)
		ok(t, err)
		if len(applied) != 2 || applied[0] != "0007_audit_chain" || applied[1] != "0013_audit_heads" {
			t.Fatalf("applied %v", applied)
		}
		rep, err := db.Verify(bg, 0)
		ok(t, err)
		if !rep.OK() || int64(rep.AuditEvents) < events {
			t.Fatalf("after migration: %+v (%d events before)", rep, events)
		}
		// In id order: the chain of A runs with the ids.
		rows := storetest.Rows(t, db, `SELECT id, seq FROM audit_events WHERE collective_id = %d ORDER BY id`, f.A.ID)
		for i, r := range rows {
			if r[1] != itoa(int64(i+1)) {
				t.Fatalf("event %s at seq %s, want %d", r[0], r[1], i+1)
			}
		}
		if chainLength(t, db, f.A.ID) != int64(len(rows)) {
			t.Fatalf("head of A at %d, %d events", chainLength(t, db, f.A.ID), len(rows))
		}
		// Every record got a baseline to be compared with from now on.
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'audit.baseline'`); n != 4 {
			t.Fatalf("%d baseline events, want the asset and three users", n)
		}
		ok(t, storetest.Exec(db, `UPDATE assets SET cost = 1 WHERE id = ?`, a.ID))
		wantRecord(t, recordProblems(t, db, f.B.ID), "verify.record_changed", "asset", a.ID, "cost")
	})
}

// TestDB_AuditChainConcurrency extends the chains from many writers at
// once, as a server does: postings to two collectives, households added
// (a write that takes no collective lock before its audit), users created
// and failed sign-ins (the chain of no collective). Every act succeeds
// (no deadlock between a collective's row and its chain's head, or with
// the chain of no collective) and the chains verify clean.
func TestDB_AuditChainConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		var vs []*ledger.Voucher
		for i := 0; i < 24; i++ {
			vs = append(vs, V([]int64{f.A.ID, f.B.ID}[i%2], fmt.Sprintf("2025-05-%02d", 1+i), rent(fmt.Sprint(10+i))...))
		}
		ids := approveMany(t, f, vs)
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		run := func(n int, act func(i int) error) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < n; i++ {
					if err := act(i); err != nil {
						errs <- err
					}
				}
			}()
		}
		for w := 0; w < 4; w++ {
			run(len(ids)/4, func(i int) error {
				_, err := db.PostVoucher(bg, f.Accountant, ids[w*len(ids)/4+i])
				return err
			})
		}
		for _, cid := range []int64{f.A.ID, f.B.ID} {
			run(6, func(i int) error {
				return db.CreateHouseholds(bg, f.Accountant, cid, []store.Household{{Code: fmt.Sprintf("C%d", i), Name: "农户"}})
			})
		}
		run(6, func(i int) error {
			_, err := db.CreateUser(bg, f.Admin, jiti.User{Name: fmt.Sprintf("bingfa%d", i), Role: jiti.RoleCountyViewer, ScopeRegion: "620422"})
			return err
		})
		run(6, func(i int) error {
			_, err := db.Authenticate(bg, "admin", "wrong password", "127.0.0.1")
			if err != nil && jiti.KindOf(err) == jiti.Internal {
				return err
			}
			return nil
		})
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		verifyOK(t, db)
	})
}
