package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode"

	"example.org/jiti"
	"example.org/jiti/internal/auth"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds every page's template, each parsed with the layout.
type pages struct {
	byName map[string]*template.Template
}

// loadPages parses the layout with each page file. A page file defines
// "title" and "content"; the layout calls them.
func loadPages() (*pages, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range names {
		file := path.Base(name)
		if file == "layout.html" || file == "parts.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, err
		}
		p.byName[strings.TrimSuffix(file, ".html")] = t
	}
	return p, nil
}

// funcs are the template helpers that need no language.
var funcs = template.FuncMap{
	"capitals": func(a jiti.Amount) string { return locale.Capitals(a) },
	"add":      func(a, b int) int { return a + b },
	"money":    func(a any) string { return amountOf(a).Grouped() },
	"neg":      func(a any) bool { return amountOf(a) < 0 },
	"zero":     func(a any) bool { return amountOf(a) == 0 },
	"pct":      pct,
	"dict":     dict,
	"list":     func(s ...string) []string { return s },
}

// dict builds a map from key, value pairs, to pass several values to a
// template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// pct formats basis points as a percentage: 250 → "2.50%".
func pct(bp int64) string {
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	return fmt.Sprintf("%s%d.%02d%%", sign, bp/100, bp%100)
}

// amountOf accepts the amount types templates see: jiti.Amount and the
// reports' Money.
func amountOf(a any) jiti.Amount {
	switch v := a.(type) {
	case jiti.Amount:
		return v
	case report.Money:
		return jiti.Amount(v)
	case int64:
		return jiti.Amount(v)
	}
	panic(fmt.Sprintf("web: not an amount: %T", a))
}

// doneMessage is the message of what the request's ?done= says was just
// done (web.done.<key>), or "" for none or an unknown key: the key comes
// from the address, so only the catalog's are shown.
func doneMessage(r *http.Request, st *state) string {
	done := r.URL.Query().Get("done")
	if done == "" || !st.p.Has("web.done."+done) {
		return ""
	}
	return st.p.T("web.done." + done)
}

// crumb is one step of the breadcrumbs: county › township › village.
type crumb struct {
	Label, Href string
}

// page is what every template gets: the request's language and user, the
// page's title and breadcrumbs, and the page's own data.
type page struct {
	st      *state
	s       *Server
	Title   string
	Crumbs  []crumb
	Data    any
	Printed bool // a print view: no navigation
}

// T translates a catalog key.
func (p *page) T(key string, args ...any) string { return p.st.p.T(key, args...) }

// Label translates a catalog key that labels a field or heads a section:
// "field.amount" is "amount" in a message, "Amount" above its input.
func (p *page) Label(key string, args ...any) string { return p.st.p.Label(key, args...) }

// Lang is the page's language tag, for the html element.
func (p *page) Lang() string {
	if p.st.p.Lang() == locale.EN {
		return "en"
	}
	return "zh-CN"
}

