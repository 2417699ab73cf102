package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The members' shares in the JSON API: a collective's share register (its
// types, and its holdings paged) and its log of changes (paged), a new
// share type and a change of holdings; its certificates (paged), issued
// and reissued, and one certificate with its ETag; and a year's income
// distribution, with its ETag, drafted, adopted and paid. The rules are
// the store's; the API reads its values in their one form only.

func init() {
	apiTable = append(apiTable,
		APIRoute{Method: "GET", Path: "/collectives/{id}/shares", Query: []string{"limit", "offset"}, Status: 200, h: (*Server).apiShares},
		APIRoute{Method: "POST", Path: "/collectives/{id}/share-types", Body: BodyRequired, Status: 201, h: (*Server).apiCreateShareType},
		APIRoute{Method: "GET", Path: "/collectives/{id}/share-changes", Query: []string{"limit", "offset"}, Status: 200, h: (*Server).apiShareChanges},
		APIRoute{Method: "POST", Path: "/collectives/{id}/share-changes", Body: BodyRequired, Status: 201, h: (*Server).apiChangeShares},
		APIRoute{Method: "GET", Path: "/collectives/{id}/certificates", Query: []string{"limit", "offset"}, Status: 200, h: (*Server).apiCertificates},
		APIRoute{Method: "POST", Path: "/collectives/{id}/certificates", Body: BodyRequired, Status: 201, h: (*Server).apiIssueCertificates},
		APIRoute{Method: "GET", Path: "/certificates/{number}", Status: 200, h: (*Server).apiCertificate},
		APIRoute{Method: "POST", Path: "/certificates/{number}/reissue", Body: BodyRequired, Status: 201, h: (*Server).apiReissueCertificate},
		APIRoute{Method: "GET", Path: "/collectives/{id}/distributions/{year}", Status: 200, h: (*Server).apiDistribution},
		APIRoute{Method: "POST", Path: "/collectives/{id}/distributions/{year}/draft", Body: BodyOptional, Status: 200, h: (*Server).apiDraftDistribution},
		APIRoute{Method: "POST", Path: "/collectives/{id}/distributions/{year}/adopt", Body: BodyRequired, Status: 200, h: (*Server).apiAdoptDistribution},
		APIRoute{Method: "POST", Path: "/collectives/{id}/distributions/{year}/pay", Body: BodyRequired, Status: 200, h: (*Server).apiPayDistribution},
	)
}

// The forms of the API's share values, as the OpenAPI document states them.
const (
	SharesPattern  = `^(0|[1-9][0-9]{0,7})(\.[0-9]{1,2})?$`
	HolderPattern  = `^(member:[^\s:]+|household:[^\s:]+|collective)$`
	PercentPattern = `^(0|[1-9][0-9]{0,2})(\.[0-9]{1,2})?$`
)

var (
	sharesRe  = regexp.MustCompile(SharesPattern)
	holderRe  = regexp.MustCompile(HolderPattern)
	percentRe = regexp.MustCompile(PercentPattern)
)

// Lengths of the API's texts, as the document states them.
const (
	apiMaxCode   = 40
	apiMaxName   = 100
	apiMaxNote   = 200
	apiMaxReason = 200
)

// apiShares reads shares: "12.5", at most two decimals.
func apiShares(s, field string) (register.Shares, error) {
	if !sharesRe.MatchString(s) {
		return 0, register.ErrSharesSyntax.With(s).At(field)
	}
	q, err := register.ParseShares(s)
	return q, atField(err, field)
}

// apiHolder reads a holder: "member:M001", "household:H001", "collective";
// nil is none.
func apiHolder(s *string, field string) (register.Holder, error) {
	if s == nil {
		return register.Holder{}, nil
	}
	if !holderRe.MatchString(*s) {
		return register.Holder{}, register.ErrShareHolder.With(*s).At(field)
	}
	return register.ParseHolder(*s, field)
}

// apiText checks a text's length in characters.
func apiText(s string, max int, field string) error {
	if utf8.RuneCountInString(s) > max {
		return jiti.ErrTooLong.With(max).At(field)
	}
	return nil
}

func (s *Server) apiShares(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	reg, err := st.view.ShareRegister(r.Context(), c.ID)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, nonNil(reg.Holdings))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "types": nonNil(reg.Types), "holdings": list.items})
	return nil
}

func (s *Server) apiShareChanges(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	reg, err := st.view.ShareRegister(r.Context(), c.ID)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, apiShareEntries(reg.Changes))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "changes": list.items})
	return nil
}

