// Package ledger is the double-entry core of jiti: the chart of accounts of
// the 2023 accounting system for rural collective economic organizations
// (财会〔2023〕14号), vouchers and their lines, validation, reversal, the hash
// chain of posted vouchers, period rules, year-end closing and the trial
// balance.
//
// It is pure: it decides, it never stores, reads the clock or touches the
// disk. The store loads what a rule needs, calls it, and writes the result.
package ledger
