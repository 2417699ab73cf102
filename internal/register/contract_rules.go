package register

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"example.org/jiti"
)

var (
	frequencies      = []Frequency{Once, Yearly, HalfYearly, Quarterly, Monthly}
	awards           = []Award{OpenBidding, Negotiation}
	contractStatuses = []ContractStatus{ContractDraft, InForce, Expired, Terminated}
	partyKinds       = []PartyKind{Person, Unit}
)

// Occupies reports whether a contract of kind k gives its subjects to the
// counterparty for its term (lease, contracting, equity, cooperation), so
// that two such contracts may not hold the same asset at once and signing
// one changes its subjects' status.
func (k ContractKind) Occupies() bool {
	switch k {
	case Lease, Contracting, Equity, Cooperation:
		return true
	}
	return false
}

// DefaultIncomeAccount returns the first-level account a contract of kind
// k earns to: 502 投资收益 for equity, 501 经营收入 for the rest.
func DefaultIncomeAccount(k ContractKind) string {
	if k == Equity {
		return "502"
	}
	return "501"
}

// Normalize trims the contract's text, fills the party's kind from what
// identifies it, the status (draft) and, for a contract imported already in
// force, its signing date (its start).
func (c *Contract) Normalize() {
	for _, s := range []*string{&c.Code, &c.Name, &c.Party.Name, &c.Party.USCC, &c.Party.Phone,
		&c.IncomeAccount, &c.AwardRef, &c.ResolutionRef, &c.Note} {
		*s = strings.TrimSpace(*s)
	}
	c.Party.USCC = strings.ToUpper(c.Party.USCC)
	if c.Party.Kind == "" {
		switch {
		case c.Party.USCC != "":
			c.Party.Kind = Unit
		case !c.Party.IDNumber.IsZero():
			c.Party.Kind = Person
		}
	}
	if c.Status == "" {
		c.Status = ContractDraft
	}
	if c.Status != ContractDraft && c.SignedOn.IsZero() {
		c.SignedOn = c.Start
	}
}

// Validate checks the contract's own fields, after Normalize: that its
// subjects exist and are free, and that its income account is a leaf of
// the chart, are for the store (see CheckOverlap). An open bidding without
// its reference is allowed: MissingRecords warns about it.
func (c *Contract) Validate() error {
	var p problems
	checkCode(&p, c.Code)
	checkName(&p, c.Name, "name")
	checkEnum(&p, c.Kind, ContractKinds, "kind")
	c.Party.validate(&p)
	c.validateTerm(&p)
	c.validateSigning(&p)
	switch {
	case c.Amount <= 0:
		p.add(ErrNotPositive.With(c.Amount).At("amount"))
	case c.Amount > jiti.MaxAmount:
		p.add(jiti.ErrAmountOverflow.At("amount"))
	}
	checkEnum(&p, c.Frequency, frequencies, "frequency")
	if c.Escalation < 0 || c.Escalation > FullRate {
		p.add(ErrRange.With(c.Escalation, 0, FullRate).At("escalation"))
	}
	switch {
	case c.Deposit < 0:
		p.add(ErrNegative.With(c.Deposit).At("deposit"))
	case c.Deposit > jiti.MaxAmount:
		p.add(jiti.ErrAmountOverflow.At("deposit"))
	}
	c.validateIncomeAccount(&p)
	checkEnum(&p, c.Award, awards, "award")
	checkLen(&p, c.AwardRef, maxRef, "award_ref")
	checkLen(&p, c.ResolutionRef, maxRef, "resolution_ref")
	checkLen(&p, c.Note, maxText, "note")
	checkEnum(&p, c.Status, contractStatuses, "status")
	c.validateSubjects(&p)
	return p.err()
}

func (party *Party) validate(p *problems) {
	checkEnum(p, party.Kind, partyKinds, "party.kind")
	checkName(p, party.Name, "party.name")
	checkLen(p, party.Phone, maxShort, "party.phone")
	if party.USCC != "" && !jiti.ValidUSCC(party.USCC) {
		p.add(jiti.ErrUSCC.With(party.USCC).At("party.uscc"))
	}
	if party.Kind == Unit && !party.IDNumber.IsZero() {
		p.add(ErrPartyIDUnit.At("party.id_number"))
	}
}

func (c *Contract) validateTerm(p *problems) {
	switch {
	case c.Start.IsZero():
		p.add(jiti.ErrRequired.At("start"))
	case !c.Start.Valid():
		p.add(jiti.ErrDateSyntax.With(c.Start).At("start"))
	}
	switch {
	case c.End.IsZero():
		p.add(jiti.ErrRequired.At("end"))
	case !c.End.Valid():
		p.add(jiti.ErrDateSyntax.With(c.End).At("end"))
	case !c.Start.IsZero() && c.End.Before(c.Start):
		p.add(ErrEndBeforeStart.With(c.End, c.Start).At("end"))
	}
}

