package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The warnings of the registers (预警) for a collective or a region.

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
