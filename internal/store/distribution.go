package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

// Distribution is a collective's income distribution for a year: its plan,
// where it stands, and what each household is allotted and was paid.
type Distribution struct {
	ID           int64                     `json:"id"`
	CollectiveID int64                     `json:"collective_id"`
	Plan         register.DistributionPlan `json:"plan"`
	Status       string                    `json:"status"`  // "draft" or "adopted"
	Payable      string                    `json:"payable"` // the account allotments are owed on (113 or a leaf of 211)
	Decision     string                    `json:"decision,omitempty"`
	AdoptedOn    jiti.Date                 `json:"adopted_on,omitzero"`
	Lines        []register.Allotment      `json:"lines"`
}

// Statuses of a distribution.
const (
	DistributionDraft   = "draft"
	DistributionAdopted = "adopted"
)

// DistributionInput drafts a plan: the rates of 公积公益金 and of what
// then remains to the members (FullRate units), or the members' amount
// itself; other distributions; and the account allotments are owed on.
type DistributionInput struct {
	Year        int
	ReserveRate int
	MemberRate  int
	Members     jiti.Amount // when > 0, the members' part itself instead of MemberRate
	Other       jiti.Amount
	Payable     string // "" is 113 内部往来
}

// Errors of distributions.
var (
	ErrYearNotClosed       = jiti.Errorf(jiti.Conflict, "distribution.year_not_closed")
	ErrDistributionAdopted = jiti.Errorf(jiti.Conflict, "distribution.adopted")
	ErrDistributionDraft   = jiti.Errorf(jiti.Conflict, "distribution.not_adopted")
	ErrDistributionNone    = jiti.Errorf(jiti.NotFound, "distribution.none")
	ErrNothingOwed         = jiti.Errorf(jiti.Conflict, "distribution.nothing_owed")
	ErrAdoptedBeforeYear   = jiti.Errorf(jiti.Invalid, "distribution.adopted_in_year")
)

