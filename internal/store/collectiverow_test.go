package store_test

import (
	"strconv"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// A transaction writes the row of a collective it holds locked once, at
// commit, however many of its writes move the collective's revision and
// the head of its voucher chain: every UPDATE of that row is one more
// statement the server runs under the lock every writer of the collective
// waits for. The revision still moves, and the chain's head is the last
// voucher's.
func TestDB_CollectiveRowWrittenOncePerAct(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, raw *storetest.Raw) {
		f := storetest.Seed(t, db)
		// A trigger counts the updates of the collective's row.
		setup := []string{`CREATE TABLE test_collective_updates (collective_id BIGINT NOT NULL)`}
		if raw.Postgres {
			setup = append(setup, `CREATE FUNCTION test_count_update() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO test_collective_updates VALUES (NEW.id); RETURN NEW; END $$`,
				`CREATE TRIGGER test_count_update AFTER UPDATE ON collectives FOR EACH ROW EXECUTE FUNCTION test_count_update()`)
		} else {
			setup = append(setup, `CREATE TRIGGER test_count_update AFTER UPDATE ON collectives
BEGIN INSERT INTO test_collective_updates VALUES (NEW.id); END`)
		}
		for _, q := range setup {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		row := func() (updates, rev, seq int64) {
			t.Helper()
			if err := raw.QueryRow(`SELECT COUNT(*) FROM test_collective_updates WHERE collective_id = ` + strconv.FormatInt(f.A.ID, 10)).Scan(&updates); err != nil {
				t.Fatal(err)
			}
			if err := raw.QueryRow(`SELECT rev, chain_seq FROM collectives WHERE id = `+strconv.FormatInt(f.A.ID, 10)).Scan(&rev, &seq); err != nil {
				t.Fatal(err)
			}
			return
		}
		act := func(name string, chain int64, fn func()) {
			t.Helper()
			u0, r0, s0 := row()
			fn()
			u1, r1, s1 := row()
			if u1-u0 != 1 || r1-r0 != 1 || s1-s0 != chain {
				t.Errorf("%s: %d updates of the collective's row, revision +%d, chain +%d; want 1, +1, +%d", name, u1-u0, r1-r0, s1-s0, chain)
			}
		}
		var ids []int64
		act("create", 0, func() { ids = append(ids, create(t, f, f.A.ID, "2025-03-05", rent("100")...).ID) })
		act("approve", 0, func() { ok(t, db.ApproveVoucher(bg, f.Approver, ids[0])) })
		act("post", 1, func() {
			_, err := db.PostVoucher(bg, f.Accountant, ids[0])
			ok(t, err)
		})
		for i := 0; i < 3; i++ {
			approved(t, f, f.A.ID, "2025-04-05", rent("10")...)
		}
		act("post three", 3, func() {
			n, err := db.PostVouchers(bg, f.Accountant, f.A.ID, P("2025-04"), P("2025-04"))
			ok(t, err)
			if n != 3 {
				t.Fatalf("posted %d, want 3", n)
			}
		})
		rep, err := db.Verify(bg, 0)
		ok(t, err)
		if !rep.OK() {
			t.Fatalf("verify: %+v", rep.Problems)
		}
	})
}
