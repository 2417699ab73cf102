package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The public pages (财务公开): what a collective has published, for anyone,
// without signing in. They read only published disclosures, through the
// store's Published* reads, and show only what a snapshot holds. A
// published snapshot never changes, so each rendered page is kept (see
// publicCache) until the collective publishes again.

//go:embed templates/public/*.html
var publicFS embed.FS

// publicTemplates are the public pages, each parsed with their own small
// layout (no navigation, no script, one small style sheet).
var publicTemplates = loadPublicTemplates()

func loadPublicTemplates() map[string]*template.Template {
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(publicFS, "templates/public/layout.html"))
	names, err := fs.Glob(publicFS, "templates/public/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		file := path.Base(name)
		if file == "layout.html" {
			continue
		}
		out[strings.TrimSuffix(file, ".html")] = template.Must(template.Must(base.Clone()).ParseFS(publicFS, name))
	}
	return out
}

func (s *Server) publicRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /p/{code}", s.publicList)
	mux.HandleFunc("GET /p/{code}/{which}", s.publicDisclosure)
	mux.HandleFunc("GET /p/{code}/{which}/{part}", s.publicPart)
	mux.HandleFunc("GET /p/{code}/asset/{asset}", s.publicAsset)
}

// isPublic reports whether a request is for the public pages, which need
// no session: the session middleware does not look one up for them.
func isPublic(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/p/") }

// publicCache keeps rendered public pages by address, language and the
// collective's published disclosures: a new publication (a correction)
// changes the key of every page of its collective, and the old entries
// are never asked for again. It empties when full.
type publicCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

const maxPublicPages = 4096

func (c *publicCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

func (c *publicCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxPublicPages {
		c.m = map[string][]byte{}
	}
	c.m[key] = b
}

// publicPage is what a public template gets.
type publicPage struct {
	p     *locale.Printer
	Title string
	CSS   string
	Code  string // the collective's code
	Name  string // the collective's name
	Data  any
}

func (pg *publicPage) T(key string, args ...any) string { return pg.p.T(key, args...) }

// Lang is the page's language tag.
func (pg *publicPage) Lang() string {
	if pg.p.Lang() == locale.EN {
		return "en"
	}
	return "zh-CN"
}

// Money writes fen as yuan with separators.
func (pg *publicPage) Money(fen int64) string { return jiti.Amount(fen).Grouped() }

// Area writes hundredths of a mu as mu.
func (pg *publicPage) Area(a int64) string { return register.Area(a).String() }

// Word translates a register code (an asset's status, a land kind) by its
// catalog key prefix, or shows the code where the catalog lacks it.
func (pg *publicPage) Word(prefix, code string) string {
	if pg.p.Has(prefix + code) {
		return pg.p.T(prefix + code)
	}
	return code
}

// Date writes a timestamp's day.
func (pg *publicPage) Day(d *store.Disclosure) string { return jiti.DateOf(d.PublishedAt).String() }

// published reads the published disclosures of a collective by code, and
// its name; a collective unknown is not found.
// One query when it has published (the name comes with the list).
func (s *Server) published(r *http.Request, code string) ([]*store.Disclosure, string, error) {
	ds, err := s.DB.PublishedDisclosures(r.Context(), code)
	if err != nil || len(ds) > 0 {
		if len(ds) > 0 {
			return ds, ds[0].CollectiveName, nil
		}
		return nil, "", err
	}
	c, err := s.DB.FindCollectiveByCode(r.Context(), code)
	if err != nil {
		return nil, "", err
	}
	return nil, c.Name, nil
}

// generation names the state of a collective's publications in a cache key.
func generation(ds []*store.Disclosure) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(strconv.FormatInt(d.ID, 36))
		b.WriteByte('.')
	}
	return b.String()
}

