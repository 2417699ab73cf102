package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// statementRoutes are a collective's statements and books: the balance
// sheet, the income statement and the account books, each with a print
// view (?print=1) and an xlsx download (?format=xlsx).
func (s *Server) statementRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/balance-sheet", s.signedIn(s.balanceSheet))
	mux.HandleFunc("GET /c/{id}/income", s.signedIn(s.incomeStatement))
	mux.HandleFunc("GET /c/{id}/ledger", s.signedIn(s.accountBook))
}

// xlsxType is the media type of an xlsx workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// wantsXLSX reports whether the request asks for the xlsx download.
func wantsXLSX(r *http.Request) bool { return r.URL.Query().Get("format") == "xlsx" }

// latestPeriod is the month a collective's reports show by default: the
// latest with posted books, else the current month.
func (s *Server) latestPeriod(r *http.Request, st *state, cid int64) (jiti.Period, error) {
	p, err := st.view.LatestPosted(r.Context(), cid)
	if err != nil || p != 0 {
		return p, err
	}
	return jiti.DateOf(s.Now()).Period(), nil
}

// latestYears is the year a collective's figures show by default, as
// yearOf takes it: the year of its latest posted books, or none.
func (s *Server) latestYears(r *http.Request, st *state, cid int64) ([]int, error) {
	p, err := st.view.LatestPosted(r.Context(), cid)
	if err != nil || p == 0 {
		return nil, err
	}
	return []int{p.Year()}, nil
}

// sendXLSX answers with a report table as an xlsx workbook to download,
// headed by the collective's name, the months and the unit. The file is
// named in the reader's language, 南什村股份经济合作社-资产负债表-2025-12.xlsx,
// with an ASCII name for clients that cannot read the encoded one.
func (s *Server) sendXLSX(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, t *report.Table, ascii, span string) {
	s.sendXLSXTables(w, r, st, c, []*report.Table{t}, ascii, span)
}

