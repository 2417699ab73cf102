package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The forms of the registers: a new asset (whose acquisition the store
// books), a new resource, a new contract, and a contract's signing,
// termination and receipts (whose voucher the store books). Like the
// voucher form, each keeps what the user typed, shows each error beside its
// field (422, or 409 when the books' state forbids it), and leaves every
// rule to the store, which checks the role and the scope again. The form
// inputs are named by the store's field paths ("cost", "party.name"), so
// the store's errors land beside their inputs as they come; only a
// contract's subjects are rows of the form ("subjects[2].asset") that the
// store counts without the blank ones.

func (s *Server) registerFormRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/assets/new", s.signedIn(s.newAssetForm))
	mux.HandleFunc("POST /c/{id}/assets/new", s.signedIn(s.createAsset))
	mux.HandleFunc("GET /c/{id}/resources/new", s.signedIn(s.newResourceForm))
	mux.HandleFunc("POST /c/{id}/resources/new", s.signedIn(s.createResource))
	mux.HandleFunc("GET /c/{id}/contracts/new", s.signedIn(s.newContractForm))
	mux.HandleFunc("POST /c/{id}/contracts/new", s.signedIn(s.createContract))
	for _, act := range []string{"sign", "terminate", "receipts"} {
		mux.HandleFunc("GET /c/{id}/contracts/{kid}/"+act, s.signedIn(s.contractActForm(act)))
		mux.HandleFunc("POST /c/{id}/contracts/{kid}/"+act, s.signedIn(s.contractAct(act)))
	}
}

// Errors of the forms' own reading, before the store sees the values.
var (
	errInteger = jiti.Errorf(jiti.Invalid, "web.integer")
	errPercent = jiti.Errorf(jiti.Invalid, "web.percent")
)

// The values the forms offer that package register keeps to itself.
var (
	assetNatures = []register.Nature{register.Operating, register.NonOperating}
	assetUses    = []register.Use{register.ForProduction, register.ForManagement, register.ForWelfare}
	assetSources = []register.Source{register.Purchase, register.Construction, register.FiscalProject, register.Donation, register.TransferIn, register.Existing}
	assetMethods = []register.Method{register.StraightLine, register.UnitsOfWork, register.NoDepreciation}
	frequencies  = []register.Frequency{register.Once, register.Yearly, register.HalfYearly, register.Quarterly, register.Monthly}
	awards       = []register.Award{register.Negotiation, register.OpenBidding}
	partyKinds   = []register.PartyKind{register.Person, register.Unit}
)

const (
	subjectRows    = 2 // rows of subjects a new contract's form offers
	assetListID    = "asset-codes"
	resourceListID = "resource-codes"
)

// formField is an input of a register form: what the user typed, and the
// error beside it.
type formField struct {
	Name, Label string
	Type        string // text, date, select, textarea
	Value       string
	Options     []option // of a select
	Mode        string   // the inputmode: decimal, numeric
	List        string   // the datalist it suggests from
	Max         int      // maxlength, 0 for none
	Hint, Error string
	Required    bool
	Private     bool // an identity number: never echoed, nor kept by the browser
}

type formSection struct {
	Title  string
	Fields []formField
}

type datalist struct {
	ID      string
	Options []option
}

// regFormPage is a register form: its sections of fields, the errors that
// name no field of it at the top, and the lists its fields suggest from.
type regFormPage struct {
	C        *jiti.Collective
	Action   string
	Intro    string
	Error    string
	Sections []formSection
	Lists    []datalist
	Submit   string
	Back     string
	Confirm  string // asked before posting, if set
}

// regForm is a form's values as typed (trimmed) and its errors by field.
type regForm struct {
	st     *state
	values map[string]string
	errs   map[string]string
	code   int // the status of the answer when it fails
}

func newRegForm(st *state, values map[string]string) *regForm {
	return &regForm{st: st, values: values, errs: map[string]string{}, code: http.StatusUnprocessableEntity}
}