// validateSigning checks the dates of a contract's life: signed no later
// than its end, and a contract that ended knows when.
func (c *Contract) validateSigning(p *problems) {
	if c.Status != ContractDraft && !c.SignedOn.IsZero() && !c.End.IsZero() && c.SignedOn.After(c.End) {
		p.add(ErrSignAfterEnd.With(c.SignedOn, c.End).At("signed_on"))
	}
	if (c.Status == Expired || c.Status == Terminated) && c.EndedOn.IsZero() {
		p.add(jiti.ErrRequired.At("ended_on"))
	}
}

// validateIncomeAccount checks that the contract earns to 501 or 502 or a
// detail account under them. A purchase earns nothing and may have none.
func (c *Contract) validateIncomeAccount(p *problems) {
	switch {
	case c.IncomeAccount == "" && c.Kind == Procurement:
	case c.IncomeAccount == "":
		p.add(jiti.ErrRequired.At("income_account"))
	case !under(c.IncomeAccount, "501") && !under(c.IncomeAccount, "502"):
		p.add(ErrAccount.With(c.IncomeAccount, "501, 502").At("income_account"))
	}
}

// validateSubjects checks that each subject is one asset or one resource
// (with an area only for a resource), that none is given twice, and that a
// lease has a subject and a contracting a resource.
func (c *Contract) validateSubjects(p *problems) {
	assets, resources := map[int64]bool{}, map[int64]bool{}
	for i, s := range c.Subjects {
		at := fmt.Sprintf("subjects[%d]", i+1)
		switch {
		case (s.AssetID == 0) == (s.ResourceID == 0):
			p.add(ErrSubjectOne.At(at))
		case s.AssetID < 0:
			p.add(jiti.ErrNotFound.With("asset", s.AssetID).At(at + ".asset_id"))
		case s.ResourceID < 0:
			p.add(jiti.ErrNotFound.With("resource", s.ResourceID).At(at + ".resource_id"))
		case s.AssetID != 0 && s.Area != 0:
			p.add(ErrSubjectArea.With(s.Area).At(at + ".area"))
		case s.Area < 0 || s.Area > MaxArea:
			p.add(ErrNegative.With(s.Area).At(at + ".area"))
		case s.AssetID != 0 && assets[s.AssetID]:
			p.add(ErrSubjectDuplicate.With(s.AssetID).At(at + ".asset_id"))
		case s.ResourceID != 0 && resources[s.ResourceID]:
			p.add(ErrSubjectDuplicate.With(s.ResourceID).At(at + ".resource_id"))
		}
		if s.AssetID != 0 {
			assets[s.AssetID] = true
		}
		if s.ResourceID != 0 {
			resources[s.ResourceID] = true
		}
	}
	switch {
	case c.Kind == Lease && len(assets) == 0 && len(resources) == 0:
		p.add(ErrSubjectRequired.With(jiti.Term("contract.kind." + string(c.Kind))).At("subjects"))
	case c.Kind == Contracting && len(resources) == 0:
		p.add(ErrResourceRequired.With(jiti.Term("contract.kind." + string(c.Kind))).At("subjects"))
	}
}

// CheckSign says whether the draft contract c may be signed on date on: it
// must be a valid draft, and not signed after its end. The store then
// sets Status InForce and SignedOn, generates the schedule, checks
// CheckOverlap, and moves the subjects into SubjectStatusOnSign (checking
// each with CheckTransition, which refuses a disposed asset).
func CheckSign(c *Contract, on jiti.Date) error {
	if c.Status != ContractDraft {
		return ErrNotDraft.With(jiti.Term("contract.status." + string(c.Status))).At("status")
	}
	if on.IsZero() {
		return jiti.ErrRequired.At("signed_on")
	}
	if on.After(c.End) {
		return ErrSignAfterEnd.With(on, c.End).At("signed_on")
	}
	return c.Validate()
}

// CheckTerminate says whether the contract in force c may be terminated on
// date on for reason: a reason is required, and the date lies between the
// signing and the end (after its end a contract expires instead). The
// store then sets Status Terminated and EndedOn, and returns the subjects
// to their status before signing.
func CheckTerminate(c *Contract, on jiti.Date, reason string) error {
	switch {
	case c.Status != InForce:
		return ErrNotInForce.With(jiti.Term("contract.status." + string(c.Status))).At("status")
	case strings.TrimSpace(reason) == "":
		return jiti.ErrRequired.At("reason")
	case on.IsZero():
		return jiti.ErrRequired.At("ended_on")
	case on.Before(c.SignedOn) || on.After(c.End):
		return ErrTerminateDate.With(on, c.SignedOn, c.End).At("ended_on")
	}
	return nil
}

// CheckExpire says whether the contract in force c has run out by today:
// it expires the day after its end. The store then sets Status Expired and
// EndedOn to c.End, and returns the subjects to their status before
// signing.
func CheckExpire(c *Contract, today jiti.Date) error {
	switch {
	case c.Status != InForce:
		return ErrNotInForce.With(jiti.Term("contract.status." + string(c.Status))).At("status")
	case !today.After(c.End):
		return ErrNotYetEnded.With(c.End).At("end")
	}
	return nil
}

