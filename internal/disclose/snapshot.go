package disclose

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

// Format names the canonical form. A new section (income distributions,
// projects, fiscal funds) comes with a new format; a snapshot keeps the
// format it was published in, and Parse reads every format it knows.
const Format = "jiti-disclosure-v1"

// Snapshot is one disclosure's content: plain values only, money in
// integer fen, dates as text, in the fixed order of the fields below.
// Nothing a villager may not read is in it: counterparties by name,
// households by code and the head's name, never an identity number, a
// phone number or a bank account (free text is masked, see mask).
type Snapshot struct {
	Format     string     `json:"format"`
	Collective Collective `json:"collective"`
	Kind       Kind       `json:"kind"`
	Period     string     `json:"period"` // Period.Key
	Title      string     `json:"title"`  // a matter's title
	From       string     `json:"from"`   // first day covered
	To         string     `json:"to"`     // last day covered
	Version    int        `json:"version"`
	Replaces   int        `json:"replaces"` // the version it corrects; 0 for a first version
	Reason     string     `json:"reason"`   // why it corrects that version
	Chain      Chain      `json:"chain"`
	Items      []Item     `json:"items"`
	Totals     []Total    `json:"totals"`
	Income     int64      `json:"income"`
	Expense    int64      `json:"expense"`
	Assets     []Asset    `json:"assets"`
	Resources  []Resource `json:"resources"`
	Contracts  []Contract `json:"contracts"`
	Claims     []Balance  `json:"claims"`
	Debts      []Balance  `json:"debts"`
}

// Collective names the collective disclosed.
type Collective struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Chain is the head of the collective's voucher chain when the snapshot
// was taken: the seq and hash of its last posted voucher (ledger.HashVoucher).
type Chain struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Item is one income or expense entry of the period.
type Item struct {
	Date        string       `json:"date"`
	Voucher     int          `json:"voucher"` // 记字第N号 of its month
	Summary     string       `json:"summary"`
	Account     string       `json:"account"`
	AccountName string       `json:"account_name"`
	Class       ledger.Class `json:"class"`  // income or expense
	Amount      int64        `json:"amount"` // in the class's direction: income credited, expense debited
}

// Total is an income or expense account's total of the period.
type Total struct {
	Account string       `json:"account"`
	Name    string       `json:"name"`
	Class   ledger.Class `json:"class"`
	Amount  int64        `json:"amount"`
}

// Asset is an asset of the register at the period's end.
type Asset struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Status   string `json:"status"`
	Cost     int64  `json:"cost"`
	Net      int64  `json:"net"` // cost less depreciation to the period's end
}

// Resource is a land resource of the register.
type Resource struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	Area int64  `json:"area"` // hundredths of a mu (亩)
	Use  string `json:"use"`
}

// Contract is a lease, contracting, equity or cooperation contract in
// force during the period, with what it earned and brought in.
type Contract struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	Counterparty string   `json:"counterparty"` // the party's name only
	Subject      string   `json:"subject"`
	Assets       []string `json:"assets"` // codes of the assets it covers, for their public cards
	Start        string   `json:"start"`
	End          string   `json:"end"`
	Amount       int64    `json:"amount"`
	Earned       int64    `json:"earned"`   // income booked on it in the period
	Received     int64    `json:"received"` // money received on it in the period
}

// Balance is a claim or a debt at the period's end with one counterparty
// or household.
type Balance struct {
	Account     string `json:"account"`
	AccountName string `json:"account_name"`
	Party       string `json:"party"`     // counterparty name or household head; "" when not itemized
	Household   string `json:"household"` // household code, for 113
	Amount      int64  `json:"amount"`
}

