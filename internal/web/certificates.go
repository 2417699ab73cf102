package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// Share certificates (股权证) on the web: a collective's list, the forms
// issuing certificates (to every household holding shares without one, or
// to those listed) and reissuing one (voiding the old number), each
// certificate's print view on A4 upright, and the public check page of a
// certificate number, answered without signing in, that the print view's
// QR code points to.

func (s *Server) certificateRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/certificates", s.signedIn(s.certificates))
	mux.HandleFunc("GET /c/{id}/certificates/issue", s.signedIn(s.issueForm))
	mux.HandleFunc("POST /c/{id}/certificates/issue", s.signedIn(s.issueCertificates))
	mux.HandleFunc("GET /c/{id}/certificates/reissue", s.signedIn(s.reissueForm))
	mux.HandleFunc("POST /c/{id}/certificates/reissue", s.signedIn(s.reissueCertificate))
	mux.HandleFunc("GET /c/{id}/certificates/{number}", s.signedIn(s.certificatePrint))
	// The one page of a certificate anyone may open: whether the number
	// is valid, and nothing a member would not print on the notice board.
	mux.HandleFunc("GET /p/certificates/{number}", s.publicCertificate)
}

// CertificatesTable is a collective's certificates, for the page and `jiti
// certificate list`.
func CertificatesTable(title string, cs []store.Certificate, tr report.Translator) *report.Table {
	t := &report.Table{Title: title, Columns: []report.Column{
		{Key: "cli.col.certificate_number", Align: report.Left}, {Key: "cli.col.household", Align: report.Left},
		{Key: "cli.col.issued_on", Align: report.Left}, {Key: "cli.col.status", Align: report.Left},
		{Key: "cli.col.replaced_by", Align: report.Left}, {Key: "cli.col.reason", Align: report.Left}}}
	for _, k := range cs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{k.Number, k.Household, k.IssuedOn.String(),
			tr("certificate.status." + k.Status), k.ReplacedBy, k.VoidReason}})
	}
	return t
}

// CertificateSharesTable is what a certificate states of its household's
// shares: each type with its quantification date, and the total; for the
// print view and `jiti certificate show`.
func CertificateSharesTable(title string, s *store.CertificateSheet, tr report.Translator) *report.Table {
	t := &report.Table{Title: title, Columns: []report.Column{
		{Key: "cli.col.type", Align: report.Left}, {Key: "cli.col.quantified_on", Align: report.Left}, {Key: "cli.col.shares", Align: report.Right}}}
	for _, l := range s.Shares {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{l.Name, l.QuantifiedOn.String(), l.Qty.String()}})
	}
	t.Rows = append(t.Rows, report.TableRow{Cells: []string{tr("report.total"), "", s.Total.String()}, Bold: true})
	return t
}

func certificateHref(cid int64, number string) string {
	return fmt.Sprintf("/c/%d/certificates/%s", cid, url.PathEscape(number))
}

func (s *Server) certificates(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	cs, err := s.DB.Certificates(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := CertificatesTable(st.p.T("cli.title.certificates"), cs, st.tr())
	hrefs := make([]string, len(cs))
	for i, k := range cs {
		hrefs[i] = certificateHref(c.ID, k.Number)
	}
	s.list(w, r, st, &registerPage{C: c, Title: t.Title, Count: len(cs), Message: doneMessage(r, st)}, t, 0, hrefs, "certificates")
}

func (s *Server) issueForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	s.renderIssueForm(w, r, st, c, newRegForm(st, map[string]string{"date": s.today()}), http.StatusOK)
}

// issueCertificates issues certificates dated as asked: to the households
// listed, or, none listed, to every household holding shares without a
// valid certificate.
func (s *Server) issueCertificates(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	on := f.date("date", true)
	households := strings.FieldsFunc(f.values["households"], func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' })
	if !f.failed() {
		_, err := s.DB.IssueCertificates(r.Context(), st.view.User().ID, c.ID, on, households)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/certificates?done=certificates_issued", c.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, issueField) {
			return
		}
	}
	s.renderIssueForm(w, r, st, c, f, f.code)
}

// issueField places the store's errors of an issue: "items[2].household"
// is the form's list of households.
func issueField(field string) string {
	if strings.HasSuffix(field, "household") {
		return "households"
	}
	return field
}

