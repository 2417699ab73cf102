package ledger

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"

	"example.org/jiti"
)

// Class is the class of an account in the 2023 chart.
type Class string

// Account classes.
const (
	Asset     Class = "asset"
	Liability Class = "liability"
	Equity    Class = "equity"
	Cost      Class = "cost"
	Income    Class = "income"  // 损益·收入: closed into 321 at year end
	Expense   Class = "expense" // 损益·费用: closed into 321 at year end
)

// IsResult reports whether accounts of the class are closed into 本年收益 at
// year end.
func (c Class) IsResult() bool { return c == Income || c == Expense }

// Side is the normal balance side of an account.
type Side string

// Normal sides. An account of side Both (113 内部往来, 154, 181) may carry a
// balance on either side.
const (
	Debit  Side = "debit"
	Credit Side = "credit"
	Both   Side = "both"
)

// Account is an account of a collective's chart: one of the 42 first-level
// accounts of the 2023 system, or a detail account (明细科目) under one.
type Account struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en,omitempty"`
	Class    Class  `json:"class"`
	Side     Side   `json:"side"`
	Parent   string `json:"parent,omitempty"` // "" for a first-level account
	Leaf     bool   `json:"leaf"`             // only leaves take postings
	Active   bool   `json:"active"`
	Standard bool   `json:"standard"` // shipped with the chart; cannot be deleted
}

// Level returns 1 for a first-level account, 2 for its detail accounts, and
// so on: codes are three digits, then two more per level.
func (a *Account) Level() int { return AccountLevel(a.Code) }

// AccountLevel returns the level implied by the length of an account code.
func AccountLevel(code string) int { return (len(code)-3)/2 + 1 }

// FirstLevel returns the first-level code of an account code: its first three
// digits.
func FirstLevel(code string) string {
	if len(code) < 3 {
		return code
	}
	return code[:3]
}

// Signed returns the balance of the account on its own normal side: debit
// minus credit for debit accounts and accounts of either side, credit minus
// debit for credit accounts.
func (a *Account) Signed(net jiti.Amount) jiti.Amount {
	if a.Side == Credit {
		return -net
	}
	return net
}

//go:embed chart2023.csv
var chart2023CSV string

// StandardAccounts returns the accounts every new collective starts with: the
// 42 first-level accounts of the 2023 system and the detail accounts of 322
// 收益分配 that year-end closing and the income-distribution statement need
// (32201 各项分配 with 提取公积公益金, 向成员分配, 其他分配 under it, and
// 32202 未分配收益).
// They are data (chart2023.csv), so a correction is a data change.
func StandardAccounts() []Account {
	r := csv.NewReader(strings.NewReader(chart2023CSV))
	recs, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("ledger: chart2023.csv: %v", err))
	}
	var out []Account
	parents := map[string]bool{}
	for _, rec := range recs[1:] {
		a := Account{Code: rec[0], Name: rec[1], NameEN: rec[2], Class: Class(rec[3]), Side: Side(rec[4]),
			Active: true, Standard: true}
		if len(a.Code) > 3 {
			a.Parent = a.Code[:len(a.Code)-2]
			parents[a.Parent] = true
		}
		out = append(out, a)
	}
	for i := range out {
		out[i].Leaf = !parents[out[i].Code]
	}
	return out
}

// Well-known accounts that rules refer to.
const (
	AcctCash              = "101"
	AcctBank              = "102"
	AcctInternal          = "113"
	AcctIncomeOfYear      = "321"
	AcctDistribution      = "322"
	AcctDistributions     = "32201" // 收益分配—各项分配 (parent of the distribution lines)
	AcctUndistributed     = "32202" // 收益分配—未分配收益
	AcctFixedAssets       = "151"
	AcctAccumDepreciation = "152"
)

