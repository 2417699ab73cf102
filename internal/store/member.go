package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/register"
)

// The members' register (package register holds its rules): members are
// confirmed in batches, all or none, written by the bulk insert paths so
// that a village's register of thousands imports in a moment; each change
// of status is one more dated entry. The one rule that needs every
// collective is here: a person, found by the HMAC of their identity
// number, is an active member of one collective at a time. The index
// members_active_id holds it in the database too, so that two collectives
// confirming the same person at once cannot both succeed.

// Errors of the members' register.
var (
	// ErrActiveElsewhere reports a person already active in a collective;
	// Args: that collective's code and name (never the number).
	ErrActiveElsewhere = jiti.Errorf(jiti.Conflict, "member.active_elsewhere")
	ErrMemberCodeTaken = jiti.Errorf(jiti.Conflict, "member.code_taken")
	ErrIDTwice         = jiti.Errorf(jiti.Invalid, "member.id_twice")
	ErrMemberUnknown   = jiti.Errorf(jiti.Invalid, "member.unknown")
	// ErrHeadNotActive and ErrHeadElsewhere refuse a household's head who
	// is not an active member, or who belongs to another household (Args:
	// the member, their household).
	ErrHeadNotActive = jiti.Errorf(jiti.Invalid, "member.head_not_active")
	ErrHeadElsewhere = jiti.Errorf(jiti.Invalid, "member.head_elsewhere")
)

// maxBatchErrors bounds the errors a batch reports, like an import's.
const maxBatchErrors = 1000

// CreateMembers confirms members of collective cid, all or none. Each
// error names its item ("items[3].id_number"). A member of a household
// who is its head (register.RelHead) becomes the head of a household that
// has none.
func (db *DB) CreateMembers(ctx context.Context, by jiti.UserID, cid int64, ms []register.Member) error {
	return db.tx(ctx, func(tx *Tx) error {
		return tx.createMembers(ctx, by, cid, ms)
	})
}

