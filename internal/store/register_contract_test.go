package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// contract returns a draft contract of collective cid of kind k, awarded by
// negotiation (with no decision: see adoptDecision), with a unit as its party, earning to 50101
// (502 for equity), over start..end for amount paid at frequency freq.
func contract(cid int64, code string, k register.ContractKind, start, end, amount string, freq register.Frequency,
	subjects ...register.Subject) register.Contract {
	income := "50101"
	if k == register.Equity {
		income = "502"
	}
	return register.Contract{CollectiveID: cid, Code: code, Name: "合同" + code, Kind: k,
		Party: register.Party{Kind: register.Unit, Name: "会宁县丰源农业有限公司"}, Subjects: subjects,
		Start: D(start), End: D(end), Amount: A(amount), Frequency: freq, IncomeAccount: income,
		Award: register.Negotiation}
}

func subjectAsset(id int64) register.Subject    { return register.Subject{AssetID: id} }
func subjectResource(id int64) register.Subject { return register.Subject{ResourceID: id} }

// addContract registers a draft by the accountant and, when signed is a
// date, signs it then; it returns the contract as read back.
func addContract(t testing.TB, f *storetest.Fixture, c register.Contract, signed string) *register.Contract {
	t.Helper()
	out, err := f.DB.CreateContract(bg, f.Accountant, store.ContractInput{Contract: c})
	ok(t, err)
	if signed != "" {
		ok(t, f.DB.SignContract(bg, f.Accountant, out.ID, D(signed)))
	}
	return findContract(t, f.DB, out.ID)
}

func findContract(t testing.TB, db *store.DB, id int64) *register.Contract {
	t.Helper()
	c, err := db.FindContract(bg, id)
	ok(t, err)
	return c
}

func addResource(t testing.TB, f *storetest.Fixture, cid int64, code, area string, use register.ResourceUse) *register.Resource {
	t.Helper()
	a, err := register.ParseArea(area)
	ok(t, err)
	r, err := f.DB.CreateResource(bg, f.Accountant, register.Resource{CollectiveID: cid, Code: code, Name: "土地" + code,
		Kind: register.Cultivated, Area: a, Use: use, UseSince: D("2025-01-01")})
	ok(t, err)
	return r
}

func findResource(t testing.TB, db *store.DB, cid int64, code string) *register.Resource {
	t.Helper()
	r, err := db.FindResourceByCode(bg, cid, code)
	ok(t, err)
	return r
}

func schedule(t testing.TB, db *store.DB, id int64) []register.Instalment {
	t.Helper()
	insts, err := db.Instalments(bg, id)
	ok(t, err)
	return insts
}

func receive(t testing.TB, f *storetest.Fixture, id int64, date, amount string) *store.Receipt {
	t.Helper()
	r, err := f.DB.RecordReceipt(bg, f.Accountant, id, store.ReceiptInput{Date: D(date), Amount: A(amount), Account: "10201"})
	ok(t, err)
	return r
}

// postings returns what a voucher books, net per account (debit positive),
// leaving out the accounts it nets to zero.
func postings(v *ledger.Voucher) map[string]jiti.Amount {
	m := map[string]jiti.Amount{}
	for _, l := range v.Lines {
		m[l.Account] += l.Debit - l.Credit
	}
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
	return m
}

// wantPostings checks a voucher's net postings given as "account:amount"
// (credits negative).
func wantPostings(t testing.TB, v *ledger.Voucher, want ...string) {
	t.Helper()
	w := map[string]jiti.Amount{}
	for _, s := range want {
		acct, amount, _ := strings.Cut(s, ":")
		w[acct] += A(amount)
	}
	if got := postings(v); !reflect.DeepEqual(got, w) {
		t.Fatalf("voucher %d (%s) books %v, want %v", v.ID, v.Note, got, w)
	}
}

// closeVoucher returns the voucher the contract step of closing month p
// posted for collective cid (nil when nothing was due).
func closeVoucher(t testing.TB, db *store.DB, cid int64, p, step string) *ledger.Voucher {
	t.Helper()
	id := storetest.Count(t, db, `SELECT voucher_id FROM register_closes WHERE collective_id = %d AND period = %d AND step = '%s'`,
		cid, int(P(p)), step)
	if id == 0 {
		return nil
	}
	return findVoucher(t, db, id)
}

// row returns the trial balance row of code over from..to, zero when none.
func row(t testing.TB, db *store.DB, cid int64, from, to, code string) ledger.TBRow {
	t.Helper()
	if r := trialBalance(t, db, cid, from, to).Row(code); r != nil {
		return *r
	}
	return ledger.TBRow{Code: code}
}

