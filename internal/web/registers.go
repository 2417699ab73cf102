package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// registerRoutes are a collective's registers (台账) of assets, resources and
// contracts, an asset's card with its status changes, a contract's schedule
// with its receipts, and the warnings of a collective or a region.
func (s *Server) registerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/assets", s.signedIn(s.assets))
	mux.HandleFunc("GET /c/{id}/assets/{aid}", s.signedIn(s.asset))
	mux.HandleFunc("POST /c/{id}/assets/{aid}/status", s.signedIn(s.assetStatus))
	mux.HandleFunc("GET /c/{id}/resources", s.signedIn(s.resources))
	mux.HandleFunc("GET /c/{id}/contracts", s.signedIn(s.contracts))
	mux.HandleFunc("GET /c/{id}/contracts/{kid}", s.signedIn(s.contract))
	mux.HandleFunc("POST /c/{id}/contracts/{kid}/documents", s.signedIn(s.uploadContractDocument))
	mux.HandleFunc("GET /c/{id}/warnings", s.signedIn(s.collectiveWarnings))
	mux.HandleFunc("GET /r/{code}/warnings", s.signedIn(s.regionWarnings))
}

// The values the registers' filters and forms offer, in display order.
var (
	assetStatuses = []register.Status{register.InUse, register.SelfOperated, register.LeasedOut, register.Invested,
		register.Cooperating, register.Idle, register.Disposed}
	resourceUses = []register.ResourceUse{register.HouseholdContracted, register.CollectiveOperated,
		register.ResourceLeased, register.ResourceIdle}
	contractStatuses = []register.ContractStatus{register.ContractDraft, register.InForce, register.Expired, register.Terminated}
	warningKinds     = []register.WarningKind{register.WarnArrears, register.WarnExpiring, register.WarnNoAwardRef,
		register.WarnNoResolution, register.WarnRentBelow, register.WarnIdleTooLong}
)

// selectField is a <select> of a filter or form.
type selectField struct {
	Name, Label string
	Options     []option
	Error       string
}

type option struct {
	Value, Label string
	Selected     bool
}

// choice reads the query parameter name as one of values (labelled by the
// catalog's prefix+value) and returns it with its <select>; a value not
// among them is left out of the filter and reported on the field.
func choice[T ~string](st *state, q url.Values, name, label, prefix string, values []T) (T, selectField) {
	in := q.Get(name)
	f := selectField{Name: name, Label: st.p.Label(label), Options: []option{{Value: "", Label: st.p.T("web.any")}}}
	var out T
	for _, v := range values {
		sel := string(v) == in
		if sel {
			out = v
		}
		f.Options = append(f.Options, option{Value: string(v), Label: st.p.T(prefix + string(v)), Selected: sel})
	}
	if in != "" && out == "" {
		f.Error = st.p.Error(register.ErrUnknown.With(in).At(name))
	}
	return out, f
}

// registerPage is a list of a register: its filters, and the table
// rendered in Go.
type registerPage struct {
	C                   *jiti.Collective
	Title               string
	Filters             []selectField
	Count               int
	Table               template.HTML
	PrintHref, XLSXHref string
	NewHref, NewLabel   string // the form adding a record, for those who keep the books
	Message             string // what the last act did

	Span []string // the print view's heading: the day, and the filters chosen
}

