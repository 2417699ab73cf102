package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The contract register (合同台账): its list, a contract's card with its
// schedule and subjects, the form of a new contract and the acts on it
// (signing, termination, receipts).

// contracts is a collective's contract register (合同台账): each contract's
// party, term, amount, what was received of it and what is outstanding.
func (s *Server) contracts(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	ctx, q := r.Context(), r.URL.Query()
	status, fs := choice(st, q, "status", "field.status", "contract.status.", contractStatuses)
	kind, fk := choice(st, q, "kind", "cli.col.kind", "contract.kind.", register.ContractKinds)
	cs, err := st.view.Contracts(ctx, store.ContractFilter{CollectiveID: c.ID, Status: status, Kind: kind})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	insts, err := st.view.CollectiveInstalments(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	received := map[int64]jiti.Amount{}
	for _, in := range insts {
		received[in.ContractID] += in.Received
	}
	t := report.ContractTable(cs, received, st.tr())
	hrefs := make([]string, 0, len(cs))
	for _, k := range cs {
		hrefs = append(hrefs, fmt.Sprintf("/c/%d/contracts/%d", c.ID, k.ID))
	}
	pg := &registerPage{C: c, Title: t.Title, Filters: []selectField{fs, fk}, Count: len(cs)}
	s.list(w, r, st, pg, t, 0, hrefs, "contracts")
}

type contractPage struct {
	C         *jiti.Collective
	K         *register.Contract
	Fields    []field
	Subjects  []field
	Schedule  []instalmentRow
	Total     struct{ Amount, Received, Outstanding string }
	Receipts  []receiptRow
	HasOver   bool
	StatusKey string
	Documents docsPanel
	CanAttach bool
	Message   string
}

type instalmentRow struct {
	No                                   int
	Due, Covers                          string
	Amount, Received, Outstanding, State string
	Overdue                              bool
}

type receiptRow struct {
	Date, Amount, Overpayment, Account, Href string
}

// contract is a contract's card: its party and subjects, its schedule of
// instalments with what was received and what is overdue, and its
// receipts, each linking to the voucher that booked it.
func (s *Server) contract(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	ctx := r.Context()
	k, ok := s.pathContract(w, r, st, c)
	if !ok {
		return
	}
	insts, err := st.view.Instalments(ctx, k.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	receipts, err := st.view.Receipts(ctx, k.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := &contractPage{C: c, K: k, CanAttach: st.view.Can(store.PermKeepBooks)}
	pg.Message = doneMessage(r, st)
	pg.Documents = docsPanel{CID: c.ID, Deletable: pg.CanAttach}
	if pg.CanAttach {
		pg.Documents.Upload = fmt.Sprintf("/c/%d/contracts/%d/documents", c.ID, k.ID)
	}
	if pg.Documents.Docs, err = st.view.Documents(ctx, 0, k.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	add := func(label, value string) {
		if value != "" {
			pg.Fields = append(pg.Fields, field{Label: st.p.Label(label), Value: value})
		}
	}
	add("cli.col.code", k.Code)
	add("cli.col.name", k.Name)
	add("field.kind", st.p.T("contract.kind."+string(k.Kind)))
	add("field.party", k.Party.Name)
	if !k.Party.IDNumber.IsZero() {
		add("field.id_number", k.Party.IDNumber.String())
	}
	add("field.uscc", k.Party.USCC)
	add("field.phone", k.Party.Phone)
	add("cli.col.term", k.Start.String()+" ~ "+k.End.String())
	add("field.amount", k.Amount.Grouped())
	add("field.frequency", st.p.T("contract.frequency."+string(k.Frequency)))
	if k.Escalation != 0 {
		add("field.escalation", pct(int64(k.Escalation)))
	}
	if k.Deposit != 0 {
		add("field.deposit", k.Deposit.Grouped())
	}
	add("field.income_account", k.IncomeAccount)
	add("field.award", st.p.T("contract.award."+string(k.Award)))
	add("field.award_ref", k.AwardRef)
	if k.DecisionID != 0 {
		pg.Fields = append(pg.Fields, field{Label: st.p.Label("field.resolution_ref"), Value: k.ResolutionRef,
			Href: fmt.Sprintf("/c/%d/decisions/%d", c.ID, k.DecisionID)})
	} else {
		add("field.resolution_ref", k.ResolutionRef)
	}
	add("field.status", st.p.T("contract.status."+string(k.Status)))
	if !k.SignedOn.IsZero() {
		add("field.signed_on", k.SignedOn.String())
	}
	if !k.EndedOn.IsZero() {
		add("field.ended_on", k.EndedOn.String())
	}
	add("field.note", k.Note)
	if err := s.contractSubjects(r, st, c, k, pg); err != nil {
		s.fail(w, r, err)
		return
	}
	today := jiti.DateOf(s.Now())
	var amount, got jiti.Amount
	for _, in := range insts {
		amount, got = amount+in.Amount, got+in.Received
		row := instalmentRow{No: in.No, Due: in.DueOn.String(), Covers: in.From.String() + " ~ " + in.To.String(),
			Amount: in.Amount.Grouped(), Received: in.Received.Grouped(), Outstanding: in.Outstanding().Grouped()}
		switch {
		case in.Outstanding() <= 0:
			row.State = st.p.T("web.inst_paid")
		case in.DueOn.Before(today):
			row.State, row.Overdue = st.p.T("web.inst_overdue", today.DaysSince(in.DueOn)), true
		default:
			row.State = st.p.T("web.inst_open")
		}
		pg.Schedule = append(pg.Schedule, row)
	}
	pg.Total.Amount, pg.Total.Received, pg.Total.Outstanding = amount.Grouped(), got.Grouped(), (amount - got).Grouped()
	for _, rc := range receipts {
		pg.HasOver = pg.HasOver || rc.Overpayment != 0
		row := receiptRow{Date: rc.Date.String(), Amount: rc.Amount.Grouped(), Account: rc.Account,
			Href: fmt.Sprintf("/c/%d/vouchers/%d", c.ID, rc.VoucherID)}
		if rc.Overpayment != 0 {
			row.Overpayment = rc.Overpayment.Grouped()
		}
		pg.Receipts = append(pg.Receipts, row)
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: st.p.T("cli.title.contracts"), Href: fmt.Sprintf("/c/%d/contracts", c.ID)})
	s.render(w, r, http.StatusOK, "contract", &page{Title: k.Code + " " + k.Name, Crumbs: crumbs, Data: pg})
}

// contractSubjects names a contract's subjects, linking its assets to
// their cards: one read of each register at most.
func (s *Server) contractSubjects(r *http.Request, st *state, c *jiti.Collective, k *register.Contract, pg *contractPage) error {
	var assets map[int64]register.Asset
	var resources map[int64]register.Resource
	for _, sub := range k.Subjects {
		switch {
		case sub.AssetID != 0 && assets == nil:
			as, err := st.view.Assets(r.Context(), store.AssetFilter{CollectiveID: c.ID})
			if err != nil {
				return err
			}
			assets = map[int64]register.Asset{}
			for _, a := range as {
				assets[a.ID] = a
			}
		case sub.ResourceID != 0 && resources == nil:
			rs, err := st.view.Resources(r.Context(), store.ResourceFilter{CollectiveID: c.ID})
			if err != nil {
				return err
			}
			resources = map[int64]register.Resource{}
			for _, res := range rs {
				resources[res.ID] = res
			}
		}
	}
	for _, sub := range k.Subjects {
		if sub.AssetID != 0 {
			a := assets[sub.AssetID]
			pg.Subjects = append(pg.Subjects, field{Label: st.p.T("field.asset"), Value: a.Code + " " + a.Name,
				Href: fmt.Sprintf("/c/%d/assets/%d", c.ID, sub.AssetID)})
			continue
		}
		res := resources[sub.ResourceID]
		v := res.Code + " " + res.Name
		if sub.Area != 0 {
			v += " · " + st.p.T("web.area_mu", sub.Area.String())
		} else {
			v += " · " + st.p.T("web.area_mu", res.Area.String())
		}
		pg.Subjects = append(pg.Subjects, field{Label: st.p.T("field.resource"), Value: v})
	}
	return nil
}

// --- contracts

// contractForm is what a new contract's form needs besides the values: the
// collective's accounts, and its assets and resources, whose codes the
// subjects name.
type contractForm struct {
	*regForm
	accounts  []ledger.Account
	assets    []register.Asset
	resources []register.Resource
	rows      []int // the form's row of each subject the contract got
}

func (s *Server) loadContractForm(r *http.Request, st *state, c *jiti.Collective, f *regForm) (*contractForm, error) {
	cf := &contractForm{regForm: f}
	var err error
	if cf.accounts, err = st.view.Accounts(r.Context(), c.ID); err != nil {
		return nil, err
	}
	if cf.assets, err = st.view.Assets(r.Context(), store.AssetFilter{CollectiveID: c.ID}); err != nil {
		return nil, err
	}
	if cf.resources, err = st.view.Resources(r.Context(), store.ResourceFilter{CollectiveID: c.ID}); err != nil {
		return nil, err
	}
	return cf, nil
}

// newContractForm shows an empty contract form: a lease to a person,
// yearly, negotiated, earning to the first detail account of 501.
func (s *Server) newContractForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	cf, err := s.loadContractForm(r, st, c, newRegForm(st, map[string]string{"kind": string(register.Lease),
		"party.kind": string(register.Person), "frequency": string(register.Yearly), "award": string(register.Negotiation)}))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cf.values["income_account"] = firstLeaf(cf.accounts, "501")
	s.renderContractForm(w, r, st, c, cf, http.StatusOK)
}

// createContract registers a contract as a draft with its schedule of
// receivables; it is signed from its page.
func (s *Server) createContract(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	cf, err := s.loadContractForm(r, st, c, readRegForm(r, st))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k := cf.parse(c.ID)
	if !cf.failed() {
		out, err := s.DB.CreateContract(r.Context(), st.view.User().ID, store.ContractInput{Contract: k})
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/contracts/%d?done=contract", c.ID, out.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, cf.regForm, err, cf.place) {
			return
		}
	}
	s.renderContractForm(w, r, st, c, cf, cf.code)
}

// subjectField names an input of a row of subjects.
func subjectField(row int, name string) string { return fmt.Sprintf("subjects[%d].%s", row, name) }

func (cf *contractForm) parse(cid int64) register.Contract {
	v := cf.values
	k := register.Contract{CollectiveID: cid, Code: v["code"], Name: v["name"], Kind: register.ContractKind(v["kind"]),
		Party:     register.Party{Kind: register.PartyKind(v["party.kind"]), Name: v["party.name"], USCC: v["party.uscc"], Phone: v["party.phone"]},
		Frequency: register.Frequency(v["frequency"]), Accrue: v["accrue"] == "1", IncomeAccount: v["income_account"],
		Award: register.Award(v["award"]), AwardRef: v["award_ref"], ResolutionRef: v["resolution_ref"], Note: v["note"]}
	if id := v["party.id_number"]; id != "" {
		n, err := jiti.NewIDNumber(id) // its error shows the number masked
		if err != nil {
			cf.fail("party.id_number", at(err, "party.id_number"))
		}
		k.Party.IDNumber = n
	}
	k.Start = cf.date("start", false)
	k.End = cf.date("end", false)
	k.Amount = cf.amount("amount")
	k.Deposit = cf.amount("deposit")
	k.Escalation = cf.percent("escalation")
	assets, resources := map[string]int64{}, map[string]int64{}
	for _, a := range cf.assets {
		assets[a.Code] = a.ID
	}
	for _, res := range cf.resources {
		resources[res.Code] = res.ID
	}
	for row := 1; row <= subjectRows; row++ {
		asset, resource, area := v[subjectField(row, "asset")], v[subjectField(row, "resource")], v[subjectField(row, "area")]
		if asset == "" && resource == "" && area == "" {
			continue
		}
		var sub register.Subject
		if asset != "" {
			if sub.AssetID = assets[asset]; sub.AssetID == 0 {
				cf.fail(subjectField(row, "asset"), store.ErrSubjectUnknown.With(asset).At(subjectField(row, "asset")))
			}
		}
		if resource != "" {
			if sub.ResourceID = resources[resource]; sub.ResourceID == 0 {
				cf.fail(subjectField(row, "resource"), store.ErrSubjectUnknown.With(resource).At(subjectField(row, "resource")))
			}
		}
		if area != "" {
			a, err := register.ParseArea(area)
			if err != nil {
				cf.fail(subjectField(row, "area"), at(err, subjectField(row, "area")))
			}
			sub.Area = a
		}
		k.Subjects = append(k.Subjects, sub)
		cf.rows = append(cf.rows, row)
	}
	return k
}

// subjectError matches the store's paths of a subject: subjects[2].asset_id.
var subjectError = regexp.MustCompile(`^subjects\[(\d+)\](?:\.(\w+))?$`)

// place maps the store's field of a contract to the form's: the party's
// and the other fields are named alike, and a subject's position among
// those given is its row of the form.
func (cf *contractForm) place(field string) string {
	m := subjectError.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	i, _ := strconv.Atoi(m[1])
	if i < 1 || i > len(cf.rows) {
		return "subjects"
	}
	row := cf.rows[i-1]
	switch m[2] {
	case "asset_id":
		return subjectField(row, "asset")
	case "resource_id":
		return subjectField(row, "resource")
	case "area":
		return subjectField(row, "area")
	}
	if cf.values[subjectField(row, "asset")] == "" {
		return subjectField(row, "resource")
	}
	return subjectField(row, "asset")
}

func (s *Server) renderContractForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, cf *contractForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/contracts/new", c.ID), Back: fmt.Sprintf("/c/%d/contracts", c.ID),
		Submit: p.T("web.save"), Intro: p.T("web.contract_intro")}
	// The identity number is never sent back: a wrong one is named
	// masked in its error, a right one is asked for again.
	id := cf.text("party.id_number", "field.id_number", maxLen(18), hint(p.T("web.id_number_hint")))
	id.Value, id.Private = "", true
	if cf.values["party.id_number"] != "" && id.Error == "" {
		id.Hint = p.T("web.id_number_again")
	}
	party := []formField{
		cf.choose("party.kind", "web.party_kind", enumOptions(st, "party.kind.", partyKinds, "")),
		cf.text("party.name", "field.party", required, maxLen(100)),
		id,
		cf.text("party.uscc", "field.uscc", maxLen(18)),
		cf.text("party.phone", "field.phone", maxLen(20)),
	}
	subjects := formSection{Title: p.T("field.subjects")}
	for row := 1; row <= subjectRows; row++ {
		item := p.T("field.subjects.item", row)
		asset := cf.text(subjectField(row, "asset"), "field.asset", list(assetListID), maxLen(40))
		resource := cf.text(subjectField(row, "resource"), "field.resource", list(resourceListID), maxLen(40))
		area := cf.text(subjectField(row, "area"), "flag.area", mode("decimal"), hint(p.T("web.area_hint")))
		asset.Label, resource.Label, area.Label = item+" · "+asset.Label, item+" · "+resource.Label, item+" · "+area.Label
		subjects.Fields = append(subjects.Fields, asset, resource, area)
	}
	if msg := cf.take("subjects"); msg != "" {
		subjects.Fields[0].Error = joinMsg(msg, subjects.Fields[0].Error)
	}
	pg.Sections = []formSection{
		{Title: p.T("web.section_basic"), Fields: []formField{
			cf.text("code", "cli.col.code", required, maxLen(40)),
			cf.text("name", "field.name", required, maxLen(100)),
			cf.choose("kind", "field.kind", enumOptions(st, "contract.kind.", register.ContractKinds, "")),
		}},
		{Title: p.T("web.section_party"), Fields: party},
		subjects,
		{Title: p.T("web.section_term"), Fields: []formField{
			cf.input("date", "start", "field.start", required),
			cf.input("date", "end", "field.end", required),
			cf.text("amount", "flag.contract_amount", required, mode("decimal"), hint(p.T("web.unit_yuan"))),
			cf.choose("frequency", "field.frequency", enumOptions(st, "contract.frequency.", frequencies, "")),
			cf.text("escalation", "field.escalation", mode("decimal"), hint(p.T("web.percent_hint"))),
			cf.text("deposit", "field.deposit", mode("decimal")),
			cf.choose("income_account", "field.income_account", accountOptions(st, cf.accounts, "web.pick_account", "501", "502")),
			cf.choose("accrue", "flag.accrue", yesNo(st)),
		}},
		{Title: p.T("web.section_records"), Fields: []formField{
			cf.choose("award", "field.award", enumOptions(st, "contract.award.", awards, "")),
			cf.text("award_ref", "flag.award_ref", maxLen(100)),
			cf.text("resolution_ref", "flag.resolution", maxLen(100), hint(p.T("web.decision_ref_hint"))),
			cf.input("textarea", "note", "field.note", maxLen(500)),
		}},
	}
	var al, rl datalist
	al.ID, rl.ID = assetListID, resourceListID
	for _, a := range cf.assets {
		if a.Status != register.Disposed {
			al.Options = append(al.Options, option{Value: a.Code, Label: a.Name})
		}
	}
	for _, res := range cf.resources {
		rl.Options = append(rl.Options, option{Value: res.Code, Label: res.Name + " · " + p.T("web.area_mu", res.Area.String())})
	}
	pg.Lists = []datalist{al, rl}
	pg.Error = cf.rest()
	s.renderRegForm(w, r, st, code, p.T("web.contract_new"), []crumb{{Label: p.T("cli.title.contracts"), Href: pg.Back}}, pg)
}