// sendXLSXTables is sendXLSX of several tables, one after the other, named
// by the first.
func (s *Server) sendXLSXTables(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, ts []*report.Table, ascii, span string) {
	outs := make([]*report.Table, len(ts))
	for i, t := range ts {
		out := *t
		out.Meta = append([]string{st.p.T("web.meta_unit", c.Name)}, t.Meta...)
		out.Meta = append(out.Meta, st.p.T("web.unit_yuan"))
		outs[i] = &out
	}
	t := ts[0]
	var buf bytes.Buffer
	if err := sheet.WriteTables(&buf, outs, func(k string) string { return st.p.T(k) }); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", xlsxType)
	h.Set("Content-Disposition", attachment(c.Name+"-"+t.Title+"-"+span+".xlsx", c.Code+"-"+ascii+"-"+span+".xlsx"))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// attachment is a Content-Disposition for a download named name (any
// text), with fallback for clients that know only the plain filename
// parameter (RFC 6266; the name itself percent-encoded in UTF-8 as RFC 5987
// says).
func attachment(name, fallback string) string {
	var b strings.Builder
	b.WriteString(`attachment; filename="`)
	for _, c := range []byte(fallback) {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '%' || c == '/' {
			c = '_'
		}
		b.WriteByte(c)
	}
	b.WriteString(`"; filename*=UTF-8''`)
	const hex = "0123456789ABCDEF"
	for _, c := range []byte(name) {
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// isAttrChar reports whether c may stand unencoded in an RFC 5987 value.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}

// hrefWith returns "?" and the query q with extra pairs set: the links to
// a page's print view and its download.
func hrefWith(q url.Values, kv ...string) string {
	out := url.Values{}
	for k, v := range q {
		if len(v) > 0 && v[0] != "" && k != "print" && k != "format" {
			out.Set(k, v[0])
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return "?" + out.Encode()
}

type statementPage struct {
	C                   *jiti.Collective
	Title               string
	Month               string
	Span                string   // the period the statement covers: 2025年12月31日, 2025年度
	Notes               []string // why a column is blank
	Error               string
	Table               *report.Table
	Checked, Balanced   bool // the statement has checks (资产 = 负债 + 权益), and they hold
	PrintHref, XLSXHref string
}

// statement reads the month of a statement page (?month=, by default the
// latest with books) and evaluates the statement for it.
func (s *Server) statement(w http.ResponseWriter, r *http.Request, st *state, ascii string,
	get func(v *store.View, cid int64, p jiti.Period) (*report.StatementResult, error)) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	p, err := s.latestPeriod(r, st, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := http.StatusOK
	pg := &statementPage{C: c}
	if in := r.URL.Query().Get("month"); in != "" {
		m, err := jiti.ParsePeriod(in)
		if err != nil {
			pg.Error, code = st.p.Error(jiti.AsError(err).At("month")), http.StatusUnprocessableEntity
		} else {
			p = m
		}
	}
	res, err := get(st.view, c.ID, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Month = p.String()
	pg.Table = report.StatementTable(res, st.p.Lang())
	pg.Title = pg.Table.Title
	pg.Checked = len(res.Statement.Checks) > 0
	pg.Balanced = res.OK()
	meta := report.StatementMeta(res, p, c.BooksOpenedOn, st.p)
	pg.Span, pg.Notes = meta[0], meta[1:]
	if wantsXLSX(r) && code == http.StatusOK {
		t := *pg.Table
		t.Meta = append(meta, t.Meta...)
		s.sendXLSX(w, r, st, c, &t, ascii, pg.Month)
		return
	}
	q := url.Values{"month": {pg.Month}}
	pg.PrintHref, pg.XLSXHref = hrefWith(q, "print", "1"), hrefWith(q, "format", "xlsx")
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, code, "statement", &page{Title: pg.Title, Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

// balanceSheet is a collective's 资产负债表 at the end of a month.
func (s *Server) balanceSheet(w http.ResponseWriter, r *http.Request, st *state) {
	s.statement(w, r, st, "balance-sheet", func(v *store.View, cid int64, p jiti.Period) (*report.StatementResult, error) {
		return v.BalanceSheet(r.Context(), cid, p)
	})
}

// incomeStatement is a collective's 收益及收益分配表 from January to a month.
func (s *Server) incomeStatement(w http.ResponseWriter, r *http.Request, st *state) {
	s.statement(w, r, st, "income", func(v *store.View, cid int64, p jiti.Period) (*report.StatementResult, error) {
		return v.IncomeStatement(r.Context(), cid, p)
	})
}

// bookKinds are the books the ledger page offers.
var bookKinds = []struct {
	Kind report.LedgerKind
	Key  string
}{
	{report.DetailKind, "report.title.detail_ledger"},
	{report.GeneralKind, "report.title.general_ledger"},
	{report.JournalKind, "report.title.journal"},
}

type ledgerPage struct {
	C                   *jiti.Collective
	Kind                string
	Kinds               []bookOption
	Account, From, To   string
	Accounts            []accountOption
	Errors              map[string]string
	Title               string
	Meta                []string
	Table               template.HTML
	PrintHref, XLSXHref string
}

type bookOption struct {
	Kind, Label string
	Selected    bool
}

type accountOption struct {
	Code, Label string
	Selected    bool
}

// accountBook is a book of one account over a range of months: the
// detail ledger (明细账) by default, the general ledger (总账) with
// ?kind=general, or the journal. The entries link to their vouchers.
func (s *Server) accountBook(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	ctx, q := r.Context(), r.URL.Query()
	pg := &ledgerPage{C: c, Kind: q.Get("kind"), Account: q.Get("account"), Errors: map[string]string{}}
	kind := report.DetailKind
	for _, k := range bookKinds {
		if string(k.Kind) == pg.Kind {
			kind = k.Kind
		}
	}
	pg.Kind = string(kind)
	for _, k := range bookKinds {
		pg.Kinds = append(pg.Kinds, bookOption{Kind: string(k.Kind), Label: st.p.T(k.Key), Selected: k.Kind == kind})
	}
	accounts, err := st.view.Accounts(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var acct *ledger.Account
	for i := range accounts {
		a := &accounts[i]
		if a.Code == pg.Account {
			acct = a
		}
		name := a.Name
		if st.p.Lang() == "en" && a.NameEN != "" {
			name = a.NameEN
		}
		pg.Accounts = append(pg.Accounts, accountOption{Code: a.Code,
			Label: strings.Repeat("\u3000", max(a.Level()-1, 0)) + a.Code + " " + name, Selected: a.Code == pg.Account})
	}
	to, err := s.latestPeriod(r, st, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	from := to.YearStart()
	for _, p := range []struct {
		name string
		out  *jiti.Period
	}{{"from", &from}, {"to", &to}} {
		in := q.Get(p.name)
		if in == "" {
			continue
		}
		m, err := jiti.ParsePeriod(in)
		if err != nil {
			pg.Errors[p.name] = st.p.Error(err)
			continue
		}
		*p.out = m
	}
	if from > to {
		pg.Errors["to"] = st.p.Error(store.ErrPeriodRange.With(from, to))
		from = to.YearStart()
	}
	pg.From, pg.To = from.String(), to.String()
	if pg.Account != "" && acct == nil {
		pg.Errors["account"] = st.p.Error(jiti.ErrNotFound.With("account", pg.Account))
	}
	code := http.StatusOK
	if len(pg.Errors) > 0 {
		code = http.StatusUnprocessableEntity
	}
	pg.Title = st.p.T(bookKinds[0].Key)
	for _, k := range bookKinds {
		if k.Kind == kind {
			pg.Title = st.p.T(k.Key)
		}
	}
	if acct != nil {
		l, err := st.view.AccountBook(ctx, kind, c.ID, acct.Code, from, to)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		t := report.LedgerTable(l, func(k string) string { return st.p.T(k) })
		pg.Title, pg.Meta = t.Title, t.Meta
		if wantsXLSX(r) && code == http.StatusOK {
			s.sendXLSX(w, r, st, c, t, "ledger-"+acct.Code, pg.From+"-"+pg.To)
			return
		}
		hrefs := make([]string, len(l.Rows))
		for i, row := range l.Rows {
			if row.VoucherID != 0 {
				hrefs[i] = fmt.Sprintf("/c/%d/vouchers/%d", c.ID, row.VoucherID)
			}
		}
		pg.Table = reportHTML(st, t, 1, hrefs)
		qq := url.Values{"kind": {pg.Kind}, "account": {pg.Account}, "from": {pg.From}, "to": {pg.To}}
		pg.PrintHref, pg.XLSXHref = hrefWith(qq, "print", "1"), hrefWith(qq, "format", "xlsx")
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, code, "ledger", &page{Title: pg.Title, Crumbs: crumbs, Data: pg, Printed: q.Has("print") && acct != nil})
}

// isWord reports whether a cell's text is one short word, such as a date
// (2025-03-05), a code (ZC-101) or a voucher's number (记-12): printed, it
// stays on one line where longer text wraps (a browser breaks after a
// hyphen, even before a digit).
func isWord(text string) bool {
	return text != "" && utf8.RuneCountInString(text) <= 10 && !strings.ContainsFunc(text, unicode.IsSpace)
}

// rowHeader is the column whose cells name their rows (th scope=row): the
// one that takes the indentation (a statement's items, a trial balance's
// account names), else the first.
func rowHeader(t *report.Table) int {
	for i, c := range t.Columns {
		if c.Indent {
			return i
		}
	}
	return 0
}

// reportHTML renders a report table as page.Report does, with the cells
// of column link linking to hrefs (one per row, "" for none): a ledger's
// voucher numbers to their vouchers. Money cells get thousands separators
// (the table holds them plain, for CSV and xlsx). The table has its title
// as a caption, column headers and row headers (rowHeader). Every text is
// escaped.
func reportHTML(st *state, t *report.Table, link int, hrefs []string) template.HTML {
	return reportTable(st, t, link, hrefs, false)
}

// reportTable is reportHTML; stacked, the table is class "stack" and its
// cells carry their column's name (data-label), so that on a phone each row
// stands as a small card, its item above its labelled amounts, instead of
// a table scrolling sideways past the amounts.
func reportTable(st *state, t *report.Table, link int, hrefs []string, stacked bool) template.HTML {
	var b strings.Builder
	b.Grow(len(t.Rows) * 200)
	b.WriteString(`<div class="scroll"><table class="report`)
	if stacked {
		b.WriteString(` stack`)
	}
	b.WriteString(`">`)
	if t.Title != "" { // for screen readers: the page's heading already shows it
		b.WriteString(`<caption class="visually-hidden">` + template.HTMLEscapeString(t.Title) + `</caption>`)
	}
	b.WriteString(`<thead><tr>`)
	for _, c := range t.Columns {
		fmt.Fprintf(&b, `<th scope="col" class="%s">%s</th>`, alignClass(c.Align), template.HTMLEscapeString(st.p.T(c.Key)))
	}
	head := rowHeader(t)
	b.WriteString("</tr></thead><tbody>\n")
	for r, row := range t.Rows {
		if row.Bold {
			b.WriteString(`<tr class="bold">`)
		} else {
			b.WriteString("<tr>")
		}
		for i, text := range row.Cells {
			class := "left"
			if i < len(t.Columns) {
				class = alignClass(t.Columns[i].Align)
				if t.Columns[i].Indent && row.Indent > 0 {
					class += " i" + strconv.Itoa(min(row.Indent, 4))
				}
				if t.Columns[i].Money {
					text = report.FormatMoney(text)
					class += " money"
				} else if isWord(text) {
					class += " word"
				}
			}
			cell := template.HTMLEscapeString(text)
			if i == link && r < len(hrefs) && hrefs[r] != "" && text != "" {
				cell = `<a href="` + template.HTMLEscapeString(hrefs[r]) + `">` + cell + `</a>`
			}
			if i == head {
				b.WriteString(`<th scope="row" class="` + class + `">` + cell + "</th>")
			} else if stacked && i < len(t.Columns) {
				b.WriteString(`<td class="` + class + `" data-label="` + template.HTMLEscapeString(st.p.T(t.Columns[i].Key)) + `">` + cell + "</td>")
			} else {
				b.WriteString(`<td class="` + class + `">` + cell + "</td>")
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table></div>")
	return template.HTML(b.String())
}