// servePublic writes a public page from the cache, or renders it with
// fill and keeps it.
func (s *Server) servePublic(w http.ResponseWriter, r *http.Request, key, name string, fill func(pg *publicPage) error) {
	st := stateOf(r)
	key = string(st.p.Lang()) + "|" + name + "|" + key
	b, ok := s.public.get(key)
	if !ok {
		pg := &publicPage{p: st.p, CSS: s.static.url("public.css")}
		if err := fill(pg); err != nil {
			s.publicFail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := publicTemplates[name].ExecuteTemplate(&buf, "layout.html", pg); err != nil {
			s.Log.Error("render", "page", name, "err", err)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		b = buf.Bytes()
		s.public.put(key, b)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}

// publicFail answers a public request that failed: not found for anything
// not published (so drafts cannot be told from nothing), else the error.
func (s *Server) publicFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, jiti.ErrNotFound) {
		st := stateOf(r)
		var buf bytes.Buffer
		pg := &publicPage{p: st.p, CSS: s.static.url("public.css"), Title: st.p.T("web.not_found")}
		if err := publicTemplates["notfound"].ExecuteTemplate(&buf, "layout.html", pg); err == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(buf.Bytes())
			return
		}
	}
	s.fail(w, r, err)
}

// publicList is a collective's published disclosures, newest first.
func (s *Server) publicList(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	ds, name, err := s.published(r, code)
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	s.servePublic(w, r, code+"|"+generation(ds), "list", func(pg *publicPage) error {
		pg.Code, pg.Name, pg.Title, pg.Data = code, name, pg.T("public.title", name), ds
		return nil
	})
}

// publicView is one disclosure as its page shows it.
type publicView struct {
	D        *store.Disclosure
	S        *disclose.Snapshot
	Versions []*store.Disclosure // the published versions of its period, newest first
	Latest   bool
	Href     string // the page's address
	QR       template.HTML
	Labels   []assetLabel
}

// findPublished picks, among a collective's published disclosures, the
// one which names: an id, or a period (its latest version).
func findPublished(ds []*store.Disclosure, which string) *store.Disclosure {
	if id, err := strconv.ParseInt(which, 10, 64); err == nil {
		for _, d := range ds {
			if d.ID == id {
				return d
			}
		}
		return nil
	}
	key := which
	if p, err := disclose.ParsePeriod(which); err == nil {
		key = p.Key()
	}
	for _, d := range ds { // newest version first
		if d.Period == key {
			return d
		}
	}
	return nil
}

// loadPublished reads the published disclosure which of collective code
// with what its page shows.
func (s *Server) loadPublished(r *http.Request, code string, ds []*store.Disclosure, which string) (*publicView, error) {
	d := findPublished(ds, which)
	if d == nil {
		return nil, jiti.ErrNotFound.With("disclosure", which)
	}
	full, err := s.DB.PublishedDisclosure(r.Context(), code, d.ID)
	if err != nil {
		return nil, err
	}
	snap, err := disclose.Parse(full.Content)
	if err != nil {
		return nil, err
	}
	v := &publicView{D: full, S: snap, Href: "/p/" + code + "/" + strconv.FormatInt(d.ID, 10)}
	for _, o := range ds {
		if o.Period == d.Period {
			v.Versions = append(v.Versions, o)
		}
	}
	v.Latest = len(v.Versions) > 0 && v.Versions[0].ID == d.ID
	return v, nil
}

// publicDisclosure is one published disclosure: by id, or by period for
// its latest version.
func (s *Server) publicDisclosure(w http.ResponseWriter, r *http.Request) {
	code, which := r.PathValue("code"), r.PathValue("which")
	ds, name, err := s.published(r, code)
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	s.servePublic(w, r, code+"|"+which+"|"+generation(ds), "disclosure", func(pg *publicPage) error {
		v, err := s.loadPublished(r, code, ds, which)
		if err != nil {
			return err
		}
		pg.Code, pg.Name, pg.Data = code, name, v
		pg.Title = pg.T("public.disclosure_title", name, periodLabel(pg.p, v.D))
		return nil
	})
}

// periodLabel names a disclosure's period for people: 2025年第1季度.
func periodLabel(p *locale.Printer, d *store.Disclosure) string {
	switch d.Kind {
	case disclose.Quarter:
		return p.T("public.quarter", d.From.Year(), (int(d.From.Month())+2)/3)
	case disclose.Month:
		return p.T("public.month", d.From.Year(), int(d.From.Month()))
	}
	return d.Title
}

// PeriodLabel is periodLabel for the templates.
func (pg *publicPage) PeriodLabel(d *store.Disclosure) string { return periodLabel(pg.p, d) }