// SubjectStatusOnSign returns the status an asset subject enters when a
// contract of kind k is signed: leased out for a lease or contracting,
// invested for equity, cooperating for cooperation; "" for kinds that
// leave their subjects' status alone (service, purchase).
func SubjectStatusOnSign(k ContractKind) Status {
	switch k {
	case Lease, Contracting:
		return LeasedOut
	case Equity:
		return Invested
	case Cooperation:
		return Cooperating
	}
	return ""
}

// ResourceUseOnSign returns the use a resource subject enters when a
// contract of kind k is signed: leased (出租、发包) for every kind that
// gives it to the counterparty, land put into equity or cooperation
// included, since the register has no finer use for them; "" otherwise.
func ResourceUseOnSign(k ContractKind) ResourceUse {
	if k.Occupies() {
		return ResourceLeased
	}
	return ""
}

// StatusAfterContract returns the status an asset subject returns to when
// its contract expires or is terminated: the status it had before signing
// (which the store kept with the subject), or idle if that is unknown or
// was itself a contract's. A disposed asset is left alone: CheckTransition
// refuses any change to it.
func StatusAfterContract(before Status) Status {
	if before == "" || before.leased() || before == Disposed {
		return Idle
	}
	return before
}

// UseAfterContract returns the use a resource subject returns to when its
// contract ends: the use it had before signing, or idle.
func UseAfterContract(before ResourceUse) ResourceUse {
	if before == "" || before == ResourceLeased {
		return ResourceIdle
	}
	return before
}

// CheckOverlap says whether contract c may hold its subjects alongside the
// existing contracts: of the contracts that occupy their subjects (see
// Occupies), no two in force, or c being signed, may hold the same asset
// over overlapping terms; a resource may be shared, as long as the area
// under contract at any one time does not exceed its area. A subject's
// area 0 means the whole resource. areas gives the resources' areas; a
// resource missing from it counts as fully taken by any contract. Drafts,
// expired and terminated contracts and c itself among existing are
// ignored.
func CheckOverlap(existing []*Contract, c *Contract, areas map[int64]Area) error {
	if !c.Kind.Occupies() {
		return nil
	}
	var others []*Contract
	for _, o := range existing {
		if o != nil && o.Status == InForce && o.Kind.Occupies() && (c.ID == 0 || o.ID != c.ID) &&
			!o.End.Before(c.Start) && !c.End.Before(o.Start) {
			others = append(others, o)
		}
	}
	var p problems
	for i, s := range c.Subjects {
		at := fmt.Sprintf("subjects[%d]", i+1)
		switch {
		case s.AssetID != 0:
			if o := assetHolder(others, s.AssetID); o != nil {
				p.add(ErrAssetOverlap.With(s.AssetID, o.Code, o.Start, o.End).At(at + ".asset_id"))
			}
		case s.ResourceID != 0:
			checkResource(&p, others, c, s, areas, at)
		}
	}
	return p.err()
}

func assetHolder(others []*Contract, id int64) *Contract {
	for _, o := range others {
		for _, s := range o.Subjects {
			if s.AssetID == id {
				return o
			}
		}
	}
	return nil
}

// checkResource checks one resource subject of c. The area under contract
// is greatest on c's start or on the start of another contract within c's
// term, so it is summed on those days only.
func checkResource(p *problems, others []*Contract, c *Contract, s Subject, areas map[int64]Area, at string) {
	total, known := areas[s.ResourceID]
	share := func(sub Subject) Area {
		if sub.Area == 0 {
			return total
		}
		return sub.Area
	}
	if known && s.Area > total {
		p.add(ErrAreaExceeds.With(s.Area, total).At(at + ".area"))
		return
	}
	days := []jiti.Date{c.Start}
	for _, o := range others {
		if o.Start.After(c.Start) {
			days = append(days, o.Start)
		}
	}
	for _, day := range days {
		used, codes := share(s), []string{}
		for _, o := range others {
			if day.Before(o.Start) || day.After(o.End) {
				continue
			}
			for _, os := range o.Subjects {
				if os.ResourceID == s.ResourceID {
					used += share(os)
					codes = append(codes, o.Code)
				}
			}
		}
		if len(codes) > 0 && (!known || used > total) {
			slices.Sort(codes)
			p.add(ErrResourceOverlap.With(s.ResourceID, strings.Join(slices.Compact(codes), ", "), used, total).At(at + ".resource_id"))
			return
		}
	}
}

// yearsOf returns the length of the term start..end (inclusive) in years:
// whole contract years from start, and the rest as a share of the days of
// the year that would have followed. It is the denominator of yearly rent.
func yearsOf(start, end jiti.Date) *big.Rat {
	n := 0
	for !AddMonths(start, 12*(n+1)).After(end.AddDays(1)) {
		n++
	}
	from := AddMonths(start, 12*n)
	y := new(big.Rat).SetInt64(int64(n))
	if rest := end.DaysSince(from) + 1; rest > 0 {
		full := AddMonths(start, 12*(n+1)).DaysSince(from)
		y.Add(y, big.NewRat(int64(rest), int64(full)))
	}
	return y
}