// readRegForm reads the posted form.
func readRegForm(r *http.Request, st *state) *regForm {
	f := newRegForm(st, map[string]string{})
	if err := r.ParseForm(); err != nil {
		f.errs[""] = st.p.Error(err)
	}
	for k, vs := range r.PostForm {
		if len(vs) > 0 && len(k) <= 40 {
			f.values[k] = strings.TrimSpace(vs[0])
		}
	}
	return f
}

func (f *regForm) fail(field string, err error) {
	f.errs[field] = joinMsg(f.errs[field], f.st.p.Error(err))
}

// failed reports whether reading the form found errors.
func (f *regForm) failed() bool { return len(f.errs) > 0 }

// storeError files a user's error of the store beside its fields (placed
// by place, which maps the store's field paths to the form's), and reports
// false, having answered, for any other: a server failure, a record out of
// scope, a role that may not.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, f *regForm, err error, place func(string) string) bool {
	code := statusOf(err)
	if !isUserError(err) || code == http.StatusNotFound || code == http.StatusForbidden || code == http.StatusUnauthorized {
		s.fail(w, r, err)
		return false
	}
	f.place(err, place)
	f.code = code
	return true
}

// place files each error of err under its field, moved by place (if set)
// first, so that its message names the field where the form shows it.
func (f *regForm) place(err error, place func(string) string) {
	var list interface{ Unwrap() []error }
	if errors.As(err, &list) {
		for _, e := range list.Unwrap() {
			f.place(e, place)
		}
		return
	}
	e := jiti.AsError(err)
	if e == nil {
		f.fail("", err)
		return
	}
	if place != nil {
		moved := *e
		moved.Field = place(e.Field)
		e = &moved
	}
	f.fail(e.Field, e)
}

// at names field as the place of a reading's error.
func at(err error, field string) error {
	if e := jiti.AsError(err); e != nil {
		return e.At(field)
	}
	return err
}

func (f *regForm) date(name string, required bool) jiti.Date {
	s := f.values[name]
	if s == "" {
		if required {
			f.fail(name, jiti.ErrRequired.At(name))
		}
		return jiti.Date{}
	}
	d, err := jiti.ParseDate(s)
	if err != nil {
		f.fail(name, at(err, name))
	}
	return d
}

// amount reads an amount in yuan; a blank one is 0, for the store to
// refuse where it is required.
func (f *regForm) amount(name string) jiti.Amount {
	s := f.values[name]
	if s == "" {
		return 0
	}
	a, err := jiti.ParseAmount(s)
	if err != nil {
		f.fail(name, at(err, name))
	}
	return a
}

func (f *regForm) integer(name string) int {
	s := f.values[name]
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 1_000_000_000 || n < -1_000_000_000 {
		f.fail(name, errInteger.With(s).At(name))
	}
	return n
}

// percent reads a percentage with up to two decimals ("5", "2.5%") into
// basis points.
func (f *regForm) percent(name string) int {
	s := f.values[name]
	if s == "" {
		return 0
	}
	a, err := jiti.ParseAmount(strings.TrimSuffix(s, "%"))
	if err != nil || a < 0 || a > 100_00 {
		f.fail(name, errPercent.With(s).At(name))
		return 0
	}
	return int(a) // an Amount counts hundredths: 2.5 is 250 basis points
}

// take returns the error of a field, and forgets it: what is left when the
// form is built names no field of it.
func (f *regForm) take(name string) string {
	msg := f.errs[name]
	delete(f.errs, name)
	return msg
}

// rest returns the errors no field took, in a stable order.
func (f *regForm) rest() string {
	keys := make([]string, 0, len(f.errs))
	for k := range f.errs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out string
	for _, k := range keys {
		out = joinMsg(out, f.errs[k])
	}
	return out
}