// list answers a register's list: the xlsx download, or the page with
// its filters (422 when one of them is wrong).
func (s *Server) list(w http.ResponseWriter, r *http.Request, st *state, pg *registerPage, t *report.Table, link int, hrefs []string, ascii string) {
	code := http.StatusOK
	for _, f := range pg.Filters {
		if f.Error != "" {
			code = http.StatusUnprocessableEntity
		}
	}
	today := jiti.DateOf(s.Now())
	if wantsXLSX(r) && code == http.StatusOK {
		t.Meta = append([]string{st.p.T("cli.as_of", today)}, t.Meta...)
		s.sendXLSX(w, r, st, pg.C, t, ascii, today.String())
		return
	}
	pg.Table = reportHTML(st, t, link, hrefs)
	pg.Span = []string{st.p.T("cli.as_of", today)}
	for _, f := range pg.Filters {
		for _, o := range f.Options {
			if o.Selected && o.Value != "" {
				pg.Span = append(pg.Span, f.Label+" "+o.Label)
			}
		}
	}
	pg.PrintHref, pg.XLSXHref = hrefWith(r.URL.Query(), "print", "1"), hrefWith(r.URL.Query(), "format", "xlsx")
	pg.NewHref, pg.NewLabel = newRecordLink(st, pg.C, ascii)
	crumbs, err := s.collectiveCrumbs(r, st, pg.C)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, code, "register", &page{Title: pg.Title, Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

// moneyCell is an amount as a table's money cell.
func moneyCell(a jiti.Amount) string { return a.String() }

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
	t := &report.Table{Title: st.p.T("cli.title.assets"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left},
		{Key: "cli.col.category", Align: report.Left}, {Key: "cli.col.acquired", Align: report.Left},
		{Key: "cli.col.cost", Align: report.Right, Money: true}, {Key: "cli.col.accumulated", Align: report.Right, Money: true},
		{Key: "web.net_value", Align: report.Right, Money: true},
		{Key: "cli.col.state", Align: report.Left}, {Key: "cli.col.since", Align: report.Left}}}
	hrefs := make([]string, 0, len(as)+1)
	var cost, dep jiti.Amount
	for _, a := range as {
		cost, dep = cost+a.Cost, dep+acc[a.ID]
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{a.Code, a.Name, st.p.T("asset.category." + string(a.Category)),
			a.AcquiredOn.String(), moneyCell(a.Cost), moneyCell(acc[a.ID]), moneyCell(a.Cost - acc[a.ID]),
			st.p.T("asset.status." + string(a.Status)), a.StatusSince.String()}})
		hrefs = append(hrefs, fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID))
	}
	t.Rows = append(t.Rows, report.TableRow{Bold: true, Cells: []string{"", st.p.T("web.total"), "", "",
		moneyCell(cost), moneyCell(dep), moneyCell(cost - dep), "", ""}})
	pg := &registerPage{C: c, Title: t.Title, Filters: []selectField{fs, fc}, Count: len(as)}
	s.list(w, r, st, pg, t, 0, hrefs, "assets")
}

// resources is a collective's resource register (资源台账), filtered by
// kind of land and use.
func (s *Server) resources(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	q := r.URL.Query()
	kind, fk := choice(st, q, "kind", "cli.col.kind", "resource.kind.", register.LandKinds)
	use, fu := choice(st, q, "use", "cli.col.use", "resource.use.", resourceUses)
	rs, err := st.view.Resources(r.Context(), store.ResourceFilter{CollectiveID: c.ID, Kind: kind, Use: use})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := &report.Table{Title: st.p.T("cli.title.resources"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left},
		{Key: "cli.col.kind", Align: report.Left}, {Key: "cli.col.area", Align: report.Right},
		{Key: "cli.col.use", Align: report.Left}, {Key: "cli.col.since", Align: report.Left},
		{Key: "cli.col.location", Align: report.Left}, {Key: "field.boundaries", Align: report.Left}}}
	var area register.Area
	for _, res := range rs {
		area += res.Area
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{res.Code, res.Name, st.p.T("resource.kind." + string(res.Kind)),
			res.Area.String(), st.p.T("resource.use." + string(res.Use)), res.UseSince.String(), res.Location, res.Boundaries}})
	}
	t.Rows = append(t.Rows, report.TableRow{Bold: true, Cells: []string{"", st.p.T("web.total"), "", area.String(), "", "", "", ""}})
	pg := &registerPage{C: c, Title: t.Title, Filters: []selectField{fk, fu}, Count: len(rs)}
	link, hrefs := resourceActions(r, st, pg, t, rs)
	s.list(w, r, st, pg, t, link, hrefs, "resources")
}

