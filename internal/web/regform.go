package web

import (
	"errors"
	"net/http"
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
//
// Each register's forms live beside its list and card (assets.go,
// resources.go, contracts.go); this file holds what they share.

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

// Today is the date the forms of a page start from.
func (p *page) Today() string { return p.s.today() }