// fieldOpt adjusts a field as it is built.
type fieldOpt func(*formField)

func required(ff *formField) { ff.Required = true }

func maxLen(n int) fieldOpt   { return func(ff *formField) { ff.Max = n } }
func mode(m string) fieldOpt  { return func(ff *formField) { ff.Mode = m } }
func list(id string) fieldOpt { return func(ff *formField) { ff.List = id } }
func hint(text string) fieldOpt {
	return func(ff *formField) { ff.Hint = text }
}

func (f *regForm) input(typ, name, label string, opts ...fieldOpt) formField {
	ff := formField{Name: name, Label: f.st.p.Label(label), Type: typ, Value: f.values[name], Error: f.take(name)}
	for _, o := range opts {
		o(&ff)
	}
	return ff
}

func (f *regForm) text(name, label string, opts ...fieldOpt) formField {
	return f.input("text", name, label, opts...)
}

// choose is a <select> of options, with the one typed selected; a value
// not among them (sent by hand, or an account since deactivated) is kept
// as an option of its own, so it comes back as it was sent.
func (f *regForm) choose(name, label string, options []option, opts ...fieldOpt) formField {
	ff := f.input("select", name, label, opts...)
	v, found := ff.Value, false
	ff.Options = make([]option, 0, len(options)+1)
	for _, o := range options {
		o.Selected = o.Value == v
		found = found || o.Selected
		ff.Options = append(ff.Options, o)
	}
	if v != "" && !found {
		ff.Options = append(ff.Options, option{Value: v, Label: v, Selected: true})
	}
	return ff
}

// enumOptions are the options of an enumeration, labelled by the catalog
// keys prefix+value, after a blank option labelled blank if that is set.
func enumOptions[T ~string](st *state, prefix string, values []T, blank string) []option {
	var out []option
	if blank != "" {
		out = append(out, option{Label: st.p.T(blank)})
	}
	for _, v := range values {
		out = append(out, option{Value: string(v), Label: st.p.T(prefix + string(v))})
	}
	return out
}

// yesNo is the options of a yes-or-no field.
func yesNo(st *state) []option {
	return []option{{Value: "", Label: st.p.T("web.no")}, {Value: "1", Label: st.p.T("web.yes")}}
}

// accountOptions are the collective's active leaf accounts under one of
// the first-level accounts firsts (all if none), after a blank option
// labelled blank.
func accountOptions(st *state, accounts []ledger.Account, blank string, firsts ...string) []option {
	out := []option{{Label: st.p.T(blank)}}
	for _, a := range accounts {
		if !a.Leaf || !a.Active || (len(firsts) > 0 && !slices.Contains(firsts, ledger.FirstLevel(a.Code))) {
			continue
		}
		out = append(out, option{Value: a.Code, Label: a.Code + " " + a.Name})
	}
	return out
}

// firstLeaf returns the first active leaf account under first, or "".
func firstLeaf(accounts []ledger.Account, first string) string {
	for _, a := range accounts {
		if a.Leaf && a.Active && ledger.FirstLevel(a.Code) == first {
			return a.Code
		}
	}
	return ""
}

// keeperOf reads the path's collective for a form that keeps its books: a
// collective out of scope is not found, and a role that may not keep books
// is refused, before any input is read.
func (s *Server) keeperOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, bool) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok || !s.mayKeepBooks(w, r, st) {
		return nil, false
	}
	return c, true
}

// mayKeepBooks refuses a role that may not keep books, as the store would
// when the form is saved, so that role is never shown the form.
func (s *Server) mayKeepBooks(w http.ResponseWriter, r *http.Request, st *state) bool {
	if !st.view.Can(store.PermKeepBooks) {
		s.fail(w, r, jiti.ErrRoleCannot.With(string(st.view.User().Role), store.PermKeepBooks.String()))
		return false
	}
	return true
}

