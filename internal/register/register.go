// Package register holds the registers of a collective's property and
// dealings: its assets (资产台账) with their status history and
// depreciation, its resources (资源台账: land, forest, water…), and its
// contracts (合同: leases, contracting, equity, cooperation…) with their
// schedules of receivables and receipts; and the warnings drawn from them
// (arrears, expiries, idle assets, rents below the benchmark).
//
// It is pure: records, validation, lifecycles and computations. It never
// stores, reads the clock or touches the disk: dates come in as
// parameters. The store loads records, calls these rules, and writes the
// result together with the vouchers that package posting makes of each
// event, so the registers and the books cannot disagree.
//
// # Depreciation
//
// An asset is depreciated from the month after its acquisition, in the
// month of its disposal and never after, and not once its depreciable
// amount (cost less residual value) is reached; leased-out and idle assets
// are depreciated like the others (accounting.md). Straight-line spreads
// what remains over the months of life left, recomputed each month, so the
// total is the depreciable amount to the fen. An existing asset (on the
// books before they moved into jiti) carries its opening depreciation and
// months in DepreciationState, and continues from there.
//
// # Schedules and income
//
// A contract's schedule divides its amount into instalments that add up
// exactly to it (largest remainder), each covering a period of the term and
// due on its first day. Income follows the period an instalment covers,
// not the day it is paid: an instalment's year slices (Slices) are income
// of their years. A receipt pays the earliest instalments due first
// (Allocate); within an instalment, payments fill its earliest year slices
// first. For a cash-basis contract the slices of years up to the receipt's
// year are income at once (Cr 501/502), later ones are deferred (Cr 211
// 预收) and recognized in their year (DeferredIn). For a contract that
// accrues, an instalment is booked as a receivable when due (Dr 112, with
// the same split of income and deferred income, AccrualSplit) and its
// receipts then clear the receivable. Paying ahead of the due dates and
// paying more than the contract owes are refused unless the user says so
// (AllocOptions); an overpayment is held in 211 to refund.
package register
