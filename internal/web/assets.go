package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The asset register (资产台账): its list, an asset's card and status
// changes, the form of a new asset, and the acts on an asset (disposal,
// a month's work).

// assets is a collective's asset register (资产台账): each asset's cost,
// accumulated depreciation and net value, status and since when, filtered
// by status and category, with the totals.
func (s *Server) assets(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	ctx, q := r.Context(), r.URL.Query()
	status, fs := choice(st, q, "status", "field.status", "asset.status.", assetStatuses)
	category, fc := choice(st, q, "category", "field.category", "asset.category.", register.AssetCategories)
	as, err := st.view.Assets(ctx, store.AssetFilter{CollectiveID: c.ID, Status: status, Category: category})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acc, err := st.view.AccumulatedDepreciations(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := report.AssetTable(as, acc, st.tr())
	hrefs := make([]string, 0, len(as))
	for _, a := range as {
		hrefs = append(hrefs, fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID))
	}
	pg := &registerPage{C: c, Title: t.Title, Filters: []selectField{fs, fc}, Count: len(as)}
	s.list(w, r, st, pg, t, 0, hrefs, "assets")
}

type assetPage struct {
	C           *jiti.Collective
	A           *register.Asset
	Fields      []field
	History     []historyRow
	Charges     []chargeRow
	Accumulated jiti.Amount
	NetValue    jiti.Amount
	// The status change form, for those who keep the books.
	CanChange bool
	Statuses  []option
	Date      string
	Note      string
	Error     string
	Message   string
}

type historyRow struct {
	Date, From, To, Note string
	ContractHref         string
	Contract             string
}

type chargeRow struct {
	Period, Amount, Accumulated string
	Href                        string
}

// assetOf reads the path's collective and asset; an asset of another
// collective is not found.
func (s *Server) assetOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Asset, bool) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("asset", r.PathValue("aid")))
		return nil, nil, false
	}
	a, err := st.view.FindAsset(r.Context(), id)
	if err == nil && a.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("asset", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return c, a, true
}

// asset is an asset's card: what it is, its cost, depreciation so far and
// net value, the months it was depreciated, and its status changes; those
// who keep the books may change its status.
func (s *Server) asset(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.assetOf(w, r, st)
	if !ok {
		return
	}
	pg := &assetPage{C: c, A: a, Date: jiti.DateOf(s.Now()).String()}
	pg.Message = doneMessage(r, st)
	s.renderAsset(w, r, st, pg, http.StatusOK)
}

