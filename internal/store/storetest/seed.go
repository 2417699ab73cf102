package storetest

import (
	"context"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
)

// Fixture is a small seeded county: one township with two villages and a
// collective each, a county administrator, an accountant and an approver.
type Fixture struct {
	DB         *store.DB
	Admin      jiti.UserID
	Accountant jiti.UserID // agency accountant keeping both villages' books
	Approver   jiti.UserID // township supervisor
	A, B       jiti.Collective
}

// Seed fills db with the Fixture. Books open on 2025-01-01; the collectives
// have detail accounts 10201 (a bank account), 50101 (rent income) and 50102
// (service income), and households H001 and H002.
func Seed(t testing.TB, db *store.DB) *Fixture {
	t.Helper()
	ctx := context.Background()
	f := &Fixture{DB: db}
	admin, err := db.CreateUser(ctx, 0, jiti.User{Name: "admin", DisplayName: "县管理员", Role: jiti.RoleCountyAdmin, ScopeRegion: ""})
	must(t, err)
	f.Admin = admin.ID
	must(t, db.CreateRegions(ctx, f.Admin, []jiti.Region{
		mustRegion("620422", "会宁县"), mustRegion("620422100", "会师镇"),
		mustRegion("620422100201", "南什村"), mustRegion("620422100202", "南咀村"),
	}))
	cs, err := db.CreateCollectives(ctx, f.Admin, []jiti.Collective{
		{Name: "南什村股份经济合作社", RegionCode: "620422100201", Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2025-01-01")},
		{Name: "南咀村股份经济合作社", RegionCode: "620422100202", Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2025-01-01")},
	})
	must(t, err)
	f.A, f.B = cs[0], cs[1]
	acc, err := db.CreateUser(ctx, f.Admin, jiti.User{Name: "kuaiji", DisplayName: "代理会计", Role: jiti.RoleAgencyAccountant, ScopeRegion: "620422100"})
	must(t, err)
	f.Accountant = acc.ID
	appr, err := db.CreateUser(ctx, f.Admin, jiti.User{Name: "shenhe", DisplayName: "审核员", Role: jiti.RoleTownshipSupervisor, ScopeRegion: "620422100"})
	must(t, err)
	f.Approver = appr.ID
	for _, c := range cs {
		for _, a := range [][2]string{{"10201", "农商银行基本户"}, {"50101", "租赁收入"}, {"50102", "服务收入"}} {
			_, err := db.CreateAccount(ctx, f.Accountant, c.ID, a[0], a[1])
			must(t, err)
		}
		must(t, db.CreateHouseholds(ctx, f.Accountant, c.ID, []store.Household{{Code: "H001", Name: "张三"}, {Code: "H002", Name: "李四"}}))
	}
	return f
}

// Line returns a voucher line: a debit when amount is positive, a credit
// when negative, given in yuan text ("1200.50", "-1200.50").
func Line(summary, account, amount string) ledger.Line {
	a := jiti.MustAmount(amount)
	l := ledger.Line{Summary: summary, Account: account}
	if a > 0 {
		l.Debit = a
	} else {
		l.Credit = -a
	}
	return l
}

// Post creates, approves and posts a voucher of collective cid dated date
// and returns it posted.
func (f *Fixture) Post(t testing.TB, cid int64, date string, lines ...ledger.Line) *ledger.Voucher {
	t.Helper()
	ctx := context.Background()
	v, err := f.DB.CreateVoucher(ctx, f.Accountant, &ledger.Voucher{CollectiveID: cid, Date: jiti.MustDate(date), Lines: lines})
	must(t, err)
	must(t, f.DB.ApproveVoucher(ctx, f.Approver, v.ID))
	v, err = f.DB.PostVoucher(ctx, f.Accountant, v.ID)
	must(t, err)
	return v
}

func mustRegion(code, name string) jiti.Region {
	r, err := jiti.NewRegion(code, name)
	if err != nil {
		panic(err)
	}
	return r
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
