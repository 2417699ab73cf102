package report

import (
	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The registers (台账) as tables: one builder each, which every output of a
// register uses: the web page, its print view and xlsx download, the
// command line's list (text, CSV, xlsx) and `jiti export registers`. Each
// output adds only what is its own around the cells (the web page its
// links, the lists of a region the collective of each row, the headings).
// Amounts are plain ("1234.56"), like every money cell of a Table; the
// total row, last and bold, carries its label in the first column.

// AssetTable is the asset register (资产台账): each asset's code, name,
// category, use, acquisition date and source, cost, accumulated
// depreciation and net value, status and since when, and location, with
// the totals of the money columns. accumulated holds each asset's
// accumulated depreciation by id, the opening depreciation included.
func AssetTable(as []register.Asset, accumulated map[int64]jiti.Amount, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.assets"), Columns: []Column{
		{Key: "cli.col.code", Align: Left}, {Key: "cli.col.name", Align: Left},
		{Key: "cli.col.category", Align: Left}, {Key: "cli.col.asset_use", Align: Left},
		{Key: "cli.col.acquired", Align: Left}, {Key: "cli.col.source", Align: Left},
		{Key: "cli.col.cost", Align: Right, Money: true}, {Key: "cli.col.accumulated", Align: Right, Money: true},
		{Key: "cli.col.net_value", Align: Right, Money: true},
		{Key: "cli.col.state", Align: Left}, {Key: "cli.col.since", Align: Left},
		{Key: "cli.col.location", Align: Left}}}
	var cost, dep jiti.Amount
	for _, a := range as {
		acc := accumulated[a.ID]
		cost, dep = cost+a.Cost, dep+acc
		t.Rows = append(t.Rows, TableRow{Cells: []string{a.Code, a.Name, tr("asset.category." + string(a.Category)),
			tr("asset.use." + string(a.Use)), a.AcquiredOn.String(), tr("asset.source." + string(a.Source)),
			a.Cost.String(), acc.String(), (a.Cost - acc).String(),
			tr("asset.status." + string(a.Status)), a.StatusSince.String(), a.Location}})
	}
	t.Rows = append(t.Rows, TableRow{Bold: true, Cells: []string{tr(keyTotal), "", "", "", "", "",
		cost.String(), dep.String(), (cost - dep).String(), "", "", ""}})
	return t
}

// ResourceTable is the resource register (资源台账): each resource's code,
// name, kind of land, area in mu, use and since when, location and
// boundaries (四至), with the total area.
func ResourceTable(rs []register.Resource, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.resources"), Columns: []Column{
		{Key: "cli.col.code", Align: Left}, {Key: "cli.col.name", Align: Left},
		{Key: "cli.col.kind", Align: Left}, {Key: "cli.col.area", Align: Right},
		{Key: "cli.col.use", Align: Left}, {Key: "cli.col.since", Align: Left},
		{Key: "cli.col.location", Align: Left}, {Key: "cli.col.boundaries", Align: Left}}}
	var area register.Area
	for _, r := range rs {
		area += r.Area
		t.Rows = append(t.Rows, TableRow{Cells: []string{r.Code, r.Name, tr("resource.kind." + string(r.Kind)),
			r.Area.String(), tr("resource.use." + string(r.Use)), r.UseSince.String(), r.Location, r.Boundaries}})
	}
	t.Rows = append(t.Rows, TableRow{Bold: true, Cells: []string{tr(keyTotal), "", "", area.String(), "", "", "", ""}})
	return t
}

// ContractTable is the contract register (合同台账): each contract's code,
// name, kind, counterparty (a person's identity number masked), start and
// end, amount, what was received of it and what is outstanding, status,
// and the references of its award (交易编号) and of the members'
// resolution, with the totals of the money columns. received holds what
// was received of each contract by id.
func ContractTable(cs []*register.Contract, received map[int64]jiti.Amount, tr Translator) *Table {
	t := &Table{Title: tr("cli.title.contracts"), Columns: []Column{
		{Key: "cli.col.code", Align: Left}, {Key: "cli.col.name", Align: Left},
		{Key: "cli.col.kind", Align: Left}, {Key: "cli.col.party", Align: Left},
		{Key: "cli.col.start", Align: Left}, {Key: "cli.col.end", Align: Left},
		{Key: "cli.col.amount", Align: Right, Money: true}, {Key: "cli.col.received", Align: Right, Money: true},
		{Key: "cli.col.outstanding", Align: Right, Money: true}, {Key: "cli.col.status", Align: Left},
		{Key: "cli.col.award_ref", Align: Left}, {Key: "cli.col.resolution_ref", Align: Left}}}
	var amount, got jiti.Amount
	for _, k := range cs {
		in := received[k.ID]
		amount, got = amount+k.Amount, got+in
		t.Rows = append(t.Rows, TableRow{Cells: []string{k.Code, k.Name, tr("contract.kind." + string(k.Kind)),
			PartyText(k.Party), k.Start.String(), k.End.String(), k.Amount.String(), in.String(), (k.Amount - in).String(),
			tr("contract.status." + string(k.Status)), k.AwardRef, k.ResolutionRef}})
	}
	t.Rows = append(t.Rows, TableRow{Bold: true, Cells: []string{tr(keyTotal), "", "", "", "", "",
		amount.String(), got.String(), (amount - got).String(), "", "", ""}})
	return t
}

// PartyText shows a counterparty with a person's identity number masked.
func PartyText(p register.Party) string {
	if !p.IDNumber.IsZero() {
		return p.Name + " " + p.IDNumber.String()
	}
	return p.Name
}