// DraftDistribution drafts (or drafts again) collective cid's plan for a
// closed year from its books, and allots the members' part to the
// households by the shares they hold now, to the fen. An adopted plan is
// never drafted again.
func (db *DB) DraftDistribution(ctx context.Context, by jiti.UserID, cid int64, in DistributionInput) (*Distribution, error) {
	var out *Distribution
	err := db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		old, err := findDistribution(ctx, t, cid, in.Year)
		if err != nil && !errors.Is(err, ErrDistributionNone) {
			return err
		}
		if old != nil && old.Status == DistributionAdopted {
			return ErrDistributionAdopted.With(in.Year).At("year")
		}
		payable := orDefault(in.Payable, ledger.AcctInternal)
		if err := t.checkAccounts(ctx, cid, map[string]string{"account": payable}); err != nil {
			return jiti.AsError(err).At("payable")
		}
		plan, err := t.yearPlan(ctx, cid, in)
		if err != nil {
			return err
		}
		lines, err := t.allot(ctx, cid, plan.Members)
		if err != nil {
			return err
		}
		d := &Distribution{CollectiveID: cid, Plan: *plan, Status: DistributionDraft, Payable: payable, Lines: lines}
		if old != nil {
			d.ID = old.ID
			if _, err := t.exec(ctx, `DELETE FROM distribution_lines WHERE distribution_id = ?`, old.ID); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `UPDATE distributions SET income = ?, opening = ?, transfers = ?, distributed = ?, reserve = ?, members = ?,
  other = ?, payable = ? WHERE id = ?`, int64(plan.Income), int64(plan.Opening), int64(plan.Transfers), int64(plan.Distributed),
				int64(plan.Reserve), int64(plan.Members), int64(plan.Other), payable, old.ID); err != nil {
				return err
			}
		} else if err := t.queryRow(ctx, `INSERT INTO distributions (collective_id, year, status, income, opening, transfers, distributed,
  reserve, members, other, payable, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			cid, plan.Year, DistributionDraft, int64(plan.Income), int64(plan.Opening), int64(plan.Transfers), int64(plan.Distributed),
			int64(plan.Reserve), int64(plan.Members), int64(plan.Other), payable, timeArg(t.now)).Scan(&d.ID); err != nil {
			return err
		}
		rows := make([][]any, len(lines))
		for i, l := range lines {
			rows[i] = []any{d.ID, l.Household, l.Name, int64(l.Shares), int64(l.Amount), int64(0)}
		}
		if err := t.bulkInsert(ctx, "distribution_lines", []string{"distribution_id", "household_code", "name", "shares", "amount", "paid"}, rows); err != nil {
			return err
		}
		out = d
		return t.audit(ctx, by, "distribution.draft", "collective", cid, cid, nil, map[string]any{"plan": plan, "payable": payable, "households": len(lines)})
	})
	return out, err
}

// yearPlan drafts the plan of a closed year from its 收益及收益分配表.
func (t *Tx) yearPlan(ctx context.Context, cid int64, in DistributionInput) (*register.DistributionPlan, error) {
	dec := jiti.NewPeriod(in.Year, time.December)
	if !dec.Valid() {
		return nil, jiti.ErrPeriodSyntax.With(in.Year).At("year")
	}
	closed, err := t.closedPeriods(ctx, cid)
	if err != nil {
		return nil, err
	}
	if !closed[dec] {
		return nil, ErrYearNotClosed.With(in.Year).At("year")
	}
	st, err := t.db.incomeStatement(ctx, t, cid, dec)
	if err != nil {
		return nil, err
	}
	// Lines of income.json: 13 本年收益, 14 年初未分配收益, 15 其他转入,
	// 17–19 what the year already distributed.
	v := func(no int) jiti.Amount { return st.Value(no, 0) }
	plan, err := register.DraftPlan(in.Year, v(13), v(14), v(15), v(17)+v(18)+v(19), in.ReserveRate, in.MemberRate)
	if err != nil {
		return nil, err
	}
	if in.Members > 0 {
		plan.Members = in.Members
	}
	plan.Other = in.Other
	return plan, plan.Check()
}

// allot divides the members' part among the households (and the
// collective's own shares) by the shares they hold.
func (t *Tx) allot(ctx context.Context, cid int64, members jiti.Amount) ([]register.Allotment, error) {
	hs, err := householdShares(ctx, t, cid)
	if err != nil {
		return nil, err
	}
	var own register.Shares
	if err := t.queryRow(ctx, `SELECT COALESCE(SUM(qty), 0) FROM share_holdings WHERE collective_id = ? AND holder_kind = 'collective'`, cid).
		Scan((*int64)(&own)); err != nil {
		return nil, err
	}
	names, err := t.householdNames(ctx, cid)
	if err != nil {
		return nil, err
	}
	lines := make([]register.Allotment, 0, len(hs)+1)
	if own > 0 {
		lines = append(lines, register.Allotment{Shares: own})
	}
	for _, h := range hs {
		if h.Total > 0 {
			lines = append(lines, register.Allotment{Household: h.Household, Name: names[h.Household], Shares: h.Total})
		}
	}
	shares := make([]register.Shares, len(lines))
	for i, l := range lines {
		shares[i] = l.Shares
	}
	amounts, err := register.AllocateByShares(members, shares)
	if err != nil {
		return nil, jiti.AsError(err).At("members")
	}
	for i := range lines {
		lines[i].Amount = amounts[i]
	}
	return lines, nil
}

func (t *Tx) householdNames(ctx context.Context, cid int64) (map[string]string, error) {
	rows, err := t.query(ctx, `SELECT code, name FROM households WHERE collective_id = ?`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, err
		}
		out[code] = name
	}
	return out, rows.Err()
}

// AdoptDistribution adopts collective cid's drafted plan for year on its
// decision (of kind distribution, adopted by date) and posts its vouchers
// on date: the appropriation to 311 and each household's allotment.
func (db *DB) AdoptDistribution(ctx context.Context, by jiti.UserID, cid int64, year int, date jiti.Date, decision string) (*Distribution, error) {
	var out *Distribution
	err := db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		d, err := findDistribution(ctx, t, cid, year)
		if err != nil {
			return err
		}
		if d.Status == DistributionAdopted {
			return ErrDistributionAdopted.With(year).At("year")
		}
		if date.IsZero() {
			return jiti.ErrRequired.At("date")
		}
		if date.Year <= year {
			return ErrAdoptedBeforeYear.With(date, year).At("date")
		}
		dec, err := t.adoptedDecision(ctx, cid, decision, date, register.DecideDistribution)
		if err != nil {
			return jiti.AsError(err).At("decision")
		}
		// The year's books are closed, so the plan's figures still hold;
		// Check guards a plan whose figures were changed behind its back.
		if err := d.Plan.Check(); err != nil {
			return err
		}
		var shares []posting.HouseholdShare
		for _, l := range d.Lines {
			if l.Household != "" {
				shares = append(shares, posting.HouseholdShare{Code: l.Household, Name: l.Name, Amount: l.Amount})
			}
		}
		for _, v := range posting.Adoption(cid, date, &d.Plan, shares, d.Payable) {
			if err := t.postRegister(ctx, by, cid, v); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `UPDATE distributions SET status = ?, decision_id = ?, adopted_on = ? WHERE id = ?`,
			DistributionAdopted, dec, dateArg(date), d.ID); err != nil {
			return err
		}
		d.Status, d.Decision, d.AdoptedOn = DistributionAdopted, decision, date
		out = d
		return t.audit(ctx, by, "distribution.adopt", "collective", cid, cid, nil, map[string]any{"year": year, "date": date, "decision": decision})
	})
	return out, err
}

// PayDistribution pays on date, from the bank or cash account, what is
// still owed to the households listed (all of them when none is), in one
// batch of vouchers. It returns the households paid, each with the amount
// paid now (as both Amount and Paid).
func (db *DB) PayDistribution(ctx context.Context, by jiti.UserID, cid int64, year int, date jiti.Date, account string, households []string) ([]register.Allotment, error) {
	var paid []register.Allotment
	err := db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		if account == "" {
			return jiti.ErrRequired.At("account")
		}
		if err := t.checkAccounts(ctx, cid, map[string]string{"account": account}); err != nil {
			return err
		}
		if date.IsZero() {
			return jiti.ErrRequired.At("date")
		}
		d, err := findDistribution(ctx, t, cid, year)
		if err != nil {
			return err
		}
		if d.Status != DistributionAdopted {
			return ErrDistributionDraft.With(year).At("year")
		}
		if date.Before(d.AdoptedOn) {
			return ErrAdoptedBeforeYear.With(date, year).At("date")
		}
		want := map[string]bool{}
		for _, h := range households {
			want[h] = true
		}
		// all is read before the loop, which empties want as it finds
		// the households listed.
		all := len(want) == 0
		var pay []posting.HouseholdShare
		for _, l := range d.Lines {
			if l.Owed() > 0 && (all || want[l.Household]) {
				pay = append(pay, posting.HouseholdShare{Code: l.Household, Name: l.Name, Amount: l.Owed()})
				paid = append(paid, register.Allotment{Household: l.Household, Name: l.Name, Shares: l.Shares, Amount: l.Owed(), Paid: l.Owed()})
				delete(want, l.Household)
			}
		}
		for h := range want {
			return ErrNothingOwed.With(h).At("households")
		}
		if len(pay) == 0 {
			return ErrNothingOwed.With(year).At("year")
		}
		vs := posting.Payment(cid, year, date, pay, d.Payable, account)
		// Each household's line is on one of the vouchers: find which, to
		// record it with its payment.
		voucherOf := map[string]int64{}
		for _, v := range vs {
			if err := t.postRegister(ctx, by, cid, v); err != nil {
				return err
			}
			for _, l := range v.Lines {
				if l.Household != "" {
					voucherOf[l.Household] = v.ID
				}
			}
		}
		// Each household paid is paid all it was owed: its line is paid
		// in full, in one statement for the whole village.
		rows := make([][]any, len(pay))
		var total jiti.Amount
		for i, p := range pay {
			rows[i] = []any{d.ID, p.Code, t.d.copyDate(date), int64(p.Amount), voucherOf[p.Code]}
			total += p.Amount
		}
		update, args := `UPDATE distribution_lines SET paid = amount WHERE distribution_id = ? AND household_code <> ''`, []any{d.ID}
		if !all {
			update += ` AND household_code IN (?` + strings.Repeat(", ?", len(pay)-1) + `)`
			for _, p := range pay {
				args = append(args, p.Code)
			}
		}
		if _, err := t.exec(ctx, update, args...); err != nil {
			return err
		}
		if err := t.bulkInsert(ctx, "distribution_payments", []string{"distribution_id", "household_code", "paid_on", "amount", "voucher_id"}, rows); err != nil {
			return err
		}
		return t.audit(ctx, by, "distribution.pay", "collective", cid, cid, nil,
			map[string]any{"year": year, "date": date, "account": account, "households": len(pay), "amount": total})
	})
	if err != nil {
		return nil, err
	}
	return paid, nil
}

// FindDistribution reads collective cid's distribution for year.
func (db *DB) FindDistribution(ctx context.Context, cid int64, year int) (*Distribution, error) {
	return findDistribution(ctx, db.reader(), cid, year)
}

// Distribution reads a distribution of a collective in scope.
func (v *View) Distribution(ctx context.Context, cid int64, year int) (*Distribution, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.FindDistribution(ctx, cid, year)
}

func findDistribution(ctx context.Context, q querier, cid int64, year int) (*Distribution, error) {
	d := &Distribution{CollectiveID: cid}
	p := &d.Plan
	var income, opening, transfers, distributed, reserve, members, other int64
	err := q.queryRow(ctx, `SELECT d.id, d.year, d.status, d.income, d.opening, d.transfers, d.distributed, d.reserve, d.members, d.other,
  d.payable, COALESCE(x.number, ''), d.adopted_on
FROM distributions d LEFT JOIN decisions x ON x.id = d.decision_id WHERE d.collective_id = ? AND d.year = ?`, cid, year).
		Scan(&d.ID, &p.Year, &d.Status, &income, &opening, &transfers, &distributed, &reserve, &members, &other,
			&d.Payable, &d.Decision, dbDate{&d.AdoptedOn})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrDistributionNone.With(year)
	}
	if err != nil {
		return nil, err
	}
	p.Income, p.Opening, p.Transfers, p.Distributed = jiti.Amount(income), jiti.Amount(opening), jiti.Amount(transfers), jiti.Amount(distributed)
	p.Reserve, p.Members, p.Other = jiti.Amount(reserve), jiti.Amount(members), jiti.Amount(other)
	rows, err := q.query(ctx, `SELECT household_code, name, shares, amount, paid FROM distribution_lines WHERE distribution_id = ? ORDER BY household_code`, d.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l register.Allotment
		var shares, amount, paid int64
		if err := rows.Scan(&l.Household, &l.Name, &shares, &amount, &paid); err != nil {
			return nil, err
		}
		l.Shares, l.Amount, l.Paid = register.Shares(shares), jiti.Amount(amount), jiti.Amount(paid)
		d.Lines = append(d.Lines, l)
	}
	return d, rows.Err()
}

// HouseholdAllotment is what one year's distribution allotted a household,
// what was paid and (Owed) what is still to pay, and where the plan
// stands.
type HouseholdAllotment struct {
	Year   int    `json:"year"`
	Status string `json:"status"`
	register.Allotment
}

// HouseholdAllotments lists, year by year, what the collective's
// distributions allotted household code, paid and still owe it.
func (v *View) HouseholdAllotments(ctx context.Context, cid int64, code string) ([]HouseholdAllotment, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	rows, err := v.db.reader().query(ctx, `SELECT d.year, d.status, l.household_code, l.name, l.shares, l.amount, l.paid
FROM distribution_lines l JOIN distributions d ON d.id = l.distribution_id
WHERE d.collective_id = ? AND l.household_code = ? ORDER BY d.year`, cid, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HouseholdAllotment
	for rows.Next() {
		var a HouseholdAllotment
		var shares, amount, paid int64
		if err := rows.Scan(&a.Year, &a.Status, &a.Household, &a.Name, &shares, &amount, &paid); err != nil {
			return nil, err
		}
		a.Shares, a.Amount, a.Paid = register.Shares(shares), jiti.Amount(amount), jiti.Amount(paid)
		out = append(out, a)
	}
	return out, rows.Err()
}