func (s *Server) renderAsset(w http.ResponseWriter, r *http.Request, st *state, pg *assetPage, code int) {
	ctx, c, a := r.Context(), pg.C, pg.A
	history, err := st.view.AssetHistory(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	charges, err := st.view.AssetDepreciation(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if pg.Accumulated, err = st.view.AccumulatedDepreciation(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	pg.NetValue = a.Cost - pg.Accumulated
	label := func(s register.Status) string {
		if s == "" {
			return ""
		}
		return st.p.T("asset.status." + string(s))
	}
	for _, h := range history {
		row := historyRow{Date: h.Date.String(), From: label(h.From), To: label(h.To), Note: h.Note}
		if h.Contract != 0 {
			row.Contract, row.ContractHref = strconv.FormatInt(h.Contract, 10), fmt.Sprintf("/c/%d/contracts/%d", c.ID, h.Contract)
		}
		pg.History = append(pg.History, row)
	}
	sum := a.OpeningDepreciation
	for _, ch := range charges {
		sum += ch.Amount
		pg.Charges = append(pg.Charges, chargeRow{Period: ch.Period.String(), Amount: ch.Amount.Grouped(), Accumulated: sum.Grouped(),
			Href: fmt.Sprintf("/c/%d/vouchers/%d", c.ID, ch.VoucherID)})
	}
	add := func(label, value string) {
		if value != "" {
			pg.Fields = append(pg.Fields, field{Label: st.p.Label(label), Value: value})
		}
	}
	add("cli.col.code", a.Code)
	add("cli.col.name", a.Name)
	add("field.category", st.p.T("asset.category."+string(a.Category)))
	add("field.nature", st.p.T("asset.nature."+string(a.Nature)))
	add("field.use", st.p.T("asset.use."+string(a.Use)))
	if a.Quantity != "" {
		add("field.quantity", a.Quantity+" "+a.Unit)
	}
	add("field.location", a.Location)
	add("field.acquired_on", a.AcquiredOn.String())
	add("field.source", st.p.T("asset.source."+string(a.Source)))
	add("field.cost", a.Cost.Grouped())
	add("field.method", st.p.T("asset.method."+string(a.Method)))
	if a.LifeMonths > 0 {
		add("field.life_months", strconv.Itoa(a.LifeMonths))
	}
	if a.ResidualRate > 0 {
		add("field.residual_rate", pct(int64(a.ResidualRate)))
	}
	if a.TotalWork > 0 {
		add("field.total_work", strconv.FormatInt(a.TotalWork, 10)+" "+a.WorkUnit)
	}
	if a.OpeningDepreciation != 0 {
		add("field.opening_depreciation", a.OpeningDepreciation.Grouped())
	}
	add("cli.col.accumulated", pg.Accumulated.Grouped())
	add("web.net_value", pg.NetValue.Grouped())
	add("field.cost_account", a.CostAccount)
	add("field.dep_account", a.DepAccount)
	add("field.expense_account", a.ExpenseAccount)
	add("field.status", label(a.Status))
	add("field.status_since", a.StatusSince.String())
	if !a.DisposedOn.IsZero() {
		add("field.disposed_on", a.DisposedOn.String())
	}
	if a.VoucherID != 0 {
		pg.Fields = append(pg.Fields, field{Label: st.p.Label("field.voucher_id"), Value: st.p.T("web.view_voucher"),
			Href: fmt.Sprintf("/c/%d/vouchers/%d", c.ID, a.VoucherID)})
	}
	add("field.note", a.Note)
	pg.CanChange = st.view.Can(store.PermKeepBooks) && a.Status != register.Disposed
	if pg.CanChange {
		for _, sv := range assetStatuses {
			if sv != register.Disposed && sv != a.Status {
				pg.Statuses = append(pg.Statuses, option{Value: string(sv), Label: label(sv), Selected: string(sv) == r.PostFormValue("status")})
			}
		}
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: st.p.T("cli.title.assets"), Href: fmt.Sprintf("/c/%d/assets", c.ID)})
	s.render(w, r, code, "asset", &page{Title: a.Code + " " + a.Name, Crumbs: crumbs, Data: pg})
}

// assetStatus changes an asset's status (idle, self-operated…) from its
// card. The store checks the role, the scope and the change; a wrong date
// or status shows on the card again.
func (s *Server) assetStatus(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.assetOf(w, r, st)
	if !ok {
		return
	}
	pg := &assetPage{C: c, A: a, Date: r.PostFormValue("date"), Note: r.PostFormValue("note")}
	on, err := jiti.ParseDate(pg.Date)
	if err != nil {
		err = jiti.AsError(err).At("date")
	} else {
		err = s.DB.ChangeAssetStatus(r.Context(), st.view.User().ID, a.ID, register.Status(r.PostFormValue("status")), on, pg.Note)
	}
	if err != nil {
		var e *jiti.Error
		if errors.As(err, &e) && (e.Kind == jiti.Invalid || e.Kind == jiti.Conflict) {
			pg.Error = st.p.Error(err)
			s.renderAsset(w, r, st, pg, statusOf(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/assets/%d?done=status", c.ID, a.ID), http.StatusSeeOther)
}

// --- assets

// newAssetForm shows an empty asset form: bought today, operating, for
// management.
func (s *Server) newAssetForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := newRegForm(st, map[string]string{"acquired_on": s.today(), "source": string(register.Purchase),
		"nature": string(register.Operating), "use": string(register.ForManagement)})
	s.renderAssetForm(w, r, st, c, f, http.StatusOK)
}

// createAsset registers an asset; unless it was on the books before them,
// the store books its acquisition, crediting the account chosen.
func (s *Server) createAsset(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	in := parseAsset(f, c.ID)
	if !f.failed() {
		a, err := s.DB.CreateAsset(r.Context(), st.view.User().ID, in)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/assets/%d?done=asset", c.ID, a.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, nil) {
			return
		}
	}
	s.renderAssetForm(w, r, st, c, f, f.code)
}

func parseAsset(f *regForm, cid int64) store.AssetInput {
	v := f.values
	a := register.Asset{CollectiveID: cid, Code: v["code"], Name: v["name"], Category: register.AssetCategory(v["category"]),
		Nature: register.Nature(v["nature"]), Use: register.Use(v["use"]), Quantity: v["quantity"], Unit: v["unit"],
		Location: v["location"], Source: register.Source(v["source"]), Method: register.Method(v["method"]), WorkUnit: v["work_unit"],
		CostAccount: v["cost_account"], DepAccount: v["dep_account"], ExpenseAccount: v["expense_account"], Note: v["note"]}
	a.AcquiredOn = f.date("acquired_on", false) // the store names what is missing, with the rest
	a.Cost = f.amount("cost")
	a.LifeMonths = f.integer("life_months")
	a.ResidualRate = f.percent("residual_rate")
	a.TotalWork = int64(f.integer("total_work"))
	a.OpeningDepreciation = f.amount("opening_depreciation")
	a.OpeningMonths = f.integer("opening_months")
	in := store.AssetInput{Asset: a}
	if a.Source != register.Existing {
		in.Credit = v["credit"] // what was on the books before needs no voucher
	}
	return in
}

func (s *Server) renderAssetForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	accounts, err := st.view.Accounts(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/assets/new", c.ID), Back: fmt.Sprintf("/c/%d/assets", c.ID),
		Submit: p.T("web.save"), Intro: p.T("web.asset_intro")}
	pg.Sections = []formSection{
		{Title: p.T("web.section_basic"), Fields: []formField{
			f.text("code", "cli.col.code", required, maxLen(40)),
			f.text("name", "field.name", required, maxLen(100)),
			f.choose("category", "field.category", enumOptions(st, "asset.category.", register.AssetCategories, "web.choose"), required),
			f.choose("nature", "field.nature", enumOptions(st, "asset.nature.", assetNatures, "")),
			f.choose("use", "field.use", enumOptions(st, "asset.use.", assetUses, ""), hint(p.T("web.asset_use_hint"))),
			f.text("quantity", "field.quantity", mode("decimal"), maxLen(20)),
			f.text("unit", "field.unit", maxLen(20)),
			f.text("location", "field.location", maxLen(200)),
		}},
		{Title: p.T("web.section_value"), Fields: []formField{
			f.input("date", "acquired_on", "field.acquired_on", required),
			f.choose("source", "field.source", enumOptions(st, "asset.source.", assetSources, "")),
			f.text("cost", "field.cost", required, mode("decimal"), hint(p.T("web.unit_yuan"))),
			f.choose("method", "field.method", enumOptions(st, "asset.method.", assetMethods, "web.auto")),
			f.text("life_months", "field.life_months", mode("numeric")),
			f.text("residual_rate", "field.residual_rate", mode("decimal"), hint(p.T("web.percent_hint"))),
			f.text("total_work", "field.total_work", mode("numeric")),
			f.text("work_unit", "field.work_unit", maxLen(20)),
			f.text("opening_depreciation", "field.opening_depreciation", mode("decimal"), hint(p.T("web.opening_hint"))),
			f.text("opening_months", "field.opening_months", mode("numeric")),
		}},
		{Title: p.T("web.section_booking"), Fields: []formField{
			f.choose("credit", "flag.credit_account", accountOptions(st, accounts, "web.pick_account"), hint(p.T("web.credit_hint"))),
			f.choose("cost_account", "field.cost_account", accountOptions(st, accounts, "web.auto")),
			f.choose("dep_account", "field.dep_account", accountOptions(st, accounts, "web.auto")),
			f.choose("expense_account", "field.expense_account", accountOptions(st, accounts, "web.auto")),
			f.input("textarea", "note", "field.note", maxLen(500)),
		}},
	}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.asset_new"), []crumb{{Label: p.T("cli.title.assets"), Href: pg.Back}}, pg)
}

// keptAssetOf reads the path's asset for an act on it: a collective out of
// scope, or an asset of another collective, is not found; a role that may
// not keep books is refused.
func (s *Server) keptAssetOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Asset, bool) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("asset", r.PathValue("aid")))
		return nil, nil, false
	}
	a, err := st.view.FindAsset(r.Context(), id)
	if err == nil && a.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("asset", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return c, a, true
}

