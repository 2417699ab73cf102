package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The share register keeps three things (migration 18): the types, the
// changes (which only grow) and the holdings they give. Every act loads
// the register by replaying its changes through register.ShareBook,
// applies the new ones there — where the rules live — and writes the
// changes with the holdings they touched; verify replays them again and
// compares with the holdings kept.

// ShareTypeInput is a share type to create, quantified at once: by its
// rule over the members active on its quantification date, or, for the
// collective's own type (集体股) without a rule, its total to the
// collective. A type of any other kind without a rule starts with nothing
// allocated and is quantified by hand (ChangeShares).
type ShareTypeInput struct {
	Type     register.ShareType
	Rule     register.ShareRule
	Decision string // the number of the decision that quantified it
}

// ShareChangeInput is a change of holdings asked for, with the number of
// the decision it rests on.
type ShareChangeInput struct {
	Change   register.ShareChange
	Decision string
	Note     string
}

// Errors of the share register.
var (
	ErrShareTypeTaken  = register.ErrShareTypeTwice
	ErrShareNoMembers  = jiti.Errorf(jiti.Invalid, "shares.no_members")
	ErrShareHolderGone = jiti.Errorf(jiti.Invalid, "shares.holder_unknown")
	ErrShareNotActive  = jiti.Errorf(jiti.Invalid, "shares.holder_not_active")
	ErrShareNotHeir    = jiti.Errorf(jiti.Invalid, "shares.not_deceased")
	ErrShareNoRule     = jiti.Errorf(jiti.Invalid, "shares.no_rule")
)

