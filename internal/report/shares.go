package report

import (
	"fmt"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The members' side as tables, one builder each, for the web pages, their
// print views and xlsx downloads, and the command line alike: the share
// register's types, holdings and log, and a distribution's plan and
// allotments.

// ShareTypesTable lists a collective's share types with what of each is
// held and not yet allocated.
func ShareTypesTable(types []register.ShareTypeRow, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.share_types"), Columns: []Column{
		{Key: "cli.col.code", Align: Left}, {Key: "cli.col.name", Align: Left}, {Key: "cli.col.kind", Align: Left},
		{Key: "cli.col.management", Align: Left}, {Key: "cli.col.rule", Align: Left}, {Key: "cli.col.quantified_on", Align: Left},
		{Key: "cli.col.total_shares", Align: Right}, {Key: "cli.col.held", Align: Right}, {Key: "cli.col.unallocated", Align: Right}}}
	for _, typ := range types {
		t.Rows = append(t.Rows, TableRow{Cells: []string{typ.Code, typ.Name, tr("share.kind." + string(typ.Kind)),
			tr("share.management." + string(typ.Management)), typ.Rule, typ.QuantifiedOn.String(),
			typ.Total.String(), typ.Held.String(), typ.Unallocated.String()}})
	}
	return t
}

// HolderText names a holder: "成员 M001", "户 H001", "集体".
func HolderText(h register.Holder, tr Translator) string {
	switch h.Kind {
	case "":
		return ""
	case register.HeldByCollective:
		return tr("share.holder.collective")
	}
	return tr("share.holder."+string(h.Kind)) + " " + h.Code
}

// ShareHoldingsTable lists who holds what of each type, with the total
// of each type.
func ShareHoldingsTable(hs []register.Holding, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.share_holdings"), Columns: []Column{
		{Key: "cli.col.type", Align: Left}, {Key: "cli.col.holder", Align: Left},
		{Key: "cli.col.shares", Align: Right}, {Key: "cli.col.pledged", Align: Right}}}
	var total, pledged register.Shares
	for _, h := range hs {
		t.Rows = append(t.Rows, TableRow{Cells: []string{h.Type, HolderText(h.Holder, tr), h.Qty.String(), h.Pledged.String()}})
		total, pledged = total+h.Qty, pledged+h.Pledged
	}
	t.Rows = append(t.Rows, TableRow{Bold: true, Cells: []string{tr(keyTotal), "", total.String(), pledged.String()}})
	return t
}

// ShareLogTable is the register's log of changes, oldest first.
func ShareLogTable(entries []register.ShareEntry, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.share_log"), Columns: []Column{
		{Key: "cli.col.date", Align: Left}, {Key: "cli.col.kind", Align: Left}, {Key: "cli.col.type", Align: Left},
		{Key: "cli.col.from", Align: Left}, {Key: "cli.col.to", Align: Left}, {Key: "cli.col.shares", Align: Right},
		{Key: "cli.col.price", Align: Right, Money: true}, {Key: "cli.col.decision", Align: Left}, {Key: "cli.col.note", Align: Left}}}
	for _, r := range entries {
		ch := r.Change
		price := ""
		if ch.Price != 0 {
			price = ch.Price.String()
		}
		t.Rows = append(t.Rows, TableRow{Cells: []string{ch.On.String(), tr("share.change." + string(ch.Kind)), ch.Type,
			HolderText(ch.From, tr), HolderText(ch.To, tr), ch.Qty.String(), price, r.Decision, r.Note}})
	}
	return t
}

// PlanTable is a distribution plan in the order of the 收益及收益分配表:
// what is distributable, then what goes where, then what stays.
func PlanTable(p *register.DistributionPlan, kept jiti.Amount, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.distribution_plan"), Columns: []Column{
		{Key: "cli.col.item", Align: Left}, {Key: "cli.col.amount", Align: Right, Money: true}}}
	row := func(key string, a jiti.Amount, bold bool) {
		t.Rows = append(t.Rows, TableRow{Cells: []string{tr(key), a.String()}, Bold: bold})
	}
	row("distribution.line.income", p.Income, false)
	row("distribution.line.opening", p.Opening, false)
	row("distribution.line.transfers", p.Transfers, false)
	row("distribution.line.distributed", -p.Distributed, false)
	row("distribution.line.distributable", p.Distributable(), true)
	row("distribution.line.reserve", p.Reserve, false)
	row("distribution.line.members", p.Members, false)
	row("distribution.line.kept", kept, false)
	row("distribution.line.other", p.Other, false)
	row("distribution.line.undistributed", p.Undistributed()+kept, true)
	return t
}

// AllotmentTable lists each household's part of a distribution, what it
// was paid and what is still owed, with the totals; the collective's own
// shares come first, as 集体股.
func AllotmentTable(lines []register.Allotment, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.allotments"), Columns: []Column{
		{Key: "cli.col.household", Align: Left}, {Key: "cli.col.head", Align: Left}, {Key: "cli.col.shares", Align: Right},
		{Key: "cli.col.allotted", Align: Right, Money: true}, {Key: "cli.col.paid", Align: Right, Money: true},
		{Key: "cli.col.owed", Align: Right, Money: true}}}
	var shares register.Shares
	var amount, paid, owed jiti.Amount
	for _, l := range lines {
		household, name := l.Household, l.Name
		if household == "" {
			name = tr("share.kind.collective")
		}
		t.Rows = append(t.Rows, TableRow{Cells: []string{household, name, l.Shares.String(), l.Amount.String(), l.Paid.String(), l.Owed().String()}})
		shares, amount, paid, owed = shares+l.Shares, amount+l.Amount, paid+l.Paid, owed+l.Owed()
	}
	t.Rows = append(t.Rows, TableRow{Bold: true, Cells: []string{tr(keyTotal), "", shares.String(), amount.String(), paid.String(), owed.String()}})
	return t
}

// DistributionMeta is the line under a distribution's title: its year and
// status, and once adopted, its decision and the adoption date.
func DistributionMeta(year int, status, decision string, adopted jiti.Date, tr Translator) string {
	st := tr("distribution.status." + status)
	if decision == "" {
		return fmt.Sprintf(tr("cli.distribution.meta_draft"), year, st)
	}
	return fmt.Sprintf(tr("cli.distribution.meta"), year, st, decision, adopted)
}