func TestDB_Contracts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		l1 := addAsset(t, f, asset(cid, "ZC-L1", "2025-01-01", "10000", 120))
		l2 := addAsset(t, f, asset(cid, "ZC-L2", "2025-01-01", "10000", 120))
		e1 := addAsset(t, f, asset(cid, "ZC-E1", "2025-01-01", "10000", 120))
		i1 := addAsset(t, f, existing(cid, "ZC-I1", "2015-01-01", "10000", 240, "5000", 120, register.Idle, "2024-03-01"))
		r1 := addResource(t, f, cid, "ZY-R1", "10", register.CollectiveOperated)
		bAsset := addAsset(t, f, asset(f.B.ID, "ZC-B1", "2025-01-01", "10000", 120))
		var k1 *register.Contract
		t.Run("OKSchedule", func(t *testing.T) {
			c, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: contract(cid, "HT-001", register.Lease,
				"2025-01-01", "2027-12-31", "10000", register.Yearly, subjectAsset(l1.ID))})
			ok(t, err)
			k1 = findContract(t, db, c.ID)
			if k1.Status != register.ContractDraft || k1.Code != "HT-001" || len(k1.Subjects) != 1 || k1.Subjects[0].AssetID != l1.ID {
				t.Fatalf("contract = %+v", k1)
			}
			insts := schedule(t, db, c.ID)
			var sum jiti.Amount
			for _, in := range insts {
				sum += in.Amount
			}
			if len(insts) != 3 || sum != A("10000") || insts[0].Amount != A("3333.34") || insts[2].Amount != A("3333.33") ||
				insts[1].DueOn != D("2026-01-01") || insts[1].From != D("2026-01-01") || insts[1].To != D("2026-12-31") {
				t.Fatalf("schedule = %+v (sum %v)", insts, sum)
			}
			if a := findAsset(t, db, l1.ID); a.Status != register.InUse {
				t.Fatalf("a draft changed its asset: %+v", a)
			}
			e := lastEvent(t, db, "contract.create")
			if e.EntityID != itoa(c.ID) || e.CollectiveID != cid {
				t.Fatalf("audit = %+v", e)
			}
		})
		t.Run("OKGivenSchedule", func(t *testing.T) {
			c := contract(cid, "HT-002", register.Service, "2025-01-01", "2025-12-31", "1000", register.HalfYearly)
			given := []register.Instalment{
				{No: 1, DueOn: D("2025-03-01"), From: D("2025-01-01"), To: D("2025-06-30"), Amount: A("400")},
				{No: 2, DueOn: D("2025-09-01"), From: D("2025-07-01"), To: D("2025-12-31"), Amount: A("600")},
			}
			out, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: c, Instalments: given})
			ok(t, err)
			insts := schedule(t, db, out.ID)
			if len(insts) != 2 || insts[0].Amount != A("400") || insts[1].DueOn != D("2025-09-01") {
				t.Fatalf("schedule = %+v", insts)
			}
		})
		t.Run("ErrFields", func(t *testing.T) {
			short := []register.Instalment{
				{No: 1, DueOn: D("2025-01-01"), From: D("2025-01-01"), To: D("2025-06-30"), Amount: A("400")},
				{No: 2, DueOn: D("2025-07-01"), From: D("2025-07-01"), To: D("2025-12-31"), Amount: A("599.99")},
			}
			for _, c := range []struct {
				name   string
				change func(in *store.ContractInput)
				target error
				field  string
			}{
				{"schedule short of the amount", func(in *store.ContractInput) { in.Instalments = short }, register.ErrScheduleSum, "instalments"},
				{"end before start", func(in *store.ContractInput) { in.Contract.End = D("2024-12-31") }, register.ErrEndBeforeStart, "end"},
				{"amount 0", func(in *store.ContractInput) { in.Contract.Amount = 0 }, register.ErrNotPositive, "amount"},
				{"lease without subject", func(in *store.ContractInput) { in.Contract.Kind, in.Contract.Subjects = register.Lease, nil },
					register.ErrSubjectRequired, "subjects"},
				{"another collective's asset", func(in *store.ContractInput) {
					in.Contract.Kind, in.Contract.Subjects = register.Lease, []register.Subject{subjectAsset(bAsset.ID)}
				}, store.ErrSubjectUnknown, "subjects[1].asset_id"},
				{"non-leaf income account", func(in *store.ContractInput) { in.Contract.IncomeAccount = "501" }, ledger.ErrAccountNotLeaf, "income_account"},
				{"income account outside 501 and 502", func(in *store.ContractInput) { in.Contract.IncomeAccount = "504" }, register.ErrAccount, "income_account"},
				{"a unit with an identity number", func(in *store.ContractInput) {
					in.Contract.Party.IDNumber = storetest.IDNumber("62042219800101001")
				}, register.ErrPartyIDUnit, "party.id_number"},
				{"duplicate code", func(in *store.ContractInput) { in.Contract.Code = "HT-001" }, store.ErrContractCodeTaken, "code"},
			} {
				in := store.ContractInput{Contract: contract(cid, "HT-009", register.Service, "2025-01-01", "2025-12-31", "1000", register.HalfYearly)}
				c.change(&in)
				_, err := db.CreateContract(bg, f.Accountant, in)
				if err == nil {
					t.Fatalf("%s: registered", c.name)
				}
				if !errors.Is(err, c.target) || jiti.FieldOf(err) != c.field {
					t.Errorf("%s: err = %v, want %v at %q", c.name, err, c.target, c.field)
				}
			}
			if _, err := db.FindContractByCode(bg, cid, "HT-009"); !errors.Is(err, jiti.ErrNotFound) {
				t.Fatalf("a refused contract was registered: %v", err)
			}
		})
		var equity, coop, contracting *register.Contract
		t.Run("OKSign", func(t *testing.T) {
			ok(t, db.SignContract(bg, f.Accountant, k1.ID, D("2025-01-01")))
			k1 = findContract(t, db, k1.ID)
			if k1.Status != register.InForce || k1.SignedOn != D("2025-01-01") {
				t.Fatalf("signed contract = %+v", k1)
			}
			equity = addContract(t, f, contract(cid, "HT-E1", register.Equity, "2025-02-01", "2029-01-31", "50000", register.Yearly, subjectAsset(e1.ID)), "2025-02-01")
			coop = addContract(t, f, contract(cid, "HT-C1", register.Cooperation, "2025-03-01", "2026-02-28", "6000", register.Quarterly, subjectAsset(i1.ID)), "2025-03-01")
			contracting = addContract(t, f, contract(cid, "HT-R1", register.Contracting, "2025-01-01", "2025-05-31", "5000", register.Once, subjectResource(r1.ID)), "2025-01-01")
			for _, c := range []struct {
				a     *register.Asset
				want  register.Status
				since string
				k     *register.Contract
				prior string
			}{
				{l1, register.LeasedOut, "2025-01-01", k1, "in_use"},
				{e1, register.Invested, "2025-02-01", equity, "in_use"},
				{i1, register.Cooperating, "2025-03-01", coop, "idle"},
			} {
				a := findAsset(t, db, c.a.ID)
				if a.Status != c.want || a.StatusSince != D(c.since) {
					t.Errorf("%s after signing %s: %s since %v, want %s since %s", a.Code, c.k.Code, a.Status, a.StatusSince, c.want, c.since)
				}
				h := history(t, db, a.ID)
				if last := h[len(h)-1]; last.Contract != c.k.ID || last.To != c.want || last.From != register.Status(c.prior) || last.Note != "签订合同"+c.k.Code {
					t.Errorf("%s history: %+v", a.Code, h)
				}
				prior := storetest.Rows(t, db, `SELECT prior_status FROM contract_subjects WHERE contract_id = %d`, c.k.ID)
				if len(prior) != 1 || prior[0][0] != c.prior {
					t.Errorf("%s remembers %v, want %s", c.k.Code, prior, c.prior)
				}
			}
			if r := findResource(t, db, cid, "ZY-R1"); r.Use != register.ResourceLeased || r.UseSince != D("2025-01-01") {
				t.Errorf("resource after contracting: %+v", r)
			}
			e := lastEvent(t, db, "contract.sign")
			if e.EntityID != itoa(contracting.ID) || decode(t, e.New)["status"] != "in_force" {
				t.Fatalf("audit = %+v new %s", e, e.New)
			}
		})
		t.Run("ErrSign", func(t *testing.T) {
			// The same asset leased twice over overlapping terms.
			twice, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: contract(cid, "HT-003", register.Lease,
				"2025-06-01", "2025-12-31", "3000", register.Once, subjectAsset(l1.ID))})
			ok(t, err)
			wantErr(t, db.SignContract(bg, f.Accountant, twice.ID, D("2025-06-01")), register.ErrAssetOverlap, "subjects[1].asset_id")
			// Equity on an asset already leased: the same asset again.
			again, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: contract(cid, "HT-004", register.Cooperation,
				"2026-12-01", "2027-12-31", "3000", register.Once, subjectAsset(l1.ID))})
			ok(t, err)
			wantErr(t, db.SignContract(bg, f.Accountant, again.ID, D("2025-07-01")), register.ErrAssetOverlap, "subjects[1].asset_id")
			if c := findContract(t, db, twice.ID); c.Status != register.ContractDraft {
				t.Fatalf("refused signing left %+v", c)
			}
			wantErr(t, db.SignContract(bg, f.Accountant, k1.ID, D("2025-02-01")), register.ErrNotDraft, "status")
			late, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: contract(cid, "HT-005", register.Service,
				"2025-01-01", "2025-03-31", "3000", register.Once)})
			ok(t, err)
			wantErr(t, db.SignContract(bg, f.Accountant, late.ID, D("2025-04-01")), register.ErrSignAfterEnd, "signed_on")
			wantErr(t, db.SignContract(bg, f.Approver, late.ID, D("2025-02-01")), jiti.ErrRoleCannot, "-")
			_, err = db.RecordReceipt(bg, f.Accountant, twice.ID, store.ReceiptInput{Date: D("2025-06-02"), Amount: A("3000"), Account: "10201"})
			wantErr(t, err, store.ErrContractNotInForce, "contract")
		})
		t.Run("OKTerminate", func(t *testing.T) {
			wantErr(t, db.TerminateContract(bg, f.Accountant, equity.ID, D("2025-06-30"), "  "), jiti.ErrRequired, "reason")
			wantErr(t, db.TerminateContract(bg, f.Accountant, equity.ID, D("2029-06-30"), "对方违约"), register.ErrTerminateDate, "ended_on")
			ok(t, db.TerminateContract(bg, f.Accountant, equity.ID, D("2025-06-30"), "对方违约"))
			ok(t, db.TerminateContract(bg, f.Accountant, coop.ID, D("2025-08-31"), "合作社解散"))
			if c := findContract(t, db, equity.ID); c.Status != register.Terminated || c.EndedOn != D("2025-06-30") {
				t.Fatalf("terminated contract = %+v", c)
			}
			// Each asset goes back to what it was before signing.
			for _, c := range []struct {
				a     *register.Asset
				k     *register.Contract
				from  register.Status
				want  register.Status
				since string
			}{{e1, equity, register.Invested, register.InUse, "2025-06-30"}, {i1, coop, register.Cooperating, register.Idle, "2025-08-31"}} {
				a := findAsset(t, db, c.a.ID)
				if a.Status != c.want || a.StatusSince != D(c.since) {
					t.Errorf("%s after termination: %s since %v", a.Code, a.Status, a.StatusSince)
				}
				h := history(t, db, a.ID)
				if last := h[len(h)-1]; last.From != c.from || last.To != c.want || last.Contract != c.k.ID || last.Date != D(c.since) ||
					last.Note != "合同"+c.k.Code+"结束" {
					t.Errorf("%s history: %+v", a.Code, h)
				}
			}
			// The equity's later yearly instalments, unpaid, are cancelled.
			if insts := schedule(t, db, equity.ID); len(insts) != 1 || insts[0].DueOn != D("2025-02-01") {
				t.Errorf("schedule after termination: %+v", insts)
			}
			e := lastEvent(t, db, "contract.terminated")
			if e.EntityID != itoa(coop.ID) || decode(t, e.New)["end_reason"] != "合作社解散" {
				t.Fatalf("audit = %+v new %s", e, e.New)
			}
			wantErr(t, db.TerminateContract(bg, f.Accountant, equity.ID, D("2025-07-30"), "again"), register.ErrNotInForce, "status")
			// Free again, the asset may be leased.
			addContract(t, f, contract(cid, "HT-E2", register.Lease, "2025-07-01", "2025-12-31", "2000", register.Once, subjectAsset(e1.ID)), "2025-07-01")
		})
		t.Run("OKExpiry", func(t *testing.T) {
			short := addContract(t, f, contract(cid, "HT-006", register.Lease, "2025-01-01", "2025-05-20", "3000", register.Once, subjectAsset(l2.ID)), "2025-01-01")
			closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-04")
			if c := findContract(t, db, short.ID); c.Status != register.InForce {
				t.Fatalf("expired before its end: %+v", c)
			}
			closeMonths(t, db, f.Accountant, cid, "2025-05", "2025-05")
			for _, k := range []*register.Contract{short, contracting} {
				if c := findContract(t, db, k.ID); c.Status != register.Expired || c.EndedOn != k.End {
					t.Errorf("%s after closing May: %s ended %v", c.Code, c.Status, c.EndedOn)
				}
			}
			if a := findAsset(t, db, l2.ID); a.Status != register.InUse || a.StatusSince != D("2025-05-21") {
				t.Errorf("asset after expiry: %s since %v", a.Status, a.StatusSince)
			}
			if r := findResource(t, db, cid, "ZY-R1"); r.Use != register.CollectiveOperated || r.UseSince != D("2025-06-01") {
				t.Errorf("resource after expiry: %s since %v", r.Use, r.UseSince)
			}
			if c := findContract(t, db, k1.ID); c.Status != register.InForce {
				t.Errorf("a contract running to 2027 expired: %+v", c)
			}
		})
		t.Run("OKSealedID", func(t *testing.T) {
			id := storetest.IDNumber("62042219850315123")
			c := contract(cid, "HT-P1", register.Contracting, "2025-06-01", "2030-05-31", "25000", register.Yearly, subjectResource(r1.ID))
			c.Party = register.Party{Kind: register.Person, Name: "王五", IDNumber: id, Phone: "13800000000"}
			k := addContract(t, f, c, "2025-06-01")
			if k.Party.IDNumber.Reveal() != id.Reveal() {
				t.Fatalf("Reveal = %q, want %q", k.Party.IDNumber.Reveal(), id.Reveal())
			}
			masked := k.Party.IDNumber.String()
			if masked != id.Reveal()[:4]+"**********"+id.Reveal()[14:] || strings.Contains(masked, id.Reveal()[4:14]) {
				t.Fatalf("String = %q", masked)
			}
			cs, err := db.FindContracts(bg, store.ContractFilter{CollectiveID: cid, Kind: register.Contracting, Status: register.InForce})
			ok(t, err)
			if len(cs) != 1 || cs[0].Party.IDNumber.Reveal() != id.Reveal() {
				t.Fatalf("FindContracts = %+v", cs)
			}
			rows := storetest.Rows(t, db, `SELECT * FROM contracts WHERE id = %d`, k.ID)
			if len(rows) != 1 {
				t.Fatalf("raw rows: %v", rows)
			}
			for _, v := range rows[0] {
				if strings.Contains(v, id.Reveal()) || strings.Contains(v, id.Reveal()[6:14]) {
					t.Fatalf("the contracts row holds the identity number in clear: %q", v)
				}
			}
			if !contains(rows[0], masked) {
				t.Errorf("the contracts row lacks the masked number %s: %v", masked, rows[0])
			}
			for _, q := range []string{`SELECT * FROM audit_events`, `SELECT * FROM voucher_lines`, `SELECT * FROM vouchers`} {
				for _, r := range storetest.Rows(t, db, "%s", q) {
					for _, v := range r {
						if strings.Contains(v, id.Reveal()) {
							t.Fatalf("%s holds the identity number in clear: %q", q, v)
						}
					}
				}
			}
		})
	})
}

