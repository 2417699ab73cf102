package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/chart"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The lines a dashboard leads with, in this order (statistics.md: the
// county reports collectives, total income, the average, operating-type,
// subsidy and other income).
var headlineKeys = []string{report.KeyTotalIncome, report.KeyOperatingType, "subsidy", "other_income"}

// home sends the user to where their scope starts: the dashboard of their
// region, or the list of their collectives.
func (s *Server) home(w http.ResponseWriter, r *http.Request, st *state) {
	region, err := st.view.Home(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if region != "" {
		http.Redirect(w, r, "/r/"+region, http.StatusSeeOther)
		return
	}
	cs, err := st.view.Collectives(r.Context(), "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(cs) == 1 {
		http.Redirect(w, r, "/c/"+strconv.FormatInt(cs[0].ID, 10), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "collectives", &page{Title: st.p.T("web.collectives"), Data: cs})
}

// headline is one figure at the top of a dashboard, linking to the
// collectives behind it.
type headline struct {
	Label string
	Line  report.LineFigure
	Href  string
}

type dashboardPage struct {
	Region    jiti.Region
	Year      int
	Years     []int
	Roll      *report.Rollup
	Headlines []headline
	Children  []childFigure
	ChildRows template.HTML // Children, rendered by rowsHTML
	WeakRows  template.HTML
	ChildKind string // what the children are: townships or villages
	Charts    struct{ Children, Tiers, Trend template.HTML }
	// The tiers' and the trend's figures as tables, the charts' text
	// equivalents (the children's chart has the table beside it).
	ChartTables struct{ Tiers, Trend template.HTML }
	Weak        []report.Ranked // the weakest few, weakest first
	WeakCount   int             // all weak villages, listed at WeakHref
	WeakHref    string
	Warnings    []warningCount
	Village     *jiti.Collective // a village's dashboard: its collective
}

// childFigure is a child region's row: its headline sums, formatted, and
// the growth of its operating-type income.
type childFigure struct {
	Name, Href  string
	Collectives int
	Sums        []string
	Growth      *report.LineFigure
}

type warningCount struct {
	Kind  string
	Count int
}

// dashboard shows a region's figures for a year: the headline lines with
// growth, each child region, the tiers, the monthly trend, weak villages
// and register warnings. Every figure links to what is behind it.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, st *state) {
	ctx := r.Context()
	v := st.view
	code := r.PathValue("code")
	reg, err := v.Region(ctx, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := &dashboardPage{Region: reg}
	if pg.Years, err = v.StatYears(ctx, code); err != nil {
		s.fail(w, r, err)
		return
	}
	if pg.Year, err = s.yearOf(r, pg.Years); err != nil {
		s.fail(w, r, err)
		return
	}
	if pg.Roll, err = v.Stats(ctx, code, pg.Year); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, key := range headlineKeys {
		if l := pg.Roll.Line(key); l != nil {
			pg.Headlines = append(pg.Headlines, headline{Label: lineLabel(st, *l), Line: *l,
				Href: fmt.Sprintf("/r/%s/line/%s?year=%d", code, key, pg.Year)})
		}
	}
	for _, c := range pg.Roll.Children {
		row := childFigure{Name: c.Region.Name, Href: fmt.Sprintf("/r/%s?year=%d", c.Region.Code, pg.Year),
			Collectives: c.Collectives, Growth: c.Line(report.KeyOperatingType)}
		for _, h := range pg.Headlines {
			var sum string
			if l := c.Line(h.Line.Key); l != nil {
				sum = st.p.Wan(jiti.Amount(l.Sum))
			}
			row.Sums = append(row.Sums, sum)
		}
		pg.Children = append(pg.Children, row)
	}
	pg.ChildKind = "web.child_regions"
	pg.Weak, pg.WeakCount = weakest(pg.Roll.Weak, weakShown), len(pg.Roll.Weak)
	pg.WeakHref = fmt.Sprintf("/r/%s/weak?year=%d", code, pg.Year)
	pg.ChildRows, pg.WeakRows = childRows(st, pg), weakRows(st, pg)
	if reg.Level == jiti.Village {
		cs, err := v.Collectives(ctx, code)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(cs) > 0 {
			pg.Village = &cs[0]
		}
	}
	months, err := v.StatMonths(ctx, code, pg.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Charts.Children = template.HTML(s.childrenChart(st, pg))
	tiers, trend := s.tierChart(st, pg), trendChart(st, months)
	pg.Charts.Tiers, pg.ChartTables.Tiers = template.HTML(tiers.SVG()), template.HTML(tiers.Table(st.p.T("web.chart_tier"), st.p.T("web.collectives_count")))
	pg.Charts.Trend, pg.ChartTables.Trend = template.HTML(trend.SVG()), template.HTML(trend.Table(st.p.T("web.month")))
	ws, err := v.Warnings(ctx, store.WarningFilter{Region: code, Today: store.WarningsAsOf(pg.Year, jiti.DateOf(s.Now()))})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Warnings = countWarnings(ws)
	crumbs, err := s.crumbs(ctx, v, code, pg.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dashboard", &page{Title: reg.Name, Crumbs: crumbs, Data: pg})
}

// yearOf reads the year asked for (?year=), by default the latest year
// with posted books, latest first in years, or the current year when there
// are none yet.
func (s *Server) yearOf(r *http.Request, years []int) (int, error) {
	q := r.URL.Query().Get("year")
	if q == "" {
		if len(years) > 0 {
			return years[0], nil
		}
		return s.Now().Year(), nil
	}
	y, err := jiti.ParseYear(q)
	if err != nil {
		return 0, jiti.AsError(err).At("year")
	}
	return y, nil
}

// lineLabel is a line's label in the page's language.
func lineLabel(st *state, l report.LineFigure) string {
	if st.p.Lang() == "en" && l.LabelEN != "" {
		return l.LabelEN
	}
	return l.Label
}

// crumbs lists the visible regions from the top of the user's scope down
// to code: county › township › village.
func (s *Server) crumbs(ctx context.Context, v *store.View, code string, year int) ([]crumb, error) {
	chain, err := v.Ancestors(ctx, code)
	if err != nil {
		return nil, err
	}
	out := make([]crumb, 0, len(chain))
	for _, r := range chain {
		href := "/r/" + r.Code
		if year != 0 {
			href += "?year=" + strconv.Itoa(year)
		}
		out = append(out, crumb{Label: r.Name, Href: href})
	}
	return out, nil
}

// childrenChart compares the child regions' operating-type income.
func (s *Server) childrenChart(st *state, pg *dashboardPage) string {
	bars := make([]chart.Bar, 0, len(pg.Children))
	for _, c := range pg.Children {
		var v int64
		if c.Growth != nil {
			v = int64(c.Growth.Sum)
		}
		bars = append(bars, chart.Bar{Label: c.Name, Value: v, Href: c.Href,
			Title: st.p.T("web.chart_collectives", c.Collectives)})
	}
	return chart.BarChart{Title: st.p.T("web.chart_children"), Bars: bars, Horizontal: true,
		Format: func(v int64) string { return st.p.Wan(jiti.Amount(v)) }, Empty: st.p.T("web.no_data")}.SVG()
}

// tierChart counts collectives per tier of operating-type income.
func (s *Server) tierChart(st *state, pg *dashboardPage) chart.BarChart {
	bars := make([]chart.Bar, 0, len(pg.Roll.Tiers))
	for _, t := range pg.Roll.Tiers {
		bars = append(bars, chart.Bar{Label: tierLabel(st, t), Value: int64(t.Count),
			Href:  fmt.Sprintf("/r/%s/tier/%d?year=%d", pg.Region.Code, t.Tier, pg.Year),
			Title: st.p.T("web.chart_prior", t.Prior)})
	}
	return chart.BarChart{Title: st.p.T("web.chart_tiers"), Bars: bars, Empty: st.p.T("web.no_data")}
}

// tierLabel names a tier by its bounds in 万元: "10–30万", "≥100万", "无".
func tierLabel(st *state, t report.TierFigure) string {
	if t.Tier == 0 {
		return st.p.T("web.tier_none")
	}
	lo := jiti.Amount(t.Lo).Wan()
	if t.Hi == 0 {
		return st.p.T("web.tier_above", trimWan(lo))
	}
	return st.p.T("web.tier_between", trimWan(lo), trimWan(jiti.Amount(t.Hi).Wan()))
}

// trimWan drops a whole number's ".00".
func trimWan(s string) string {
	if len(s) > 3 && s[len(s)-3:] == ".00" {
		return s[:len(s)-3]
	}
	return s
}

// trendChart draws total and operating-type income month by month.
func trendChart(st *state, m *store.StatMonths) chart.LineChart {
	c := chart.LineChart{Title: st.p.T("web.chart_trend"), Empty: st.p.T("web.no_data"),
		Format: func(v int64) string { return st.p.Wan(jiti.Amount(v)) }}
	for i := 1; i <= 12; i++ {
		c.XLabels = append(c.XLabels, st.p.T("web.month_short", i))
	}
	for _, key := range []string{report.KeyTotalIncome, report.KeyOperatingType} {
		idx := m.Layout.KeyIndex(key)
		if idx < 0 {
			continue
		}
		name := m.Layout.Lines[idx].Label
		if st.p.Lang() == "en" && m.Layout.Lines[idx].LabelEN != "" {
			name = m.Layout.Lines[idx].LabelEN
		}
		sr := chart.Series{Name: name}
		for mo := range m.Values {
			sr.Points = append(sr.Points, int64(m.Values[mo][idx]))
		}
		c.Series = append(c.Series, sr)
	}
	return c
}

func countWarnings(ws []register.Warning) []warningCount {
	var out []warningCount
	idx := map[string]int{}
	for _, w := range ws {
		k := string(w.Kind)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, warningCount{Kind: k})
		}
		out[i].Count++
	}
	return out
}

// weakShown is how many weak villages a dashboard shows, the weakest:
// a province has thousands, which made its dashboard 651 KB. The rest are
// a link away, on the paged list of weak villages.
const weakShown = 10

// weakest returns the n lowest of weak, which is sorted highest first,
// lowest first.
func weakest(weak []report.Ranked, n int) []report.Ranked {
	out := make([]report.Ranked, 0, min(n, len(weak)))
	for i := len(weak) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, weak[i])
	}
	return out
}

