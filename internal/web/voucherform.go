package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/locale"
)

// The voucher form: a draft's date, attachments, note and lines. It works
// without JavaScript (the "add a line" button posts the form back with a
// blank line more); app.js adds and removes lines in place, keeps the
// totals as the user types, and turns the account field into a picker
// that finds accounts by code, name or pinyin initials.

// formLines is how many lines a new voucher's form starts with.
const formLines = 4

// formLine is a line as typed: kept as text so a wrong entry comes back
// exactly as the user typed it, beside its error.
type formLine struct {
	Summary, Account, Debit, Credit string
	Errors                          map[string]string // by field: summary, account, debit, credit
}

func (l formLine) blank() bool {
	return strings.TrimSpace(l.Summary+l.Account+l.Debit+l.Credit) == ""
}

// pickAccount is a leaf account as the picker offers it.
type pickAccount struct {
	Code, Name, Initials string
}

type voucherFormPage struct {
	C           *jiti.Collective
	ID          int64 // the draft being edited; 0 for a new voucher
	Date        string
	Attachments string
	Note        string
	Lines       []formLine
	Errors      map[string]string // date, attachments, note, lines, and "" for the rest
	Accounts    []pickAccount
	Debit       string // totals of what parsed, for the no-script page
	Credit      string
	Balanced    bool
}

// accountsFor lists the collective's active leaf accounts for the picker.
// A detail account is named with its parents (银行存款—农商银行基本户) and
// found by the initials of either its own name or the whole (yhck finds
// the bank accounts under 银行存款, nsyh the one at 农商银行), as
// accountants type the 助记码 of the first-level account they mean.
func accountsFor(accounts []ledger.Account) []pickAccount {
	names := make(map[string]ledger.Account, len(accounts))
	for _, a := range accounts {
		names[a.Code] = a
	}
	out := make([]pickAccount, 0, len(accounts))
	for _, a := range accounts {
		if !a.Leaf || !a.Active {
			continue
		}
		full := a.Name
		var initials []string
		for p := a.Parent; p != ""; p = names[p].Parent {
			parent, ok := names[p]
			if !ok {
				break
			}
			full = parent.Name + "—" + full
			initials = append(initials, locale.Initials(parent.Name)...)
		}
		initials = append(locale.Initials(a.Name), append(initials, locale.Initials(full)...)...)
		out = append(out, pickAccount{Code: a.Code, Name: full, Initials: strings.Join(initials, " ")})
	}
	return out
}

// newVoucherForm shows an empty form dated today, or the last day of the
// latest open month if today's month is closed or the books end before it.
func (s *Server) newVoucherForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	pg := &voucherFormPage{C: c, Date: jiti.DateOf(s.Now()).String(), Attachments: "1", Errors: map[string]string{}}
	for range formLines {
		pg.Lines = append(pg.Lines, formLine{})
	}
	s.renderVoucherForm(w, r, st, http.StatusOK, pg)
}

// editVoucherForm shows a draft's form.
func (s *Server) editVoucherForm(w http.ResponseWriter, r *http.Request, st *state) {
	vp, ok := s.voucherOf(w, r, st)
	if !ok {
		return
	}
	v := vp.V
	if !s.mayKeepBooks(w, r, st) {
		return
	}
	if v.Status != ledger.Draft {
		s.fail(w, r, ledger.ErrNotDraft.With(v.Ref()))
		return
	}
	pg := &voucherFormPage{C: vp.C, ID: v.ID, Date: v.Date.String(), Attachments: strconv.Itoa(v.Attachments), Note: v.Note,
		Errors: map[string]string{}}
	for _, l := range v.Lines {
		fl := formLine{Summary: l.Summary, Account: l.Account}
		if l.Debit != 0 {
			fl.Debit = l.Debit.String()
		}
		if l.Credit != 0 {
			fl.Credit = l.Credit.String()
		}
		pg.Lines = append(pg.Lines, fl)
	}
	s.renderVoucherForm(w, r, st, http.StatusOK, pg)
}