// CreateShareType adds a share type to collective cid and quantifies it.
func (db *DB) CreateShareType(ctx context.Context, by jiti.UserID, cid int64, in ShareTypeInput) error {
	return db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		typ := in.Type
		dec, err := t.adoptedDecision(ctx, cid, in.Decision, typ.QuantifiedOn)
		if err != nil {
			return jiti.AsError(err).At("decision")
		}
		var holdings map[register.Holder]register.Shares
		switch {
		case !in.Rule.IsZero():
			ms, err := t.shareMembers(ctx, cid)
			if err != nil {
				return err
			}
			holdings = in.Rule.Holdings(ms, typ.QuantifiedOn)
			if len(holdings) == 0 {
				return ErrShareNoMembers.With(typ.QuantifiedOn).At("rule")
			}
			typ.Total = 0
			for _, q := range holdings {
				typ.Total += q
			}
		case typ.Kind == register.CollectiveShare:
			holdings = map[register.Holder]register.Shares{register.TheCollective: typ.Total}
		case typ.Management == register.Dynamic:
			return ErrShareNoRule.At("rule")
		}
		if err := typ.Validate(); err != nil {
			return err
		}
		b, err := t.shareBook(ctx, cid)
		if err != nil {
			return err
		}
		if err := b.AddType(typ); err != nil {
			return err
		}
		err = t.queryRow(ctx, `INSERT INTO share_types (collective_id, code, name, kind, management, rule, quantified_on, total, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, cid, typ.Code, typ.Name, string(typ.Kind), string(typ.Management),
			in.Rule.String(), dateArg(typ.QuantifiedOn), int64(typ.Total), timeArg(t.now)).Scan(new(int64))
		if isUnique(err) {
			return ErrShareTypeTaken.With(typ.Code).At("code")
		}
		if err != nil {
			return err
		}
		var changes []register.ShareChange
		if typ.Management == register.Dynamic {
			if err := b.Recompute(typ.Code, typ.QuantifiedOn, holdings); err != nil {
				return err
			}
			changes = recomputeChanges(typ.Code, typ.QuantifiedOn, holdings, dec)
		} else {
			for _, h := range sortedHolders(holdings) {
				c := register.ShareChange{Kind: register.Quantify, On: typ.QuantifiedOn, Type: typ.Code, To: h, Qty: holdings[h], Decision: dec}
				if err := b.Apply(c); err != nil {
					return err
				}
				changes = append(changes, c)
			}
		}
		if err := t.writeShareChanges(ctx, cid, b, changes, nil); err != nil {
			return err
		}
		return t.audit(ctx, by, "shares.type_create", "collective", cid, cid, nil,
			map[string]any{"type": typ, "rule": in.Rule.String(), "decision": in.Decision, "holders": len(changes)})
	})
}

// ChangeShares applies dated, decided changes of holdings to collective
// cid's register, all or none; an error names the item at fault.
func (db *DB) ChangeShares(ctx context.Context, by jiti.UserID, cid int64, ins []ShareChangeInput) error {
	return db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		b, err := t.shareBook(ctx, cid)
		if err != nil {
			return err
		}
		people, err := t.shareHolders(ctx, cid)
		if err != nil {
			return err
		}
		var changes []register.ShareChange
		var notes []string
		for i, in := range ins {
			c := in.Change
			if in.Decision != "" {
				if c.Decision, err = t.adoptedDecision(ctx, cid, in.Decision, c.On); err != nil {
					return atItem(jiti.AsError(err).At("decision"), i)
				}
			}
			if err := people.check(c); err != nil {
				return atItem(err, i)
			}
			if err := b.Apply(c); err != nil {
				return atItem(err, i)
			}
			changes = append(changes, c)
			notes = append(notes, in.Note)
		}
		if err := t.writeShareChanges(ctx, cid, b, changes, notes); err != nil {
			return err
		}
		return t.audit(ctx, by, "shares.change", "collective", cid, cid, nil, map[string]any{"changes": ins})
	})
}

// RecomputeShares recomputes a dynamic type's holdings on date by its
// rule over the members active then.
func (db *DB) RecomputeShares(ctx context.Context, by jiti.UserID, cid int64, typeCode string, on jiti.Date, decision string) error {
	return db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		dec, err := t.adoptedDecision(ctx, cid, decision, on)
		if err != nil {
			return jiti.AsError(err).At("decision")
		}
		var ruleText string
		err = t.queryRow(ctx, `SELECT rule FROM share_types WHERE collective_id = ? AND code = ?`, cid, typeCode).Scan(&ruleText)
		if errors.Is(err, sql.ErrNoRows) {
			return register.ErrShareType.With(typeCode).At("type")
		}
		if err != nil {
			return err
		}
		rule, err := register.ParseShareRule(ruleText)
		if err != nil || rule.IsZero() {
			return ErrShareNoRule.At("type")
		}
		ms, err := t.shareMembers(ctx, cid)
		if err != nil {
			return err
		}
		b, err := t.shareBook(ctx, cid)
		if err != nil {
			return err
		}
		holdings := rule.Holdings(ms, on)
		if err := b.Recompute(typeCode, on, holdings); err != nil {
			return err
		}
		// The holders the rule no longer counts lose their holding:
		// writeShareChanges rewrites every holding of the type.
		if _, err := t.exec(ctx, `UPDATE share_types SET total = ? WHERE collective_id = ? AND code = ?`,
			int64(sumShares(holdings)), cid, typeCode); err != nil {
			return err
		}
		if err := t.writeShareChanges(ctx, cid, b, recomputeChanges(typeCode, on, holdings, dec), nil); err != nil {
			return err
		}
		return t.audit(ctx, by, "shares.recompute", "collective", cid, cid, nil,
			map[string]any{"type": typeCode, "date": on, "decision": decision, "holders": len(holdings)})
	})
}

func recomputeChanges(typ string, on jiti.Date, holdings map[register.Holder]register.Shares, dec int64) []register.ShareChange {
	var out []register.ShareChange
	for _, h := range sortedHolders(holdings) {
		out = append(out, register.ShareChange{Kind: register.Recompute, On: on, Type: typ, To: h, Qty: holdings[h], Decision: dec})
	}
	return out
}

func sumShares(holdings map[register.Holder]register.Shares) register.Shares {
	var s register.Shares
	for _, q := range holdings {
		s += q
	}
	return s
}

// writeShareChanges writes the changes of one act as one batch (the
// collective's next batch number: an act's entries, a recomputation's
// above all, are found together again), then rewrites the holdings of
// every type they touch as b now holds them. Rows go in bulk: quantifying
// a village's shares writes a row per member.
func (t *Tx) writeShareChanges(ctx context.Context, cid int64, b *register.ShareBook, changes []register.ShareChange, notes []string) error {
	var batch int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(batch), 0) + 1 FROM share_changes WHERE collective_id = ?`, cid).Scan(&batch); err != nil {
		return err
	}
	types := map[string]bool{}
	rows := make([][]any, len(changes))
	for i, c := range changes {
		note := ""
		if i < len(notes) {
			note = notes[i]
		}
		rows[i] = []any{cid, batch, string(c.Kind), t.d.copyDate(c.On), c.Type, string(c.From.Kind), c.From.Code, string(c.To.Kind), c.To.Code,
			int64(c.Qty), int64(c.Price), nullID(c.Decision), note, t.d.copyTime(t.now)}
		types[c.Type] = true
	}
	if err := t.bulkInsert(ctx, "share_changes", []string{"collective_id", "batch", "kind", "on_date", "type_code", "from_kind", "from_code",
		"to_kind", "to_code", "qty", "price", "decision_id", "note", "recorded_at"}, rows); err != nil {
		return err
	}
	var held [][]any
	for typ := range types {
		if _, err := t.exec(ctx, `DELETE FROM share_holdings WHERE collective_id = ? AND type_code = ?`, cid, typ); err != nil {
			return err
		}
		for _, h := range b.Holdings() {
			if h.Type == typ {
				held = append(held, []any{cid, typ, string(h.Holder.Kind), h.Holder.Code, int64(h.Qty), int64(h.Pledged)})
			}
		}
	}
	return t.bulkInsert(ctx, "share_holdings", []string{"collective_id", "type_code", "holder_kind", "holder_code", "qty", "pledged"}, held)
}