// Errors of the chart of accounts.
var (
	ErrAccountCode       = jiti.Errorf(jiti.Invalid, "account.code")
	ErrAccountParent     = jiti.Errorf(jiti.Invalid, "account.parent")
	ErrAccountInactive   = jiti.Errorf(jiti.Invalid, "account.inactive")
	ErrAccountNotLeaf    = jiti.Errorf(jiti.Invalid, "account.not_leaf")
	ErrAccountUnknown    = jiti.Errorf(jiti.Invalid, "account.unknown")
	ErrAccountHasPosts   = jiti.Errorf(jiti.Conflict, "account.has_postings")
	ErrAccountStandard   = jiti.Errorf(jiti.Conflict, "account.standard")
	ErrAccountHasDetail  = jiti.Errorf(jiti.Conflict, "account.has_detail")
	ErrAccountNoDetail   = jiti.Errorf(jiti.Invalid, "account.no_detail")
	ErrAccountParentUsed = jiti.Errorf(jiti.Conflict, "account.parent_has_postings")
)

// MaxAccountLevel is the deepest level of detail accounts: 3+2+2+2 digits.
const MaxAccountLevel = 4

// noDetail lists accounts that must stay leaves because closing posts to them.
var noDetail = map[string]bool{AcctIncomeOfYear: true, AcctUndistributed: true}

// NewDetailAccount returns a detail account with the given code and name
// under parent. The code is the parent's code plus two digits; class and
// normal side are the parent's. parentUsed says whether the parent has
// postings or balances of its own, which would be stranded on a non-leaf.
func NewDetailAccount(parent *Account, code, name string, parentUsed bool) (Account, error) {
	code = strings.TrimSpace(code)
	name = strings.TrimSpace(name)
	if parent == nil {
		return Account{}, ErrAccountParent.With(code).At("code")
	}
	if len(code) != len(parent.Code)+2 || !strings.HasPrefix(code, parent.Code) || !digits(code) || code[len(code)-2:] == "00" {
		return Account{}, ErrAccountCode.With(code, parent.Code).At("code")
	}
	if AccountLevel(code) > MaxAccountLevel {
		return Account{}, ErrAccountCode.With(code, parent.Code).At("code")
	}
	if name == "" {
		return Account{}, jiti.ErrRequired.At("name")
	}
	if len([]rune(name)) > 60 {
		return Account{}, jiti.ErrTooLong.With(60).At("name")
	}
	if !parent.Active {
		return Account{}, ErrAccountInactive.With(parent.Code).At("parent")
	}
	if noDetail[parent.Code] {
		return Account{}, ErrAccountNoDetail.With(parent.Code).At("parent")
	}
	if parentUsed {
		return Account{}, ErrAccountParentUsed.With(parent.Code).At("parent")
	}
	return Account{Code: code, Name: name, Class: parent.Class, Side: parent.Side, Parent: parent.Code,
		Leaf: true, Active: true}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// CheckDelete says whether an account may be deleted: never a standard
// account, an account with detail accounts, or one with postings or balances
// (those are deactivated instead).
func CheckDelete(a *Account, used bool) error {
	switch {
	case a.Standard:
		return ErrAccountStandard.With(a.Code)
	case !a.Leaf:
		return ErrAccountHasDetail.With(a.Code)
	case used:
		return ErrAccountHasPosts.With(a.Code)
	}
	return nil
}

// CheckPostable says whether lines may be posted to account a: it must exist,
// be a leaf and be active.
func CheckPostable(a *Account, code string) error {
	switch {
	case a == nil:
		return ErrAccountUnknown.With(code)
	case !a.Leaf:
		return ErrAccountNotLeaf.With(code)
	case !a.Active:
		return ErrAccountInactive.With(code)
	}
	return nil
}

// Chart is a collective's chart of accounts, indexed by code.
type Chart map[string]*Account

// NewChart indexes accounts by code.
func NewChart(accounts []Account) Chart {
	c := make(Chart, len(accounts))
	for i := range accounts {
		c[accounts[i].Code] = &accounts[i]
	}
	return c
}