// contracts is a collective's contract register (合同台账): each contract's
// party, term, amount, what was received of it and what is outstanding.
func (s *Server) contracts(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	ctx, q := r.Context(), r.URL.Query()
	status, fs := choice(st, q, "status", "field.status", "contract.status.", contractStatuses)
	kind, fk := choice(st, q, "kind", "cli.col.kind", "contract.kind.", register.ContractKinds)
	cs, err := st.view.Contracts(ctx, store.ContractFilter{CollectiveID: c.ID, Status: status, Kind: kind})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	insts, err := st.view.CollectiveInstalments(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	received := map[int64]jiti.Amount{}
	for _, in := range insts {
		received[in.ContractID] += in.Received
	}
	t := &report.Table{Title: st.p.T("cli.title.contracts"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left},
		{Key: "cli.col.kind", Align: report.Left}, {Key: "cli.col.party", Align: report.Left},
		{Key: "cli.col.term", Align: report.Left}, {Key: "cli.col.amount", Align: report.Right, Money: true},
		{Key: "cli.col.received", Align: report.Right, Money: true}, {Key: "cli.col.outstanding", Align: report.Right, Money: true},
		{Key: "cli.col.status", Align: report.Left}}}
	hrefs := make([]string, 0, len(cs)+1)
	var amount, got jiti.Amount
	for _, k := range cs {
		amount, got = amount+k.Amount, got+received[k.ID]
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{k.Code, k.Name, st.p.T("contract.kind." + string(k.Kind)),
			k.Party.Name, k.Start.String() + " ~ " + k.End.String(), moneyCell(k.Amount), moneyCell(received[k.ID]),
			moneyCell(k.Amount - received[k.ID]), st.p.T("contract.status." + string(k.Status))}})
		hrefs = append(hrefs, fmt.Sprintf("/c/%d/contracts/%d", c.ID, k.ID))
	}
	t.Rows = append(t.Rows, report.TableRow{Bold: true, Cells: []string{"", st.p.T("web.total"), "", "", "",
		moneyCell(amount), moneyCell(got), moneyCell(amount - got), ""}})
	pg := &registerPage{C: c, Title: t.Title, Filters: []selectField{fs, fk}, Count: len(cs)}
	s.list(w, r, st, pg, t, 0, hrefs, "contracts")
}