// Source is what the store gathers from the books for Build: the posted
// books and the registers of one collective. Entries and Movements may
// reach past the period: Build takes what falls in it.
type Source struct {
	Code, Name string
	Accounts   []ledger.Account
	Households map[string]string // code → head's name
	// Entries are the lines of posted vouchers (closing vouchers left
	// out) on income and expense accounts.
	Entries []Entry
	// Movements are the claims and debts accounts' opening balances
	// (Period 0) and monthly sums by counterparty and household.
	Movements []Movement
	Assets    []register.Asset
	History   map[int64][]register.StatusChange // by asset, in date order
	// Depreciation is each asset's depreciation by month.
	Depreciation map[int64]map[jiti.Period]jiti.Amount
	Resources    []register.Resource
	Contracts    []*register.Contract
	Receipts     []Receipt
	Chain        Chain
}

// Entry is one line of a posted voucher.
type Entry struct {
	Date   jiti.Date
	Number int
	Line   ledger.Line
}

// Movement is a month's debits and credits on a claims or debts account
// with one counterparty or household; Period 0 is the opening balance.
type Movement struct {
	Period        jiti.Period
	Account       string
	Counterparty  string
	Household     string
	Debit, Credit jiti.Amount
}

// Receipt is money received on a contract.
type Receipt struct {
	ContractID int64
	Date       jiti.Date
	Amount     jiti.Amount
}

// Version is a snapshot's place among the versions of its period.
type Version struct {
	Number   int
	Replaces int
	Reason   string
}

// Claims and debts accounts, by first-level code: 应收款 and 内部往来
// (a household's credit balance there is a debt), 短期借款, 应付款 and
// 长期借款及应付款.
var (
	claimAccounts = map[string]bool{"112": true, "113": true}
	debtAccounts  = map[string]bool{"201": true, "211": true, "221": true}
)

// IsClaimOrDebt reports whether postings to an account (any level) are
// claims or debts that a disclosure lists by counterparty.
func IsClaimOrDebt(code string) bool {
	root := code
	if len(root) > 3 {
		root = root[:3]
	}
	return claimAccounts[root] || debtAccounts[root]
}

// disclosedContracts are the kinds of contract a disclosure lists.
var disclosedContracts = map[register.ContractKind]bool{
	register.Lease: true, register.Contracting: true, register.Equity: true, register.Cooperation: true,
}

// Build returns the snapshot of period p from src, as version v.
func Build(src *Source, p Period, v Version) *Snapshot {
	s := &Snapshot{
		Format: Format, Collective: Collective{Code: src.Code, Name: mask(src.Name)}, // the code is public: a region code and a number
		Kind: p.Kind, Period: p.Key(), Title: mask(p.Title), From: p.Start().String(), To: p.End().String(),
		Version: v.Number, Replaces: v.Replaces, Reason: mask(v.Reason), Chain: src.Chain,
		Items: []Item{}, Totals: []Total{}, Assets: []Asset{}, Resources: []Resource{}, Contracts: []Contract{},
		Claims: []Balance{}, Debts: []Balance{},
	}
	accounts := map[string]ledger.Account{}
	for _, a := range src.Accounts {
		accounts[a.Code] = a
	}
	earned := s.items(src, p, accounts)
	s.assets(src, p)
	s.resources(src)
	s.contracts(src, p, earned)
	s.balances(src, p, accounts)
	return s
}

// items fills the income and expense entries and their totals, and
// returns the income booked per contract code.
func (s *Snapshot) items(src *Source, p Period, accounts map[string]ledger.Account) map[string]int64 {
	earned := map[string]int64{}
	totals := map[string]*Total{}
	for _, e := range src.Entries {
		if e.Date.Period() < p.From || e.Date.Period() > p.To {
			continue
		}
		a, ok := accounts[e.Line.Account]
		if !ok || !a.Class.IsResult() {
			continue
		}
		amount := int64(e.Line.Debit - e.Line.Credit)
		if a.Class == ledger.Income {
			amount = -amount
			s.Income += amount
			if e.Line.Contract != "" {
				earned[e.Line.Contract] += amount
			}
		} else {
			s.Expense += amount
		}
		s.Items = append(s.Items, Item{Date: e.Date.String(), Voucher: e.Number, Summary: mask(e.Line.Summary),
			Account: a.Code, AccountName: mask(a.Name), Class: a.Class, Amount: amount})
		t := totals[a.Code]
		if t == nil {
			t = &Total{Account: a.Code, Name: mask(a.Name), Class: a.Class}
			totals[a.Code] = t
		}
		t.Amount += amount
	}
	sort.SliceStable(s.Items, func(i, j int) bool {
		if s.Items[i].Date != s.Items[j].Date {
			return s.Items[i].Date < s.Items[j].Date
		}
		return s.Items[i].Voucher < s.Items[j].Voucher
	})
	for _, t := range totals {
		s.Totals = append(s.Totals, *t)
	}
	sort.Slice(s.Totals, func(i, j int) bool { return s.Totals[i].Account < s.Totals[j].Account })
	return earned
}