// shareBook loads collective cid's share register by replaying its
// changes in order.
func (t *Tx) shareBook(ctx context.Context, cid int64) (*register.ShareBook, error) {
	return loadShareBook(ctx, t, cid)
}

func loadShareBook(ctx context.Context, q querier, cid int64) (*register.ShareBook, error) {
	types, _, err := loadShareTypes(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	// A dynamic type's total is what its last recomputation gave: replay
	// starts from nothing and Recompute sets it again.
	b, err := register.NewShareBook(nil)
	if err != nil {
		return nil, err
	}
	for _, typ := range types {
		if err := b.AddType(typ); err != nil {
			return nil, err
		}
	}
	changes, err := loadShareChanges(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(changes); {
		c := changes[i].Change
		if c.Kind != register.Recompute {
			if err := b.Apply(c); err != nil {
				return nil, fmt.Errorf("share change %d: %w", changes[i].ID, err)
			}
			i++
			continue
		}
		holdings := map[register.Holder]register.Shares{}
		j := i
		for ; j < len(changes) && changes[j].Batch == changes[i].Batch && changes[j].Change.Kind == register.Recompute; j++ {
			holdings[changes[j].Change.To] = changes[j].Change.Qty
		}
		if err := b.Recompute(c.Type, c.On, holdings); err != nil {
			return nil, fmt.Errorf("share recomputation %d: %w", changes[i].ID, err)
		}
		i = j
	}
	return b, nil
}

func loadShareTypes(ctx context.Context, q querier, cid int64) ([]register.ShareType, []string, error) {
	rows, err := q.query(ctx, `SELECT code, name, kind, management, rule, quantified_on, total FROM share_types WHERE collective_id = ? ORDER BY id`, cid)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var types []register.ShareType
	var rules []string
	for rows.Next() {
		var typ register.ShareType
		var kind, mgmt, rule string
		var total int64
		if err := rows.Scan(&typ.Code, &typ.Name, &kind, &mgmt, &rule, dbDate{&typ.QuantifiedOn}, &total); err != nil {
			return nil, nil, err
		}
		typ.Kind, typ.Management, typ.Total = register.ShareKind(kind), register.Management(mgmt), register.Shares(total)
		types = append(types, typ)
		rules = append(rules, rule)
	}
	return types, rules, rows.Err()
}

func loadShareChanges(ctx context.Context, q querier, cid int64) ([]register.ShareEntry, error) {
	rows, err := q.query(ctx, `SELECT c.id, c.batch, c.kind, c.on_date, c.type_code, c.from_kind, c.from_code, c.to_kind, c.to_code,
  c.qty, c.price, COALESCE(c.decision_id, 0), COALESCE(d.number, ''), c.note, c.recorded_at
FROM share_changes c LEFT JOIN decisions d ON d.id = c.decision_id WHERE c.collective_id = ? ORDER BY c.id`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.ShareEntry
	for rows.Next() {
		var r register.ShareEntry
		var kind, fk, tk string
		var qty, price int64
		c := &r.Change
		if err := rows.Scan(&r.ID, &r.Batch, &kind, dbDate{&c.On}, &c.Type, &fk, &c.From.Code, &tk, &c.To.Code,
			&qty, &price, &c.Decision, &r.Decision, &r.Note, dbTime{&r.RecordedAt}); err != nil {
			return nil, err
		}
		c.Kind, c.From.Kind, c.To.Kind = register.ShareChangeKind(kind), register.HolderKind(fk), register.HolderKind(tk)
		c.Qty, c.Price = register.Shares(qty), jiti.Amount(price)
		out = append(out, r)
	}
	return out, rows.Err()
}

// shareMembers reads a collective's members as the share rules need them.
func (t *Tx) shareMembers(ctx context.Context, cid int64) ([]register.Member, error) {
	rows, err := t.query(ctx, `SELECT code, household_code, born_on, confirmed_on, status, status_since FROM members WHERE collective_id = ? ORDER BY code`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.Member
	for rows.Next() {
		var m register.Member
		var status string
		if err := rows.Scan(&m.Code, &m.Household, dbDate{&m.BornOn}, dbDate{&m.ConfirmedOn}, &status, dbDate{&m.StatusSince}); err != nil {
			return nil, err
		}
		m.Status = register.MemberStatus(status)
		out = append(out, m)
	}
	return out, rows.Err()
}

// holderIndex is who may hold shares in a collective: its members with
// their status, and its households.
type holderIndex struct {
	members    map[string]register.MemberStatus
	households map[string]bool
}

func (t *Tx) shareHolders(ctx context.Context, cid int64) (*holderIndex, error) {
	x := &holderIndex{members: map[string]register.MemberStatus{}, households: map[string]bool{}}
	ms, err := t.shareMembers(ctx, cid)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		x.members[m.Code] = m.Status
	}
	if x.households, err = t.codes(ctx, `SELECT code FROM households WHERE collective_id = ?`, cid); err != nil {
		return nil, err
	}
	return x, nil
}

// check says whether a change's holders are the collective's: a member
// or household of its register; shares go only to active members; an
// inheritance comes from a deceased member.
func (x *holderIndex) check(c register.ShareChange) error {
	for _, h := range []struct {
		holder register.Holder
		field  string
	}{{c.From, "from"}, {c.To, "to"}} {
		switch h.holder.Kind {
		case register.HeldByMember:
			status, ok := x.members[h.holder.Code]
			if !ok {
				return ErrShareHolderGone.With(h.holder.Code).At(h.field)
			}
			if h.field == "to" && status != register.MemberActive {
				return ErrShareNotActive.With(h.holder.Code).At(h.field)
			}
		case register.HeldByHousehold:
			if !x.households[h.holder.Code] {
				return ErrShareHolderGone.With(h.holder.Code).At(h.field)
			}
		}
	}
	if c.Kind == register.Inherit && (c.From.Kind != register.HeldByMember || x.members[c.From.Code] != register.MemberDeceased) {
		return ErrShareNotHeir.With(c.From.Code).At("from")
	}
	return nil
}

func sortedHolders(m map[register.Holder]register.Shares) []register.Holder {
	out := make([]register.Holder, 0, len(m))
	for h := range m {
		out = append(out, h)
	}
	sortHolders(out)
	return out
}

// sortHolders orders holders as registers list them: the collective,
// households, members, each by code.
func sortHolders(hs []register.Holder) {
	rank := map[register.HolderKind]int{register.HeldByCollective: 0, register.HeldByHousehold: 1, register.HeldByMember: 2}
	slices.SortFunc(hs, func(a, b register.Holder) int {
		return cmp.Or(cmp.Compare(rank[a.Kind], rank[b.Kind]), cmp.Compare(a.Code, b.Code))
	})
}

// ShareRegister is a collective's share register as read: its types with
// what is held and unallocated, its holdings, and its log.
type ShareRegister struct {
	Types    []register.ShareTypeRow `json:"types"`
	Holdings []register.Holding      `json:"holdings"`
	Changes  []register.ShareEntry   `json:"changes"`
}

// ShareRegister reads collective cid's share register; the holdings are
// the ones kept (verify checks them against the changes).
func (v *View) ShareRegister(ctx context.Context, cid int64) (*ShareRegister, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.shareRegister(ctx, cid)
}

// ShareRegister reads collective cid's share register, for the command
// line, which runs as the deployment's operator.
func (db *DB) ShareRegister(ctx context.Context, cid int64) (*ShareRegister, error) {
	return db.shareRegister(ctx, cid)
}

func (db *DB) shareRegister(ctx context.Context, cid int64) (*ShareRegister, error) {
	q := db.reader()
	types, rules, err := loadShareTypes(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	hs, err := loadHoldings(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	changes, err := loadShareChanges(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	r := &ShareRegister{Holdings: hs, Changes: changes}
	for i, typ := range types {
		row := register.ShareTypeRow{ShareType: typ, Rule: rules[i]}
		for _, h := range hs {
			if h.Type == typ.Code {
				row.Held += h.Qty
			}
		}
		row.Unallocated = typ.Total - row.Held
		r.Types = append(r.Types, row)
	}
	return r, nil
}

func loadHoldings(ctx context.Context, q querier, cid int64) ([]register.Holding, error) {
	rows, err := q.query(ctx, `SELECT type_code, holder_kind, holder_code, qty, pledged FROM share_holdings WHERE collective_id = ?
ORDER BY type_code, holder_kind, holder_code`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.Holding
	for rows.Next() {
		var h register.Holding
		var kind string
		var qty, pledged int64
		if err := rows.Scan(&h.Type, &kind, &h.Holder.Code, &qty, &pledged); err != nil {
			return nil, err
		}
		h.Holder.Kind, h.Qty, h.Pledged = register.HolderKind(kind), register.Shares(qty), register.Shares(pledged)
		out = append(out, h)
	}
	return out, rows.Err()
}

// HouseholdShares is what a household holds, by share type: its own
// holdings and its members' (确权到户).
type HouseholdShares struct {
	Household string                     `json:"household"`
	ByType    map[string]register.Shares `json:"by_type"`
	Total     register.Shares            `json:"total"`
}

// HouseholdShares adds up collective cid's holdings per household, its
// members' holdings counted in the household they belong to now; the
// collective's own holdings are left out. Households are in code order.
func (db *DB) HouseholdShares(ctx context.Context, cid int64) ([]HouseholdShares, error) {
	return householdShares(ctx, db.reader(), cid)
}

func householdShares(ctx context.Context, q querier, cid int64) ([]HouseholdShares, error) {
	rows, err := q.query(ctx, `SELECT h.type_code, CASE WHEN h.holder_kind = 'household' THEN h.holder_code ELSE COALESCE(m.household_code, '') END, h.qty
FROM share_holdings h LEFT JOIN members m ON h.holder_kind = 'member' AND m.collective_id = h.collective_id AND m.code = h.holder_code
WHERE h.collective_id = ? AND h.holder_kind <> 'collective'`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	by := map[string]*HouseholdShares{}
	for rows.Next() {
		var typ, household string
		var qty int64
		if err := rows.Scan(&typ, &household, &qty); err != nil {
			return nil, err
		}
		hs := by[household]
		if hs == nil {
			hs = &HouseholdShares{Household: household, ByType: map[string]register.Shares{}}
			by[household] = hs
		}
		hs.ByType[typ] += register.Shares(qty)
		hs.Total += register.Shares(qty)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]HouseholdShares, 0, len(by))
	for _, hs := range by {
		out = append(out, *hs)
	}
	slices.SortFunc(out, func(a, b HouseholdShares) int { return cmp.Compare(a.Household, b.Household) })
	return out, nil
}

// verifyShares replays collective cid's share changes and compares what
// they give with the holdings kept: a holding changed behind the
// program's back, or a change that breaks the register's rules, is named.
func (db *DB) verifyShares(ctx context.Context, cid int64, rep *VerifyReport) error {
	q := db.reader()
	problem := func(detail string) {
		rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, Entity: "shares", Kind: "verify.shares", Detail: detail})
	}
	b, err := loadShareBook(ctx, q, cid)
	if err != nil {
		problem(err.Error())
		return nil
	}
	if err := b.Reconcile(); err != nil {
		problem(err.Error())
	}
	kept, err := loadHoldings(ctx, q, cid)
	if err != nil {
		return err
	}
	want := b.Holdings()
	sortHoldings(kept)
	sortHoldings(want)
	if !slices.Equal(kept, want) {
		problem(fmt.Sprintf("the holdings kept (%d) differ from what the changes give (%d)", len(kept), len(want)))
	}
	return nil
}

func sortHoldings(hs []register.Holding) {
	slices.SortFunc(hs, func(a, b register.Holding) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Holder.Kind, b.Holder.Kind), cmp.Compare(a.Holder.Code, b.Holder.Code))
	})
}