// rankedPage lists collectives with a figure: those behind a line of a
// region, those in a tier, or the weak villages; a page at a time, in the
// order asked for, each collective linking to its books and its figure to
// the vouchers behind it.
type rankedPage struct {
	Region jiti.Region
	Year   int
	Label  string
	Key    string // the line drilled into: the tier's and weak villages' is operating-type income
	Sum    report.Money
	Count  int           // collectives listed, on all pages
	Rows   template.HTML // this page's rows, rendered by rankedRows
	Heads  []rankedHead
	Page   int
	Pages  int
	Prev   string
	Next   string
}

// rankedHead is a sortable column's heading: a link that sorts by it,
// ascending first, or the other way when it is the order already.
type rankedHead struct {
	Label, Href string
	Right       bool
	Arrow       string // ↑ or ↓ on the column the list is sorted by
}

// rankedPerPage is how many collectives a page of a ranked list shows.
const rankedPerPage = 100

// rankedSorts are the orders a ranked list takes (?sort=), a leading "-"
// for descending: by the figure, by the year before's, or by code (which
// groups collectives by township).
var rankedSorts = map[string]func(a, b report.Ranked) int{
	"value": func(a, b report.Ranked) int { return cmp.Compare(a.Value, b.Value) },
	"prior": func(a, b report.Ranked) int { return cmp.Compare(a.Prior, b.Prior) },
	"code":  func(a, b report.Ranked) int { return cmp.Compare(a.Code, b.Code) },
}

