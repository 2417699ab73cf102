package web

import (
	"net/http"

	"example.org/jiti"
)

// paper is the sheet a voucher is printed on: A4 upright or across, or the
// 241 × 140 mm voucher paper (凭证纸) that binders and 凭证封面 are made
// for. Each has a named @page in app.css (none for A4 upright, the
// default), chosen by the class paper-<value> on the printed voucher.
type paper string

const (
	paperA4          paper = "a4"
	paperA4Landscape paper = "a4-landscape"
	paperVoucher     paper = "voucher"
)

// papers are the choices in the order the print page offers them.
var papers = []paper{paperA4, paperA4Landscape, paperVoucher}

// paperCookie remembers the user's paper, so the next voucher prints on
// the same without asking.
const paperCookie = "jiti_paper"

var errPaper = jiti.Errorf(jiti.Invalid, "web.paper_unknown")

// paperOf returns the paper a print view uses: ?paper= when it names one
// (and then remembered in a cookie for a year), else the remembered one,
// else A4. An unknown ?paper= is reported on the field and A4 or the
// remembered paper is used.
func (s *Server) paperOf(w http.ResponseWriter, r *http.Request) (paper, error) {
	known := func(s string) (paper, bool) {
		for _, p := range papers {
			if string(p) == s {
				return p, true
			}
		}
		return "", false
	}
	out := paperA4
	if c, err := r.Cookie(paperCookie); err == nil {
		if p, ok := known(c.Value); ok {
			out = p
		}
	}
	in := r.URL.Query().Get("paper")
	if in == "" {
		return out, nil
	}
	p, ok := known(in)
	if !ok {
		return out, errPaper.With(in).At("paper")
	}
	if c, err := r.Cookie(paperCookie); err != nil || c.Value != string(p) {
		http.SetCookie(w, &http.Cookie{Name: paperCookie, Value: string(p), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: stateOf(r).client.https})
	}
	return p, nil
}

// paperOption is one choice of the print page's paper control.
type paperOption struct {
	Value    paper
	Label    string
	Selected bool
}