// renderRegForm shows a form under the register it adds to.
func (s *Server) renderRegForm(w http.ResponseWriter, r *http.Request, st *state, code int, title string, up []crumb, pg *regFormPage) {
	crumbs, err := s.collectiveCrumbs(r, st, pg.C)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, code, "regform_page", &page{Title: title, Crumbs: append(crumbs, up...), Data: pg})
}

func (s *Server) today() string { return jiti.DateOf(s.Now()).String() }

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

// --- resources

func (s *Server) newResourceForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := newRegForm(st, map[string]string{"use": string(register.CollectiveOperated)})
	s.renderResourceForm(w, r, st, c, f, http.StatusOK)
}

// createResource registers a piece of land; its use dates from the books'
// opening unless the form says since when.
func (s *Server) createResource(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	v := f.values
	res := register.Resource{CollectiveID: c.ID, Code: v["code"], Name: v["name"], Kind: register.LandKind(v["kind"]),
		Location: v["location"], Boundaries: v["boundaries"], Use: register.ResourceUse(v["use"]), Note: v["note"]}
	if v["area"] == "" {
		f.fail("area", jiti.ErrRequired.At("area"))
	} else if a, err := register.ParseArea(v["area"]); err != nil {
		f.fail("area", at(err, "area"))
	} else {
		res.Area = a
	}
	res.UseSince = f.date("use_since", false)
	if !f.failed() {
		_, err := s.DB.CreateResource(r.Context(), st.view.User().ID, res)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/resources", c.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, nil) {
			return
		}
	}
	s.renderResourceForm(w, r, st, c, f, f.code)
}

func (s *Server) renderResourceForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/resources/new", c.ID), Back: fmt.Sprintf("/c/%d/resources", c.ID),
		Submit: p.T("web.save")}
	pg.Sections = []formSection{{Fields: []formField{
		f.text("code", "cli.col.code", required, maxLen(40)),
		f.text("name", "field.name", required, maxLen(100)),
		f.choose("kind", "cli.col.kind", enumOptions(st, "resource.kind.", register.LandKinds, "web.choose"), required),
		f.text("area", "flag.area", required, mode("decimal")),
		f.text("location", "field.location", maxLen(200)),
		f.text("boundaries", "field.boundaries", maxLen(500)),
	}}, {Fields: []formField{
		f.choose("use", "cli.col.use", enumOptions(st, "resource.use.", resourceUses, "")),
		f.input("date", "use_since", "flag.since"),
		f.input("textarea", "note", "field.note", maxLen(500)),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.resource_new"), []crumb{{Label: p.T("cli.title.resources"), Href: pg.Back}}, pg)
}

// --- contracts

// contractForm is what a new contract's form needs besides the values: the
// collective's accounts, and its assets and resources, whose codes the
// subjects name.
type contractForm struct {
	*regForm
	accounts  []ledger.Account
	assets    []register.Asset
	resources []register.Resource
	rows      []int // the form's row of each subject the contract got
}

func (s *Server) loadContractForm(r *http.Request, st *state, c *jiti.Collective, f *regForm) (*contractForm, error) {
	cf := &contractForm{regForm: f}
	var err error
	if cf.accounts, err = st.view.Accounts(r.Context(), c.ID); err != nil {
		return nil, err
	}
	if cf.assets, err = st.view.Assets(r.Context(), store.AssetFilter{CollectiveID: c.ID}); err != nil {
		return nil, err
	}
	if cf.resources, err = st.view.Resources(r.Context(), store.ResourceFilter{CollectiveID: c.ID}); err != nil {
		return nil, err
	}
	return cf, nil
}

// newContractForm shows an empty contract form: a lease to a person,
// yearly, negotiated, earning to the first detail account of 501.
func (s *Server) newContractForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	cf, err := s.loadContractForm(r, st, c, newRegForm(st, map[string]string{"kind": string(register.Lease),
		"party.kind": string(register.Person), "frequency": string(register.Yearly), "award": string(register.Negotiation)}))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cf.values["income_account"] = firstLeaf(cf.accounts, "501")
	s.renderContractForm(w, r, st, c, cf, http.StatusOK)
}

// createContract registers a contract as a draft with its schedule of
// receivables; it is signed from its page.
func (s *Server) createContract(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	cf, err := s.loadContractForm(r, st, c, readRegForm(r, st))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k := cf.parse(c.ID)
	if !cf.failed() {
		out, err := s.DB.CreateContract(r.Context(), st.view.User().ID, store.ContractInput{Contract: k})
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/contracts/%d?done=contract", c.ID, out.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, cf.regForm, err, cf.place) {
			return
		}
	}
	s.renderContractForm(w, r, st, c, cf, cf.code)
}