func (t *Tx) createMembers(ctx context.Context, by jiti.UserID, cid int64, ms []register.Member) error {
	if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
		return err
	}
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return err
	}
	households, err := t.codes(ctx, `SELECT code FROM households WHERE collective_id = ?`, cid)
	if err != nil {
		return err
	}
	taken, err := t.codes(ctx, `SELECT code FROM members WHERE collective_id = ?`, cid)
	if err != nil {
		return err
	}
	today := jiti.DateOf(t.now)
	var errs jiti.Errors
	bad := func(i int, err error) {
		if len(errs) < maxBatchErrors {
			errs = append(errs, problemList(atItem(err, i))...)
		}
	}
	prepared, err := t.prepareMembers(ms, cid, today)
	if err != nil {
		return err
	}
	hashAt := map[string]int{}
	decisions := map[string]int64{}
	for i := range ms {
		m := &ms[i]
		if err := prepared[i].err; err != nil {
			bad(i, err)
		}
		if m.Household != "" && !households[m.Household] {
			bad(i, ledger.ErrHouseholdUnknown.With(m.Household).At("household"))
		}
		if taken[m.Code] {
			bad(i, ErrMemberCodeTaken.With(m.Code).At("code"))
		}
		taken[m.Code] = true
		if m.Decision != "" && !m.ConfirmedOn.IsZero() {
			key := m.Decision + "\x00" + m.ConfirmedOn.String()
			id, ok := decisions[key]
			if !ok {
				if id, err = t.adoptedDecision(ctx, cid, m.Decision, m.ConfirmedOn, register.DecideMembership); err != nil {
					if jiti.KindOf(err) == jiti.Internal {
						return err
					}
					bad(i, jiti.AsError(err).At("decision"))
				}
				decisions[key] = id
			}
			m.DecisionID = id
		}
		h := prepared[i].hash
		if h == "" {
			continue
		}
		if j, ok := hashAt[h]; ok {
			bad(i, ErrIDTwice.With(j+1).At("id_number"))
			continue
		}
		hashAt[h] = i
	}
	// Each person active in a collective, this one included, is refused.
	hashes := make([]string, 0, len(hashAt))
	for h := range hashAt {
		hashes = append(hashes, h)
	}
	if err := t.activeByHash(ctx, hashes, func(hash, code, name string) {
		bad(hashAt[hash], ErrActiveElsewhere.With(code, name).At("id_number"))
	}); err != nil {
		return err
	}
	if len(errs) > 0 {
		if len(errs) == 1 {
			return errs[0]
		}
		return errs
	}
	now := t.d.copyTime(t.now)
	i := 0
	row := make([]any, 17)
	err = t.bulkInsertFrom(ctx, "members", []string{"collective_id", "code", "name", "initials", "id_sealed", "id_masked", "id_hash",
		"sex", "born_on", "household_code", "relation", "basis", "confirmed_on", "decision_id", "status", "status_since", "created_at"}, func() []any {
		if i == len(ms) {
			return nil
		}
		m := &ms[i]
		masked := ""
		if !m.IDNumber.IsZero() {
			masked = m.IDNumber.String()
		}
		p := &prepared[i]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = cid, m.Code, m.Name, p.initials, p.sealed, masked, p.hash
		row[7], row[8], row[9], row[10], row[11] = string(m.Sex), t.d.copyDate(m.BornOn), m.Household, string(m.Relation), string(m.Basis)
		row[12], row[13], row[14], row[15], row[16] = t.d.copyDate(m.ConfirmedOn), nullID(m.DecisionID), string(m.Status), t.d.copyDate(m.StatusSince), now
		i++
		return row
	})
	if isUnique(err) {
		return ErrActiveElsewhere.With("", "").At("items")
	}
	if err != nil {
		return err
	}
	// The heads are found in one pass over the collective's members (a
	// subquery per household scanned them all for each: quadratic, most
	// of a village's import).
	if _, err := t.exec(ctx, `UPDATE households SET head_member_id = h.id
FROM (SELECT household_code, MIN(id) AS id FROM members WHERE collective_id = ? AND relation = 'head' AND status = 'active'
  GROUP BY household_code) h
WHERE households.collective_id = ? AND households.code = h.household_code AND households.head_member_id IS NULL`, cid, cid); err != nil {
		return err
	}
	return t.audit(ctx, by, "member.create", "collective", cid, cid, nil, auditMembers(ms))
}

// preparedMember is what a member's row needs that takes time but no
// database: the checks of package register, the sealed number and its
// hash, the initials.
type preparedMember struct {
	err                    error
	sealed, hash, initials string
}

// prepareMembers prepares the rows of ms on every processor: on SQLite the
// database works on one, and this work was a fifth of an import.
func (t *Tx) prepareMembers(ms []register.Member, cid int64, today jiti.Date) ([]preparedMember, error) {
	out := make([]preparedMember, len(ms))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(ms)/1000))
	chunk := (len(ms) + workers - 1) / workers
	failed := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func(w int, part []register.Member, into []preparedMember) {
			defer wg.Done()
			var sl *sealer
			for i := range part {
				m, p := &part[i], &into[i]
				m.CollectiveID = cid
				p.err = register.CheckMember(m, today)
				p.initials = initials(m.Name)
				if m.IDNumber.IsZero() {
					continue
				}
				var err error
				if sl == nil {
					if sl, err = t.db.newSealer(); err != nil {
						failed[w] = err
						return
					}
				}
				if p.sealed, p.hash, err = sl.seal(m.IDNumber); err != nil {
					failed[w] = err
					return
				}
			}
		}(w, ms[min(w*chunk, len(ms)):min((w+1)*chunk, len(ms))], out[min(w*chunk, len(ms)):min((w+1)*chunk, len(ms))])
	}
	wg.Wait()
	for _, err := range failed {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// auditMembers is what the audit keeps of confirmed members: one member
// whole (its identity number masked), a batch by code, name and masked
// number, which the register's rows then hold in full.
func auditMembers(ms []register.Member) any {
	if len(ms) == 1 {
		return ms[0]
	}
	out := make([][3]string, len(ms))
	for i, m := range ms {
		out[i] = [3]string{m.Code, m.Name, m.IDNumber.String()}
	}
	return out
}

// problemList lists err's *jiti.Error members.
func problemList(err error) jiti.Errors {
	var es jiti.Errors
	if errors.As(err, &es) {
		return es
	}
	return jiti.Errors{jiti.AsError(err)}
}

// initials is what a member is found by when typed in pinyin initials:
// each spelling of the name's initials, space-separated.
func initials(name string) string {
	return strings.Join(locale.Initials(name), " ")
}

// codes returns the set of the one column query returns.
func (t *Tx) codes(ctx context.Context, query string, args ...any) (map[string]bool, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out[s] = true
	}
	return out, rows.Err()
}