// assets fills the register as it stood at the period's end: the assets
// acquired by then and not disposed of before the period, each with its
// status and net value at the end.
func (s *Snapshot) assets(src *Source, p Period) {
	end := p.End()
	for _, a := range src.Assets {
		if a.AcquiredOn.After(end) || (!a.DisposedOn.IsZero() && a.DisposedOn.Before(p.Start())) {
			continue
		}
		dep := a.OpeningDepreciation
		for m, amount := range src.Depreciation[a.ID] {
			if m <= p.To {
				dep += amount
			}
		}
		s.Assets = append(s.Assets, Asset{Code: mask(a.Code), Name: mask(a.Name), Category: string(a.Category),
			Status: string(statusAt(a, src.History[a.ID], end)), Cost: int64(a.Cost), Net: int64(a.Cost - dep)})
	}
	sort.Slice(s.Assets, func(i, j int) bool { return s.Assets[i].Code < s.Assets[j].Code })
}

// statusAt is an asset's status on day: the last change by then, or, when
// every change came later, the status the first of them left.
func statusAt(a register.Asset, history []register.StatusChange, day jiti.Date) register.Status {
	status := a.Status
	for i := len(history) - 1; i >= 0; i-- {
		h := history[i]
		if !h.Date.After(day) {
			return h.To
		}
		if h.From != "" {
			status = h.From
		}
	}
	return status
}

func (s *Snapshot) resources(src *Source) {
	for _, r := range src.Resources {
		s.Resources = append(s.Resources, Resource{Code: mask(r.Code), Name: mask(r.Name), Kind: string(r.Kind),
			Area: int64(r.Area), Use: string(r.Use)})
	}
	sort.Slice(s.Resources, func(i, j int) bool { return s.Resources[i].Code < s.Resources[j].Code })
}

// contracts fills the contracts in force at some time in the period.
func (s *Snapshot) contracts(src *Source, p Period, earned map[string]int64) {
	assets := map[int64]register.Asset{}
	for _, a := range src.Assets {
		assets[a.ID] = a
	}
	resources := map[int64]string{}
	for _, r := range src.Resources {
		resources[r.ID] = r.Name
	}
	received := map[int64]int64{}
	for _, r := range src.Receipts {
		if !r.Date.Before(p.Start()) && !r.Date.After(p.End()) {
			received[r.ContractID] += int64(r.Amount)
		}
	}
	for _, c := range src.Contracts {
		if !disclosedContracts[c.Kind] || c.Status == register.ContractDraft ||
			c.Start.After(p.End()) || c.End.Before(p.Start()) || (!c.EndedOn.IsZero() && c.EndedOn.Before(p.Start())) {
			continue
		}
		var subjects []string
		codes := []string{}
		for _, sub := range c.Subjects {
			switch {
			case sub.AssetID != 0:
				subjects = append(subjects, assets[sub.AssetID].Name)
				codes = append(codes, mask(assets[sub.AssetID].Code))
			case sub.Area != 0:
				subjects = append(subjects, resources[sub.ResourceID]+" "+sub.Area.String()+"亩")
			default:
				subjects = append(subjects, resources[sub.ResourceID])
			}
		}
		s.Contracts = append(s.Contracts, Contract{Code: mask(c.Code), Name: mask(c.Name), Kind: string(c.Kind),
			Counterparty: mask(c.Party.Name), Subject: mask(strings.Join(subjects, "、")), Assets: codes,
			Start: c.Start.String(), End: c.End.String(), Amount: int64(c.Amount),
			Earned: earned[c.Code], Received: received[c.ID]})
	}
	sort.Slice(s.Contracts, func(i, j int) bool { return s.Contracts[i].Code < s.Contracts[j].Code })
}