// subjectField names an input of a row of subjects.
func subjectField(row int, name string) string { return fmt.Sprintf("subjects[%d].%s", row, name) }

func (cf *contractForm) parse(cid int64) register.Contract {
	v := cf.values
	k := register.Contract{CollectiveID: cid, Code: v["code"], Name: v["name"], Kind: register.ContractKind(v["kind"]),
		Party:     register.Party{Kind: register.PartyKind(v["party.kind"]), Name: v["party.name"], USCC: v["party.uscc"], Phone: v["party.phone"]},
		Frequency: register.Frequency(v["frequency"]), Accrue: v["accrue"] == "1", IncomeAccount: v["income_account"],
		Award: register.Award(v["award"]), AwardRef: v["award_ref"], ResolutionRef: v["resolution_ref"], Note: v["note"]}
	if id := v["party.id_number"]; id != "" {
		n, err := jiti.NewIDNumber(id) // its error shows the number masked
		if err != nil {
			cf.fail("party.id_number", at(err, "party.id_number"))
		}
		k.Party.IDNumber = n
	}
	k.Start = cf.date("start", false)
	k.End = cf.date("end", false)
	k.Amount = cf.amount("amount")
	k.Deposit = cf.amount("deposit")
	k.Escalation = cf.percent("escalation")
	assets, resources := map[string]int64{}, map[string]int64{}
	for _, a := range cf.assets {
		assets[a.Code] = a.ID
	}
	for _, res := range cf.resources {
		resources[res.Code] = res.ID
	}
	for row := 1; row <= subjectRows; row++ {
		asset, resource, area := v[subjectField(row, "asset")], v[subjectField(row, "resource")], v[subjectField(row, "area")]
		if asset == "" && resource == "" && area == "" {
			continue
		}
		var sub register.Subject
		if asset != "" {
			if sub.AssetID = assets[asset]; sub.AssetID == 0 {
				cf.fail(subjectField(row, "asset"), store.ErrSubjectUnknown.With(asset).At(subjectField(row, "asset")))
			}
		}
		if resource != "" {
			if sub.ResourceID = resources[resource]; sub.ResourceID == 0 {
				cf.fail(subjectField(row, "resource"), store.ErrSubjectUnknown.With(resource).At(subjectField(row, "resource")))
			}
		}
		if area != "" {
			a, err := register.ParseArea(area)
			if err != nil {
				cf.fail(subjectField(row, "area"), at(err, subjectField(row, "area")))
			}
			sub.Area = a
		}
		k.Subjects = append(k.Subjects, sub)
		cf.rows = append(cf.rows, row)
	}
	return k
}

// subjectError matches the store's paths of a subject: subjects[2].asset_id.
var subjectError = regexp.MustCompile(`^subjects\[(\d+)\](?:\.(\w+))?$`)