func (s *Server) apiCreateShareType(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	var in struct {
		Code         string  `json:"code"`
		Name         string  `json:"name"`
		Kind         string  `json:"kind"`
		Management   *string `json:"management"`
		Rule         *string `json:"rule"`
		Total        *string `json:"total"`
		QuantifiedOn string  `json:"quantified_on"`
		Decision     string  `json:"decision"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	typ := store.ShareTypeInput{Decision: in.Decision, Type: register.ShareType{Code: in.Code, Name: in.Name, Management: register.Static}}
	var errs jiti.Errors
	add := func(err error) {
		if e := jiti.AsError(err); e != nil {
			errs = append(errs, e)
		}
	}
	if typ.Type.Kind, err = oneOfValue("kind", register.ShareKind(in.Kind), register.ShareKinds); err != nil {
		add(err)
	}
	if in.Management != nil {
		if typ.Type.Management, err = oneOfValue("management", register.Management(*in.Management), managements); err != nil {
			add(err)
		}
	}
	if in.Rule != nil {
		if err := apiText(*in.Rule, apiMaxCode, "rule"); err != nil {
			add(err)
		} else if typ.Rule, err = register.ParseShareRule(*in.Rule); err != nil {
			add(err)
		}
	}
	if in.Total != nil {
		if typ.Type.Total, err = apiShares(*in.Total, "total"); err != nil {
			add(err)
		}
	}
	if typ.Type.QuantifiedOn, err = apiDate(in.QuantifiedOn, "quantified_on"); err != nil {
		add(err)
	}
	if in.Decision == "" {
		add(jiti.ErrRequired.At("decision"))
	}
	add(apiText(in.Decision, apiMaxCode, "decision"))
	if err := joinErrors(errs); err != nil {
		return err
	}
	if err := s.DB.CreateShareType(r.Context(), st.view.User().ID, c.ID, typ); err != nil {
		return shareTypeAPIError(err)
	}
	reg, err := st.view.ShareRegister(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for _, t := range reg.Types {
		if t.Code == typ.Type.Code {
			writeJSON(w, http.StatusCreated, t)
			return nil
		}
	}
	return fmt.Errorf("share type %s not found after its creation", typ.Type.Code)
}

// shareTypeAPIError names the body's field of a share type's error: the
// store's "date" is the body's quantified_on.
func shareTypeAPIError(err error) error {
	if e := jiti.AsError(err); e != nil && e.Field == "date" {
		moved := *e
		moved.Field = "quantified_on"
		return &moved
	}
	return err
}

func (s *Server) apiChangeShares(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	var in struct {
		Kind     string          `json:"kind"`
		Type     string          `json:"type"`
		From     *string         `json:"from"`
		To       *string         `json:"to"`
		Qty      string          `json:"qty"`
		Price    json.RawMessage `json:"price"`
		Date     string          `json:"date"`
		Decision *string         `json:"decision"`
		Note     *string         `json:"note"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	ch := store.ShareChangeInput{Change: register.ShareChange{Type: in.Type}}
	var errs jiti.Errors
	add := func(err error) {
		if e := jiti.AsError(err); e != nil {
			errs = append(errs, e)
		}
	}
	if ch.Change.Kind, err = oneOfValue("kind", register.ShareChangeKind(in.Kind), register.ShareChangeKinds); err != nil {
		add(err)
	}
	if in.Type == "" {
		add(jiti.ErrRequired.At("type"))
	}
	add(apiText(in.Type, apiMaxCode, "type"))
	if ch.Change.From, err = apiHolder(in.From, "from"); err != nil {
		add(err)
	}
	if ch.Change.To, err = apiHolder(in.To, "to"); err != nil {
		add(err)
	}
	if ch.Change.Qty, err = apiShares(in.Qty, "qty"); err != nil {
		add(err)
	}
	if ch.Change.Price, err = parseMoney(in.Price, "price"); err != nil {
		add(err)
	}
	if ch.Change.On, err = apiDate(in.Date, "date"); err != nil {
		add(err)
	}
	if in.Decision != nil {
		ch.Decision = *in.Decision
		add(apiText(ch.Decision, apiMaxCode, "decision"))
	}
	if in.Note != nil {
		ch.Note = *in.Note
		add(apiText(ch.Note, apiMaxNote, "note"))
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	if err := s.DB.ChangeShares(r.Context(), st.view.User().ID, c.ID, []store.ShareChangeInput{ch}); err != nil {
		return jiti.OneItem(err)
	}
	reg, err := st.view.ShareRegister(r.Context(), c.ID)
	if err != nil {
		return err
	}
	if len(reg.Changes) == 0 {
		return errors.New("no share change after recording one")
	}
	writeJSON(w, http.StatusCreated, apiShareEntries(reg.Changes[len(reg.Changes)-1:])[0])
	return nil
}

func (s *Server) apiCertificates(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	cs, err := s.DB.Certificates(r.Context(), c.ID)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, nonNil(cs))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "certificates": list.items})
	return nil
}