// publicPart is a part of a published disclosure: its canonical file
// (snapshot.json, never changing: kept by browsers for a year) or its
// poster for the notice board.
func (s *Server) publicPart(w http.ResponseWriter, r *http.Request) {
	code, which, part := r.PathValue("code"), r.PathValue("which"), r.PathValue("part")
	ds, name, err := s.published(r, code)
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	switch part {
	case "snapshot.json":
		d := findPublished(ds, which)
		if d == nil || strconv.FormatInt(d.ID, 10) != which {
			s.publicFail(w, r, jiti.ErrNotFound.With("disclosure", which))
			return
		}
		full, err := s.DB.PublishedDisclosure(r.Context(), code, d.ID)
		if err != nil {
			s.publicFail(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Disposition", `attachment; filename="`+code+"-"+strings.ReplaceAll(d.Period, " ", "_")+"-v"+strconv.Itoa(d.Version)+`.json"`)
		h.Set("X-Content-SHA256", full.Hash)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(full.Content)
	case "poster":
		// The QR code holds the address the request came by: the host is
		// part of the key, so no request can change another's poster.
		s.servePublic(w, r, r.Host+"|"+code+"|"+which+"|"+generation(ds), "poster", func(pg *publicPage) error {
			v, err := s.loadPublished(r, code, ds, which)
			if err != nil {
				return err
			}
			v.QR, err = qrSVG(s.publicURL(r, v.Href))
			if err != nil {
				return err
			}
			pg.Code, pg.Name, pg.Data = code, name, v
			pg.Title = pg.T("public.disclosure_title", name, periodLabel(pg.p, v.D))
			return nil
		})
	case "labels":
		s.servePublic(w, r, r.Host+"|"+code+"|"+which+"|"+generation(ds), "labels", func(pg *publicPage) error {
			v, err := s.loadPublished(r, code, ds, which)
			if err != nil {
				return err
			}
			for _, a := range v.S.Assets {
				qr, err := qrSVG(s.publicURL(r, "/p/"+code+"/asset/"+url.PathEscape(a.Code)))
				if err != nil {
					return err
				}
				v.Labels = append(v.Labels, assetLabel{Code: a.Code, Name: a.Name, QR: qr})
			}
			pg.Code, pg.Name, pg.Data = code, name, v
			pg.Title = pg.T("public.labels") + " · " + name
			return nil
		})
	default:
		s.publicFail(w, r, jiti.ErrNotFound.With("page", part))
	}
}

// assetLabel is an asset's QR label, to stick on it: the code leads to
// its public card.
type assetLabel struct {
	Code, Name string
	QR         template.HTML
}

// assetCard is an asset's public card: the asset as the collective's
// latest published disclosure shows it, and its contracts there.
type assetCard struct {
	Asset     disclose.Asset
	Contracts []disclose.Contract
	D         *store.Disclosure
	S         *disclose.Snapshot
	Href      string
}

// publicAsset is an asset's public card: what it is, its status, its
// contracts and what they earned, from the latest published disclosure
// (nothing of the register that was not published).
func (s *Server) publicAsset(w http.ResponseWriter, r *http.Request) {
	code, asset := r.PathValue("code"), r.PathValue("asset")
	ds, name, err := s.published(r, code)
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	s.servePublic(w, r, code+"|"+asset+"|"+generation(ds), "asset", func(pg *publicPage) error {
		if len(ds) == 0 {
			return jiti.ErrNotFound.With("asset", asset)
		}
		v, err := s.loadPublished(r, code, ds, strconv.FormatInt(ds[0].ID, 10))
		if err != nil {
			return err
		}
		card := &assetCard{D: v.D, S: v.S, Href: v.Href}
		found := false
		for _, a := range v.S.Assets {
			if a.Code == asset {
				card.Asset, found = a, true
			}
		}
		if !found {
			return jiti.ErrNotFound.With("asset", asset)
		}
		for _, c := range v.S.Contracts {
			if slices.Contains(c.Assets, asset) {
				card.Contracts = append(card.Contracts, c)
			}
		}
		pg.Code, pg.Name, pg.Data = code, name, card
		pg.Title = card.Asset.Name + " · " + name
		return nil
	})
}

// publicURL is the full address of a public page as the request reached
// the server: what a QR code on paper must hold.
func (s *Server) publicURL(r *http.Request, p string) string {
	scheme := "http"
	if s.clientOf(r).https {
		scheme = "https"
	}
	return scheme + "://" + r.Host + p
}