func (s *Server) renderIssueForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/certificates/issue", c.ID), Back: fmt.Sprintf("/c/%d/certificates", c.ID),
		Submit: p.T("web.certificates_issue"), Intro: p.T("web.certificates_issue_intro")}
	pg.Sections = []formSection{{Fields: []formField{
		f.input("date", "date", "field.issued_on", required),
		f.text("households", "field.households", maxLen(2000), hint(p.T("web.certificates_households_hint"))),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.certificates_issue"), certificatesUp(st, c), pg)
}

func certificatesUp(st *state, c *jiti.Collective) []crumb {
	return []crumb{{Label: st.p.T("web.shares"), Href: fmt.Sprintf("/c/%d/shares", c.ID)},
		{Label: st.p.T("web.certificates"), Href: fmt.Sprintf("/c/%d/certificates", c.ID)}}
}

func (s *Server) reissueForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	s.renderReissueForm(w, r, st, c, newRegForm(st, map[string]string{"date": s.today(), "certificate_number": r.URL.Query().Get("number")}), http.StatusOK)
}

// reissueCertificate voids a certificate and issues its household a new
// number, then shows the new certificate.
func (s *Server) reissueCertificate(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	on := f.date("date", true)
	if !f.failed() {
		k, err := s.DB.ReissueCertificate(r.Context(), st.view.User().ID, c.ID, f.values["certificate_number"], on, f.values["reason"])
		if err == nil {
			http.Redirect(w, r, certificateHref(c.ID, k.Number)+"?done=certificate_reissued", http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, nil) {
			return
		}
	}
	s.renderReissueForm(w, r, st, c, f, f.code)
}

func (s *Server) renderReissueForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/certificates/reissue", c.ID), Back: fmt.Sprintf("/c/%d/certificates", c.ID),
		Submit: p.T("web.certificate_reissue"), Intro: p.T("web.certificate_reissue_intro")}
	pg.Sections = []formSection{{Fields: []formField{
		f.text("certificate_number", "field.certificate_number", required, maxLen(40)),
		f.input("date", "date", "field.date", required),
		f.text("reason", "field.reason", required, maxLen(200)),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.certificate_reissue"), certificatesUp(st, c), pg)
}

// certificatePrintPage is a certificate as printed on A4 upright.
type certificatePrintPage struct {
	C          *jiti.Collective
	S          *store.CertificateSheet
	Void       bool
	Status     string
	Members    string
	Shares     template.HTML
	Log        template.HTML
	HasLog     bool
	PublicURL  string        // the public check page
	QR         template.HTML // its address as a QR code (SVG)
	ReplacedBy string        // the print view of the certificate that replaced a void one
	ReissueURL string        // the reissue form, for those who keep the books
	Message    string
}

// certificatePrint is the 股权证 as handed to the household: the
// organization and its unified social credit code, the number, the head
// and members, the shares by type with their quantification dates, the
// issue date and the log of changes; a void one says so and names its
// replacement, and a QR code of its public check page.
func (s *Server) certificatePrint(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	sh, err := st.view.CertificateSheet(r.Context(), r.PathValue("number"))
	if err == nil && sh.Certificate.CollectiveID != c.ID {
		err = store.ErrCertificateNone.With(r.PathValue("number"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, k := st.p, sh.Certificate
	pg := &certificatePrintPage{C: c, S: sh, Void: k.Status == store.CertificateVoid, Status: p.T("certificate.status." + k.Status),
		Members: strings.Join(sh.Members, "、"), PublicURL: s.publicURL(r, "/p/certificates/"+url.PathEscape(k.Number)),
		Shares: reportHTML(st, CertificateSharesTable(p.T("web.certificate_shares"), sh, st.tr()), -1, nil),
		Log:    reportHTML(st, report.ShareLogTable(sh.Changes, st.tr()), -1, nil), HasLog: len(sh.Changes) > 0,
		Message: doneMessage(r, st)}
	if pg.QR, err = qrSVG(pg.PublicURL); err != nil {
		s.fail(w, r, err)
		return
	}
	if k.ReplacedBy != "" {
		pg.ReplacedBy = certificateHref(c.ID, k.ReplacedBy)
	}
	if !pg.Void && st.view.Can(store.PermKeepBooks) {
		pg.ReissueURL = fmt.Sprintf("/c/%d/certificates/reissue?number=%s", c.ID, url.QueryEscape(k.Number))
	}
	s.render(w, r, http.StatusOK, "certificate_print", &page{Title: p.T("web.certificate_title", k.Number), Data: pg, Printed: true})
}

// publicCertificatePage is all the public check page shows.
type publicCertificatePage struct {
	Number, Collective, Head, Status string
	Total                            string
	Valid                            bool
}

// publicCertificate answers whether a certificate number is genuine and
// valid, without signing in: its status, the collective, the household
// head's name and the total shares. No identity number, no members, no
// log.
func (s *Server) publicCertificate(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r)
	sh, err := s.DB.PublicCertificate(r.Context(), r.PathValue("number"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	head := sh.Household.HeadName
	if head == "" {
		head = sh.Household.Name
	}
	k := sh.Certificate
	pg := &publicCertificatePage{Number: k.Number, Collective: sh.Collective.Name, Head: head, Total: sh.Total.String(),
		Valid: k.Status == store.CertificateValid, Status: st.p.T("certificate.status." + k.Status)}
	w.Header().Set("Cache-Control", "no-cache")
	s.render(w, r, http.StatusOK, "certificate_public", &page{Title: st.p.T("web.certificate_check"), Data: pg})
}
