package register

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"example.org/jiti"
)

// Shares is a number of shares in hundredths, so that 农龄股 counted in
// half years, or a holding split between heirs, is exact.
type Shares int64

// MaxShares is the largest holding or total a share register accepts; sums
// of any number of them a collective could have never overflow.
const MaxShares Shares = 10_000_000_00

// ParseShares reads a number of shares with at most two decimals ("12.5").
func ParseShares(s string) (Shares, error) {
	v, ok := parseHundredths(s)
	if !ok || Shares(v) > MaxShares {
		return 0, ErrSharesSyntax.With(s)
	}
	return Shares(v), nil
}

// String returns the shares with two decimals: "12.50".
func (s Shares) String() string { return formatHundredths(int64(s)) }

// MarshalJSON renders shares as a JSON string, "12.50", so no reader takes
// them for a float.
func (s Shares) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON accepts shares as a string ("12.50") or a bare number.
func (s *Shares) UnmarshalJSON(b []byte) error {
	text := strings.Trim(string(b), `"`)
	v, err := ParseShares(text)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ShareKind is what a share type rewards (governance.md).
type ShareKind string

// Kinds of share types.
const (
	PersonShare     ShareKind = "person"     // 人口股: per member
	SeniorityShare  ShareKind = "seniority"  // 农龄股: per year of work in the collective
	CollectiveShare ShareKind = "collective" // 集体股: kept by the collective
	OtherShare      ShareKind = "other"      // named by the collective
)

// ShareKinds lists the kinds in the order forms offer them.
var ShareKinds = []ShareKind{PersonShare, SeniorityShare, CollectiveShare, OtherShare}

// Management is how a share type's holdings change with the membership:
// static (静态管理: the total is fixed at quantification and holdings only
// move, within and between households) or dynamic (动态管理: recomputed
// on a date by the type's rule, so the total follows the members).
type Management string

// Managements of share types.
const (
	Static  Management = "static"
	Dynamic Management = "dynamic"
)

// ShareType is one type of shares of a collective, quantified at a date.
type ShareType struct {
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	Kind         ShareKind  `json:"kind"`
	Management   Management `json:"management"`
	QuantifiedOn jiti.Date  `json:"quantified_on"`
	Total        Shares     `json:"total"` // the quantified total (static) or the last recomputed one
}

// Validate checks a share type's fields, naming each one at fault.
func (t *ShareType) Validate() error {
	var p problems
	checkCode(&p, t.Code)
	checkName(&p, t.Name, "name")
	checkEnum(&p, t.Kind, ShareKinds, "kind")
	checkEnum(&p, t.Management, []Management{Static, Dynamic}, "management")
	if t.QuantifiedOn.IsZero() {
		p.add(jiti.ErrRequired.At("quantified_on"))
	}
	if t.Total <= 0 || t.Total > MaxShares {
		p.add(ErrRange.With(t.Total, "0.01", MaxShares).At("total"))
	}
	return p.err()
}

// HolderKind says who holds shares: a member, a household (确权到户) or
// the collective itself (its 集体股, and what a paid withdrawal returns).
type HolderKind string

// Kinds of holders.
const (
	HeldByMember     HolderKind = "member"
	HeldByHousehold  HolderKind = "household"
	HeldByCollective HolderKind = "collective"
)

// Holder is who holds shares: a member or a household by its code in the
// collective's register, or the collective itself (no code).
type Holder struct {
	Kind HolderKind `json:"kind"`
	Code string     `json:"code,omitempty"`
}

// TheCollective is the collective as a holder.
var TheCollective = Holder{Kind: HeldByCollective}

func (h Holder) valid() bool {
	switch h.Kind {
	case HeldByMember, HeldByHousehold:
		return h.Code != ""
	case HeldByCollective:
		return h.Code == ""
	}
	return false
}

// ParseHolder reads a holder as "member:M001", "household:H001" or
// "collective"; "" is no holder. field names the input at fault.
func ParseHolder(s, field string) (Holder, error) {
	if s == "" {
		return Holder{}, nil
	}
	kind, code, _ := strings.Cut(strings.TrimSpace(s), ":")
	h := Holder{Kind: HolderKind(kind), Code: strings.TrimSpace(code)}
	if h.valid() {
		return h, nil
	}
	return h, ErrShareHolder.With(s).At(field)
}

// ShareChangeKind is what a dated, decided change of holdings does.
type ShareChangeKind string

// Kinds of share changes.
const (
	Quantify ShareChangeKind = "quantify" // 折股量化: unallocated shares to a holder
	Inherit  ShareChangeKind = "inherit"  // 继承: from a deceased member to an heir
	Gift     ShareChangeKind = "gift"     // 赠与: within the collective
	Move     ShareChangeKind = "move"     // 户内调整: between a household and its members
	Withdraw ShareChangeKind = "withdraw" // 有偿退出: back to the collective, for a price
	Pledge   ShareChangeKind = "pledge"   // 质押: holdings stay, but cannot move
	Release  ShareChangeKind = "release"  // 解除质押
	// Recompute is a dynamic type's recomputation by its rule, one entry
	// per holder (ShareBook.Recompute); never applied one by one.
	Recompute ShareChangeKind = "recompute"
)

// ShareChangeKinds lists the kinds of changes.
var ShareChangeKinds = []ShareChangeKind{Quantify, Inherit, Gift, Move, Withdraw, Pledge, Release}

// ShareChange is one entry of the share register: dated, resting on a
// decision, never edited; a correction is a later change.
type ShareChange struct {
	Kind     ShareChangeKind `json:"kind"`
	On       jiti.Date       `json:"date"`
	Type     string          `json:"type"` // the share type's code
	From     Holder          `json:"from,omitzero"`
	To       Holder          `json:"to,omitzero"`
	Qty      Shares          `json:"qty"`
	Price    jiti.Amount     `json:"price,omitempty"`    // a paid withdrawal's price
	Decision int64           `json:"decision,omitempty"` // the decision it rests on
}

// Errors of the share register.
var (
	ErrSharesSyntax     = jiti.Errorf(jiti.Invalid, "shares.syntax")
	ErrShareType        = jiti.Errorf(jiti.Invalid, "shares.unknown_type")
	ErrShareHolder      = jiti.Errorf(jiti.Invalid, "shares.holder")
	ErrShareSameHolder  = jiti.Errorf(jiti.Invalid, "shares.same_holder")
	ErrShareOrder       = jiti.Errorf(jiti.Invalid, "shares.before_last")
	ErrShareBeforeQuant = jiti.Errorf(jiti.Invalid, "shares.before_quantified")
	ErrShareExceeds     = jiti.Errorf(jiti.Conflict, "shares.exceeds_free")
	ErrShareUnallocated = jiti.Errorf(jiti.Conflict, "shares.exceeds_unallocated")
	ErrSharePledged     = jiti.Errorf(jiti.Conflict, "shares.exceeds_pledged")
	ErrSharePrice       = jiti.Errorf(jiti.Invalid, "shares.price")
	ErrShareDecision    = jiti.Errorf(jiti.Invalid, "shares.decision")
	ErrShareDynamic     = jiti.Errorf(jiti.Conflict, "shares.dynamic")
	ErrShareReconcile   = jiti.Errorf(jiti.Internal, "shares.reconcile")
)

// holding is one holder's shares of one type.
type holding struct {
	typ    string
	holder Holder
}

// ShareBook is the state of a collective's share register: its types and
// who holds what, built by applying its changes in order. It keeps the
// one invariant of the register: for every type, the holdings and the
// unallocated rest add up to the type's total, and no holder has less
// than nothing, nor more pledged than held.
type ShareBook struct {
	types   map[string]*ShareType
	held    map[holding]Shares
	pledged map[holding]Shares
	last    map[string]jiti.Date // each type's last change: changes come in date order
	// allocated is what of each type its holders hold, kept by Apply and
	// Recompute so that a quantification checks its rest in constant
	// time (a village's thousands of quantifications were quadratic).
	allocated map[string]Shares
}

// NewShareBook starts a register with its share types, nothing allocated.
func NewShareBook(types []ShareType) (*ShareBook, error) {
	b := &ShareBook{types: map[string]*ShareType{}, held: map[holding]Shares{}, pledged: map[holding]Shares{}, last: map[string]jiti.Date{},
		allocated: map[string]Shares{}}
	for _, t := range types {
		if err := b.AddType(t); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// ErrShareTypeTwice is a type added twice to one register.
var ErrShareTypeTwice = jiti.Errorf(jiti.Conflict, "shares.type_taken")

// AddType adds a share type, nothing of it allocated yet.
func (b *ShareBook) AddType(t ShareType) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if _, ok := b.types[t.Code]; ok {
		return ErrShareTypeTwice.With(t.Code).At("code")
	}
	b.types[t.Code] = &t
	return nil
}

// Apply checks a change against the register and, when it is allowed,
// records it. A refused change leaves the register as it was.
func (b *ShareBook) Apply(c ShareChange) error {
	if err := b.check(c); err != nil {
		return err
	}
	from, to := holding{c.Type, c.From}, holding{c.Type, c.To}
	switch c.Kind {
	case Quantify:
		b.held[to] += c.Qty
		b.allocated[c.Type] += c.Qty
	case Inherit, Gift, Move:
		b.held[from] -= c.Qty
		b.held[to] += c.Qty
	case Withdraw:
		b.held[from] -= c.Qty
		b.held[holding{c.Type, TheCollective}] += c.Qty
	case Pledge:
		b.pledged[from] += c.Qty
	case Release:
		b.pledged[from] -= c.Qty
	}
	b.tidy(from)
	b.tidy(to)
	b.last[c.Type] = c.On
	return nil
}

// check says whether c may be applied, naming the field at fault.
func (b *ShareBook) check(c ShareChange) error {
	t, ok := b.types[c.Type]
	if !ok {
		return ErrShareType.With(c.Type).At("type")
	}
	var p problems
	checkEnum(&p, c.Kind, ShareChangeKinds, "kind")
	switch {
	case c.On.IsZero():
		p.add(jiti.ErrRequired.At("date"))
	case c.On.Before(t.QuantifiedOn):
		p.add(ErrShareBeforeQuant.With(c.On, t.QuantifiedOn).At("date"))
	case c.On.Before(b.last[c.Type]):
		p.add(ErrShareOrder.With(c.On, b.last[c.Type]).At("date"))
	}
	if c.Qty <= 0 || c.Qty > MaxShares {
		p.add(ErrRange.With(c.Qty, "0.01", MaxShares).At("qty"))
	}
	if c.Decision <= 0 && c.Kind != Release {
		p.add(ErrShareDecision.At("decision"))
	}
	if c.Kind == Withdraw && c.Price <= 0 {
		p.add(ErrSharePrice.At("price"))
	}
	if c.Kind != Withdraw && c.Price != 0 {
		p.add(ErrSharePrice.At("price"))
	}
	b.checkHolders(&p, c)
	if err := p.err(); err != nil {
		return err
	}
	if t.Management == Dynamic && c.Kind != Pledge && c.Kind != Release {
		// A dynamic type's holdings follow its rule (Recompute); moving
		// them by hand would be undone at the next recomputation.
		return ErrShareDynamic.With(t.Code).At("type")
	}
	return b.checkQty(c)
}

func (b *ShareBook) checkHolders(p *problems, c ShareChange) {
	needFrom := c.Kind != Quantify
	needTo := c.Kind == Quantify || c.Kind == Inherit || c.Kind == Gift || c.Kind == Move
	// The collective receives withdrawn shares but never gives or
	// pledges its own: its 集体股 is not a member's to move.
	if needFrom && (!c.From.valid() || c.From.Kind == HeldByCollective) {
		p.add(ErrShareHolder.At("from"))
	}
	if !needFrom && c.From != (Holder{}) {
		p.add(ErrShareHolder.At("from"))
	}
	if needTo && !c.To.valid() {
		p.add(ErrShareHolder.At("to"))
	}
	if !needTo && c.To != (Holder{}) {
		p.add(ErrShareHolder.At("to"))
	}
	if needFrom && needTo && c.From == c.To {
		p.add(ErrShareSameHolder.At("to"))
	}
}

// checkQty checks the quantity against what the holder may give: the
// unallocated rest for a quantification, the free (unpledged) holding for
// a move, the pledged part for a release.
func (b *ShareBook) checkQty(c ShareChange) error {
	from := holding{c.Type, c.From}
	switch c.Kind {
	case Quantify:
		if rest := b.Unallocated(c.Type); c.Qty > rest {
			return ErrShareUnallocated.With(c.Qty, rest).At("qty")
		}
	case Release:
		if c.Qty > b.pledged[from] {
			return ErrSharePledged.With(c.Qty, b.pledged[from]).At("qty")
		}
	default:
		if free := b.held[from] - b.pledged[from]; c.Qty > free {
			return ErrShareExceeds.With(c.Qty, free).At("qty")
		}
	}
	return nil
}

// tidy forgets empty holdings, so Holdings lists only holders.
func (b *ShareBook) tidy(h holding) {
	if b.held[h] == 0 {
		delete(b.held, h)
	}
	if b.pledged[h] == 0 {
		delete(b.pledged, h)
	}
}

// Unallocated is what of a type's total no one holds yet.
func (b *ShareBook) Unallocated(typ string) Shares {
	t, ok := b.types[typ]
	if !ok {
		return 0
	}
	return t.Total - b.allocated[typ]
}

// Held is what a holder holds of a type, and how much of it is pledged.
func (b *ShareBook) Held(typ string, h Holder) (held, pledged Shares) {
	k := holding{typ, h}
	return b.held[k], b.pledged[k]
}

// Holding is one line of the register's holdings.
type Holding struct {
	Type    string `json:"type"`
	Holder  Holder `json:"holder"`
	Qty     Shares `json:"qty"`
	Pledged Shares `json:"pledged,omitempty"`
}

// Holdings lists every holding, by type, then holder kind and code.
func (b *ShareBook) Holdings() []Holding {
	out := make([]Holding, 0, len(b.held))
	for h, q := range b.held {
		out = append(out, Holding{Type: h.typ, Holder: h.holder, Qty: q, Pledged: b.pledged[h]})
	}
	slices.SortFunc(out, func(x, y Holding) int {
		return cmp.Or(cmp.Compare(x.Type, y.Type), cmp.Compare(x.Holder.Kind, y.Holder.Kind), cmp.Compare(x.Holder.Code, y.Holder.Code))
	})
	return out
}

// Recompute sets a dynamic type's holdings on a date to what its rule
// gives (computed by the caller from the members on that date: one 人口股
// per active member, 农龄股 by years…): the total becomes their sum and
// pledges stay where the holding still covers them.
func (b *ShareBook) Recompute(typ string, on jiti.Date, holdings map[Holder]Shares) error {
	t, ok := b.types[typ]
	if !ok {
		return ErrShareType.With(typ).At("type")
	}
	if t.Management != Dynamic {
		return ErrShareDynamic.With(typ).At("type")
	}
	if on.Before(b.last[typ]) || on.Before(t.QuantifiedOn) {
		return ErrShareOrder.With(on, b.last[typ]).At("date")
	}
	var total Shares
	for h, q := range holdings {
		if !h.valid() || q < 0 || q > MaxShares {
			return ErrShareHolder.At("holdings")
		}
		if held := b.pledged[holding{typ, h}]; q < held {
			return ErrSharePledged.With(q, held).At("holdings")
		}
		total += q
	}
	for h := range b.held {
		if h.typ == typ && b.pledged[h] > holdings[h.holder] {
			return ErrSharePledged.With(holdings[h.holder], b.pledged[h]).At("holdings")
		}
	}
	if total == 0 || total > MaxShares {
		return ErrRange.With(total, "0.01", MaxShares).At("holdings")
	}
	for h := range b.held {
		if h.typ == typ {
			delete(b.held, h)
		}
	}
	for h, q := range holdings {
		if q > 0 {
			b.held[holding{typ, h}] = q
		}
	}
	t.Total, b.last[typ], b.allocated[typ] = total, on, total
	return nil
}

// Reconcile checks the register's invariant: for every type, holdings and
// the unallocated rest add up to its total, none is negative, and no
// pledge exceeds its holding. Apply keeps it; Reconcile proves it, for
// the store to run after loading a register and for the tests.
func (b *ShareBook) Reconcile() error {
	for code, t := range b.types {
		var sum Shares
		for h, q := range b.held {
			if h.typ != code {
				continue
			}
			if q < 0 || b.pledged[h] > q {
				return ErrShareReconcile.With(code)
			}
			sum += q
		}
		if sum > t.Total {
			return ErrShareReconcile.With(code)
		}
	}
	for h, q := range b.pledged {
		if q < 0 || q > b.held[h] {
			return ErrShareReconcile.With(h.typ)
		}
	}
	return nil
}

// ShareRule is how a type's shares are counted per member, at
// quantification (static types) and at every recomputation (dynamic
// ones): "per_member:1" gives each member active on the date one share;
// "seniority:16" gives each active member one share per full year since
// their 16th birthday (农龄 counted from working age), none without a
// birth date. A type without a rule is quantified by hand.
type ShareRule struct {
	Kind string // "per_member" or "seniority"
	Per  Shares // per_member: shares each
	Age  int    // seniority: the age counting starts at
}

// ErrShareRule is a rule that cannot be read.
var ErrShareRule = jiti.Errorf(jiti.Invalid, "shares.rule")

// ParseShareRule reads a rule as String writes it; "" is no rule.
func ParseShareRule(s string) (ShareRule, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return ShareRule{}, nil
	}
	kind, arg, _ := strings.Cut(s, ":")
	switch kind {
	case "per_member":
		per, err := ParseShares(arg)
		if err == nil && per > 0 {
			return ShareRule{Kind: kind, Per: per}, nil
		}
	case "seniority":
		age, err := strconv.Atoi(arg)
		if err == nil && age >= 0 && age <= 100 {
			return ShareRule{Kind: kind, Age: age}, nil
		}
	}
	return ShareRule{}, ErrShareRule.With(s).At("rule")
}

// String writes the rule as ParseShareRule reads it.
func (r ShareRule) String() string {
	switch r.Kind {
	case "per_member":
		return r.Kind + ":" + strings.TrimSuffix(strings.TrimSuffix(r.Per.String(), "0"), ".0")
	case "seniority":
		return r.Kind + ":" + strconv.Itoa(r.Age)
	}
	return ""
}

// IsZero says whether there is no rule.
func (r ShareRule) IsZero() bool { return r.Kind == "" }

// Holdings gives each member active on date what the rule counts for
// them, by member; members with nothing are left out.
func (r ShareRule) Holdings(members []Member, on jiti.Date) map[Holder]Shares {
	out := map[Holder]Shares{}
	for i := range members {
		m := &members[i]
		if !activeOn(m, on) {
			continue
		}
		var q Shares
		switch r.Kind {
		case "per_member":
			q = r.Per
		case "seniority":
			if !m.BornOn.IsZero() {
				q = Shares(max(fullYears(m.BornOn, on)-r.Age, 0)) * 100
			}
		}
		if q > 0 {
			out[Holder{Kind: HeldByMember, Code: m.Code}] = q
		}
	}
	return out
}

// fullYears is the number of whole years from born to on.
func fullYears(born, on jiti.Date) int {
	n := on.Year - born.Year
	if on.Month < born.Month || on.Month == born.Month && on.Day < born.Day {
		n--
	}
	return n
}

// activeOn says whether m was an active member on date: confirmed by
// then, and still active, or not yet out on that date (a member's present
// status is where its history ends, StatusSince when it began).
func activeOn(m *Member, on jiti.Date) bool {
	if m.ConfirmedOn.IsZero() || on.Before(m.ConfirmedOn) {
		return false
	}
	return m.Status == MemberActive || on.Before(m.StatusSince)
}

// ShareTypeRow is a share type as the register lists it, with what of it
// is held and what is not yet allocated.
type ShareTypeRow struct {
	ShareType
	Rule        string `json:"rule,omitempty"`
	Held        Shares `json:"held"`
	Unallocated Shares `json:"unallocated"`
}

// ShareEntry is one entry of the register's log: a change as recorded,
// with the number of its decision.
type ShareEntry struct {
	ID         int64       `json:"id"`
	Batch      int64       `json:"-"`
	Change     ShareChange `json:"change"`
	Decision   string      `json:"decision,omitempty"`
	Note       string      `json:"note,omitempty"`
	RecordedAt time.Time   `json:"recorded_at"`
}
