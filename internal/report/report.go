// Package report turns the figures of a collective's books into the
// statements, ledgers and tables that accountants, township stations and
// members read: the 资产负债表 (balance sheet) and the 收益及收益分配表 (income
// and distribution statement), the 明细账 (detail ledger), 日记账 (cash and
// bank journals) and 总账 (general ledger), and a generic Table that every
// report converts to and that renders as aligned text or CSV.
//
// It is pure: it never opens a database, reads the clock or touches the disk
// (its only files are the statement layouts embedded in the binary). Callers
// (the store, the command line, the web) load balances, turnover and entries
// and pass them in, which keeps every report testable with literal values.
//
// Statements are data: each line of a statement is a label in Chinese and
// English and a formula over account codes (see ParseStatement), so that a
// correction of the layout, which is still our own reading of the 2023
// system, is a data change and not a code change.
//
// Money stays jiti.Amount (integer fen) in every Go value. For JSON, the
// structured results (StatementResult, Ledger) implement MarshalJSON and give
// amounts as decimal strings with two places ("1234.56"), so that no
// JavaScript client reads fen as yuan or loses precision in a float; Table
// cells are strings already.
package report

import (
	"encoding/json"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

// isEnglish reports whether lang asks for English labels. Chinese is the
// default: any other language gets the Chinese labels, which are the
// authoritative ones.
func isEnglish(lang locale.Lang) bool {
	return strings.HasPrefix(strings.ToLower(string(lang)), string(locale.EN))
}

// Errors of statement layouts and their evaluation. Their keys are catalog
// keys; Args carry the line number or formula at fault. A snapshot that
// lacks figures a statement reads is the caller's bug, hence Internal; a
// household split that disagrees with its account's balance is bad data
// that `jiti verify` should find, and is shown.
var (
	ErrLayout          = jiti.Errorf(jiti.Invalid, "report.layout_invalid")
	ErrFormulaSyntax   = jiti.Errorf(jiti.Invalid, "report.formula_syntax")
	ErrFormulaLine     = jiti.Errorf(jiti.Invalid, "report.formula_unknown_line")
	ErrFormulaCycle    = jiti.Errorf(jiti.Invalid, "report.formula_cycle")
	ErrFormulaAccount  = jiti.Errorf(jiti.Invalid, "report.formula_unknown_account")
	ErrSnapshotMissing = jiti.Errorf(jiti.Internal, "report.snapshot_missing")
	ErrSplitMismatch   = jiti.Errorf(jiti.Invalid, "report.split_mismatch")
)

// Money is an amount as it appears in JSON: a string of decimal yuan with two
// places, such as "1234.56" or "-0.05".
type Money jiti.Amount

// MarshalJSON implements json.Marshaler.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(jiti.Amount(m).String())
}

// UnmarshalJSON implements json.Unmarshaler; it accepts what MarshalJSON
// writes.
func (m *Money) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	a, err := jiti.ParseAmount(s)
	if err != nil {
		return err
	}
	*m = Money(a)
	return nil
}

// Translator returns the text of a catalog key in the reader's language, such
// as "本月合计" for "report.row.month_total". Unknown keys should come back as
// the key itself, as the locale catalogs do.
type Translator func(key string) string
