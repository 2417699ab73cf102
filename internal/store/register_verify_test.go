package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// regModel drives the registers of a collective with random operations,
// each one valid, in its first open month.
type regModel struct {
	t    *testing.T
	db   *store.DB
	f    *storetest.Fixture
	rng  *rand.Rand
	cid  int64
	cur  jiti.Period // the first open month: every operation is dated in it
	ids  []int64     // the assets
	ks   []int64     // the contracts signed
	n    int
	done map[string]int
}

func (m *regModel) pick(n int) int { return m.rng.IntN(n) }

// dateFrom returns a random day of the current month no earlier than from.
func (m *regModel) dateFrom(from jiti.Date) (jiti.Date, bool) {
	first := m.cur.First()
	if from.After(m.cur.Last()) {
		return jiti.Date{}, false
	}
	if from.Before(first) {
		from = first
	}
	last := m.cur.Last().Day
	return jiti.Date{Year: first.Year, Month: first.Month, Day: from.Day + m.pick(last-from.Day+1)}, true
}

// assets returns the collective's assets whose status is one of ss.
func (m *regModel) assets(ss ...register.Status) []*register.Asset {
	var out []*register.Asset
	for _, id := range m.ids {
		a := findAsset(m.t, m.db, id)
		for _, s := range ss {
			if a.Status == s {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

func (m *regModel) step(i int) {
	t, db, f := m.t, m.db, m.f
	fail := func(op string, err error) {
		t.Helper()
		t.Fatalf("operation %d in collective %d, %s: %v", i, m.cid, op, err)
	}
	own := []register.Status{register.InUse, register.SelfOperated, register.Idle}
	switch r := m.pick(100); {
	case r < 22 || len(m.ids) < 3:
		m.n++
		on, _ := m.dateFrom(m.cur.First())
		a := asset(m.cid, fmt.Sprintf("ZC-%03d", m.n), on.String(), jiti.Amount(50_000+m.pick(20_000_000)).String(), 12+m.pick(229))
		a.Category = []register.AssetCategory{register.Building, register.Structure, register.Machinery, register.Equipment, register.Vehicle}[m.pick(5)]
		a.Use = []register.Use{register.ForManagement, register.ForProduction, register.ForWelfare}[m.pick(3)]
		a.ResidualRate = []int{0, 300, 500}[m.pick(3)]
		if m.pick(8) == 0 {
			a.Method, a.LifeMonths, a.TotalWork = register.UnitsOfWork, 0, int64(1000+m.pick(100_000))
		}
		out, err := db.CreateAsset(bg, f.Accountant, store.AssetInput{Asset: a, Credit: []string{"10201", "101", "211"}[m.pick(3)]})
		if err != nil {
			fail("create asset "+a.Code, err)
		}
		m.ids = append(m.ids, out.ID)
		m.done["asset"]++
	case r < 26 && len(m.ks) > 0:
		k := findContract(t, db, m.ks[m.pick(len(m.ks))])
		on, ok := m.dateFrom(k.SignedOn)
		if k.Status != register.InForce || !ok || on.After(k.End) {
			return
		}
		if err := db.TerminateContract(bg, f.Accountant, k.ID, on, "提前解除"); err != nil {
			fail(fmt.Sprintf("terminate %s on %v", k.Code, on), err)
		}
		m.done["terminate"]++
	case r < 36:
		as := m.assets(own...)
		if len(as) == 0 {
			return
		}
		a := as[m.pick(len(as))]
		on, ok := m.dateFrom(a.StatusSince)
		to := own[m.pick(len(own))]
		if !ok || to == a.Status {
			return
		}
		if err := db.ChangeAssetStatus(bg, f.Accountant, a.ID, to, on, "随机"); err != nil {
			fail(fmt.Sprintf("status of %s %s → %s on %v", a.Code, a.Status, to, on), err)
		}
		m.done["status"]++
	case r < 42:
		for _, a := range m.assets(register.InUse, register.SelfOperated, register.Idle, register.LeasedOut, register.Invested, register.Cooperating) {
			if a.Method == register.UnitsOfWork && m.pick(2) == 0 {
				if err := db.RecordAssetWork(bg, f.Accountant, a.ID, m.cur, int64(m.pick(int(a.TotalWork)/10+1))); err != nil {
					fail("work of "+a.Code, err)
				}
				m.done["work"]++
			}
		}
	case r < 50:
		as := m.assets(register.InUse, register.SelfOperated, register.Idle, register.LeasedOut, register.Invested, register.Cooperating)
		if len(as) == 0 {
			return
		}
		a := as[m.pick(len(as))]
		on, ok := m.dateFrom(a.StatusSince)
		if !ok {
			return
		}
		d := store.Disposal{Date: on, Reason: "随机处置"}
		if m.pick(2) == 0 {
			d.Proceeds, d.ProceedsAccount = jiti.Amount(m.pick(int(a.Cost))), "10201"
		}
		if m.pick(3) == 0 {
			d.Costs, d.CostsAccount = jiti.Amount(1+m.pick(50_000)), "101"
		}
		if _, err := db.DisposeAsset(bg, f.Accountant, a.ID, d); err != nil {
			fail(fmt.Sprintf("dispose of %s on %v", a.Code, on), err)
		}
		m.done["dispose"]++
	case r < 64:
		as := m.assets(own...)
		if len(as) == 0 {
			return
		}
		a := as[m.pick(len(as))]
		start, ok := m.dateFrom(a.StatusSince)
		if !ok {
			return
		}
		end := start.AddDays(60 + m.pick(700))
		kind := []register.ContractKind{register.Lease, register.Lease, register.Equity, register.Cooperation}[m.pick(4)]
		freq := []register.Frequency{register.Once, register.Yearly, register.HalfYearly, register.Quarterly, register.Monthly}[m.pick(5)]
		m.n++
		c := contract(m.cid, fmt.Sprintf("HT-%03d", m.n), kind, start.String(), end.String(),
			jiti.Amount(100_000+m.pick(10_000_000)).String(), freq, subjectAsset(a.ID))
		c.Accrue = m.pick(3) == 0
		k, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: c})
		if err != nil {
			fail("create contract "+c.Code, err)
		}
		if err := db.SignContract(bg, f.Accountant, k.ID, start); err != nil {
			fail(fmt.Sprintf("sign %s on %s (%s since %v)", c.Code, a.Code, a.Status, a.StatusSince), err)
		}
		m.ks = append(m.ks, k.ID)
		m.done["contract"]++
	case r < 84:
		if len(m.ks) == 0 {
			return
		}
		id := m.ks[m.pick(len(m.ks))]
		on, _ := m.dateFrom(m.cur.First())
		var due, total jiti.Amount
		for _, in := range schedule(t, db, id) {
			if in.Outstanding() > 0 {
				total += in.Outstanding()
				if !in.DueOn.After(on) {
					due += in.Outstanding()
				}
			}
		}
		in := store.ReceiptInput{Date: on, Account: []string{"10201", "101"}[m.pick(2)]}
		switch {
		case due > 0 && m.pick(4) > 0:
			in.Amount = jiti.Amount(1 + m.pick(int(due)))
		case total > 0:
			in.Amount, in.Advance = jiti.Amount(1+m.pick(int(total))), true
		default:
			in.Amount, in.Over = jiti.Amount(1+m.pick(100_000)), true
		}
		if _, err := db.RecordReceipt(bg, f.Accountant, id, in); err != nil {
			fail(fmt.Sprintf("receipt of %v on contract %d on %v (due %v of %v)", in.Amount, id, on, due, total), err)
		}
		m.done["receipt"]++
	default:
		m.close(i)
	}
}

func (m *regModel) close(i int) {
	if m.cur >= P("2025-12") {
		return
	}
	if err := m.db.ClosePeriod(bg, m.f.Accountant, m.cid, m.cur); err != nil {
		m.t.Fatalf("operation %d: close %s of %d: %v", i, m.cur, m.cid, err)
	}
	m.cur = m.cur.Next()
	m.done["close"]++
}

// TestDB_RegistersVerify drives the registers of two collectives with random
// operations (assets bought, status changes, work, disposals, leases,
// equity and cooperation, terminations, receipts, month closes),
// deterministically from seeds, then checks that the registers agree with
// the books and that Verify finds a register tampered with.
func TestDB_RegistersVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		var ms []*regModel
		for i, cid := range []int64{f.A.ID, f.B.ID} {
			ms = append(ms, &regModel{t: t, db: db, f: f, rng: rand.New(rand.NewPCG(20250101, uint64(i+1))), cid: cid,
				cur: P("2025-01"), done: map[string]int{}})
		}
		pick := rand.New(rand.NewPCG(7, 11))
		for i := 1; i <= 160; i++ {
			ms[pick.IntN(2)].step(i)
		}
		for _, m := range ms {
			for m.cur < P("2025-08") {
				m.close(0)
			}
			t.Logf("collective %d: %v, first open month %s", m.cid, m.done, m.cur)
			for _, op := range []string{"asset", "status", "dispose", "contract", "receipt", "close"} {
				if m.done[op] < 2 {
					t.Fatalf("collective %d: the random operations hardly exercise %s: %v", m.cid, op, m.done)
				}
			}
		}
		t.Run("OK", func(t *testing.T) {
			verifyClean(t, db, 0)
			for _, m := range ms {
				registerAgrees(t, db, m.cid, "2025-12")
			}
		})
		cid := f.A.ID
		registerProblem := func(t *testing.T, kind, account string) {
			t.Helper()
			_, ps := problems(t, db, cid)
			for _, p := range ps {
				if p.Kind == kind && (account == "" || strings.HasPrefix(p.Detail, account+":")) {
					return
				}
			}
			t.Fatalf("no %s problem on %s: %+v", kind, account, ps)
		}
		var victim, period int64
		for _, r := range storetest.Rows(t, db, `SELECT d.asset_id, d.period FROM asset_depreciation d JOIN assets a ON a.id = d.asset_id
WHERE a.collective_id = %d AND a.status <> 'disposed' ORDER BY d.asset_id, d.period`, cid) {
			fmt.Sscan(r[0], &victim)
			fmt.Sscan(r[1], &period)
			break
		}
		if victim == 0 {
			t.Fatal("no depreciation to tamper with")
		}
		t.Run("ErrCost", func(t *testing.T) {
			ok(t, storetest.Exec(db, `UPDATE assets SET cost = cost + 100 WHERE id = ?`, victim))
			registerProblem(t, "verify.register_balance", "151")
			ok(t, storetest.Exec(db, `UPDATE assets SET cost = cost - 100 WHERE id = ?`, victim))
			verifyClean(t, db, cid)
		})
		t.Run("ErrDepreciationTotals", func(t *testing.T) {
			// The running totals closing reads, changed behind jiti's
			// back, disagree with the history (and so with the books).
			for _, col := range []string{"accumulated", "months", "last_period"} {
				ok(t, storetest.Exec(db, `UPDATE asset_dep_totals SET `+col+` = `+col+` + 1 WHERE asset_id = ?`, victim))
				registerProblem(t, "verify.depreciation_totals", "")
				ok(t, storetest.Exec(db, `UPDATE asset_dep_totals SET `+col+` = `+col+` - 1 WHERE asset_id = ?`, victim))
				verifyClean(t, db, cid)
			}
		})
		t.Run("ErrDepreciation", func(t *testing.T) {
			ok(t, storetest.Exec(db, `DELETE FROM asset_depreciation WHERE asset_id = ? AND period = ?`, victim, period))
			registerProblem(t, "verify.register_balance", "152")
			registerProblem(t, "verify.depreciation_totals", "")
		})
		t.Run("ErrOnlyAsset", func(t *testing.T) {
			// A collective whose one asset is marked disposed behind the
			// store's back: its cost is still in 151.
			c := f.AddCollective(t, "203", "西坪")
			a := addAsset(t, f, asset(c.ID, "ZC-1", "2025-03-01", "5000", 60))
			verifyClean(t, db, c.ID)
			ok(t, storetest.Exec(db, `UPDATE assets SET status = 'disposed', disposed_on = '2025-04-01' WHERE id = ?`, a.ID))
			_, ps := problems(t, db, c.ID)
			for _, p := range ps {
				if p.Kind == "verify.register_balance" && strings.HasPrefix(p.Detail, "151:") {
					return
				}
			}
			t.Fatalf("the register lost its only asset, 151 still holds 5000, and verify finds %+v", ps)
		})
		t.Run("ErrReceipt", func(t *testing.T) {
			ok(t, storetest.Exec(db, `UPDATE receipts SET amount = amount + 1 WHERE id = (SELECT MIN(id) FROM receipts WHERE collective_id = ?)`, f.B.ID))
			_, ps := problems(t, db, f.B.ID)
			if len(ps) != 1 || ps[0].Kind != "verify.receipt" || ps[0].VoucherID == 0 {
				t.Fatalf("problems of B = %+v, want the one receipt", ps)
			}
		})
	})
}