// errRankedSort reports a ?sort= that is no column.
var errRankedSort = jiti.Errorf(jiti.Invalid, "web.bad_sort")

// lineCollectives lists the collectives behind one line of a region's
// figures, highest first.
func (s *Server) lineCollectives(w http.ResponseWriter, r *http.Request, st *state) {
	pg, roll, ok := s.rankedBase(w, r, st)
	if !ok {
		return
	}
	key := r.PathValue("key")
	l := roll.Line(key)
	if l == nil {
		s.fail(w, r, jiti.ErrNotFound.With("line", key))
		return
	}
	pg.Key, pg.Label, pg.Sum = key, lineLabel(st, *l), l.Sum
	s.ranked(w, r, st, pg, roll.Members(key), "-value")
}

// tierCollectives lists the collectives of one tier, highest first.
func (s *Server) tierCollectives(w http.ResponseWriter, r *http.Request, st *state) {
	pg, roll, ok := s.rankedBase(w, r, st)
	if !ok {
		return
	}
	tier, err := strconv.Atoi(r.PathValue("tier"))
	if err != nil || tier < 0 || tier >= len(roll.Tiers) {
		s.fail(w, r, jiti.ErrNotFound.With("tier", r.PathValue("tier")))
		return
	}
	pg.Key, pg.Label = report.KeyOperatingType, tierLabel(st, roll.Tiers[tier])
	var list []report.Ranked
	for _, c := range roll.All {
		if c.Tier == tier {
			list = append(list, c)
			pg.Sum += c.Value
		}
	}
	s.ranked(w, r, st, pg, list, "-value")
}

// weakCollectives lists a region's weak villages (薄弱村), weakest first:
// the whole list the dashboard shows the start of.
func (s *Server) weakCollectives(w http.ResponseWriter, r *http.Request, st *state) {
	pg, roll, ok := s.rankedBase(w, r, st)
	if !ok {
		return
	}
	pg.Key, pg.Label = report.KeyOperatingType, st.p.T("web.weak")
	for _, c := range roll.Weak {
		pg.Sum += c.Value
	}
	s.ranked(w, r, st, pg, roll.Weak, "value")
}