// Zh marks a name that is written in Chinese (a collective's, a
// region's, a person's) as Chinese on an English page, so that a screen
// reader speaks it in Chinese rather than spelling it out (WCAG 3.1.2).
// On a Chinese page, or for a name without Chinese characters, it is the
// name, escaped.
func (p *page) Zh(name string) template.HTML {
	esc := template.HTMLEscapeString(name)
	if p.st.p.Lang() != locale.EN || !strings.ContainsFunc(name, isHan) {
		return template.HTML(esc)
	}
	return template.HTML(`<span lang="zh-CN">` + esc + `</span>`)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Other is the language the switch offers.
func (p *page) Other() locale.Lang {
	if p.st.p.Lang() == locale.EN {
		return locale.ZH
	}
	return locale.EN
}

// User returns the signed-in user, or nil.
func (p *page) User() *jiti.User {
	if p.st.view == nil {
		return nil
	}
	return p.st.view.User()
}

// Can reports whether the user's role grants the permission named as
// store.Permission.String gives it ("keep_books", "approve"): the rule the
// store checks when the page's forms are saved, so a page offers only what
// its user may do. A name that is no permission fails the page, so a
// misspelt guard cannot hide or show a button unnoticed.
func (p *page) Can(name string) (bool, error) {
	perm, ok := store.PermissionNamed(name)
	if !ok {
		return false, fmt.Errorf("web: no permission %q", name)
	}
	return p.st.view != nil && p.st.view.Can(perm), nil
}

// CanAdmin reports whether the user administers users.
func (p *page) CanAdmin() bool { return p.st.view != nil && p.st.view.Administers() }

// CanAudit reports whether the user reads the audit log.
func (p *page) CanAudit() bool { return p.st.view != nil && p.st.view.CanAudit() }

// MinPassword is the fewest characters a password may have.
func (p *page) MinPassword() int { return auth.MinPasswordLen }

// DocumentLimit is the largest document accepted, in MB.
func (p *page) DocumentLimit() string { return store.Megabytes(store.MaxDocumentSize) }

// KB formats a size in kilobytes, at least 1.
func (p *page) KB(size int64) int64 { return max(1, (size+512)/1024) }

// Wan formats an amount in 万元.
func (p *page) Wan(a any) string { return p.st.p.Wan(amountOf(a)) }

// Period formats a month.
func (p *page) Period(m jiti.Period) string { return p.st.p.Period(m) }

// Date formats a date.
func (p *page) Date(d jiti.Date) string { return p.st.p.Date(d) }

// VoucherRef formats a voucher's number: 2025年3月 记字第12号, or a draft's.
func (p *page) VoucherRef(r jiti.VoucherRef) string { return p.st.p.Voucher(r) }

// Error formats an error for the user.
func (p *page) Error(err error) string { return p.st.p.Error(err) }

// Asset returns the address of an embedded static file, with its content
// hash in the name so browsers may keep it for a year.
func (p *page) Asset(name string) string { return p.s.static.url(name) }

// Report renders a report.Table as an HTML table: headers translated,
// cells aligned and indented as the table says, money with thousands
// separators, every text escaped. Tables of statements run to hundreds of
// cells, which Go writes in a tenth of the time a template takes.
func (p *page) Report(t *report.Table) template.HTML { return reportTable(p.st, t, -1, nil, true) }

// alignClass is the CSS class of an alignment: only the two known, so
// nothing else reaches the attribute.
func alignClass(a report.Align) string {
	if a == report.Right {
		return "right"
	}
	return "left"
}

// render writes a page with status code.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, pg *page) {
	t := s.pages.byName[name]
	if t == nil {
		panic("web: no template " + name)
	}
	pg.st, pg.s = stateOf(r), s
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", pg); err != nil {
		s.Log.Error("render", "page", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // pages show books: never kept in shared caches
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// staticFiles serves the embedded CSS, JS and images under names that carry
// their content hash.
type staticFiles struct {
	byURL map[string][]byte
	urls  map[string]string // file name → hashed URL
}

func loadStatic() *staticFiles {
	sf := &staticFiles{byURL: map[string][]byte{}, urls: map[string]string{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		u := "/static/" + strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:6]) + ext
		sf.byURL[u], sf.urls[e.Name()] = b, u
	}
	return sf
}

func (sf *staticFiles) url(name string) string {
	u, ok := sf.urls[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return u
}

func (sf *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, ok := sf.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(r.URL.Path)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}

// hcell is a cell of rows rendered in Go: its text, optionally a link on
// it and a status badge around it (or muted), its alignment, and
// optionally a second piece after it in the same cell.
type hcell struct {
	Text, Href, Badge string
	Muted             bool
	Right             bool
	Then              *hcell
}

// rowsHTML renders table rows in Go, escaping every text and attribute:
// long lists (a page of vouchers, a county's townships) cost a template
// several actions a cell, through reflection, and that was a third of a
// page's time under load.
func rowsHTML(rows [][]hcell) template.HTML {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString("<tr>")
		for _, c := range row {
			if c.Right {
				b.WriteString(`<td class="right">`)
			} else {
				b.WriteString(`<td class="left">`)
			}
			for p := &c; p != nil; p = p.Then {
				if p != &c {
					b.WriteString(" ")
				}
				writePiece(&b, p)
			}
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// writePiece writes a cell's text, in its badge, under its link.
func writePiece(b *strings.Builder, c *hcell) {
	text := template.HTMLEscapeString(c.Text)
	if c.Badge != "" {
		text = fmt.Sprintf(`<span class="status %s">%s</span>`, template.HTMLEscapeString(c.Badge), text)
	} else if c.Muted {
		text = `<span class="muted">` + text + `</span>`
	}
	if c.Href != "" {
		fmt.Fprintf(b, `<a href="%s">%s</a>`, template.HTMLEscapeString(c.Href), text)
		return
	}
	b.WriteString(text)
}