// balances fills the claims and debts at the period's end, by account,
// counterparty and household; settled ones are left out.
func (s *Snapshot) balances(src *Source, p Period, accounts map[string]ledger.Account) {
	type key struct{ account, party, household string }
	net := map[key]int64{}
	for _, m := range src.Movements {
		if m.Period > p.To {
			continue
		}
		net[key{m.Account, m.Counterparty, m.Household}] += int64(m.Debit - m.Credit)
	}
	for k, n := range net {
		if n == 0 {
			continue
		}
		party := k.party
		if k.household != "" {
			party = src.Households[k.household]
		}
		b := Balance{Account: k.account, AccountName: mask(accounts[k.account].Name), Party: mask(party),
			Household: mask(k.household), Amount: n}
		root := k.account[:min(3, len(k.account))]
		switch {
		case claimAccounts[root] && (n > 0 || root != "113"):
			s.Claims = append(s.Claims, b)
		case root == "113":
			b.Amount = -n
			s.Debts = append(s.Debts, b)
		case debtAccounts[root]:
			b.Amount = -n
			s.Debts = append(s.Debts, b)
		}
	}
	for _, list := range [][]Balance{s.Claims, s.Debts} {
		sort.Slice(list, func(i, j int) bool {
			a, b := list[i], list[j]
			if a.Account != b.Account {
				return a.Account < b.Account
			}
			if a.Household != b.Household {
				return a.Household < b.Household
			}
			return a.Party < b.Party
		})
	}
}

// Canonical returns the snapshot's canonical form: its JSON, fields in
// the fixed order of the types above, no insignificant space.
func (s *Snapshot) Canonical() []byte {
	b, err := json.Marshal(s)
	if err != nil {
		panic("disclose: canonical form: " + err.Error()) // plain values only: cannot fail
	}
	return b
}

// Hash returns the SHA-256, in hex, of a canonical form.
func Hash(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// Errors of reading a snapshot.
var (
	ErrNotSnapshot  = jiti.Errorf(jiti.Invalid, "disclosure.not_snapshot")
	ErrFormat       = jiti.Errorf(jiti.Invalid, "disclosure.format")
	ErrNotCanonical = jiti.Errorf(jiti.Invalid, "disclosure.not_canonical")
	ErrTotals       = jiti.Errorf(jiti.Invalid, "disclosure.totals")
)

// Parse reads a canonical form and checks it: a snapshot of a known
// format, exactly as Canonical writes it (so its hash is the hash of its
// content), whose totals add up from its items.
func Parse(b []byte) (*Snapshot, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil || dec.More() {
		return nil, ErrNotSnapshot
	}
	if s.Format != Format {
		return nil, ErrFormat.With(s.Format)
	}
	if !bytes.Equal(s.Canonical(), b) {
		return nil, ErrNotCanonical
	}
	if err := s.checkTotals(); err != nil {
		return nil, err
	}
	return &s, nil
}

// checkTotals checks that the totals by account, income and expense add
// up from the items.
func (s *Snapshot) checkTotals() error {
	byAccount := map[string]int64{}
	var income, expense int64
	for _, it := range s.Items {
		byAccount[it.Account] += it.Amount
		if it.Class == ledger.Income {
			income += it.Amount
		} else {
			expense += it.Amount
		}
	}
	if income != s.Income || expense != s.Expense || len(byAccount) != len(s.Totals) {
		return ErrTotals
	}
	for _, t := range s.Totals {
		if byAccount[t.Account] != t.Amount {
			return ErrTotals
		}
	}
	return nil
}