// assetCrumbs are the steps from a collective to an asset's card.
func assetCrumbs(st *state, c *jiti.Collective, a *register.Asset) []crumb {
	return []crumb{{Label: st.p.T("cli.title.assets"), Href: fmt.Sprintf("/c/%d/assets", c.ID)},
		{Label: a.Code, Href: fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID)}}
}

// --- an asset's disposal

// disposeForm shows the disposal of an asset: today, the proceeds coming
// into the first bank account.
func (s *Server) disposeForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := newRegForm(st, map[string]string{"date": s.today()})
	if accounts, err := st.view.Accounts(r.Context(), c.ID); err == nil {
		f.values["proceeds_account"] = firstLeaf(accounts, "102")
	}
	s.renderDispose(w, r, st, c, a, f, http.StatusOK)
}

// disposeAsset disposes of an asset: the store charges its depreciation
// due, posts the disposal voucher through 154 (the gain to 504, the loss
// to 515) and marks it disposed; then back to its card.
func (s *Server) disposeAsset(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	d := store.Disposal{Date: f.date("date", true), Proceeds: f.amount("proceeds"), ProceedsAccount: accountCode(f.values["proceeds_account"]),
		Costs: f.amount("costs"), CostsAccount: accountCode(f.values["costs_account"]), Reason: f.values["reason"], Decision: f.values["decision"]}
	if !f.failed() {
		_, err := s.DB.DisposeAsset(r.Context(), st.view.User().ID, a.ID, d)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/assets/%d?done=dispose", c.ID, a.ID), http.StatusSeeOther)
			return
		}
		// The store names a negative amount, of either, at "proceeds".
		place := func(field string) string {
			if field == "proceeds" && d.Proceeds >= 0 && d.Costs < 0 {
				return "costs"
			}
			return field
		}
		if !s.storeError(w, r, f, err, place) {
			return
		}
	}
	s.renderDispose(w, r, st, c, a, f, f.code)
}

