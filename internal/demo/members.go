package demo

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The demo's members (成员): every village's households and members, drawn
// in memory from a generator of their own (so the books stay exactly as
// they were), and entered through the store's bulk paths, a whole village
// at a time. The county's rural registered population is about half a
// million: each village gets its part in proportion to the square root of
// its land (a village with more land feeds more people, but not in
// proportion), between 500 and 5,000 people. The members were confirmed
// in the 2020 reform (清产核资、成员身份确认) on a decision of the members'
// assembly; the children born since and the wives married in were
// confirmed in March 2024; a few elderly members died in 2024–2025 and a
// few young ones settled in town and left (自愿退出) on a decision of 2025.

// Population of the county the demo's villages add up to.
const countyPopulation = 490_000

// The membership decisions every village holds, by number. The numbers
// carry a letter prefix so they never meet the contracts' decisions
// (numbered after their contracts, 2025-003).
const (
	decConfirm  = "CY2020-01" // 成员身份确认
	decShares   = "GF2020-01" // 股份量化
	decNewborn  = "CY2024-01" // 新增成员确认
	decExit     = "CY2025-01" // 成员退出
	decTransfer = "GF2025-01" // 股权继承、赠与
)

// people is one village's households and members as drawn, with what
// became of a few of them.
type people struct {
	Households []store.Household
	Members    []register.Member
	Confirmed  jiti.Date // the 2020 confirmation
	Newborn    jiti.Date // the 2024 one
	Deaths     []departure
	Exits      []departure
	Gifts      [][2]int // giver, receiver (member indexes): one share
	Last       int      // the last year of the books: the exits, deaths and transfers fall in it (deaths in the year before too)
}

// departure is a member (by index) leaving the register on a date.
type departure struct {
	Member int
	On     jiti.Date
}

// populations returns the number of members of each village of the
// county (by Index), the whole county adding up to countyPopulation.
func populations(c *county) []int {
	w := make([]float64, len(c.Villages))
	var sum float64
	for i, v := range c.Villages {
		var a float64
		for _, r := range v.Resources {
			a += float64(r.Area)
		}
		rng := newRand(c.Seed, "population", v.Region.Code)
		w[i] = math.Sqrt(a+1) * (0.75 + 0.5*rng.Float64())
		sum += w[i]
	}
	out := make([]int, len(w))
	for i := range w {
		out[i] = min(5000, max(500, int(math.Round(countyPopulation*w[i]/sum))))
	}
	return out
}