// place maps the store's field of a contract to the form's: the party's
// and the other fields are named alike, and a subject's position among
// those given is its row of the form.
func (cf *contractForm) place(field string) string {
	m := subjectError.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	i, _ := strconv.Atoi(m[1])
	if i < 1 || i > len(cf.rows) {
		return "subjects"
	}
	row := cf.rows[i-1]
	switch m[2] {
	case "asset_id":
		return subjectField(row, "asset")
	case "resource_id":
		return subjectField(row, "resource")
	case "area":
		return subjectField(row, "area")
	}
	if cf.values[subjectField(row, "asset")] == "" {
		return subjectField(row, "resource")
	}
	return subjectField(row, "asset")
}

func (s *Server) renderContractForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, cf *contractForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/contracts/new", c.ID), Back: fmt.Sprintf("/c/%d/contracts", c.ID),
		Submit: p.T("web.save"), Intro: p.T("web.contract_intro")}
	// The identity number is never sent back: a wrong one is named
	// masked in its error, a right one is asked for again.
	id := cf.text("party.id_number", "field.id_number", maxLen(18), hint(p.T("web.id_number_hint")))
	id.Value, id.Private = "", true
	if cf.values["party.id_number"] != "" && id.Error == "" {
		id.Hint = p.T("web.id_number_again")
	}
	party := []formField{
		cf.choose("party.kind", "web.party_kind", enumOptions(st, "party.kind.", partyKinds, "")),
		cf.text("party.name", "field.party", required, maxLen(100)),
		id,
		cf.text("party.uscc", "field.uscc", maxLen(18)),
		cf.text("party.phone", "field.phone", maxLen(20)),
	}
	subjects := formSection{Title: p.T("field.subjects")}
	for row := 1; row <= subjectRows; row++ {
		item := p.T("field.subjects.item", row)
		asset := cf.text(subjectField(row, "asset"), "field.asset", list(assetListID), maxLen(40))
		resource := cf.text(subjectField(row, "resource"), "field.resource", list(resourceListID), maxLen(40))
		area := cf.text(subjectField(row, "area"), "flag.area", mode("decimal"), hint(p.T("web.area_hint")))
		asset.Label, resource.Label, area.Label = item+" · "+asset.Label, item+" · "+resource.Label, item+" · "+area.Label
		subjects.Fields = append(subjects.Fields, asset, resource, area)
	}
	if msg := cf.take("subjects"); msg != "" {
		subjects.Fields[0].Error = joinMsg(msg, subjects.Fields[0].Error)
	}
	pg.Sections = []formSection{
		{Title: p.T("web.section_basic"), Fields: []formField{
			cf.text("code", "cli.col.code", required, maxLen(40)),
			cf.text("name", "field.name", required, maxLen(100)),
			cf.choose("kind", "field.kind", enumOptions(st, "contract.kind.", register.ContractKinds, "")),
		}},
		{Title: p.T("web.section_party"), Fields: party},
		subjects,
		{Title: p.T("web.section_term"), Fields: []formField{
			cf.input("date", "start", "field.start", required),
			cf.input("date", "end", "field.end", required),
			cf.text("amount", "flag.contract_amount", required, mode("decimal"), hint(p.T("web.unit_yuan"))),
			cf.choose("frequency", "field.frequency", enumOptions(st, "contract.frequency.", frequencies, "")),
			cf.text("escalation", "field.escalation", mode("decimal"), hint(p.T("web.percent_hint"))),
			cf.text("deposit", "field.deposit", mode("decimal")),
			cf.choose("income_account", "field.income_account", accountOptions(st, cf.accounts, "web.pick_account", "501", "502")),
			cf.choose("accrue", "flag.accrue", yesNo(st)),
		}},
		{Title: p.T("web.section_records"), Fields: []formField{
			cf.choose("award", "field.award", enumOptions(st, "contract.award.", awards, "")),
			cf.text("award_ref", "flag.award_ref", maxLen(100)),
			cf.text("resolution_ref", "flag.resolution", maxLen(100), hint(p.T("web.decision_ref_hint"))),
			cf.input("textarea", "note", "field.note", maxLen(500)),
		}},
	}
	var al, rl datalist
	al.ID, rl.ID = assetListID, resourceListID
	for _, a := range cf.assets {
		if a.Status != register.Disposed {
			al.Options = append(al.Options, option{Value: a.Code, Label: a.Name})
		}
	}
	for _, res := range cf.resources {
		rl.Options = append(rl.Options, option{Value: res.Code, Label: res.Name + " · " + p.T("web.area_mu", res.Area.String())})
	}
	pg.Lists = []datalist{al, rl}
	pg.Error = cf.rest()
	s.renderRegForm(w, r, st, code, p.T("web.contract_new"), []crumb{{Label: p.T("cli.title.contracts"), Href: pg.Back}}, pg)
}

