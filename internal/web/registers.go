package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"

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

// moreFormRoutes are the acts on a record beside its card: an asset's
// disposal (whose voucher the store books through 154) and its month's
// work (for an asset depreciated by units of work), a resource's change of
// use; and the signed-in user's API tokens (tokens.go).
func (s *Server) moreFormRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/assets/{aid}/dispose", s.signedIn(s.disposeForm))
	mux.HandleFunc("POST /c/{id}/assets/{aid}/dispose", s.signedIn(s.disposeAsset))
	mux.HandleFunc("GET /c/{id}/assets/{aid}/work", s.signedIn(s.workForm))
	mux.HandleFunc("POST /c/{id}/assets/{aid}/work", s.signedIn(s.recordWork))
	mux.HandleFunc("GET /c/{id}/resources/{rid}/use", s.signedIn(s.useForm))
	mux.HandleFunc("POST /c/{id}/resources/{rid}/use", s.signedIn(s.changeUse))
	s.tokenRoutes(mux)
}

// registerFormRoutes are the forms adding a record (each in its register's
// file, on the toolkit of regform.go) and the acts on a contract
// (contracts.go).
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

// The values the registers' filters and forms offer, in display order.
var (
	assetStatuses = []register.Status{register.InUse, register.SelfOperated, register.LeasedOut, register.Invested,
		register.Cooperating, register.Idle, register.Disposed}
	resourceUses = []register.ResourceUse{register.HouseholdContracted, register.CollectiveOperated,
		register.ResourceLeased, register.ResourceIdle}
	contractStatuses = []register.ContractStatus{register.ContractDraft, register.InForce, register.Expired, register.Terminated}
	warningKinds     = []register.WarningKind{register.WarnArrears, register.WarnExpiring, register.WarnNoAwardRef,
		register.WarnNoResolution, register.WarnRentBelow, register.WarnIdleTooLong, register.WarnNoDisclosure}
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

// tr is the reader's catalog, for the tables package report builds.
func (st *state) tr() report.Translator { return func(k string) string { return st.p.T(k) } }

// field is one line of a record's card: a label and its value, or a link.
type field struct {
	Label, Value, Href string
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
	case "certificates":
		return fmt.Sprintf("/c/%d/certificates/issue", c.ID), st.p.T("web.certificates_issue")
	default:
		return "", ""
	}
	return fmt.Sprintf("/c/%d/%s/new", c.ID, register), label
}