// drawPeople draws village v's households and members, size people in
// all. Its existing households (the sub-ledgers of 113 in its books) come
// first, each headed by the person it is named after.
func drawPeople(seed int64, v *village, size, last int) *people {
	rng := newRand(seed, "people", v.Region.Code)
	p := &people{
		Confirmed: jiti.Date{Year: 2020, Month: time.June, Day: 10 + rng.IntN(15)},
		Newborn:   jiti.Date{Year: 2024, Month: time.March, Day: 5 + rng.IntN(20)},
	}
	used := map[string]bool{} // birth date and sex: one number each in the village
	add := func(hh, name string, sex register.Sex, born jiti.Date, rel register.Relation) int {
		for used[born.String()+string(sex)] {
			born = born.AddDays(1)
		}
		used[born.String()+string(sex)] = true
		seq := 2 * v.Index // unique to the village: no two villages share a number
		if sex == register.Male {
			seq++
		}
		s := fmt.Sprintf("%s%04d%02d%02d%03d", CountyCode, born.Year, int(born.Month), born.Day, seq)
		id, err := jiti.NewIDNumber(s + string(idCheck(s)))
		if err != nil {
			panic(err) // idCheck makes it valid
		}
		m := register.Member{Code: fmt.Sprintf("M%05d", len(p.Members)+1), Name: name, IDNumber: id, Sex: sex, BornOn: born,
			Household: hh, Relation: rel, Basis: register.BasisOriginal, ConfirmedOn: p.Confirmed, Decision: decConfirm}
		if born.After(p.Confirmed) {
			m.Basis, m.ConfirmedOn, m.Decision = register.BasisBirth, p.Newborn, decNewborn
		}
		p.Members = append(p.Members, m)
		return len(p.Members) - 1
	}
	bornIn := func(lo, hi int) jiti.Date {
		return jiti.Date{Year: lo + rng.IntN(hi-lo+1), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
	}
	given := func() string { return givenNames[rng.IntN(len(givenNames))] }
	other := func(s register.Sex) register.Sex {
		if s == register.Male {
			return register.Female
		}
		return register.Male
	}
	for h := 0; len(p.Members) < size; h++ {
		code := fmt.Sprintf("H%03d", h+1)
		surname := surnames[rng.IntN(len(surnames))]
		head := surname + given()
		if h < len(v.Households) {
			head = v.Households[h].Name
			surname = string([]rune(head)[:1])
		}
		sex := register.Male
		if rng.IntN(8) == 0 {
			sex = register.Female
		}
		hb := bornIn(1945, 1997)
		add(code, head, sex, hb, register.RelHead)
		age := 2025 - hb.Year
		if rng.IntN(100) < 85 || (age > 70 && rng.IntN(100) < 60) {
			i := add(code, surnames[rng.IntN(len(surnames))]+given(), other(sex), bornIn(hb.Year-3, min(hb.Year+5, 1999)), register.RelSpouse)
			if p.Members[i].Sex == register.Female && rng.IntN(5) < 2 {
				p.Members[i].Basis = register.BasisMarriage
				if rng.IntN(6) == 0 && p.Members[i].BornOn.Year >= 1996 { // married in since the confirmation
					p.Members[i].ConfirmedOn, p.Members[i].Decision = p.Newborn, decNewborn
				}
			}
		}
		if age < 65 {
			for range rng.IntN(4) {
				b := bornIn(hb.Year+22, min(hb.Year+40, 2023))
				add(code, surname+given(), register.Sex([]register.Sex{register.Male, register.Female}[rng.IntN(2)]), b, register.RelChild)
			}
		}
		if age < 55 && rng.IntN(4) == 0 {
			add(code, surname+given(), register.Sex([]register.Sex{register.Male, register.Female}[rng.IntN(2)]),
				bornIn(hb.Year-32, hb.Year-24), register.RelParent)
		}
		if age >= 55 {
			for range rng.IntN(3) {
				b := bornIn(max(2005, hb.Year+45), 2023)
				add(code, surname+given(), register.Sex([]register.Sex{register.Male, register.Female}[rng.IntN(2)]), b, register.RelGrandchild)
			}
		}
		p.Households = append(p.Households, store.Household{Code: code, Name: head, Head: ""})
	}
	// Village groups (村民小组, called 社 in Huining) of about sixty
	// households, and each household's address.
	groups := max(3, len(p.Households)/60)
	village := v.Region.Name
	for i := range p.Households {
		g := 1 + i*groups/len(p.Households)
		p.Households[i].Group = fmt.Sprintf("第%d村民小组", g)
		p.Households[i].Address = fmt.Sprintf("甘肃省白银市会宁县%s%s%d社%d号", v.Town.Name, village, g, 1+rng.IntN(120))
	}
	// A few elderly members (never a head) died, a few young ones left.
	for i := range p.Members {
		m := &p.Members[i]
		switch {
		case m.Relation != register.RelHead && m.BornOn.Year < 1950 && rng.IntN(15) == 0:
			p.Deaths = append(p.Deaths, departure{i, jiti.Date{Year: last - rng.IntN(2), Month: time.Month(1 + rng.IntN(11)), Day: 1 + rng.IntN(28)}})
		case m.Relation == register.RelChild && m.BornOn.Year >= 1995 && m.BornOn.Year <= 2002 && rng.IntN(150) == 0:
			p.Exits = append(p.Exits, departure{i, jiti.Date{Year: last, Month: time.July, Day: 1 + rng.IntN(28)}})
		}
	}
	p.Last = last
	slices.SortFunc(p.Deaths, func(a, b departure) int { return a.On.Compare(b.On) })
	// About one household in a hundred gives a share to the head of
	// another household (a relative).
	gave := map[int]bool{}
	for range len(p.Households) / 100 {
		from, to := rng.IntN(len(p.Households)), rng.IntN(len(p.Households))
		if from != to && !gave[from] {
			gave[from] = true
			p.Gifts = append(p.Gifts, [2]int{p.headOfCode(p.Households[from].Code), p.headOfCode(p.Households[to].Code)})
		}
	}
	return p
}

// quantified reports whether member i was active on the day 人口股 was
// quantified (and so holds one).
func (p *people) quantified(i int, on jiti.Date) bool {
	return !p.Members[i].ConfirmedOn.After(on)
}

// drawPopulation draws the people of each village of the build, in
// parallel, indexed by the village's Index in the county.
func drawPopulation(ctx context.Context, c *county, villages []*village, last, workers int) ([]*people, error) {
	sizes := populations(c)
	out := make([]*people, len(c.Villages))
	err := parallel(ctx, len(villages), workers, func(_ context.Context, i int) error {
		out[villages[i].Index] = drawPeople(c.Seed, villages[i], sizes[villages[i].Index], last)
		return nil
	})
	return out, err
}

// households returns the households a village's books open with: all
// its member households, those its 113 sub-ledgers name first.
func (b *builder) households(h *history) []store.Household {
	if p := b.people[h.V.Index]; p != nil {
		return p.Households
	}
	return h.V.Households
}

// members enters the people of a township's villages as their
// accountant: the decisions they rest on, the members (one bulk insert a
// village), the deaths and exits, the shares quantified and moved, and
// the certificates issued.
func (b *builder) members(ctx context.Context, kj jiti.UserID, hs []*history, ids []int64, n *govCounts) error {
	var ds []register.Decision
	for i, h := range hs {
		ds = append(ds, b.people[h.V.Index].decisions(ids[i], h.V)...)
	}
	if _, err := b.db.CreateDecisions(ctx, kj, ds); err != nil {
		return fmt.Errorf("demo: membership decisions: %w", err)
	}
	for i, h := range hs {
		p := b.people[h.V.Index]
		code := h.V.Region.Code
		if err := b.db.CreateMembers(ctx, kj, ids[i], slices.Clone(p.Members)); err != nil {
			return fmt.Errorf("demo: %s members: %w", code, err)
		}
		n.members += len(p.Members)
		if err := b.shares(ctx, kj, ids[i], h.V, p, n); err != nil {
			return fmt.Errorf("demo: %s shares: %w", code, err)
		}
	}
	return nil
}

// decisions are the village's decisions on its members and shares.
func (p *people) decisions(cid int64, v *village) []register.Decision {
	rng := newRand(0, "people-decisions", v.Region.Code)
	households := len(p.Households)
	d := func(number string, kind register.DecisionKind, subject string, resolved jiti.Date, result string) register.Decision {
		return register.Decision{CollectiveID: cid, Number: number, Kind: kind, Subject: subject,
			Steps: assemblySteps(rng, subject, resolved, households, result)}
	}
	out := []register.Decision{
		d(decConfirm, register.DecideMembership, "农村集体经济组织成员身份确认", p.Confirmed.AddDays(-2), "村务公开栏公布成员名单"),
		d(decShares, register.DecideOther, "集体经营性资产折股量化（人口股，静态管理）", jiti.Date{Year: 2020, Month: time.November, Day: 20}, "村务公开栏公布股权设置方案"),
		d(decNewborn, register.DecideMembership, "新增成员确认（新生儿、婚入）", p.Newborn.AddDays(-2), "村务公开栏公布新增成员名单"),
		d(decTransfer, register.DecideOther, "股权继承与赠与确认", jiti.Date{Year: p.Last, Month: time.December, Day: 10}, "村务公开栏公布股权变更"),
	}
	if len(p.Exits) > 0 {
		out = append(out, d(decExit, register.DecideMembership, "成员自愿退出确认", jiti.Date{Year: p.Last, Month: time.June, Day: 20}, "村务公开栏公布退出名单"))
	}
	return out
}

// assemblySteps are the minutes of a decision resolved on a date by the
// members' representatives (or, one time in four, the households'
// meeting), the steps before it in the weeks before, the resolution
// published at once and its result some weeks after, or on resultOn when
// given.
func assemblySteps(rng *rand.Rand, subject string, resolved jiti.Date, households int, result string, resultOn ...jiti.Date) []register.DecisionStep {
	review := resolved.AddDays(-(2 + rng.IntN(5)))
	deliberation := review.AddDays(-(2 + rng.IntN(6)))
	proposal := deliberation.AddDays(-(1 + rng.IntN(5)))
	twoThirds := func(n int) int { return (2*n + 2) / 3 }
	majority := func(present int) int { return present - rng.IntN(present/3+1) }
	branch := 3 + 2*rng.IntN(3)
	committees := branch + 2 + rng.IntN(5)
	partyMembers := 25 + rng.IntN(46)
	reviewPresent := twoThirds(partyMembers) + rng.IntN(partyMembers-twoThirds(partyMembers)+1)
	meeting, body := register.MeetingRepresentatives, 30+rng.IntN(31)
	if rng.IntN(4) == 0 {
		meeting, body = register.MeetingHouseholds, households
	}
	present := twoThirds(body) + rng.IntN(body-twoThirds(body)+1)
	on := resolved.AddDays(10 + rng.IntN(20))
	if len(resultOn) > 0 {
		on = resultOn[0]
	}
	return []register.DecisionStep{
		{Step: register.StepProposal, HeldOn: proposal, Required: branch, Present: branch, Approve: branch, Content: "支部委员会提议：" + subject},
		{Step: register.StepDeliberation, HeldOn: deliberation, Required: committees, Present: committees, Approve: majority(committees),
			Content: "村“两委”联席会议商议"},
		{Step: register.StepReview, HeldOn: review, Required: partyMembers, Present: reviewPresent, Approve: majority(reviewPresent), Content: "党员大会审议"},
		{Step: register.StepResolution, HeldOn: resolved, Meeting: meeting, Required: body, Present: present, Approve: majority(present),
			Content: "表决通过" + subject},
		{Step: register.StepPublishDecision, HeldOn: resolved.AddDays(1 + rng.IntN(2)), Content: "村务公开栏公布决议"},
		{Step: register.StepPublishResult, HeldOn: on, Content: result},
	}
}

// govCounts are what one township's members, shares and distributions
// add to the summary.
type govCounts struct {
	members, certificates, deaths, exits, shareChanges int
	plans                                              map[int]int         // distributions adopted and paid, by year
	dividends                                          map[int]jiti.Amount // the members' parts, by year
}

// People is what Build made of the members' side: the members and their
// households, the shares' certificates, and the income distributions
// adopted and paid, by year of the books.
type People struct {
	Members       int                 `json:"members"`
	Deceased      int                 `json:"deceased"`
	Exited        int                 `json:"exited"`
	ShareChanges  int                 `json:"share_changes"` // inheritances and gifts
	Certificates  int                 `json:"certificates"`
	Distributions map[int]int         `json:"distributions"`
	Dividends     map[int]jiti.Amount `json:"dividends"`
}

func (p *People) add(n *govCounts) {
	p.Members += n.members
	p.Deceased += n.deaths
	p.Exited += n.exits
	p.ShareChanges += n.shareChanges
	p.Certificates += n.certificates
	if p.Distributions == nil {
		p.Distributions, p.Dividends = map[int]int{}, map[int]jiti.Amount{}
	}
	for y, k := range n.plans {
		p.Distributions[y] += k
		p.Dividends[y] += n.dividends[y]
	}
}

// String reports the members' side in Chinese, for the command line.
func (p *People) String() string {
	s := fmt.Sprintf("  成员 %d 人（死亡 %d 人，退出 %d 人），股权证 %d 本，股权继承、赠与 %d 笔", p.Members, p.Deceased, p.Exited, p.Certificates, p.ShareChanges)
	ys := slices.Sorted(maps.Keys(p.Distributions))
	for _, y := range ys {
		s += fmt.Sprintf("；%d 年度收益分配 %d 个村，向成员分配 %s 元", y, p.Distributions[y], p.Dividends[y].Grouped())
	}
	return s
}

// distributeYear runs distribute for one village and counts it; it
// returns how many vouchers the plan's adoption and payment posted.
func (b *builder) distributeYear(ctx context.Context, kj jiti.UserID, cid int64, v *village, year int, n *govCounts) (int, error) {
	ok, err := b.distribute(ctx, kj, cid, v, year)
	if err != nil {
		return 0, fmt.Errorf("demo: %s distribution of %d: %w", v.Region.Code, year, err)
	}
	if !ok {
		return 0, nil
	}
	if n.plans == nil {
		n.plans, n.dividends = map[int]int{}, map[int]jiti.Amount{}
	}
	d, err := b.db.FindDistribution(ctx, cid, year)
	if err != nil {
		return 0, err
	}
	n.plans[year]++
	n.dividends[year] += d.Plan.Members
	// The vouchers are the posting rules' own: counted with them.
	var shares []posting.HouseholdShare
	for _, l := range d.Lines {
		if l.Household != "" {
			shares = append(shares, posting.HouseholdShare{Code: l.Household, Name: l.Name, Amount: l.Amount})
		}
	}
	return len(posting.Adoption(cid, d.AdoptedOn, &d.Plan, shares, d.Payable)) +
		len(posting.Payment(cid, year, d.AdoptedOn, shares, d.Payable, acctBank)), nil
}