// activeByHash calls fn for each of hashes held by an active member of any
// collective, with that collective's code and name.
func (t *Tx) activeByHash(ctx context.Context, hashes []string, fn func(hash, code, name string)) error {
	const per = 500
	for len(hashes) > 0 {
		n := min(per, len(hashes))
		args := make([]any, n)
		for i, h := range hashes[:n] {
			args[i] = h
		}
		hashes = hashes[n:]
		rows, err := t.query(ctx, `SELECT m.id_hash, c.code, c.name FROM members m JOIN collectives c ON c.id = m.collective_id
WHERE m.status = 'active' AND m.id_hash <> '' AND m.id_hash IN (?`+strings.Repeat(", ?", n-1)+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var h, code, name string
			if err := rows.Scan(&h, &code, &name); err != nil {
				rows.Close()
				return err
			}
			fn(h, code, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// ChangeMemberStatus records a change of a member's status as a new dated
// entry of their history: an exit, a loss (each naming its decision), a
// death, or a return to active. A person active in another collective
// cannot return to active here.
func (db *DB) ChangeMemberStatus(ctx context.Context, by jiti.UserID, id int64, ch register.MemberChange) error {
	return db.tx(ctx, func(tx *Tx) error {
		var cid int64
		var hash string
		if err := tx.queryRow(ctx, `SELECT collective_id, id_hash FROM members WHERE id = ?`, id).Scan(&cid, &hash); err != nil {
			return notFound(err, "member", id)
		}
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			if errors.Is(err, jiti.ErrNotFound) {
				return jiti.ErrNotFound.With("member", id)
			}
			return err
		}
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		m, err := findMember(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := register.CheckStatusChange(m, &ch, jiti.DateOf(tx.now)); err != nil {
			return err
		}
		var decision int64
		if ch.Decision != "" {
			if decision, err = tx.adoptedDecision(ctx, cid, ch.Decision, ch.On, register.DecideMembership); err != nil {
				return jiti.AsError(err).At("decision")
			}
		}
		if ch.To == register.MemberActive && hash != "" {
			var elsewhere error
			if err := tx.activeByHash(ctx, []string{hash}, func(_, code, name string) {
				elsewhere = ErrActiveElsewhere.With(code, name).At("status")
			}); err != nil {
				return err
			}
			if elsewhere != nil {
				return elsewhere
			}
		}
		if _, err := tx.exec(ctx, `UPDATE members SET status = ?, status_since = ? WHERE id = ?`, string(ch.To), dateArg(ch.On), id); err != nil {
			if isUnique(err) {
				return ErrActiveElsewhere.With("", "").At("status")
			}
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO member_entries (member_id, on_date, status, reason, decision_id, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, dateArg(ch.On), string(ch.To), string(ch.Reason), nullID(decision), ch.Note, timeArg(tx.now)); err != nil {
			return err
		}
		old := map[string]any{"status": m.Status, "since": m.StatusSince}
		return tx.audit(ctx, by, "member.status", "member", id, cid, old, map[string]any{"status": ch.To, "since": ch.On,
			"reason": ch.Reason, "decision": ch.Decision, "note": ch.Note})
	})
}

// CorrectMember records a correction of what was wrongly recorded of a
// member (name, identity number, sex, birth date, household, relation,
// basis) as a new dated entry of their history, which keeps each field's
// value before and after; their row then holds the corrected values. A
// corrected identity number of an active member must not be active
// elsewhere.
func (db *DB) CorrectMember(ctx context.Context, by jiti.UserID, id int64, c register.Correction) error {
	return db.tx(ctx, func(tx *Tx) error {
		var cid int64
		if err := tx.queryRow(ctx, `SELECT collective_id FROM members WHERE id = ?`, id).Scan(&cid); err != nil {
			return notFound(err, "member", id)
		}
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			if errors.Is(err, jiti.ErrNotFound) {
				return jiti.ErrNotFound.With("member", id)
			}
			return err
		}
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		m, err := findMember(ctx, tx, id)
		if err != nil {
			return err
		}
		was := m.IDNumber
		changed, err := register.Correct(m, &c, jiti.DateOf(tx.now))
		if err != nil {
			return err
		}
		if m.Household != "" {
			known, err := tx.codes(ctx, `SELECT code FROM households WHERE collective_id = ? AND code = ?`, cid, m.Household)
			if err != nil {
				return err
			}
			if !known[m.Household] {
				return ledger.ErrHouseholdUnknown.With(m.Household).At("household")
			}
		}
		sealed, masked, hash := "", "", ""
		if !m.IDNumber.IsZero() {
			if sealed, hash, err = tx.db.seal(m.IDNumber); err != nil {
				return err
			}
			masked = m.IDNumber.String()
		}
		if m.IDNumber != was && hash != "" && m.Status == register.MemberActive {
			var elsewhere error
			if err := tx.activeByHash(ctx, []string{hash}, func(_, code, name string) {
				elsewhere = ErrActiveElsewhere.With(code, name).At("id_number")
			}); err != nil {
				return err
			}
			if elsewhere != nil {
				return elsewhere
			}
		}
		if m.IDNumber == was {
			// The same number keeps its sealed form.
			if err := tx.queryRow(ctx, `SELECT id_sealed, id_masked, id_hash FROM members WHERE id = ?`, id).Scan(&sealed, &masked, &hash); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `UPDATE members SET name = ?, initials = ?, id_sealed = ?, id_masked = ?, id_hash = ?, sex = ?, born_on = ?,
  household_code = ?, relation = ?, basis = ? WHERE id = ?`, m.Name, initials(m.Name), sealed, masked, hash, string(m.Sex), dateArg(m.BornOn),
			m.Household, string(m.Relation), string(m.Basis), id); err != nil {
			if isUnique(err) {
				return ErrActiveElsewhere.With("", "").At("id_number")
			}
			return err
		}
		js, err := json.Marshal(changed)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO member_entries (member_id, on_date, status, reason, note, corrected, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, dateArg(c.On), string(m.Status), string(register.ReasonCorrection), c.Note, string(js), timeArg(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, by, "member.correct", "member", id, cid, nil, map[string]any{"date": c.On, "note": c.Note, "corrected": changed})
	})
}

// MemberFilter selects members of one collective (or one member by ID).
type MemberFilter struct {
	ID           int64
	CollectiveID int64
	Household    string
	Status       register.MemberStatus
	// Query finds members by name, pinyin initials, member or household
	// code, household head's name, or a whole identity number.
	Query string
}

const memberColumns = `m.id, m.collective_id, m.code, m.name, m.id_sealed, m.sex, m.born_on, m.household_code, m.relation, m.basis,
m.confirmed_on, COALESCE(d.number, ''), m.status, m.status_since`

// FindMembers returns the members f selects, by household and code.
func (db *DB) FindMembers(ctx context.Context, f MemberFilter) ([]register.Member, error) {
	where, args := []string{"1=1"}, []any{}
	if f.ID != 0 {
		where, args = append(where, "m.id = ?"), append(args, f.ID)
	}
	if f.CollectiveID != 0 {
		where, args = append(where, "m.collective_id = ?"), append(args, f.CollectiveID)
	}
	if f.Household != "" {
		where, args = append(where, "m.household_code = ?"), append(args, f.Household)
	}
	if f.Status != "" {
		where, args = append(where, "m.status = ?"), append(args, string(f.Status))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if id, err := jiti.NewIDNumber(q); err == nil {
			if db.key == nil {
				return nil, ErrNoKey
			}
			where, args = append(where, "m.id_hash = ?"), append(args, db.idHash(id.Reveal()))
		} else {
			like := "%" + escapeLike(q) + "%"
			where = append(where, `(m.name LIKE ? ESCAPE '\' OR m.initials LIKE ? ESCAPE '\' OR m.code = ? OR m.household_code = ?
 OR m.household_code IN (SELECT h.code FROM households h WHERE h.collective_id = m.collective_id AND h.name LIKE ? ESCAPE '\'))`)
			args = append(args, like, strings.ToLower(like), q, q, like)
		}
	}
	rows, err := db.reader().query(ctx, `SELECT `+memberColumns+` FROM members m LEFT JOIN decisions d ON d.id = m.decision_id
WHERE `+strings.Join(where, " AND ")+` ORDER BY m.collective_id, m.household_code, m.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.Member
	for rows.Next() {
		m, err := db.scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// escapeLike escapes the wildcards of a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (db *DB) scanMember(s interface{ Scan(...any) error }) (*register.Member, error) {
	var m register.Member
	var sealed string
	if err := s.Scan(&m.ID, &m.CollectiveID, &m.Code, &m.Name, &sealed, &m.Sex, dbDate{&m.BornOn}, &m.Household, &m.Relation, &m.Basis,
		dbDate{&m.ConfirmedOn}, &m.Decision, &m.Status, dbDate{&m.StatusSince}); err != nil {
		return nil, err
	}
	if sealed != "" {
		var err error
		if m.IDNumber, err = db.unseal(sealed); err != nil {
			return nil, err
		}
	}
	return &m, nil
}

func findMember(ctx context.Context, t *Tx, id int64) (*register.Member, error) {
	m, err := t.db.scanMember(t.queryRow(ctx, `SELECT `+memberColumns+` FROM members m LEFT JOIN decisions d ON d.id = m.decision_id WHERE m.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "member", id)
	}
	return m, nil
}

// FindMember returns one member.
func (db *DB) FindMember(ctx context.Context, id int64) (*register.Member, error) {
	ms, err := db.FindMembers(ctx, MemberFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, jiti.ErrNotFound.With("member", id)
	}
	return &ms[0], nil
}

// FindMemberByCode returns the member of a collective with code.
func (db *DB) FindMemberByCode(ctx context.Context, cid int64, code string) (*register.Member, error) {
	var id int64
	if err := db.reader().queryRow(ctx, `SELECT id FROM members WHERE collective_id = ? AND code = ?`, cid, code).Scan(&id); err != nil {
		return nil, notFound(err, "member", code)
	}
	return db.FindMember(ctx, id)
}

// MemberEntries returns a member's history, oldest first: their
// confirmation, which their row keeps and nothing updates, then each entry
// of member_entries.
func (db *DB) MemberEntries(ctx context.Context, id int64) ([]register.MemberEntry, error) {
	rows, err := db.reader().query(ctx, `SELECT 0, m.confirmed_on, 'active', '', COALESCE(d.number, ''), '', '', m.created_at
FROM members m LEFT JOIN decisions d ON d.id = m.decision_id WHERE m.id = ?
UNION ALL
SELECT e.id, e.on_date, e.status, e.reason, COALESCE(d.number, ''), e.note, e.corrected, e.recorded_at
FROM member_entries e LEFT JOIN decisions d ON d.id = e.decision_id WHERE e.member_id = ? ORDER BY 1`, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.MemberEntry
	for rows.Next() {
		var e register.MemberEntry
		var seq int64
		var corrected string
		if err := rows.Scan(&seq, dbDate{&e.On}, &e.Status, &e.Reason, &e.Decision, &e.Note, &corrected, dbTime{&e.RecordedAt}); err != nil {
			return nil, err
		}
		if corrected != "" {
			if err := json.Unmarshal([]byte(corrected), &e.Corrected); err != nil {
				return nil, fmt.Errorf("store: member %d: corrected: %w", id, err)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// FindHousehold returns a household of a collective with its head, and
// the balance of its sub-ledgers of 113 内部往来 (debit positive).
func (db *DB) FindHousehold(ctx context.Context, cid int64, code string) (*Household, jiti.Amount, error) {
	var h Household
	err := db.reader().queryRow(ctx, `SELECT h.code, h.name, COALESCE(m.code, ''), COALESCE(m.name, ''), h.village_group, h.address
FROM households h LEFT JOIN members m ON m.id = h.head_member_id WHERE h.collective_id = ? AND h.code = ?`, cid, code).
		Scan(&h.Code, &h.Name, &h.Head, &h.HeadName, &h.Group, &h.Address)
	if err != nil {
		return nil, 0, notFound(err, "household", code)
	}
	var balance jiti.Amount
	if err := db.reader().queryRow(ctx, `SELECT COALESCE(SUM(debit) - SUM(credit), 0) FROM household_balances
WHERE collective_id = ? AND household_code = ? AND account_code LIKE '113%'`, cid, code).Scan(&balance); err != nil {
		return nil, 0, err
	}
	return &h, balance, nil
}

// Members lists the members of a collective in scope.
func (v *View) Members(ctx context.Context, f MemberFilter) ([]register.Member, error) {
	if err := v.requireCollective(ctx, f.CollectiveID); err != nil {
		return nil, err
	}
	return v.db.FindMembers(ctx, f)
}

// FindMember returns a member of a collective in scope, with their
// history; any other is not found, as one that does not exist.
func (v *View) FindMember(ctx context.Context, id int64) (*register.Member, []register.MemberEntry, error) {
	m, err := v.db.FindMember(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if v.requireCollective(ctx, m.CollectiveID) != nil {
		return nil, nil, jiti.ErrNotFound.With("member", id)
	}
	es, err := v.db.MemberEntries(ctx, id)
	return m, es, err
}

// Households lists the households of a collective in scope.
func (v *View) Households(ctx context.Context, cid int64) ([]Household, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.Households(ctx, cid)
}

// Household returns a household of a collective in scope with its
// members and its 113 balance.
func (v *View) Household(ctx context.Context, cid int64, code string) (*Household, []register.Member, jiti.Amount, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, nil, 0, err
	}
	h, balance, err := v.db.FindHousehold(ctx, cid, code)
	if err != nil {
		return nil, nil, 0, err
	}
	ms, err := v.db.FindMembers(ctx, MemberFilter{CollectiveID: cid, Household: code})
	return h, ms, balance, err
}

// headOf returns the id of the member of collective cid whose code is
// code, to be the head of household: an active member, of no household
// yet (who then joins it as its head) or of this one. "" is none.
func (t *Tx) headOf(ctx context.Context, cid int64, code, household string) (int64, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return 0, nil
	}
	var (
		id     int64
		theirs string
		status string
	)
	err := t.queryRow(ctx, `SELECT id, household_code, status FROM members WHERE collective_id = ? AND code = ?`, cid, code).
		Scan(&id, &theirs, &status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, ErrMemberUnknown.With(code)
	case err != nil:
		return 0, err
	case register.MemberStatus(status) != register.MemberActive:
		return 0, ErrHeadNotActive.With(code)
	case theirs != "" && theirs != household:
		return 0, ErrHeadElsewhere.With(code, theirs)
	case theirs == "":
		if _, err := t.exec(ctx, `UPDATE members SET household_code = ?, relation = ? WHERE id = ?`, household, string(register.RelHead), id); err != nil {
			return 0, err
		}
	}
	return id, nil
}