func (s *Server) renderVoucherForm(w http.ResponseWriter, r *http.Request, st *state, code int, pg *voucherFormPage) {
	accounts, err := st.view.Accounts(r.Context(), pg.C.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Accounts = accountsFor(accounts)
	var dr, cr jiti.Amount
	for _, l := range pg.Lines {
		if a, err := jiti.ParseAmount(l.Debit); err == nil {
			dr += a
		}
		if a, err := jiti.ParseAmount(l.Credit); err == nil {
			cr += a
		}
	}
	pg.Debit, pg.Credit, pg.Balanced = dr.Grouped(), cr.Grouped(), dr == cr && dr != 0
	crumbs, err := s.collectiveCrumbs(r, st, pg.C)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: st.p.T("web.vouchers"), Href: fmt.Sprintf("/c/%d/vouchers", pg.C.ID)})
	title := st.p.T("web.voucher_new")
	if pg.ID != 0 {
		title = st.p.T("web.voucher_edit")
	}
	s.render(w, r, code, "voucher_form", &page{Title: title, Crumbs: crumbs, Data: pg})
}

// lineField reads form keys such as line_summary_3.
var lineField = regexp.MustCompile(`^line_(summary|account|debit|credit)_(\d{1,3})$`)

// parseVoucherForm reads the form into the page (as typed) and a voucher
// (what parsed). Amounts that do not parse are errors of their field; the
// store then validates the rest. rows maps the voucher's lines to the
// form's: blank lines are left out of the voucher, not of the form.
func parseVoucherForm(r *http.Request, st *state, pg *voucherFormPage) (v *ledger.Voucher, rows []int) {
	if err := r.ParseForm(); err != nil {
		pg.Errors[""] = st.p.Error(err)
	}
	f := r.PostForm
	pg.Date, pg.Attachments, pg.Note = strings.TrimSpace(f.Get("date")), strings.TrimSpace(f.Get("attachments")), f.Get("note")
	byRow := map[int]*formLine{}
	maxRow := 0
	for key, vals := range f {
		m := lineField.FindStringSubmatch(key)
		if m == nil || len(vals) == 0 {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		if n < 1 || n > ledger.MaxLines {
			continue
		}
		l := byRow[n]
		if l == nil {
			l = &formLine{Errors: map[string]string{}}
			byRow[n] = l
		}
		val := strings.TrimSpace(vals[0])
		switch m[1] {
		case "summary":
			l.Summary = val
		case "account":
			l.Account = accountCode(val)
		case "debit":
			l.Debit = val
		case "credit":
			l.Credit = val
		}
		maxRow = max(maxRow, n)
	}
	v = &ledger.Voucher{CollectiveID: pg.C.ID, Note: strings.TrimSpace(pg.Note)}
	if d, err := jiti.ParseDate(pg.Date); err != nil {
		pg.Errors["date"] = st.p.Error(err)
	} else {
		v.Date = d
	}
	if pg.Attachments != "" {
		n, err := strconv.Atoi(pg.Attachments)
		if err != nil {
			pg.Errors["attachments"] = st.p.Error(ledger.ErrAttachments.With(pg.Attachments, ledger.MaxAttachments))
		} else {
			v.Attachments = n
		}
	}
	for n := 1; n <= maxRow; n++ {
		l := byRow[n]
		if l == nil {
			continue // a line removed in the browser
		}
		pg.Lines = append(pg.Lines, *l)
		if l.blank() {
			continue
		}
		line := ledger.Line{Summary: l.Summary, Account: l.Account}
		for _, amt := range []struct {
			name, text string
			into       *jiti.Amount
		}{{"debit", l.Debit, &line.Debit}, {"credit", l.Credit, &line.Credit}} {
			if amt.text == "" {
				continue
			}
			a, err := jiti.ParseAmount(amt.text)
			if err != nil {
				l.Errors[amt.name] = st.p.Error(err)
				continue
			}
			*amt.into = a
		}
		v.Lines = append(v.Lines, line)
		rows = append(rows, len(pg.Lines)-1)
	}
	return v, rows
}

// accountCode takes the code from what the picker or the user put in the
// field: "10201 农商银行基本户" or "10201".
func accountCode(s string) string {
	code, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	return code
}

// lineError matches the store's field paths of a line: lines[2].debit.
var lineError = regexp.MustCompile(`^lines\[(\d+)\](?:\.(\w+))?$`)

// placeErrors files the store's errors beside their fields, translating a
// voucher line's position to its row in the form.
func placeErrors(st *state, err error, pg *voucherFormPage, rows []int) {
	all := map[string]string{}
	fieldErrors(st.p, err, all)
	for field, msg := range all {
		m := lineError.FindStringSubmatch(field)
		if m == nil {
			pg.Errors[field] = joinMsg(pg.Errors[field], msg)
			continue
		}
		i, _ := strconv.Atoi(m[1])
		if i < 1 || i > len(rows) {
			pg.Errors["lines"] = joinMsg(pg.Errors["lines"], msg)
			continue
		}
		l := &pg.Lines[rows[i-1]]
		name := m[2]
		if name == "" {
			name = "summary"
		}
		l.Errors[name] = joinMsg(l.Errors[name], msg)
	}
}

func joinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// hasErrors reports whether parsing found errors of its own.
func (pg *voucherFormPage) hasErrors() bool {
	if len(pg.Errors) > 0 {
		return true
	}
	for _, l := range pg.Lines {
		if len(l.Errors) > 0 {
			return true
		}
	}
	return false
}

// saveVoucher creates a draft (or replaces the edited draft's content) from
// the form; on any error the form comes back with the entries kept and
// each error beside its field.
func (s *Server) saveVoucher(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	pg := &voucherFormPage{C: c, Errors: map[string]string{}}
	if vid := r.PathValue("vid"); vid != "" {
		vp, ok := s.voucherOf(w, r, st)
		if !ok {
			return
		}
		pg.ID = vp.V.ID
	}
	v, rows := parseVoucherForm(r, st, pg)
	if r.PostForm.Has("add_line") {
		pg.Lines = append(pg.Lines, formLine{})
		s.renderVoucherForm(w, r, st, http.StatusOK, pg)
		return
	}
	if pg.hasErrors() {
		s.renderVoucherForm(w, r, st, http.StatusUnprocessableEntity, pg)
		return
	}
	var saved *ledger.Voucher
	var err error
	if pg.ID == 0 {
		saved, err = s.DB.CreateVoucher(r.Context(), st.view.User().ID, v)
	} else {
		saved, err = s.DB.UpdateVoucher(r.Context(), st.view.User().ID, pg.ID, v)
	}
	if err != nil {
		if !isUserError(err) || statusOf(err) == http.StatusNotFound || statusOf(err) == http.StatusForbidden {
			s.fail(w, r, err)
			return
		}
		placeErrors(st, err, pg, rows)
		s.renderVoucherForm(w, r, st, statusOf(err), pg)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/vouchers/%d?done=save", c.ID, saved.ID), http.StatusSeeOther)
}

// closePeriod closes a month of a collective's books, or, for December
// with year=1, the year (年终结账) after its months.
func (s *Server) closePeriod(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	p, err := jiti.ParsePeriod(r.PathValue("period"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	by := st.view.User().ID
	switch r.PathValue("act") {
	case "close":
		err = s.DB.ClosePeriod(r.Context(), by, c.ID, p)
	case "reopen":
		err = s.DB.ReopenPeriod(r.Context(), by, c.ID, p, strings.TrimSpace(r.PostFormValue("reason")))
	case "close-year":
		_, err = s.DB.CloseYear(r.Context(), by, c.ID, p.Year())
	default:
		err = jiti.ErrNotFound.With("action", r.PathValue("act"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d?done=%s", c.ID, r.PathValue("act")), http.StatusSeeOther)
}