// --- a contract's signing, termination and receipts

// contractOf reads the path's contract for an act on it: a collective out
// of scope, or a contract of another collective, is not found; a role that
// may not keep books is refused.
func (s *Server) contractOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Contract, bool) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	k, ok := s.pathContract(w, r, st, c)
	return c, k, ok
}

// pathContract reads the path's {kid} as a contract of collective c; one
// of another collective is not found, as an unknown one.
func (s *Server) pathContract(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective) (*register.Contract, bool) {
	id, err := strconv.ParseInt(r.PathValue("kid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("contract", r.PathValue("kid")))
		return nil, false
	}
	k, err := st.view.FindContract(r.Context(), id)
	if err == nil && k.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("contract", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return k, true
}

// contractActForm shows the form of an act alone: the contract's page
// carries the same forms, and this page is where one comes back to with
// its errors.
func (s *Server) contractActForm(act string) func(http.ResponseWriter, *http.Request, *state) {
	return func(w http.ResponseWriter, r *http.Request, st *state) {
		c, k, ok := s.contractOf(w, r, st)
		if !ok {
			return
		}
		values := map[string]string{}
		switch act {
		case "sign":
			values["signed_on"] = s.today()
		case "terminate":
			values["ended_on"] = s.today()
		case "receipts":
			values["date"] = s.today()
			values["account"] = s.receiptAccount(r, st, c, k)
		}
		s.renderContractAct(w, r, st, act, c, k, newRegForm(st, values), http.StatusOK)
	}
}

// receiptAccount is the account a contract's next receipt most likely
// comes into: that of its last receipt, else the first bank account.
func (s *Server) receiptAccount(r *http.Request, st *state, c *jiti.Collective, k *register.Contract) string {
	if rs, err := st.view.Receipts(r.Context(), k.ID); err == nil && len(rs) > 0 {
		return rs[len(rs)-1].Account
	}
	if accounts, err := st.view.Accounts(r.Context(), c.ID); err == nil {
		return firstLeaf(accounts, "102")
	}
	return ""
}

// contractAct signs a draft contract, terminates one in force, or records
// money received on it (the store posts the receipt's voucher), and goes
// back to the contract's page.
func (s *Server) contractAct(act string) func(http.ResponseWriter, *http.Request, *state) {
	return func(w http.ResponseWriter, r *http.Request, st *state) {
		c, k, ok := s.contractOf(w, r, st)
		if !ok {
			return
		}
		f := readRegForm(r, st)
		ctx, by := r.Context(), st.view.User().ID
		var err error
		done := act
		switch act {
		case "sign":
			if on := f.date("signed_on", true); !f.failed() {
				err = s.DB.SignContract(ctx, by, k.ID, on)
			}
		case "terminate":
			if on := f.date("ended_on", true); !f.failed() {
				err = s.DB.TerminateContract(ctx, by, k.ID, on, f.values["reason"])
			}
		case "receipts":
			done = "receipt"
			in := store.ReceiptInput{Date: f.date("date", true), Amount: f.amount("amount"), Account: accountCode(f.values["account"]),
				Advance: f.values["advance"] == "1", Over: f.values["over"] == "1"}
			if !f.failed() {
				_, err = s.DB.RecordReceipt(ctx, by, k.ID, in)
			}
		}
		if !f.failed() {
			if err == nil {
				http.Redirect(w, r, fmt.Sprintf("/c/%d/contracts/%d?done=%s", c.ID, k.ID, done), http.StatusSeeOther)
				return
			}
			if !s.storeError(w, r, f, err, nil) {
				return
			}
		}
		s.renderContractAct(w, r, st, act, c, k, f, f.code)
	}
}

func (s *Server) renderContractAct(w http.ResponseWriter, r *http.Request, st *state, act string, c *jiti.Collective, k *register.Contract, f *regForm, code int) {
	p := st.p
	back := fmt.Sprintf("/c/%d/contracts/%d", c.ID, k.ID)
	pg := &regFormPage{C: c, Action: back + "/" + act, Back: back}
	var title string
	var fields []formField
	switch act {
	case "sign":
		title, pg.Intro = p.T("web.contract_sign"), p.T("web.sign_intro")
		fields = []formField{f.input("date", "signed_on", "field.signed_on", required)}
	case "terminate":
		title, pg.Confirm = p.T("web.contract_terminate"), p.T("web.confirm_terminate")
		fields = []formField{f.input("date", "ended_on", "field.ended_on", required), f.text("reason", "field.reason", required, maxLen(500))}
	case "receipts":
		accounts, err := st.view.Accounts(r.Context(), c.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		title = p.T("web.receipt_new")
		fields = []formField{
			f.input("date", "date", "field.date", required),
			f.text("amount", "field.amount", required, mode("decimal"), hint(p.T("web.unit_yuan"))),
			f.choose("account", "flag.receipt_account", accountOptions(st, accounts, "web.pick_account", "101", "102"), required),
			f.choose("advance", "flag.advance", yesNo(st)),
			f.choose("over", "flag.over", yesNo(st)),
		}
	}
	pg.Submit = title
	pg.Sections = []formSection{{Title: k.Code + " " + k.Name, Fields: fields}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, title, []crumb{{Label: p.T("cli.title.contracts"), Href: fmt.Sprintf("/c/%d/contracts", c.ID)},
		{Label: k.Code, Href: back}}, pg)
}

// --- what the register pages show of the forms

// newRecordLink is the button of a register's list that opens its form,
// for those who keep the books: register is "assets", "resources" or
// "contracts".
func newRecordLink(st *state, c *jiti.Collective, register string) (href, label string) {
	if !st.view.Can(store.PermKeepBooks) {
		return "", ""
	}
	switch register {
	case "assets":
		label = st.p.T("web.asset_new")
	case "resources":
		label = st.p.T("web.resource_new")
	case "contracts":
		label = st.p.T("web.contract_new")
	case "decisions":
		label = st.p.T("web.decision_new")
	default:
		return "", ""
	}
	return fmt.Sprintf("/c/%d/%s/new", c.ID, register), label
}

// Today is the date the forms of a page start from.
func (p *page) Today() string { return p.s.today() }

// CanSign, CanTerminate and CanReceive say which acts the contract's page
// offers those who keep the books: a draft is signed, a contract in force
// terminated, and money is received on any contract signed (arrears are
// still collected after its end).
func (pg *contractPage) CanSign() bool { return pg.CanAttach && pg.K.Status == register.ContractDraft }

func (pg *contractPage) CanTerminate() bool { return pg.CanAttach && pg.K.Status == register.InForce }

func (pg *contractPage) CanReceive() bool {
	return pg.CanAttach && pg.K.Status != register.ContractDraft
}

// ReceiptAccount is the account the receipt form starts with: that of the
// contract's last receipt.
func (pg *contractPage) ReceiptAccount() string {
	if len(pg.Receipts) == 0 {
		return ""
	}
	return pg.Receipts[len(pg.Receipts)-1].Account
}
