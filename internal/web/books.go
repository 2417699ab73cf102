package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// pageSize is the number of vouchers on a page of the list.
const pageSize = 50

// collectiveOf reads the {id} of the path as a collective in scope.
func (s *Server) collectiveOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("collective", r.PathValue("id")))
		return nil, false
	}
	c, err := st.view.Collective(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return c, true
}

// collectiveCrumbs are the breadcrumbs down to a collective's own page:
// its regions (each at its latest year, since a collective's pages are not
// of one year), then the collective.
func (s *Server) collectiveCrumbs(r *http.Request, st *state, c *jiti.Collective) ([]crumb, error) {
	crumbs, err := s.crumbs(r.Context(), st.view, c.RegionCode, 0)
	if err != nil {
		return nil, err
	}
	return append(crumbs, crumb{Label: c.Name, Href: fmt.Sprintf("/c/%d", c.ID)}), nil
}

type collectivePage struct {
	C       *jiti.Collective
	Periods []store.PeriodInfo
	Message string
}

// collective is a collective's home: its months and what can be done.
func (s *Server) collective(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	ps, err := st.view.Periods(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := &collectivePage{C: c, Periods: ps}
	pg.Message = doneMessage(r, st)
	s.render(w, r, http.StatusOK, "collective", &page{Title: c.Name, Crumbs: crumbs, Data: pg})
}

// voucherFilter is the list's filter as the form has it, kept to re-fill
// the form and to build the pages' links.
type voucherFilter struct {
	From, To, Status, Account, Text string
	Page                            int
}

func (f voucherFilter) query(page int) string {
	q := url.Values{}
	for k, v := range map[string]string{"from": f.From, "to": f.To, "status": f.Status, "account": f.Account, "q": f.Text} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

type vouchersPage struct {
	C          *jiti.Collective
	Filter     voucherFilter
	Errors     map[string]string
	Rows       template.HTML // the page's vouchers, rendered by rowsHTML
	Count      int           // how many on this page
	Total      int
	Pages      int
	Prev, Next string
	Statuses   []ledger.Status
}

// parseVoucherFilter reads the list's filter; each bad field gets its own
// error and is left out of the filter, so the list still shows.
func parseVoucherFilter(r *http.Request, cid int64, errs map[string]string, st *state) (store.VoucherFilter, voucherFilter) {
	q := r.URL.Query()
	vf := voucherFilter{From: q.Get("from"), To: q.Get("to"), Status: q.Get("status"), Account: q.Get("account"), Text: q.Get("q"), Page: 1}
	f := store.VoucherFilter{CollectiveID: cid, Account: vf.Account, Text: vf.Text, Limit: pageSize}
	for _, p := range []struct {
		name string
		in   string
		out  *jiti.Period
	}{{"from", vf.From, &f.From}, {"to", vf.To, &f.To}} {
		if p.in == "" {
			continue
		}
		m, err := jiti.ParsePeriod(p.in)
		if err != nil {
			errs[p.name] = st.p.Error(err)
			continue
		}
		*p.out = m
	}
	switch s := ledger.Status(vf.Status); s {
	case "", ledger.Draft, ledger.Approved, ledger.Posted:
		f.Status = s
	default:
		errs["status"] = st.p.Error(jiti.ErrNotFound.With("status", vf.Status))
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		vf.Page = n
	}
	f.Offset = (vf.Page - 1) * pageSize
	return f, vf
}

// vouchers lists a collective's vouchers, filtered and paginated.
func (s *Server) vouchers(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	pg := &vouchersPage{C: c, Errors: map[string]string{}, Statuses: []ledger.Status{ledger.Draft, ledger.Approved, ledger.Posted}}
	f, vf := parseVoucherFilter(r, c.ID, pg.Errors, st)
	pg.Filter = vf
	vs, total, err := st.view.VoucherHeads(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Total, pg.Count = total, len(vs)
	rows := make([][]hcell, 0, len(vs))
	for _, h := range vs {
		rows = append(rows, voucherCells(st, c.ID, h))
	}
	pg.Rows = rowsHTML(rows)
	pg.Pages = (total + pageSize - 1) / pageSize
	if vf.Page > 1 {
		pg.Prev = vf.query(vf.Page - 1)
		if pg.Prev == "" {
			pg.Prev = "?"
		}
	}
	if vf.Page < pg.Pages {
		pg.Next = vf.query(vf.Page + 1)
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := http.StatusOK
	if len(pg.Errors) > 0 {
		code = http.StatusUnprocessableEntity
	}
	s.render(w, r, code, "vouchers", &page{Title: st.p.T("web.vouchers"), Crumbs: crumbs, Data: pg})
}

// voucherCells is a voucher as the list shows it: its number linking to
// it, date, first summary, amount and status, and for a possible duplicate
// a badge linking to the voucher it repeats.
func voucherCells(st *state, cid int64, h store.VoucherHead) []hcell {
	status := hcell{Text: st.p.T("voucher.status." + string(h.Status)), Badge: string(h.Status)}
	if h.Repeats.ID != 0 {
		status.Then = &hcell{Text: st.p.T("web.repeats", h.Repeats), Badge: "repeats",
			Href: fmt.Sprintf("/c/%d/vouchers/%d", cid, h.Repeats.ID)}
	}
	return []hcell{{Text: st.p.Voucher(h.Ref()), Href: fmt.Sprintf("/c/%d/vouchers/%d", cid, h.ID)}, {Text: st.p.Date(h.Date)},
		{Text: h.Summary}, {Text: h.Amount.Grouped(), Right: true}, status}
}

type voucherPage struct {
	C         *jiti.Collective
	V         *ledger.Voucher
	Accounts  map[string]string // code → name, for the lines
	Users     map[jiti.UserID]string
	Debit     jiti.Amount
	Credit    jiti.Amount
	Can       struct{ Approve, Unapprove, Post, Reverse, Delete bool }
	Message   string
	Documents docsPanel
	// The vouchers this one reverses and is reversed by, by their numbers.
	Reverses, ReversedBy string
}

// voucherOf reads the path's collective and voucher; a voucher of another
// collective is not found, so ids cannot be walked across collectives.
func (s *Server) voucherOf(w http.ResponseWriter, r *http.Request, st *state) (*voucherPage, bool) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("voucher", r.PathValue("vid")))
		return nil, false
	}
	v, err := st.view.Voucher(r.Context(), id)
	if err == nil && v.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("voucher", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	pg := &voucherPage{C: c, V: v, Accounts: map[string]string{}, Users: map[jiti.UserID]string{}}
	for _, l := range []struct {
		id  int64
		out *string
	}{{v.ReversesID, &pg.Reverses}, {v.ReversedByID, &pg.ReversedBy}} {
		if l.id == 0 {
			continue
		}
		other, err := st.view.Voucher(r.Context(), l.id)
		if err != nil {
			s.fail(w, r, err)
			return nil, false
		}
		*l.out = st.p.Voucher(other.Ref())
	}
	accounts, err := st.view.Accounts(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	for _, a := range accounts {
		pg.Accounts[a.Code] = a.Name
	}
	for _, l := range v.Lines {
		pg.Debit += l.Debit
		pg.Credit += l.Credit
	}
	for _, id := range []jiti.UserID{v.MakerID, v.ApproverID, v.PosterID} {
		if id == 0 || pg.Users[id] != "" {
			continue
		}
		if u, err := s.DB.FindUser(r.Context(), id); err == nil {
			pg.Users[id] = u.DisplayName
			if pg.Users[id] == "" {
				pg.Users[id] = u.Name
			}
		}
	}
	me := st.view.User().ID
	keep, approve := st.view.Can(store.PermKeepBooks), st.view.Can(store.PermApprove)
	pg.Documents = docsPanel{CID: c.ID, Deletable: keep && v.Status != ledger.Posted} // a posted voucher's stay
	if pg.Documents.Docs, err = st.view.Documents(r.Context(), v.ID, 0); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if keep {
		pg.Documents.Upload = fmt.Sprintf("/c/%d/vouchers/%d/documents", c.ID, v.ID)
	}
	switch v.Status {
	case ledger.Draft:
		pg.Can.Approve = approve && v.MakerID != me
		pg.Can.Delete = keep
	case ledger.Approved:
		pg.Can.Unapprove = approve
		pg.Can.Post = keep
	case ledger.Posted:
		pg.Can.Reverse = keep && v.ReversedByID == 0 && v.ReversesID == 0
	}
	return pg, true
}

func (s *Server) voucher(w http.ResponseWriter, r *http.Request, st *state) {
	pg, ok := s.voucherOf(w, r, st)
	if !ok {
		return
	}
	pg.Message = doneMessage(r, st)
	crumbs, err := s.collectiveCrumbs(r, st, pg.C)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: st.p.T("web.vouchers"), Href: fmt.Sprintf("/c/%d/vouchers", pg.C.ID)})
	s.render(w, r, http.StatusOK, "voucher", &page{Title: st.p.Voucher(pg.V.Ref()), Crumbs: crumbs, Data: pg})
}

// voucherPrintPage is a voucher's print view: the voucher, and the paper
// it is laid out for with the control that changes it.
type voucherPrintPage struct {
	*voucherPage
	Paper      paper
	Papers     []paperOption
	PaperError string
}

// voucherPrint is the 记账凭证 as printed and filed: lines, totals in
// Chinese capitals, and who made, approved and posted it, laid out for the
// paper chosen on the page (?paper=, remembered).
func (s *Server) voucherPrint(w http.ResponseWriter, r *http.Request, st *state) {
	vp, ok := s.voucherOf(w, r, st)
	if !ok {
		return
	}
	pg := &voucherPrintPage{voucherPage: vp}
	code := http.StatusOK
	var err error
	if pg.Paper, err = s.paperOf(w, r); err != nil {
		pg.PaperError, code = st.p.Error(err), http.StatusUnprocessableEntity
	}
	for _, p := range papers {
		pg.Papers = append(pg.Papers, paperOption{Value: p, Label: st.p.T("web.paper." + string(p)), Selected: p == pg.Paper})
	}
	s.render(w, r, code, "voucher_print", &page{Title: st.p.Voucher(vp.V.Ref()), Data: pg, Printed: true})
}

// voucherAct approves, unapproves, posts, reverses or deletes a voucher.
// The store decides whether the user may; the page only offers what the
// role allows.
func (s *Server) voucherAct(w http.ResponseWriter, r *http.Request, st *state) {
	pg, ok := s.voucherOf(w, r, st)
	if !ok {
		return
	}
	ctx, db, me, id := r.Context(), s.DB, st.view.User().ID, pg.V.ID
	act := r.PathValue("act")
	var err error
	target := id
	switch act {
	case "approve":
		err = db.ApproveVoucher(ctx, me, id)
	case "unapprove":
		err = db.UnapproveVoucher(ctx, me, id)
	case "post":
		_, err = db.PostVoucher(ctx, me, id)
	case "reverse":
		var rev *ledger.Voucher
		if rev, err = db.ReverseVoucher(ctx, me, id, jiti.DateOf(s.Now())); err == nil {
			target = rev.ID
		}
	case "delete":
		if err = db.DeleteVoucher(ctx, me, id); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/vouchers", pg.C.ID), http.StatusSeeOther)
			return
		}
	default:
		s.fail(w, r, jiti.ErrNotFound.With("action", act))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/vouchers/%d?done=%s", pg.C.ID, target, act), http.StatusSeeOther)
}

type trialBalancePage struct {
	C        *jiti.Collective
	From, To string
	Error    string
	Table    *report.Table
}

// trialBalance is a collective's 科目余额表 for a range of months, by
// default the year to date of the latest month with books.
func (s *Server) trialBalance(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	pg := &trialBalancePage{C: c, From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	to, err := s.latestPeriod(r, st, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	from := jiti.NewPeriod(to.Year(), 1)
	code := http.StatusOK
	for _, p := range []struct {
		in  string
		out *jiti.Period
	}{{pg.From, &from}, {pg.To, &to}} {
		if p.in == "" {
			continue
		}
		m, err := jiti.ParsePeriod(p.in)
		if err != nil {
			pg.Error, code = st.p.Error(err), http.StatusUnprocessableEntity
			continue
		}
		*p.out = m
	}
	pg.From, pg.To = from.String(), to.String()
	tb, err := st.view.TrialBalance(r.Context(), c.ID, from, to, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Table = report.TrialBalanceTable(tb, func(k string) string { return st.p.T(k) })
	if wantsXLSX(r) && code == http.StatusOK {
		s.sendXLSX(w, r, st, c, pg.Table, "trial-balance", pg.From+"-"+pg.To)
		return
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, code, "trial_balance", &page{Title: st.p.T("web.trial_balance"), Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

type figurePage struct {
	C     *jiti.Collective
	Drill *report.StatDrill
	Label string
}

// figureVouchers lists the vouchers behind one of a collective's figures.
func (s *Server) figureVouchers(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	years, err := s.latestYears(r, st, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	year, err := s.yearOf(r, years)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := st.view.StatVouchers(r.Context(), c.ID, year, r.PathValue("key"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := &figurePage{C: c, Drill: d, Label: d.Label}
	if st.p.Lang() == "en" && d.LabelEN != "" {
		pg.Label = d.LabelEN
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "figure", &page{Title: pg.Label, Crumbs: crumbs, Data: pg})
}