func TestDB_CloseMonths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		c := f.AddCollective(t, "203", "西坪")
		cids := []int64{f.A.ID, f.B.ID, c.ID}
		for _, cid := range cids {
			addAsset(t, f, asset(cid, "ZC-1", "2025-01-05", "1200", 12))
		}
		draft := create(t, f, f.B.ID, "2025-01-20", rent("100")...)
		results := func(res []store.MonthClose) map[int64]bool {
			out := map[int64]bool{}
			for _, r := range res {
				out[r.CollectiveID] = r.Closed
			}
			return out
		}
		t.Run("OK", func(t *testing.T) {
			res, err := db.CloseMonths(bg, f.Accountant, "620422100", P("2025-01"))
			ok(t, err)
			if len(res) != 3 || !res[0].Closed || res[1].Closed || !res[2].Closed {
				t.Fatalf("close January: %+v", res)
			}
			if res[1].CollectiveID != f.B.ID || res[1].Code != f.B.Code || !errors.Is(res[1].Err, ledger.ErrPeriodHasDrafts) {
				t.Fatalf("B not closed for %+v", res[1])
			}
			ok(t, db.DeleteVoucher(bg, f.Accountant, draft.ID))
			res, err = db.CloseMonths(bg, f.Accountant, "620422100", P("2025-01"))
			ok(t, err)
			if got := results(res); !got[f.B.ID] || got[f.A.ID] || !errors.Is(res[0].Err, ledger.ErrPeriodAlready) {
				t.Fatalf("close January again: %+v", res)
			}
			res, err = db.CloseMonths(bg, f.Accountant, "620422", P("2025-02"))
			ok(t, err)
			if got := results(res); !got[f.A.ID] || !got[f.B.ID] || !got[c.ID] {
				t.Fatalf("close February: %+v", res)
			}
			// Each collective's depreciation is its own voucher.
			for _, cid := range cids {
				v := closeVoucher(t, db, cid, "2025-02", "depreciation")
				if v == nil || v.CollectiveID != cid {
					t.Fatalf("collective %d: February's depreciation voucher %+v", cid, v)
				}
				wantLines(t, v, dr("513", "100", "ZC-1"), cr("152", "100", "ZC-1"))
			}
			res, err = db.CloseMonths(bg, f.Accountant, "620422100201", P("2025-03"))
			ok(t, err)
			if len(res) != 1 || res[0].CollectiveID != f.A.ID || !res[0].Closed {
				t.Fatalf("close March of A alone: %+v", res)
			}
		})
		t.Run("ErrRole", func(t *testing.T) {
			res, err := db.CloseMonths(bg, f.Approver, "620422100", P("2025-04"))
			ok(t, err)
			for _, r := range res {
				if r.Closed || !errors.Is(r.Err, jiti.ErrRoleCannot) {
					t.Fatalf("closed by the approver: %+v", r)
				}
			}
		})
	})
}