// --- a contract's signing, termination and receipts

// contractOf reads the path's contract for an act on it: a collective out
// of scope, or a contract of another collective, is not found; a role that
// may not keep books is refused.
func (s *Server) contractOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Contract, bool) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	k, ok := s.pathContract(w, r, st, c)
	return c, k, ok
}

// pathContract reads the path's {kid} as a contract of collective c; one
// of another collective is not found, as an unknown one.
func (s *Server) pathContract(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective) (*register.Contract, bool) {
	id, err := strconv.ParseInt(r.PathValue("kid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("contract", r.PathValue("kid")))
		return nil, false
	}
	k, err := st.view.FindContract(r.Context(), id)
	if err == nil && k.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("contract", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return k, true
}

// contractActForm shows the form of an act alone: the contract's page
// carries the same forms, and this page is where one comes back to with
// its errors.
func (s *Server) contractActForm(act string) func(http.ResponseWriter, *http.Request, *state) {
	return func(w http.ResponseWriter, r *http.Request, st *state) {
		c, k, ok := s.contractOf(w, r, st)
		if !ok {
			return
		}
		values := map[string]string{}
		switch act {
		case "sign":
			values["signed_on"] = s.today()
		case "terminate":
			values["ended_on"] = s.today()
		case "receipts":
			values["date"] = s.today()
			values["account"] = s.receiptAccount(r, st, c, k)
		}
		s.renderContractAct(w, r, st, act, c, k, newRegForm(st, values), http.StatusOK)
	}
}

// receiptAccount is the account a contract's next receipt most likely
// comes into: that of its last receipt, else the first bank account.
func (s *Server) receiptAccount(r *http.Request, st *state, c *jiti.Collective, k *register.Contract) string {
	if rs, err := st.view.Receipts(r.Context(), k.ID); err == nil && len(rs) > 0 {
		return rs[len(rs)-1].Account
	}
	if accounts, err := st.view.Accounts(r.Context(), c.ID); err == nil {
		return firstLeaf(accounts, "102")
	}
	return ""
}

// contractAct signs a draft contract, terminates one in force, or records
// money received on it (the store posts the receipt's voucher), and goes
// back to the contract's page.
func (s *Server) contractAct(act string) func(http.ResponseWriter, *http.Request, *state) {
	return func(w http.ResponseWriter, r *http.Request, st *state) {
		c, k, ok := s.contractOf(w, r, st)
		if !ok {
			return
		}
		f := readRegForm(r, st)
		ctx, by := r.Context(), st.view.User().ID
		var err error
		done := act
		switch act {
		case "sign":
			if on := f.date("signed_on", true); !f.failed() {
				err = s.DB.SignContract(ctx, by, k.ID, on)
			}
		case "terminate":
			if on := f.date("ended_on", true); !f.failed() {
				err = s.DB.TerminateContract(ctx, by, k.ID, on, f.values["reason"])
			}
		case "receipts":
			done = "receipt"
			in := store.ReceiptInput{Date: f.date("date", true), Amount: f.amount("amount"), Account: accountCode(f.values["account"]),
				Advance: f.values["advance"] == "1", Over: f.values["over"] == "1"}
			if !f.failed() {
				_, err = s.DB.RecordReceipt(ctx, by, k.ID, in)
			}
		}
		if !f.failed() {
			if err == nil {
				http.Redirect(w, r, fmt.Sprintf("/c/%d/contracts/%d?done=%s", c.ID, k.ID, done), http.StatusSeeOther)
				return
			}
			if !s.storeError(w, r, f, err, nil) {
				return
			}
		}
		s.renderContractAct(w, r, st, act, c, k, f, f.code)
	}
}

func (s *Server) renderContractAct(w http.ResponseWriter, r *http.Request, st *state, act string, c *jiti.Collective, k *register.Contract, f *regForm, code int) {
	p := st.p
	back := fmt.Sprintf("/c/%d/contracts/%d", c.ID, k.ID)
	pg := &regFormPage{C: c, Action: back + "/" + act, Back: back}
	var title string
	var fields []formField
	switch act {
	case "sign":
		title, pg.Intro = p.T("web.contract_sign"), p.T("web.sign_intro")
		fields = []formField{f.input("date", "signed_on", "field.signed_on", required)}
	case "terminate":
		title, pg.Confirm = p.T("web.contract_terminate"), p.T("web.confirm_terminate")
		fields = []formField{f.input("date", "ended_on", "field.ended_on", required), f.text("reason", "field.reason", required, maxLen(500))}
	case "receipts":
		accounts, err := st.view.Accounts(r.Context(), c.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		title = p.T("web.receipt_new")
		fields = []formField{
			f.input("date", "date", "field.date", required),
			f.text("amount", "field.amount", required, mode("decimal"), hint(p.T("web.unit_yuan"))),
			f.choose("account", "flag.receipt_account", accountOptions(st, accounts, "web.pick_account", "101", "102"), required),
			f.choose("advance", "flag.advance", yesNo(st)),
			f.choose("over", "flag.over", yesNo(st)),
		}
	}
	pg.Submit = title
	pg.Sections = []formSection{{Title: k.Code + " " + k.Name, Fields: fields}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, title, []crumb{{Label: p.T("cli.title.contracts"), Href: fmt.Sprintf("/c/%d/contracts", c.ID)},
		{Label: k.Code, Href: back}}, pg)
}

// CanSign, CanTerminate and CanReceive say which acts the contract's page
// offers those who keep the books: a draft is signed, a contract in force
// terminated, and money is received on any contract signed (arrears are
// still collected after its end).
func (pg *contractPage) CanSign() bool { return pg.CanAttach && pg.K.Status == register.ContractDraft }

func (pg *contractPage) CanTerminate() bool { return pg.CanAttach && pg.K.Status == register.InForce }

func (pg *contractPage) CanReceive() bool {
	return pg.CanAttach && pg.K.Status != register.ContractDraft
}

// ReceiptAccount is the account the receipt form starts with: that of the
// contract's last receipt.
func (pg *contractPage) ReceiptAccount() string {
	if len(pg.Receipts) == 0 {
		return ""
	}
	return pg.Receipts[len(pg.Receipts)-1].Account
}
