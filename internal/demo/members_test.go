package demo

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// TestPeople checks the county's people as drawn, without a database:
// about half a million in all, each village's between its bounds; every
// household with one head, the first ones headed by the person its 113
// sub-ledger is named after; every identity number valid, of the county,
// consistent with the member's birth date and sex, and unique in the
// county.
func TestPeople(t *testing.T) {
	c := newCounty(1)
	sizes := populations(c)
	total := 0
	for _, n := range sizes {
		total += n
		if n < 500 || n > 5000 {
			t.Errorf("a village of %d people", n)
		}
	}
	if total < 480_000 || total > 500_000 {
		t.Errorf("the county's population %d, want about %d", total, countyPopulation)
	}
	ps, err := drawPopulation(context.Background(), c, c.Villages, 2025, 2)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	members, households := 0, 0
	for i, v := range c.Villages {
		p := ps[i]
		members += len(p.Members)
		households += len(p.Households)
		if len(p.Members) < sizes[i] || len(p.Members) > sizes[i]+12 {
			t.Errorf("%s: %d members, drawn for %d", v.Region.Code, len(p.Members), sizes[i])
		}
		heads := map[string]int{}
		codes := map[string]bool{}
		for _, h := range p.Households {
			codes[h.Code] = true
			if h.Group == "" || h.Address == "" {
				t.Fatalf("%s %s: no group or address", v.Region.Code, h.Code)
			}
		}
		for j := range p.Members {
			m := &p.Members[j]
			if !codes[m.Household] {
				t.Fatalf("%s %s: household %q unknown", v.Region.Code, m.Code, m.Household)
			}
			if m.Relation == register.RelHead {
				heads[m.Household]++
			}
			id := m.IDNumber.Reveal()
			if id[:6] != CountyCode || register.IDBirth(m.IDNumber) != m.BornOn || register.IDSex(m.IDNumber) != m.Sex {
				t.Fatalf("%s %s: number %s for %s %s", v.Region.Code, m.Code, m.IDNumber, m.BornOn, m.Sex)
			}
			if other, ok := seen[id]; ok {
				t.Fatalf("%s %s: number also of %s", v.Region.Code, m.Code, other)
			}
			seen[id] = v.Region.Code + " " + m.Code
			if err := register.CheckMember(m, jiti.Date{Year: 2026, Month: time.January, Day: 15}); err != nil {
				t.Fatalf("%s %s: %v", v.Region.Code, m.Code, err)
			}
		}
		for _, h := range p.Households {
			if heads[h.Code] != 1 {
				t.Fatalf("%s %s: %d heads", v.Region.Code, h.Code, heads[h.Code])
			}
		}
		for j, h := range v.Households {
			if p.Households[j].Code != h.Code || p.Members[p.headOfCode(h.Code)].Name != h.Name {
				t.Errorf("%s %s: headed by %s, the books name %s", v.Region.Code, h.Code, p.Members[p.headOfCode(h.Code)].Name, h.Name)
			}
		}
	}
	if per := float64(members) / float64(households); per < 3.2 || per > 4.5 {
		t.Errorf("%.2f members a household", per)
	}
	t.Logf("%d members in %d households", members, households)
}

// checkPeople checks the members' side of a build of the villages of
// towns (all when none): each village's members as drawn, every
// household headed by an active member of it, certificates to every
// household, and a distribution adopted and paid exactly where the
// year's income allows one.
func checkPeople(t *testing.T, db *store.DB, sum *Summary, towns ...string) {
	ctx := context.Background()
	c := newCounty(1)
	sizes := populations(c)
	count := func(q string, cid int64) int {
		t.Helper()
		var n int
		if err := db.QueryRaw(ctx, strings.ReplaceAll(q, "?", strconv.FormatInt(cid, 10)), func(rows *sql.Rows) error { return rows.Scan(&n) }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	plans := map[int]int{}
	for _, v := range c.Villages {
		if len(towns) > 0 && !containsString(towns, v.Town.Code) {
			continue
		}
		col, err := db.FindCollectiveByCode(ctx, v.Region.Code)
		if err != nil {
			t.Fatal(err)
		}
		cid := col.ID
		if n := count(`SELECT COUNT(*) FROM members WHERE collective_id = ?`, cid); n < sizes[v.Index] || n > sizes[v.Index]+12 {
			t.Errorf("%s: %d members, drawn for %d", v.Region.Code, n, sizes[v.Index])
		}
		// Every household's head is an active member of it.
		if n := count(`SELECT COUNT(*) FROM households h LEFT JOIN members m ON m.id = h.head_member_id
WHERE h.collective_id = ? AND (m.id IS NULL OR m.household_code <> h.code OR m.status <> 'active' OR m.relation <> 'head')`, cid); n != 0 {
			t.Errorf("%s: %d households without their head", v.Region.Code, n)
		}
		hh := count(`SELECT COUNT(*) FROM households WHERE collective_id = ?`, cid)
		if n := count(`SELECT COUNT(*) FROM share_certificates WHERE collective_id = ? AND status = 'valid'`, cid); n != hh {
			t.Errorf("%s: %d certificates for %d households", v.Region.Code, n, hh)
		}
		for _, year := range []int{2024, 2025} {
			st, err := db.IncomeStatement(ctx, cid, jiti.NewPeriod(year, time.December))
			if err != nil {
				t.Fatal(err)
			}
			d, err := db.FindDistribution(ctx, cid, year)
			if err != nil {
				if jiti.KindOf(err) != jiti.NotFound {
					t.Fatal(err)
				}
				if st.Value(13, 0) > 0 {
					// Not distributed: the members' part would have been too small.
					val := func(no int) jiti.Amount { return st.Value(no, 0) }
					if p, err := register.DraftPlan(year, val(13), val(14), val(15), val(17)+val(18)+val(19), 2000, 2000); err == nil && p.Members >= 2*minDividend {
						t.Errorf("%s %d: could afford %s to members and distributed nothing", v.Region.Code, year, p.Members)
					}
				}
				continue
			}
			plans[year]++
			p := d.Plan
			if d.Status != store.DistributionAdopted || p.Income <= 0 || p.Income != st.Value(13, 0) || p.Members < minDividend ||
				p.Reserve+p.Members+p.Other > p.Distributable() || p.Reserve*100 < p.Distributable()*9 || p.Reserve*100 > p.Distributable()*21 {
				t.Errorf("%s %d: plan %+v, %s", v.Region.Code, year, p, d.Status)
			}
			var given, paid jiti.Amount
			for _, l := range d.Lines {
				given += l.Amount
				if l.Household != "" {
					paid += l.Paid
					if l.Paid != l.Amount {
						t.Errorf("%s %d: %s paid %s of %s", v.Region.Code, year, l.Household, l.Paid, l.Amount)
					}
				}
			}
			if given != p.Members {
				t.Errorf("%s %d: lines add up to %s, the plan gives %s", v.Region.Code, year, given, p.Members)
			}
		}
	}
	for _, year := range []int{2024, 2025} {
		if plans[year] == 0 || sum.People.Distributions[year] != plans[year] {
			t.Errorf("%d: %d distributions, the summary says %d", year, plans[year], sum.People.Distributions[year])
		}
	}
	if sum.People.Certificates == 0 || sum.People.Deceased == 0 || sum.People.ShareChanges == 0 {
		t.Errorf("summary %+v", sum.People)
	}
}

func containsString(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