func (s *Server) apiIssueCertificates(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	var in struct {
		Date       string   `json:"date"`
		Households []string `json:"households"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	on, err := apiDate(in.Date, "date")
	if err != nil {
		return err
	}
	cs, err := s.DB.IssueCertificates(r.Context(), st.view.User().ID, c.ID, on, in.Households)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"collective_id": c.ID, "certificates": nonNil(cs)})
	return nil
}

func (s *Server) apiCertificate(w http.ResponseWriter, r *http.Request, st *state) error {
	sh, err := st.view.CertificateSheet(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, apiSheet(sh))
	return nil
}

// apiReissueCertificate voids the certificate and issues its household a
// new number: the answer is the new certificate, at its Location.
func (s *Server) apiReissueCertificate(w http.ResponseWriter, r *http.Request, st *state) error {
	old, err := st.view.CertificateSheet(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, apiSheet(old)); err != nil {
		return err
	}
	var in struct {
		Date   string `json:"date"`
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	on, err := apiDate(in.Date, "date")
	if err != nil {
		return err
	}
	if err := apiText(in.Reason, apiMaxReason, "reason"); err != nil {
		return err
	}
	k, err := s.DB.ReissueCertificate(r.Context(), st.view.User().ID, old.Certificate.CollectiveID, old.Certificate.Number, on, in.Reason)
	if err != nil {
		return err
	}
	sh, err := st.view.CertificateSheet(r.Context(), k.Number)
	if err != nil {
		return err
	}
	w.Header().Set("Location", apiPrefix+"/certificates/"+url.PathEscape(k.Number))
	writeTagged(w, http.StatusCreated, apiSheet(sh))
	return nil
}

// apiYear reads the path's year of a distribution.
func apiYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || !jiti.ValidYear(y) || strconv.Itoa(y) != r.PathValue("year") {
		return 0, jiti.ErrNotFound.With("distribution", r.PathValue("year"))
	}
	return y, nil
}

// apiDistributionOf reads the path's collective and year.
func apiDistributionOf(r *http.Request, st *state) (*jiti.Collective, int, error) {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return nil, 0, err
	}
	y, err := apiYear(r)
	return c, y, err
}

func (s *Server) apiDistribution(w http.ResponseWriter, r *http.Request, st *state) error {
	c, year, err := apiDistributionOf(r, st)
	if err != nil {
		return err
	}
	d, err := st.view.Distribution(r.Context(), c.ID, year)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, apiDistributionJSON(d))
	return nil
}

// answerDistribution answers with the year's distribution as it now is.
func (s *Server) answerDistribution(w http.ResponseWriter, r *http.Request, st *state, cid int64, year int) error {
	d, err := st.view.Distribution(r.Context(), cid, year)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, apiDistributionJSON(d))
	return nil
}

// apiPercent reads a percentage ("10", "2.5") into basis points; nil is
// dflt.
func apiPercent(s *string, dflt int, field string) (int, error) {
	if s == nil {
		return dflt, nil
	}
	if !percentRe.MatchString(*s) {
		return 0, errPercent.With(*s).At(field)
	}
	a, err := jiti.ParseAmount(*s)
	if err != nil || a > 100_00 {
		return 0, errPercent.With(*s).At(field)
	}
	return int(a), nil
}

func (s *Server) apiDraftDistribution(w http.ResponseWriter, r *http.Request, st *state) error {
	c, year, err := apiDistributionOf(r, st)
	if err != nil {
		return err
	}
	var in struct {
		ReserveRate *string         `json:"reserve_rate"`
		MemberRate  *string         `json:"member_rate"`
		Members     json.RawMessage `json:"members"`
		Other       json.RawMessage `json:"other"`
		Payable     *string         `json:"payable"`
	}
	if err := decodeJSON(r.Body, &in, "", true); err != nil {
		return err
	}
	d := store.DistributionInput{Year: year}
	var errs jiti.Errors
	add := func(err error) {
		if e := jiti.AsError(err); e != nil {
			errs = append(errs, e)
		}
	}
	if d.ReserveRate, err = apiPercent(in.ReserveRate, 10_00, "reserve_rate"); err != nil {
		add(err)
	}
	if d.MemberRate, err = apiPercent(in.MemberRate, 50_00, "member_rate"); err != nil {
		add(err)
	}
	if d.Members, err = parseMoney(in.Members, "members"); err != nil {
		add(err)
	}
	if d.Other, err = parseMoney(in.Other, "other"); err != nil {
		add(err)
	}
	if in.Payable != nil {
		d.Payable = *in.Payable
		add(apiText(d.Payable, apiMaxCode, "payable"))
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	if _, err := s.DB.DraftDistribution(r.Context(), st.view.User().ID, c.ID, d); err != nil {
		return err
	}
	return s.answerDistribution(w, r, st, c.ID, year)
}

// ifMatchDistribution holds an act on a year's distribution to the tag the
// caller read, when it sends one.
func ifMatchDistribution(r *http.Request, st *state, cid int64, year int) error {
	if r.Header.Get("If-Match") == "" {
		return nil
	}
	d, err := st.view.Distribution(r.Context(), cid, year)
	if err != nil {
		return err
	}
	return checkIfMatch(r, apiDistributionJSON(d))
}

func (s *Server) apiAdoptDistribution(w http.ResponseWriter, r *http.Request, st *state) error {
	c, year, err := apiDistributionOf(r, st)
	if err != nil {
		return err
	}
	if err := ifMatchDistribution(r, st, c.ID, year); err != nil {
		return err
	}
	var in struct {
		Date     string `json:"date"`
		Decision string `json:"decision"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	on, err := apiDate(in.Date, "date")
	if err != nil {
		return err
	}
	if in.Decision == "" {
		return jiti.ErrRequired.At("decision")
	}
	if err := apiText(in.Decision, apiMaxCode, "decision"); err != nil {
		return err
	}
	if _, err := s.DB.AdoptDistribution(r.Context(), st.view.User().ID, c.ID, year, on, in.Decision); err != nil {
		return err
	}
	return s.answerDistribution(w, r, st, c.ID, year)
}

func (s *Server) apiPayDistribution(w http.ResponseWriter, r *http.Request, st *state) error {
	c, year, err := apiDistributionOf(r, st)
	if err != nil {
		return err
	}
	if err := ifMatchDistribution(r, st, c.ID, year); err != nil {
		return err
	}
	var in struct {
		Date       string   `json:"date"`
		Account    string   `json:"account"`
		Households []string `json:"households"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	on, err := apiDate(in.Date, "date")
	if err != nil {
		return err
	}
	if in.Account == "" {
		return jiti.ErrRequired.At("account")
	}
	if err := apiText(in.Account, apiMaxCode, "account"); err != nil {
		return err
	}
	if _, err := s.DB.PayDistribution(r.Context(), st.view.User().ID, c.ID, year, on, in.Account, in.Households); err != nil {
		return err
	}
	return s.answerDistribution(w, r, st, c.ID, year)
}

// The API's forms of what holds money: amounts as decimal strings
// (report.Money), never the store's integer fen.
type (
	apiPlan struct {
		Year        int          `json:"year"`
		Income      report.Money `json:"income"`
		Opening     report.Money `json:"opening"`
		Transfers   report.Money `json:"transfers"`
		Distributed report.Money `json:"distributed"`
		Reserve     report.Money `json:"reserve"`
		Members     report.Money `json:"members"`
		Other       report.Money `json:"other"`
	}
	apiAllotment struct {
		Household string          `json:"household"`
		Name      string          `json:"name"`
		Shares    register.Shares `json:"shares"`
		Amount    report.Money    `json:"amount"`
		Paid      report.Money    `json:"paid"`
	}
	apiDistributionOut struct {
		*store.Distribution
		Plan  apiPlan        `json:"plan"`
		Lines []apiAllotment `json:"lines"`
	}
	apiShareChange struct {
		register.ShareChange
		Price report.Money `json:"price,omitempty"`
	}
	apiShareEntry struct {
		register.ShareEntry
		Change apiShareChange `json:"change"`
	}
	apiCertificateSheet struct {
		*store.CertificateSheet
		Changes []apiShareEntry `json:"changes"`
	}
)

func apiDistributionJSON(d *store.Distribution) apiDistributionOut {
	p := d.Plan
	out := apiDistributionOut{Distribution: d, Lines: []apiAllotment{}, Plan: apiPlan{Year: p.Year, Income: report.Money(p.Income),
		Opening: report.Money(p.Opening), Transfers: report.Money(p.Transfers), Distributed: report.Money(p.Distributed),
		Reserve: report.Money(p.Reserve), Members: report.Money(p.Members), Other: report.Money(p.Other)}}
	for _, l := range d.Lines {
		out.Lines = append(out.Lines, apiAllotment{Household: l.Household, Name: l.Name, Shares: l.Shares, Amount: report.Money(l.Amount), Paid: report.Money(l.Paid)})
	}
	return out
}

func apiShareEntries(es []register.ShareEntry) []apiShareEntry {
	out := make([]apiShareEntry, len(es))
	for i, e := range es {
		out[i] = apiShareEntry{ShareEntry: e, Change: apiShareChange{ShareChange: e.Change, Price: report.Money(e.Change.Price)}}
	}
	return out
}

func apiSheet(s *store.CertificateSheet) apiCertificateSheet {
	return apiCertificateSheet{CertificateSheet: s, Changes: apiShareEntries(s.Changes)}
}