// ranked shows a page of list in the order ?sort= asks (def by default),
// ties in code order.
func (s *Server) ranked(w http.ResponseWriter, r *http.Request, st *state, pg *rankedPage, list []report.Ranked, def string) {
	q := r.URL.Query()
	order := q.Get("sort")
	if order == "" {
		order = def
	}
	by, ok := rankedSorts[strings.TrimPrefix(order, "-")]
	if !ok {
		s.fail(w, r, errRankedSort.With(order).At("sort"))
		return
	}
	desc := strings.HasPrefix(order, "-")
	// The roll-up's lists are shared between requests: sort a copy.
	list = slices.Clone(list)
	slices.SortFunc(list, func(a, b report.Ranked) int {
		c := by(a, b)
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	pg.Count = len(list)
	pg.Pages = max(1, (len(list)+rankedPerPage-1)/rankedPerPage)
	pg.Page = 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		pg.Page = min(n, pg.Pages)
	}
	link := func(sort string, page int) string {
		v := url.Values{"year": {strconv.Itoa(pg.Year)}}
		if sort != def {
			v.Set("sort", sort)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return "?" + v.Encode()
	}
	if pg.Page > 1 {
		pg.Prev = link(order, pg.Page-1)
	}
	if pg.Page < pg.Pages {
		pg.Next = link(order, pg.Page+1)
	}
	for _, h := range []struct {
		key, label string
		right      bool
	}{{"code", st.p.T("web.collective"), false}, {"value", st.p.T("web.value"), true}, {"prior", st.p.T("web.prior"), true}} {
		head := rankedHead{Label: h.label, Right: h.right, Href: link(h.key, 1)}
		switch order {
		case h.key:
			head.Arrow, head.Href = "↑", link("-"+h.key, 1)
		case "-" + h.key:
			head.Arrow = "↓"
		}
		pg.Heads = append(pg.Heads, head)
	}
	start := (pg.Page - 1) * rankedPerPage
	pg.Rows = rankedRows(pg, list[start:min(start+rankedPerPage, len(list))], start)
	crumbs, err := s.crumbs(r.Context(), st.view, pg.Region.Code, pg.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "ranked", &page{Title: pg.Label, Crumbs: crumbs, Data: pg})
}

// rankedRows are a page of a ranked list's rows: its rank, the collective
// linking to its books, its figure linking to the vouchers behind it, and
// the year before's (none for a collective new in the year).
func rankedRows(pg *rankedPage, list []report.Ranked, start int) template.HTML {
	rows := make([][]hcell, 0, len(list))
	for i, c := range list {
		prior := ""
		if !c.New {
			prior = jiti.Amount(c.Prior).Grouped()
		}
		rows = append(rows, []hcell{{Text: strconv.Itoa(start + i + 1), Right: true},
			{Text: c.Name, Href: fmt.Sprintf("/c/%d", c.ID), Then: &hcell{Text: c.Code, Muted: true}},
			{Text: jiti.Amount(c.Value).Grouped(), Href: fmt.Sprintf("/c/%d/figure/%s?year=%d", c.ID, pg.Key, pg.Year), Right: true},
			{Text: prior, Right: true}})
	}
	return rowsHTML(rows)
}

func (s *Server) rankedBase(w http.ResponseWriter, r *http.Request, st *state) (*rankedPage, *report.Rollup, bool) {
	ctx := r.Context()
	code := r.PathValue("code")
	reg, err := st.view.Region(ctx, code)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	years, err := st.view.StatYears(ctx, code)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	year, err := s.yearOf(r, years)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	roll, err := st.view.Stats(ctx, code, year)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return &rankedPage{Region: reg, Year: year}, roll, true
}

// childRows are the child regions' rows: name, collectives, the headline
// sums and the growth of operating-type income.
func childRows(st *state, pg *dashboardPage) template.HTML {
	rows := make([][]hcell, 0, len(pg.Children))
	for _, c := range pg.Children {
		row := []hcell{{Text: c.Name, Href: c.Href}, {Text: strconv.Itoa(c.Collectives), Right: true}}
		for _, sum := range c.Sums {
			row = append(row, hcell{Text: sum, Right: true})
		}
		growth := "—"
		if c.Growth != nil && c.Growth.Growth {
			growth = signedPct(c.Growth.ChangePct)
		}
		rows = append(rows, append(row, hcell{Text: growth, Right: true}))
	}
	return rowsHTML(rows)
}

// weakRows lists the weak villages, each linking to the vouchers behind
// its operating-type income.
func weakRows(st *state, pg *dashboardPage) template.HTML {
	rows := make([][]hcell, 0, len(pg.Weak))
	for _, c := range pg.Weak {
		rows = append(rows, []hcell{{Text: c.Name, Href: fmt.Sprintf("/c/%d/figure/%s?year=%d", c.ID, report.KeyOperatingType, pg.Year)},
			{Text: st.p.Wan(jiti.Amount(c.Value)), Right: true}})
	}
	return rowsHTML(rows)
}

// signedPct is a growth in basis points with its sign: "+2.50%".
func signedPct(bp int64) string {
	if bp > 0 {
		return "+" + pct(bp)
	}
	return pct(bp)
}