// TestDB_ContractNoKey opens stores without a key: a person's identity
// number cannot be stored, everything else can.
func TestDB_ContractNoKey(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, _ *storetest.Raw) {
		f := storetest.Seed(t, db)
		c := contract(f.A.ID, "HT-K1", register.Service, "2025-01-01", "2025-12-31", "1000", register.Once)
		c.Party = register.Party{Kind: register.Person, Name: "王五", IDNumber: storetest.IDNumber("62042219850315123")}
		t.Run("ErrNoKey", func(t *testing.T) {
			_, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: c})
			wantErr(t, err, store.ErrNoKey, "party.id_number")
			if n := storetest.Count(t, db, `SELECT COUNT(*) FROM contracts`); n != 0 {
				t.Fatalf("%d contracts written", n)
			}
		})
		t.Run("OKWithoutNumber", func(t *testing.T) {
			c.Party.IDNumber = jiti.IDNumber{}
			k := addContract(t, f, c, "2025-01-01")
			if k.Status != register.InForce || !k.Party.IDNumber.IsZero() {
				t.Fatalf("contract = %+v", k)
			}
		})
	})
}

func TestDB_Receipts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Now = func() time.Time { return time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC) }
		f := storetest.Seed(t, db)
		a, b := f.A.ID, f.B.ID
		g1 := addAsset(t, f, asset(a, "ZC-G1", "2025-01-01", "1200", 120))
		g2 := addAsset(t, f, asset(a, "ZC-G2", "2025-01-01", "1200", 120))
		gb := addAsset(t, f, asset(b, "ZC-GB", "2025-01-01", "1200", 120))
		k1 := addContract(t, f, contract(a, "HT-K1", register.Lease, "2025-01-01", "2026-12-31", "20000", register.Yearly, subjectAsset(g1.ID)), "2025-01-01")
		svc := contract(a, "HT-K2", register.Service, "2025-01-01", "2025-12-31", "4000", register.Quarterly)
		svc.IncomeAccount = "50102"
		k2 := addContract(t, f, svc, "2025-01-01")
		svc = contract(a, "HT-K3", register.Service, "2025-06-01", "2025-06-30", "1000", register.Once)
		svc.IncomeAccount = "50102"
		k3 := addContract(t, f, svc, "2025-06-01")
		accr := contract(a, "HT-K4", register.Lease, "2025-01-01", "2025-12-31", "4000", register.Quarterly, subjectAsset(g2.ID))
		accr.Accrue = true
		k4 := addContract(t, f, accr, "2025-01-01")
		k5 := addContract(t, f, contract(b, "HT-K5", register.Lease, "2025-01-01", "2027-12-31", "30000", register.Once, subjectAsset(gb.ID)), "2025-01-01")

		t.Run("OKExact", func(t *testing.T) {
			r := receive(t, f, k1.ID, "2025-01-20", "10000")
			v := findVoucher(t, db, r.VoucherID)
			if v.Kind != ledger.Register || v.Status != ledger.Posted || v.Date != D("2025-01-20") {
				t.Fatalf("voucher = %+v", v)
			}
			wantPostings(t, v, "10201:10000", "50101:-10000")
			for _, l := range v.Lines {
				if l.Contract != "HT-K1" || (l.Account == "50101" && l.Asset != "ZC-G1") {
					t.Fatalf("line does not name its contract or asset: %+v", l)
				}
			}
			insts := schedule(t, db, k1.ID)
			if insts[0].Received != A("10000") || insts[0].Outstanding() != 0 || insts[1].Received != 0 {
				t.Fatalf("schedule = %+v", insts)
			}
			rs, err := db.Receipts(bg, k1.ID)
			ok(t, err)
			if len(rs) != 1 || rs[0].Amount != A("10000") || rs[0].VoucherID != v.ID || rs[0].Overpayment != 0 {
				t.Fatalf("receipts = %+v", rs)
			}
			if e := lastEvent(t, db, "contract.receipt"); e.EntityID != itoa(k1.ID) {
				t.Fatalf("audit = %+v", e)
			}
		})
		t.Run("OKPartial", func(t *testing.T) {
			r := receive(t, f, k2.ID, "2025-01-10", "600")
			wantPostings(t, findVoucher(t, db, r.VoucherID), "10201:600", "50102:-600")
			insts := schedule(t, db, k2.ID)
			if insts[0].Received != A("600") || insts[0].Outstanding() != A("400") {
				t.Fatalf("schedule = %+v", insts)
			}
			arrears := func(today string) []register.Warning {
				ws, err := db.Warnings(bg, store.WarningFilter{CollectiveID: a, Today: D(today)})
				ok(t, err)
				var out []register.Warning
				for _, w := range ws {
					if w.Kind == register.WarnArrears && w.ContractID == k2.ID {
						out = append(out, w)
					}
				}
				return out
			}
			if ws := arrears("2025-01-01"); len(ws) != 0 {
				t.Fatalf("arrears on the due date: %+v", ws)
			}
			want := []register.Warning{{Kind: register.WarnArrears, CollectiveID: a, ContractID: k2.ID, InstalmentNo: 1, Days: 59,
				Amount: A("400"), Date: D("2025-01-01")}}
			if ws := arrears("2025-03-01"); !reflect.DeepEqual(ws, want) {
				t.Fatalf("arrears on 2025-03-01:\n got %+v\nwant %+v", ws, want)
			}
		})
		t.Run("OKAccrual", func(t *testing.T) {
			closeMonths(t, db, f.Accountant, a, "2025-01", "2025-01")
			v := closeVoucher(t, db, a, "2025-01", "contracts")
			if v == nil {
				t.Fatal("closing January booked no receivable")
			}
			wantPostings(t, v, "112:1000", "50101:-1000")
			for _, l := range v.Lines {
				if l.Contract != "HT-K4" || (l.Account == "50101" && l.Asset != "ZC-G2") {
					t.Fatalf("accrual line: %+v", l)
				}
			}
			if insts := schedule(t, db, k4.ID); !insts[0].Accrued || insts[1].Accrued {
				t.Fatalf("schedule after January = %+v", insts)
			}
			r := receive(t, f, k4.ID, "2025-02-05", "1000")
			wantPostings(t, findVoucher(t, db, r.VoucherID), "10201:1000", "112:-1000")
			tb := trialBalance(t, db, a, "2025-02", "2025-02")
			if closing(tb, "112") != 0 || closing(tb, "50101") != A("-11000") {
				t.Fatalf("112 %v 50101 %v", closing(tb, "112"), closing(tb, "50101"))
			}
		})
		t.Run("ErrExceedsDue", func(t *testing.T) {
			before := allVouchers(t, db, a)
			_, err := db.RecordReceipt(bg, f.Accountant, k1.ID, store.ReceiptInput{Date: D("2025-03-01"), Amount: A("5000"), Account: "10201"})
			wantErr(t, err, register.ErrReceiptExceedsDue, "amount")
			_, err = db.RecordReceipt(bg, f.Accountant, k1.ID, store.ReceiptInput{Date: D("2025-03-01"), Amount: A("5000")})
			wantErr(t, err, jiti.ErrRequired, "account")
			_, err = db.RecordReceipt(bg, f.Accountant, k1.ID, store.ReceiptInput{Date: D("2025-03-01"), Amount: A("5000"), Account: "102", Advance: true})
			wantErr(t, err, ledger.ErrAccountNotLeaf, "account")
			_, err = db.RecordReceipt(bg, f.Accountant, k1.ID, store.ReceiptInput{Date: D("2025-03-01"), Amount: 0, Account: "10201"})
			wantErr(t, err, register.ErrNotPositive, "amount")
			if n := allVouchers(t, db, a); n != before {
				t.Fatalf("refused receipts posted %d vouchers", n-before)
			}
		})
		t.Run("OKAdvance", func(t *testing.T) {
			r, err := db.RecordReceipt(bg, f.Accountant, k1.ID, store.ReceiptInput{Date: D("2025-03-01"), Amount: A("5000"), Account: "10201", Advance: true})
			ok(t, err)
			wantPostings(t, findVoucher(t, db, r.VoucherID), "10201:5000", "211:-5000")
			if insts := schedule(t, db, k1.ID); insts[1].Received != A("5000") {
				t.Fatalf("schedule = %+v", insts)
			}
		})
		t.Run("ErrOver", func(t *testing.T) {
			_, err := db.RecordReceipt(bg, f.Accountant, k3.ID, store.ReceiptInput{Date: D("2025-06-10"), Amount: A("1200"), Account: "10201"})
			wantErr(t, err, register.ErrReceiptExceedsContract, "amount")
			_, err = db.RecordReceipt(bg, f.Accountant, k3.ID, store.ReceiptInput{Date: D("2025-06-10"), Amount: A("1200"), Account: "10201", Advance: true})
			wantErr(t, err, register.ErrReceiptExceedsContract, "amount")
		})
		t.Run("OKOver", func(t *testing.T) {
			r, err := db.RecordReceipt(bg, f.Accountant, k3.ID, store.ReceiptInput{Date: D("2025-06-10"), Amount: A("1200"), Account: "10201", Over: true})
			ok(t, err)
			if r.Overpayment != A("200") || r.Amount != A("1200") {
				t.Fatalf("receipt = %+v", r)
			}
			wantPostings(t, findVoucher(t, db, r.VoucherID), "10201:1200", "50102:-1000", "211:-200")
			if insts := schedule(t, db, k3.ID); insts[0].Received != A("1000") {
				t.Fatalf("schedule = %+v", insts)
			}
		})
		t.Run("OKLumpSum", func(t *testing.T) {
			// Three years' rent paid at once: a third is income of 2025, the
			// rest is held in 211 for 2026 and 2027.
			r := receive(t, f, k5.ID, "2025-01-05", "30000")
			wantPostings(t, findVoucher(t, db, r.VoucherID), "10201:30000", "50101:-10000", "211:-20000")
		})
		t.Run("OKNextYear", func(t *testing.T) {
			for _, cid := range []int64{a, b} {
				from := "2025-01"
				if cid == a {
					from = "2025-02"
				}
				closeMonths(t, db, f.Accountant, cid, from, "2025-11")
				_, err := db.CloseYear(bg, f.Accountant, cid, 2025)
				ok(t, err)
			}
			// 2025: A earned 10,000 (K1) + 1,000 (K4's first quarter, accrued in
			// January) + 3,000 (K4's other quarters, accrued as they fell due);
			// B earned its third of the lump sum.
			for _, c := range []struct {
				cid    int64
				income string
			}{{a, "14000"}, {b, "10000"}} {
				r := row(t, db, c.cid, "2025-01", "2025-12", "50101")
				if r.Credit != A(c.income) || r.Closing() != 0 {
					t.Errorf("collective %d: 50101 of 2025 credited %v (closing %v), want %s and closed", c.cid, r.Credit, r.Closing(), c.income)
				}
			}
			if c := closing(trialBalance(t, db, b, "2025-12", "2025-12"), "211"); c != A("-20000") {
				t.Fatalf("B's 211 at the end of 2025 = %v, want credit 20000", c)
			}
			if c := closing(trialBalance(t, db, a, "2025-12", "2025-12"), "211"); c != A("-5200") {
				t.Fatalf("A's 211 at the end of 2025 = %v, want credit 5200 (advance 5000, overpayment 200)", c)
			}
			if c := closing(trialBalance(t, db, a, "2025-12", "2025-12"), "112"); c != A("3000") {
				t.Fatalf("A's 112 at the end of 2025 = %v, want K4's three unpaid quarters, 3000", c)
			}
			closeMonths(t, db, f.Accountant, a, "2026-01", "2026-01")
			closeMonths(t, db, f.Accountant, b, "2026-01", "2026-01")
			// January recognizes this year's share of what was received before.
			tb := trialBalance(t, db, a, "2026-01", "2026-01")
			if closing(tb, "211") != A("-200") || row(t, db, a, "2026-01", "2026-01", "50101").Credit != A("5000") {
				t.Fatalf("A after January 2026: 211 %v, 50101 credited %v", closing(tb, "211"), row(t, db, a, "2026-01", "2026-01", "50101").Credit)
			}
			tb = trialBalance(t, db, b, "2026-01", "2026-01")
			if closing(tb, "211") != A("-10000") || row(t, db, b, "2026-01", "2026-01", "50101").Credit != A("10000") {
				t.Fatalf("B after January 2026: 211 %v, 50101 credited %v", closing(tb, "211"), row(t, db, b, "2026-01", "2026-01", "50101").Credit)
			}
			v := closeVoucher(t, db, b, "2026-01", "contracts")
			wantPostings(t, v, "211:10000", "50101:-10000")
			// Reopening and closing January again recognizes nothing twice.
			ok(t, db.ReopenPeriod(bg, f.Accountant, b, P("2026-01"), "补记凭证"))
			closeMonths(t, db, f.Accountant, b, "2026-01", "2026-01")
			if c := row(t, db, b, "2026-01", "2026-01", "50101").Credit; c != A("10000") {
				t.Fatalf("B's 50101 after closing January again: %v", c)
			}
			// B's last year, through another year end.
			closeMonths(t, db, f.Accountant, b, "2026-02", "2026-11")
			_, err := db.CloseYear(bg, f.Accountant, b, 2026)
			ok(t, err)
			if r := row(t, db, b, "2026-01", "2026-12", "50101"); r.Credit != A("10000") || r.Closing() != 0 {
				t.Fatalf("B's 50101 of 2026 credited %v, closing %v", r.Credit, r.Closing())
			}
			closeMonths(t, db, f.Accountant, b, "2027-01", "2027-01")
			if r := row(t, db, b, "2027-01", "2027-01", "50101"); r.Credit != A("10000") {
				t.Fatalf("B's 50101 of January 2027 credited %v", r.Credit)
			}
			if c := closing(trialBalance(t, db, b, "2027-01", "2027-01"), "211"); c != 0 {
				t.Fatalf("B's 211 after the last recognition = %v, want 0", c)
			}
			for _, cid := range []int64{a, b} {
				rep, err := db.Verify(bg, cid)
				ok(t, err)
				if !rep.OK() {
					t.Fatalf("verify %d: %+v", cid, rep.Problems)
				}
			}
		})
	})
}