func (s *Server) renderDispose(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, a *register.Asset, f *regForm, code int) {
	accounts, err := st.view.Accounts(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := st.p
	back := fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID)
	title := p.T("web.asset_dispose")
	pg := &regFormPage{C: c, Action: back + "/dispose", Back: back, Submit: title, Intro: p.T("web.dispose_intro"),
		Confirm: p.T("web.confirm_dispose")}
	cash := accountOptions(st, accounts, "web.pick_account", "101", "102")
	pg.Sections = []formSection{{Title: a.Code + " " + a.Name, Fields: []formField{
		f.input("date", "date", "field.disposed_on", required),
		f.text("proceeds", "field.proceeds", mode("decimal"), hint(p.T("web.unit_yuan"))),
		f.choose("proceeds_account", "field.proceeds_account", cash),
		f.text("costs", "flag.disposal_costs", mode("decimal"), hint(p.T("web.unit_yuan"))),
		f.choose("costs_account", "flag.costs_account", cash),
		f.input("textarea", "reason", "field.reason", required, maxLen(500)),
		f.text("decision", "field.decision", maxLen(40), hint(p.T("web.decision_ref_hint"))),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, title, assetCrumbs(st, c, a), pg)
}

// --- an asset's work of a month

// workForm shows the work of an asset depreciated by units of work, for
// this month; the card carries the same form.
func (s *Server) workForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := newRegForm(st, map[string]string{"month": jiti.DateOf(s.Now()).Period().String()})
	s.renderWork(w, r, st, c, a, f, http.StatusOK)
}

// recordWork records an asset's work of a month (a month's again replaces
// it), which the month's depreciation is computed from.
func (s *Server) recordWork(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	var month jiti.Period
	if v := f.values["month"]; v == "" {
		f.fail("month", jiti.ErrRequired.At("month"))
	} else if p, err := jiti.ParsePeriod(v); err != nil {
		f.fail("month", at(err, "month"))
	} else {
		month = p
	}
	if f.values["units"] == "" {
		f.fail("units", jiti.ErrRequired.At("units"))
	}
	units := f.integer("units")
	if !f.failed() {
		err := s.DB.RecordAssetWork(r.Context(), st.view.User().ID, a.ID, month, int64(units))
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/assets/%d?done=work", c.ID, a.ID), http.StatusSeeOther)
			return
		}
		place := func(field string) string {
			if field == "period" {
				return "month"
			}
			return field
		}
		if !s.storeError(w, r, f, err, place) {
			return
		}
	}
	s.renderWork(w, r, st, c, a, f, f.code)
}

func (s *Server) renderWork(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, a *register.Asset, f *regForm, code int) {
	p := st.p
	back := fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID)
	title := p.T("web.asset_work")
	pg := &regFormPage{C: c, Action: back + "/work", Back: back, Submit: p.T("web.save"), Intro: p.T("web.work_intro")}
	units := f.text("units", "field.units", required, mode("numeric"))
	if a.TotalWork > 0 {
		units.Hint = p.T("field.total_work") + " " + strconv.FormatInt(a.TotalWork, 10) + " " + a.WorkUnit
	}
	pg.Sections = []formSection{{Title: a.Code + " " + a.Name, Fields: []formField{
		f.input("month", "month", "field.month", required, hint("YYYY-MM")),
		units,
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, title, assetCrumbs(st, c, a), pg)
}

// CanRecordWork says whether the card offers the form of a month's work:
// to those who keep the books, for an asset depreciated by units of work
// and not disposed.
func (pg *assetPage) CanRecordWork() bool {
	return pg.CanChange && pg.A.Method == register.UnitsOfWork
}