// field is one line of a record's card: a label and its value, or a link.
type field struct {
	Label, Value, Href string
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

type contractPage struct {
	C         *jiti.Collective
	K         *register.Contract
	Fields    []field
	Subjects  []field
	Schedule  []instalmentRow
	Total     struct{ Amount, Received, Outstanding string }
	Receipts  []receiptRow
	HasOver   bool
	StatusKey string
	Documents docsPanel
	CanAttach bool
	Message   string
}

type instalmentRow struct {
	No                                   int
	Due, Covers                          string
	Amount, Received, Outstanding, State string
	Overdue                              bool
}

type receiptRow struct {
	Date, Amount, Overpayment, Account, Href string
}

// contract is a contract's card: its party and subjects, its schedule of
// instalments with what was received and what is overdue, and its
// receipts, each linking to the voucher that booked it.
func (s *Server) contract(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	ctx := r.Context()
	k, ok := s.pathContract(w, r, st, c)
	if !ok {
		return
	}
	insts, err := st.view.Instalments(ctx, k.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	receipts, err := st.view.Receipts(ctx, k.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := &contractPage{C: c, K: k, CanAttach: st.view.Can(store.PermKeepBooks)}
	pg.Message = doneMessage(r, st)
	pg.Documents = docsPanel{CID: c.ID, Deletable: pg.CanAttach}
	if pg.CanAttach {
		pg.Documents.Upload = fmt.Sprintf("/c/%d/contracts/%d/documents", c.ID, k.ID)
	}
	if pg.Documents.Docs, err = st.view.Documents(ctx, 0, k.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	add := func(label, value string) {
		if value != "" {
			pg.Fields = append(pg.Fields, field{Label: st.p.Label(label), Value: value})
		}
	}
	add("cli.col.code", k.Code)
	add("cli.col.name", k.Name)
	add("field.kind", st.p.T("contract.kind."+string(k.Kind)))
	add("field.party", k.Party.Name)
	if !k.Party.IDNumber.IsZero() {
		add("field.id_number", k.Party.IDNumber.String())
	}
	add("field.uscc", k.Party.USCC)
	add("field.phone", k.Party.Phone)
	add("cli.col.term", k.Start.String()+" ~ "+k.End.String())
	add("field.amount", k.Amount.Grouped())
	add("field.frequency", st.p.T("contract.frequency."+string(k.Frequency)))
	if k.Escalation != 0 {
		add("field.escalation", pct(int64(k.Escalation)))
	}
	if k.Deposit != 0 {
		add("field.deposit", k.Deposit.Grouped())
	}
	add("field.income_account", k.IncomeAccount)
	add("field.award", st.p.T("contract.award."+string(k.Award)))
	add("field.award_ref", k.AwardRef)
	if k.DecisionID != 0 {
		pg.Fields = append(pg.Fields, field{Label: st.p.Label("field.resolution_ref"), Value: k.ResolutionRef,
			Href: fmt.Sprintf("/c/%d/decisions/%d", c.ID, k.DecisionID)})
	} else {
		add("field.resolution_ref", k.ResolutionRef)
	}
	add("field.status", st.p.T("contract.status."+string(k.Status)))
	if !k.SignedOn.IsZero() {
		add("field.signed_on", k.SignedOn.String())
	}
	if !k.EndedOn.IsZero() {
		add("field.ended_on", k.EndedOn.String())
	}
	add("field.note", k.Note)
	if err := s.contractSubjects(r, st, c, k, pg); err != nil {
		s.fail(w, r, err)
		return
	}
	today := jiti.DateOf(s.Now())
	var amount, got jiti.Amount
	for _, in := range insts {
		amount, got = amount+in.Amount, got+in.Received
		row := instalmentRow{No: in.No, Due: in.DueOn.String(), Covers: in.From.String() + " ~ " + in.To.String(),
			Amount: in.Amount.Grouped(), Received: in.Received.Grouped(), Outstanding: in.Outstanding().Grouped()}
		switch {
		case in.Outstanding() <= 0:
			row.State = st.p.T("web.inst_paid")
		case in.DueOn.Before(today):
			row.State, row.Overdue = st.p.T("web.inst_overdue", today.DaysSince(in.DueOn)), true
		default:
			row.State = st.p.T("web.inst_open")
		}
		pg.Schedule = append(pg.Schedule, row)
	}
	pg.Total.Amount, pg.Total.Received, pg.Total.Outstanding = amount.Grouped(), got.Grouped(), (amount - got).Grouped()
	for _, rc := range receipts {
		pg.HasOver = pg.HasOver || rc.Overpayment != 0
		row := receiptRow{Date: rc.Date.String(), Amount: rc.Amount.Grouped(), Account: rc.Account,
			Href: fmt.Sprintf("/c/%d/vouchers/%d", c.ID, rc.VoucherID)}
		if rc.Overpayment != 0 {
			row.Overpayment = rc.Overpayment.Grouped()
		}
		pg.Receipts = append(pg.Receipts, row)
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: st.p.T("cli.title.contracts"), Href: fmt.Sprintf("/c/%d/contracts", c.ID)})
	s.render(w, r, http.StatusOK, "contract", &page{Title: k.Code + " " + k.Name, Crumbs: crumbs, Data: pg})
}

// contractSubjects names a contract's subjects, linking its assets to
// their cards: one read of each register at most.
func (s *Server) contractSubjects(r *http.Request, st *state, c *jiti.Collective, k *register.Contract, pg *contractPage) error {
	var assets map[int64]register.Asset
	var resources map[int64]register.Resource
	for _, sub := range k.Subjects {
		switch {
		case sub.AssetID != 0 && assets == nil:
			as, err := st.view.Assets(r.Context(), store.AssetFilter{CollectiveID: c.ID})
			if err != nil {
				return err
			}
			assets = map[int64]register.Asset{}
			for _, a := range as {
				assets[a.ID] = a
			}
		case sub.ResourceID != 0 && resources == nil:
			rs, err := st.view.Resources(r.Context(), store.ResourceFilter{CollectiveID: c.ID})
			if err != nil {
				return err
			}
			resources = map[int64]register.Resource{}
			for _, res := range rs {
				resources[res.ID] = res
			}
		}
	}
	for _, sub := range k.Subjects {
		if sub.AssetID != 0 {
			a := assets[sub.AssetID]
			pg.Subjects = append(pg.Subjects, field{Label: st.p.T("field.asset"), Value: a.Code + " " + a.Name,
				Href: fmt.Sprintf("/c/%d/assets/%d", c.ID, sub.AssetID)})
			continue
		}
		res := resources[sub.ResourceID]
		v := res.Code + " " + res.Name
		if sub.Area != 0 {
			v += " · " + st.p.T("web.area_mu", sub.Area.String())
		} else {
			v += " · " + st.p.T("web.area_mu", res.Area.String())
		}
		pg.Subjects = append(pg.Subjects, field{Label: st.p.T("field.resource"), Value: v})
	}
	return nil
}

type warningsPage struct {
	Title   string
	Region  *jiti.Region
	C       *jiti.Collective
	AsOf    jiti.Date
	Counts  []warningCount
	Groups  []warningGroup
	ShowWho bool // a region's list names the collective of each warning

	PrintHref string // the print view (?print=1)
}

type warningGroup struct {
	Kind, Label string
	Rows        []warningRow
	Table       template.HTML
}

// warningTable renders a group's rows in Go: a county's list runs to
// thousands of rows, which a template takes several times longer to write.
// Every text is escaped.
func warningTable(st *state, g *warningGroup, showWho bool) template.HTML {
	var b strings.Builder
	b.Grow(len(g.Rows) * 300)
	b.WriteString(`<div class="scroll"><table class="report"><thead><tr>`)
	th := func(class, key string) {
		b.WriteString(`<th scope="col" class="` + class + `">` + template.HTMLEscapeString(st.p.T(key)) + `</th>`)
	}
	if showWho {
		th("left", "cli.col.collective")
	}
	th("left", "cli.col.subject")
	th("left", "report.col.date")
	th("right", "cli.col.days")
	th("right", "cli.col.amount")
	th("left", "cli.col.detail")
	b.WriteString("</tr></thead><tbody>\n")
	link := func(href, text string) {
		if href == "" {
			b.WriteString(template.HTMLEscapeString(text))
			return
		}
		b.WriteString(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(text) + `</a>`)
	}
	for _, r := range g.Rows {
		b.WriteString("<tr>")
		if showWho {
			b.WriteString(`<td class="left">`)
			link(r.WhoHref, r.Who)
			b.WriteString("</td>")
		}
		b.WriteString(`<td class="left">`)
		link(r.SubjectHref, r.Subject)
		b.WriteString(`</td><td class="left">` + template.HTMLEscapeString(r.Date) + `</td><td class="right">` +
			template.HTMLEscapeString(r.Days) + `</td><td class="right">` + template.HTMLEscapeString(r.Amount) +
			`</td><td class="left">` + template.HTMLEscapeString(r.Detail) + "</td></tr>\n")
	}
	b.WriteString("</tbody></table></div>")
	return template.HTML(b.String())
}

type warningRow struct {
	Who, WhoHref         string
	Subject, SubjectHref string
	Date, Days, Amount   string
	Detail               string
}

// regionWarnings lists the warnings of a region's registers: arrears,
// contracts ending, records missing, rents below the benchmark and assets
// idle too long, each kind under its anchor (#arrears…).
func (s *Server) regionWarnings(w http.ResponseWriter, r *http.Request, st *state) {
	ctx, code := r.Context(), r.PathValue("code")
	reg, err := st.view.Region(ctx, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today, err := s.warningsDay(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ws, err := st.view.Warnings(ctx, store.WarningFilter{Region: code, Today: today})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := st.view.Collectives(ctx, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, c := range cs {
		names[c.ID] = c.Code + " " + c.Name
	}
	pg := &warningsPage{Title: st.p.T("web.warnings"), Region: &reg, AsOf: today, ShowWho: true}
	if err := s.warningRows(r, st, pg, ws, names); err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs, err := s.crumbs(ctx, st.view, code, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.PrintHref = hrefWith(r.URL.Query(), "print", "1")
	s.render(w, r, http.StatusOK, "warnings", &page{Title: pg.Title + " · " + reg.Name, Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

// warningsDay is the day a warnings page takes its warnings on: today, or
// with ?year= a year's, which for a year gone by is its 31 December.
func (s *Server) warningsDay(r *http.Request) (jiti.Date, error) {
	today := jiti.DateOf(s.Now())
	if r.URL.Query().Get("year") == "" {
		return today, nil
	}
	year, err := s.yearOf(r, nil)
	if err != nil {
		return jiti.Date{}, err
	}
	return store.WarningsAsOf(year, today), nil
}

// collectiveWarnings lists the warnings of a collective's registers.
func (s *Server) collectiveWarnings(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	today, err := s.warningsDay(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ws, err := st.view.Warnings(r.Context(), store.WarningFilter{CollectiveID: c.ID, Today: today})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := &warningsPage{Title: st.p.T("web.warnings"), C: c, AsOf: today}
	if err := s.warningRows(r, st, pg, ws, map[int64]string{c.ID: c.Name}); err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.PrintHref = hrefWith(r.URL.Query(), "print", "1")
	s.render(w, r, http.StatusOK, "warnings", &page{Title: pg.Title + " · " + c.Name, Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

// warningRows groups warnings by kind and names what each is about: the
// contracts and the assets each in one read by their ids, within the
// user's scope.
func (s *Server) warningRows(r *http.Request, st *state, pg *warningsPage, ws []register.Warning, names map[int64]string) error {
	ctx := r.Context()
	var contractIDs, assetIDs []int64
	seen := map[[2]int64]bool{}
	for _, w := range ws {
		switch {
		case w.ContractID != 0 && !seen[[2]int64{0, w.ContractID}]:
			seen[[2]int64{0, w.ContractID}] = true
			contractIDs = append(contractIDs, w.ContractID)
		case w.AssetID != 0 && !seen[[2]int64{1, w.AssetID}]:
			seen[[2]int64{1, w.AssetID}] = true
			assetIDs = append(assetIDs, w.AssetID)
		}
	}
	contracts, err := st.view.ContractNames(ctx, contractIDs)
	if err != nil {
		return err
	}
	assets, err := st.view.AssetNames(ctx, assetIDs)
	if err != nil {
		return err
	}
	byKind := map[register.WarningKind]*warningGroup{}
	for _, k := range warningKinds {
		byKind[k] = &warningGroup{Kind: string(k), Label: st.p.T("warning." + string(k))}
	}
	for _, w := range ws {
		g := byKind[w.Kind]
		if g == nil {
			g = &warningGroup{Kind: string(w.Kind), Label: st.p.T("warning." + string(w.Kind))}
			byKind[w.Kind] = g
		}
		row := warningRow{Who: names[w.CollectiveID], WhoHref: fmt.Sprintf("/c/%d", w.CollectiveID), Detail: w.Detail}
		switch {
		case w.ContractID != 0:
			label := strconv.FormatInt(w.ContractID, 10)
			if k, ok := contracts[w.ContractID]; ok {
				label = k.Code + " " + k.Name
			}
			if w.InstalmentNo != 0 {
				row.Subject = st.p.T("cli.subject_contract", label, w.InstalmentNo)
			} else {
				row.Subject = st.p.T("cli.subject_contract_only", label)
			}
			row.SubjectHref = fmt.Sprintf("/c/%d/contracts/%d", w.CollectiveID, w.ContractID)
		case w.AssetID != 0:
			label := strconv.FormatInt(w.AssetID, 10)
			if a, ok := assets[w.AssetID]; ok {
				label = a.Code + " " + a.Name
			}
			row.Subject = st.p.T("cli.subject_asset", label)
			row.SubjectHref = fmt.Sprintf("/c/%d/assets/%d", w.CollectiveID, w.AssetID)
		}
		if !w.Date.IsZero() {
			row.Date = w.Date.String()
		}
		if w.Days != 0 {
			row.Days = strconv.Itoa(w.Days)
		}
		if w.Amount != 0 {
			row.Amount = w.Amount.Grouped()
		}
		g.Rows = append(g.Rows, row)
	}
	var others []register.WarningKind
	for k := range byKind {
		if !slices.Contains(warningKinds, k) {
			others = append(others, k)
		}
	}
	slices.Sort(others)
	kinds := append(slices.Clone(warningKinds), others...)
	for _, k := range kinds {
		g := byKind[k]
		pg.Counts = append(pg.Counts, warningCount{Kind: g.Kind, Count: len(g.Rows)})
		if len(g.Rows) > 0 {
			g.Table = warningTable(st, g, pg.ShowWho)
			pg.Groups = append(pg.Groups, *g)
		}
	}
	return nil
}