func TestDB_Warnings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a, b := f.A.ID, f.B.ID
		today := D("2025-05-10")
		adoptDecision(t, f, a, "2024-12", register.DecideContract, "2024-12-20")
		adoptDecision(t, f, b, "2024-12", register.DecideContract, "2024-12-20")
		wa1 := addContract(t, f, contract(a, "HT-W1", register.Service, "2025-01-01", "2025-12-31", "4000", register.Quarterly), "2025-01-01")
		x1 := addAsset(t, f, asset(a, "ZC-W1", "2025-01-01", "1000", 60))
		c := contract(a, "HT-W2", register.Lease, "2025-01-01", "2025-06-30", "3000", register.Once, subjectAsset(x1.ID))
		c.Award, c.ResolutionRef = register.OpenBidding, "2024-12"
		wa2 := addContract(t, f, c, "2025-01-01")
		receive(t, f, wa2.ID, "2025-01-02", "3000")
		x2 := addAsset(t, f, asset(a, "ZC-W2", "2025-01-01", "1000", 60))
		c = contract(a, "HT-W3", register.Lease, "2025-01-01", "2027-12-31", "9000", register.Yearly, subjectAsset(x2.ID))
		c.ResolutionRef = ""
		wa3 := addContract(t, f, c, "2025-01-01")
		receive(t, f, wa3.ID, "2025-01-02", "3000")
		idle := addAsset(t, f, existing(a, "ZC-W3", "2010-01-01", "5000", 240, "3000", 176, register.Idle, "2024-09-01"))
		addAsset(t, f, existing(a, "ZC-W4", "2010-01-01", "5000", 240, "3000", 176, register.Idle, "2025-03-01"))
		// A draft open bidding without its reference is not in force yet.
		c = contract(a, "HT-W4", register.Service, "2025-01-01", "2025-12-31", "100", register.Once)
		c.Award = register.OpenBidding
		addContract(t, f, c, "")
		// B: ten mu for 2,000 a year, against a benchmark of 300 a mu.
		r10 := addResource(t, f, b, "ZY-B1", "10", register.CollectiveOperated)
		c = contract(b, "HT-B1", register.Contracting, "2025-01-01", "2025-12-31", "2000", register.Yearly, subjectResource(r10.ID))
		c.ResolutionRef = "2024-12"
		wb1 := addContract(t, f, c, "2025-01-01")
		receive(t, f, wb1.ID, "2025-01-02", "2000")
		r20 := addResource(t, f, b, "ZY-B2", "10", register.CollectiveOperated)
		c = contract(b, "HT-B2", register.Contracting, "2025-01-01", "2025-12-31", "4000", register.Yearly, subjectResource(r20.ID))
		c.ResolutionRef = "2024-12"
		wb2 := addContract(t, f, c, "2025-01-01")
		receive(t, f, wb2.ID, "2025-01-02", "4000")

		t.Run("ErrBenchmark", func(t *testing.T) {
			wantErr(t, db.SetRentBenchmark(bg, f.Accountant, "620422", 2025, A("300")), jiti.ErrRoleCannot, "-")
			wantErr(t, db.SetRentBenchmark(bg, f.Admin, "620422", 1999, A("300")), jiti.ErrYearSyntax, "year")
			wantErr(t, db.SetRentBenchmark(bg, f.Admin, "620422", 2025, 0), ledger.ErrNotPositive, "rent_per_mu")
			wantErr(t, db.SetRentBenchmark(bg, f.Admin, "999999", 2025, A("300")), jiti.ErrNotFound, "region")
		})
		t.Run("OK", func(t *testing.T) {
			ok(t, db.SetRentBenchmark(bg, f.Admin, "620422", 2025, A("300")))
			ws, err := db.Warnings(bg, store.WarningFilter{CollectiveID: a, Today: today})
			ok(t, err)
			want := []register.Warning{
				{Kind: register.WarnArrears, CollectiveID: a, ContractID: wa1.ID, InstalmentNo: 1, Days: 129, Amount: A("1000"), Date: D("2025-01-01")},
				{Kind: register.WarnArrears, CollectiveID: a, ContractID: wa1.ID, InstalmentNo: 2, Days: 39, Amount: A("1000"), Date: D("2025-04-01")},
				{Kind: register.WarnExpiring, CollectiveID: a, ContractID: wa2.ID, Days: 51, Date: D("2025-06-30")},
				{Kind: register.WarnIdleTooLong, CollectiveID: a, AssetID: idle.ID, Days: 251, Date: D("2024-09-01")},
				{Kind: register.WarnNoAwardRef, CollectiveID: a, ContractID: wa2.ID},
				{Kind: register.WarnNoDisclosure, CollectiveID: a, Days: 40, Date: D("2025-03-31"), Detail: "2025Q1"},
				{Kind: register.WarnNoResolution, CollectiveID: a, ContractID: wa3.ID},
			}
			if !reflect.DeepEqual(ws, want) {
				t.Fatalf("warnings of A:\n got %+v\nwant %+v", ws, want)
			}
			wb, err := db.Warnings(bg, store.WarningFilter{CollectiveID: b, Today: today})
			ok(t, err)
			want = []register.Warning{{Kind: register.WarnNoDisclosure, CollectiveID: b, Days: 40, Date: D("2025-03-31"), Detail: "2025Q1"},
				{Kind: register.WarnRentBelow, CollectiveID: b, ContractID: wb1.ID, ResourceID: r10.ID,
					Amount: A("200"), Date: D("2025-01-01"), Detail: "300.00"}}
			if !reflect.DeepEqual(wb, want) {
				t.Fatalf("warnings of B:\n got %+v\nwant %+v", wb, want)
			}
			// Summed upward: the township and the county see both villages.
			for _, region := range []string{"620422100", "620422"} {
				wr, err := db.Warnings(bg, store.WarningFilter{Region: region, Today: today})
				ok(t, err)
				if !reflect.DeepEqual(wr, append(append([]register.Warning(nil), ws...), wb...)) {
					t.Fatalf("warnings of %s: %+v", region, wr)
				}
			}
			// Wider windows: every contract ends within 1,000 days, and both
			// idle assets have been idle more than a month.
			wide, err := db.Warnings(bg, store.WarningFilter{Region: "620422", Today: today, ExpiringDays: 1000, IdleMonths: 1})
			ok(t, err)
			count := map[register.WarningKind]int{}
			for _, w := range wide {
				count[w.Kind]++
			}
			if count[register.WarnExpiring] != 5 || count[register.WarnIdleTooLong] != 2 {
				t.Fatalf("wide warnings: %v", count)
			}
		})
		t.Run("OKPaid", func(t *testing.T) {
			receive(t, f, wa1.ID, "2025-05-10", "2000")
			ws, err := db.Warnings(bg, store.WarningFilter{CollectiveID: a, Today: today})
			ok(t, err)
			for _, w := range ws {
				if w.Kind == register.WarnArrears {
					t.Fatalf("arrears after paying: %+v", w)
				}
			}
		})
		// A day gone by is taken as the registers stood on it: what was
		// paid, ended or put to use after it does not clear its warnings.
		t.Run("OKAsOfPastDay", func(t *testing.T) {
			ok(t, db.ChangeAssetStatus(bg, f.Accountant, idle.ID, register.InUse, D("2025-06-01"), "重新启用"))
			ok(t, db.TerminateContract(bg, f.Accountant, wa3.ID, D("2025-06-01"), "对方违约"))
			// The warnings the changes concern: HT-W1's first two
			// instalments, ZC-W3 idle, HT-W3 without its resolution.
			concerned := func(day jiti.Date) []string {
				ws, err := db.Warnings(bg, store.WarningFilter{CollectiveID: a, Today: day})
				ok(t, err)
				var out []string
				for _, w := range ws {
					switch {
					case w.Kind == register.WarnArrears && w.ContractID == wa1.ID && w.InstalmentNo <= 2:
						out = append(out, fmt.Sprintf("arrears %d", w.InstalmentNo))
					case w.Kind == register.WarnIdleTooLong && w.AssetID == idle.ID:
						out = append(out, "idle since "+w.Date.String())
					case w.Kind == register.WarnNoResolution && w.ContractID == wa3.ID:
						out = append(out, "no resolution")
					}
				}
				return out
			}
			// The day before HT-W1 was paid (2025-05-10), before ZC-W3 was
			// put to use and HT-W3 terminated (2025-06-01).
			want := []string{"arrears 1", "arrears 2", "idle since 2024-09-01", "no resolution"}
			if got := concerned(D("2025-05-09")); !reflect.DeepEqual(got, want) {
				t.Fatalf("warnings as of 2025-05-09: %q, want %q", got, want)
			}
			// Today (the test clock's 2025-12-31): paid, in use, terminated.
			if got := concerned(jiti.DateOf(storetest.Now)); len(got) != 0 {
				t.Fatalf("warnings as of today: %q", got)
			}
			// A past year's warnings are taken on its 31 December.
			if got := store.WarningsAsOf(2024, D("2025-05-09")); got != D("2024-12-31") {
				t.Fatalf("WarningsAsOf(2024) = %v", got)
			}
			if got := store.WarningsAsOf(2025, D("2025-05-09")); got != D("2025-05-09") {
				t.Fatalf("WarningsAsOf(2025) = %v", got)
			}
		})
	})
}
