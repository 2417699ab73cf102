package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// Register records and their audit events. Every act that changes a record
// of a register (an asset, a resource, a contract, a user with its role and
// scope) audits the whole record as it stands after the act, read back from
// the database, as its event's new value. The latest such event of a record
// must therefore equal the record: verify compares them field by field, so
// a record changed by direct SQL (UPDATE assets SET cost = …) is found and
// named with the fields that differ.
//
// What the record is, is its Go type as the store reads it (register.Asset,
// register.Resource, register.Contract with its subjects, jiti.User with
// its collectives). Columns outside those types are outside the
// comparison: a contract subject's prior status and a contract's end
// reason (kept in the events of the acts that set them), a contract
// party's sealed number and its keyed hash (compared through the masked
// number the record shows), a user's password hash, failed sign-ins and
// lock (changed by signing in, which is audited as such but is not a change
// of the user's record). Depreciation, work and receipts live in their own
// tables and are checked against the books (verifyRegisters).
//
// Member households are only ever added (household.create, whose event
// lists those added): their record is the union of those events.

// recordKind is one register whose records verify compares with their
// audit events.
type recordKind struct {
	entity  string
	actions []string // acts whose new value is the whole record
	deletes []string // acts that remove the record
	// extras are the keys acts add beside the record's fields (what the
	// act adds to the record: a status change's note).
	extras []string
	// one reads a record by id; all reads the records of a collective, or
	// of no collective with cid 0, by id.
	one func(ctx context.Context, db *DB, q querier, id int64) (any, error)
	all func(ctx context.Context, db *DB, q querier, cid int64) (map[int64]any, error)
}

// baselineAction records a record as it stood when the audit log began to
// hold whole records (migration 7): events before held only what changed.
const baselineAction = "audit.baseline"

var (
	assetRecords = &recordKind{
		entity:  "asset",
		actions: []string{"asset.create", "asset.status"},
		deletes: []string{"asset.delete"},
		extras:  []string{"status_note", "decision"},
		one: func(ctx context.Context, db *DB, q querier, id int64) (any, error) {
			return readRecords(ctx, q, `SELECT `+assetColumns+` FROM assets WHERE id = ?`, []any{id}, scanAssetRecord)
		},
		all: func(ctx context.Context, db *DB, q querier, cid int64) (map[int64]any, error) {
			return readRecordsByID(ctx, q, `SELECT `+assetColumns+` FROM assets WHERE collective_id = ?`, []any{cid}, scanAssetRecord)
		},
	}
	resourceRecords = &recordKind{
		entity:  "resource",
		actions: []string{"resource.create", "resource.use"},
		one: func(ctx context.Context, db *DB, q querier, id int64) (any, error) {
			return readRecords(ctx, q, `SELECT `+resourceColumns+` FROM resources WHERE id = ?`, []any{id}, scanResourceRecord)
		},
		all: func(ctx context.Context, db *DB, q querier, cid int64) (map[int64]any, error) {
			return readRecordsByID(ctx, q, `SELECT `+resourceColumns+` FROM resources WHERE collective_id = ?`, []any{cid}, scanResourceRecord)
		},
	}
	contractRecords = &recordKind{
		entity:  "contract",
		actions: []string{"contract.create", "contract.sign", "contract.expired", "contract.terminated"},
		deletes: []string{"contract.delete"},
		extras:  []string{"instalments", "end_reason"},
		one: func(ctx context.Context, db *DB, q querier, id int64) (any, error) {
			m, err := contractRecordsWhere(ctx, db, q, `WHERE id = ?`, id)
			if err != nil {
				return nil, err
			}
			if r, ok := m[id]; ok {
				return r, nil
			}
			return nil, jiti.ErrNotFound.With("contract", id)
		},
		all: func(ctx context.Context, db *DB, q querier, cid int64) (map[int64]any, error) {
			return contractRecordsWhere(ctx, db, q, `WHERE collective_id = ?`, cid)
		},
	}
	userRecords = &recordKind{
		entity:  "user",
		actions: []string{"user.create", "user.update", "user.disable", "user.enable"},
		extras:  []string{"sessions_revoked", "tokens_ended"},
		one: func(ctx context.Context, db *DB, q querier, id int64) (any, error) {
			return findUser(ctx, q, `WHERE id = ?`, id)
		},
		all: func(ctx context.Context, db *DB, q querier, cid int64) (map[int64]any, error) {
			if cid != 0 {
				return nil, nil // users belong to no collective
			}
			ids, err := readRecordsByID(ctx, q, `SELECT id FROM users`, nil, func(s scanner) (int64, any, error) {
				var id int64
				return id, nil, s.Scan(&id)
			})
			if err != nil {
				return nil, err
			}
			out := make(map[int64]any, len(ids))
			for id := range ids {
				if out[id], err = findUser(ctx, q, `WHERE id = ?`, id); err != nil {
					return nil, err
				}
			}
			return out, nil
		},
	}
	// recordKinds are the registers verify compares, in the order it
	// reports them.
	recordKinds = []*recordKind{assetRecords, resourceRecords, contractRecords, userRecords}
)

type scanner interface{ Scan(...any) error }

func scanAssetRecord(s scanner) (int64, any, error) {
	var a register.Asset
	err := scanAsset(s, &a)
	return a.ID, &a, err
}

func scanResourceRecord(s scanner) (int64, any, error) {
	var r register.Resource
	err := scanResource(s, &r)
	return r.ID, &r, err
}

// readRecords reads the one record a query selects.
func readRecords(ctx context.Context, q querier, query string, args []any, scan func(scanner) (int64, any, error)) (any, error) {
	_, rec, err := scan(q.queryRow(ctx, query, args...))
	return rec, err
}

// readRecordsByID reads the records a query selects, by id.
func readRecordsByID(ctx context.Context, q querier, query string, args []any, scan func(scanner) (int64, any, error)) (map[int64]any, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]any{}
	for rows.Next() {
		id, rec, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out[id] = rec
	}
	return out, rows.Err()
}

// contractRecordsWhere reads contracts with their subjects. The party's
// number shows as its masked column, which is what the record's JSON
// holds, so that verify compares it without the deployment's key.
func contractRecordsWhere(ctx context.Context, db *DB, q querier, where string, arg any) (map[int64]any, error) {
	cs, err := db.loadContracts(ctx, q, where, arg)
	if err != nil {
		return nil, err
	}
	masked, err := readRecordsByID(ctx, q, `SELECT id, party_id_masked FROM contracts `+where, []any{arg}, func(s scanner) (int64, any, error) {
		var id int64
		var m string
		err := s.Scan(&id, &m)
		return id, m, err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]any, len(cs))
	for _, c := range cs {
		rec, err := recordFields(c)
		if err != nil {
			return nil, err
		}
		party := map[string]json.RawMessage{}
		if err := json.Unmarshal(rec["party"], &party); err != nil {
			return nil, err
		}
		delete(party, "id_number")
		if m, _ := masked[c.ID].(string); m != "" {
			party["id_number"], _ = json.Marshal(m)
		}
		if rec["party"], err = json.Marshal(party); err != nil {
			return nil, err
		}
		out[c.ID] = rec
	}
	return out, nil
}

// recordFields is a record as the JSON object of its fields.
func recordFields(rec any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// auditRecord audits an act on a register record: the record as it now
// stands, read back in the transaction, is the event's new value, with the
// act's own facts (extra, keys of kind.extras) beside its fields.
func (t *Tx) auditRecord(ctx context.Context, by jiti.UserID, action string, kind *recordKind, id, cid int64, old any, extra map[string]any) error {
	rec, err := kind.one(ctx, t.db, t, id)
	if err != nil {
		return fmt.Errorf("audit %s %d: %w", action, id, err)
	}
	fields, err := recordFields(rec)
	if err != nil {
		return fmt.Errorf("audit %s %d: %w", action, id, err)
	}
	for k, v := range extra {
		if !slices.Contains(kind.extras, k) {
			panic("store: audit " + action + ": " + k + " is not an extra of " + kind.entity) // a programming error
		}
		if fields[k], err = json.Marshal(v); err != nil {
			return fmt.Errorf("audit %s %d: %w", action, id, err)
		}
	}
	return t.audit(ctx, by, action, kind.entity, id, cid, old, fields)
}

// baselineRecords audits every register record as it stands, by nobody:
// the migration that makes events hold whole records (7) starts each
// record's comparison from here.
func baselineRecords(ctx context.Context, t *Tx) error {
	cids, err := readRecordsByID(ctx, t, `SELECT id FROM collectives ORDER BY id`, nil, func(s scanner) (int64, any, error) {
		var id int64
		return id, nil, s.Scan(&id)
	})
	if err != nil {
		return err
	}
	ordered := []int64{0}
	for cid := range cids {
		ordered = append(ordered, cid)
	}
	slices.Sort(ordered)
	for _, cid := range ordered {
		for _, kind := range recordKinds {
			recs, err := kind.all(ctx, t.db, t, cid)
			if err != nil {
				return err
			}
			ids := make([]int64, 0, len(recs))
			for id := range recs {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				if err := t.auditRecord(ctx, 0, baselineAction, kind, id, cid, nil, nil); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// recordIndex gathers, from a walk of an audit chain, what verify compares
// the registers with: each record's latest event, and the households
// added.
type recordIndex struct {
	latest     map[string]map[string]*chainedEvent // by entity, then entity id
	households map[string]householdEvent           // by code
}

type householdEvent struct {
	name  string
	event int64
}

func newRecordIndex() *recordIndex {
	return &recordIndex{latest: map[string]map[string]*chainedEvent{}, households: map[string]householdEvent{}}
}

// add takes the events of a chain in order.
func (x *recordIndex) add(e *chainedEvent) {
	if e.Action == "household.create" && e.New != nil {
		var hs []Household
		if json.Unmarshal([]byte(*e.New), &hs) == nil {
			for _, h := range hs {
				x.households[h.Code] = householdEvent{h.Name, e.ID}
			}
		}
		return
	}
	for _, kind := range recordKinds {
		if e.Entity == kind.entity && (e.Action == baselineAction || slices.Contains(kind.actions, e.Action) ||
			slices.Contains(kind.deletes, e.Action)) {
			if x.latest[kind.entity] == nil {
				x.latest[kind.entity] = map[string]*chainedEvent{}
			}
			ev := *e
			x.latest[kind.entity][e.EntityID] = &ev
		}
	}
}

// verifyRecords compares the records of collective cid (0: of no
// collective) with the latest audit event of each.
func (db *DB) verifyRecords(ctx context.Context, cid int64, x *recordIndex, rep *VerifyReport) error {
	r := db.reader()
	for _, kind := range recordKinds {
		recs, err := kind.all(ctx, db, r, cid)
		if err != nil {
			return err
		}
		events := x.latest[kind.entity]
		ids := map[string]bool{}
		for id := range recs {
			ids[strconv.FormatInt(id, 10)] = true
		}
		for id := range events {
			ids[id] = true
		}
		sorted := make([]string, 0, len(ids))
		for id := range ids {
			sorted = append(sorted, id)
		}
		sort.Slice(sorted, func(i, j int) bool {
			a, _ := strconv.ParseInt(sorted[i], 10, 64)
			b, _ := strconv.ParseInt(sorted[j], 10, 64)
			return a < b
		})
		for _, id := range sorted {
			n, _ := strconv.ParseInt(id, 10, 64)
			rec, stored := recs[n]
			e := events[id]
			p := Problem{CollectiveID: cid, Entity: kind.entity, EntityID: id}
			switch {
			case stored && e == nil:
				p.Kind, p.Detail = "verify.record_unaudited", fmt.Sprintf("%s #%s%s has no audit event", kind.entity, id, recordCode(rec))
			case stored && slices.Contains(kind.deletes, e.Action):
				p.Kind, p.EventID = "verify.record_unaudited", e.ID
				p.Detail = fmt.Sprintf("%s #%s%s was deleted by event #%d", kind.entity, id, recordCode(rec), e.ID)
			case !stored && e != nil && !slices.Contains(kind.deletes, e.Action):
				p.Kind, p.EventID = "verify.record_removed", e.ID
				p.Detail = fmt.Sprintf("%s #%s is gone; its event #%d (%s) says it exists", kind.entity, id, e.ID, e.Action)
			case stored:
				rep.Records++
				fields, detail, err := kind.compare(rec, e.New)
				if err != nil {
					return err
				}
				if len(fields) == 0 {
					continue
				}
				p.Kind, p.EventID, p.Fields = "verify.record_changed", e.ID, fields
				p.Detail = fmt.Sprintf("%s #%s%s differs from event #%d (%s): %s", kind.entity, id, recordCode(rec), e.ID, e.Action, detail)
			default:
				continue // deleted through jiti
			}
			rep.Problems = append(rep.Problems, p)
		}
	}
	if cid != 0 {
		return db.verifyHouseholds(ctx, cid, x, rep)
	}
	return nil
}

// verifyHouseholds compares a collective's households with those its
// household.create events added.
func (db *DB) verifyHouseholds(ctx context.Context, cid int64, x *recordIndex, rep *VerifyReport) error {
	rows, err := db.reader().query(ctx, `SELECT code, name FROM households WHERE collective_id = ? ORDER BY code`, cid)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return err
		}
		seen[code] = true
		rep.Records++
		p := Problem{CollectiveID: cid, Entity: "household", EntityID: code}
		switch e, ok := x.households[code]; {
		case !ok:
			p.Kind, p.Detail = "verify.record_unaudited", fmt.Sprintf("household %s has no audit event", code)
		case e.name != name:
			p.Kind, p.EventID, p.Fields = "verify.record_changed", e.event, []string{"name"}
			p.Detail = fmt.Sprintf("household %s differs from event #%d: name %q, stored %q", code, e.event, e.name, name)
		default:
			continue
		}
		rep.Problems = append(rep.Problems, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	codes := make([]string, 0, len(x.households))
	for code := range x.households {
		if !seen[code] {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		e := x.households[code]
		rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, Entity: "household", EntityID: code, EventID: e.event,
			Kind: "verify.record_removed", Detail: fmt.Sprintf("household %s is gone; event #%d added it", code, e.event)})
	}
	return nil
}

// recordCode names a record by its code, when it has one: " (ZC-001)".
func recordCode(rec any) string {
	fields, err := recordFields(rec)
	if err != nil {
		return ""
	}
	for _, k := range []string{"code", "name"} {
		var s string
		if json.Unmarshal(fields[k], &s) == nil && s != "" {
			return " (" + s + ")"
		}
	}
	return ""
}

// compare compares a stored record with an event's new value, field by
// field (nested objects by their dotted fields: party.name), leaving out
// the act's extras. It returns the fields that differ and how.
func (kind *recordKind) compare(rec any, event *string) ([]string, string, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, "", err
	}
	have := map[string]any{}
	if err := flatten(b, "", have); err != nil {
		return nil, "", err
	}
	want := map[string]any{}
	if event != nil {
		if err := flatten([]byte(*event), "", want); err != nil {
			// Not an object: nothing of the record matches.
			want = map[string]any{}
		}
	}
	for _, k := range kind.extras {
		delete(want, k)
	}
	keys := map[string]bool{}
	for k := range have {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	var fields, details []string
	for k := range keys {
		if !reflect.DeepEqual(have[k], want[k]) {
			fields = append(fields, k)
		}
	}
	sort.Strings(fields)
	for _, k := range fields {
		details = append(details, fmt.Sprintf("%s %s, stored %s", k, jsonText(want[k]), jsonText(have[k])))
	}
	return fields, strings.Join(details, "; "), nil
}

// flatten reads a JSON object into fields by dotted name; arrays and
// scalars are values, numbers kept as their text.
func flatten(b []byte, prefix string, out map[string]any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object: %.40s", b)
	}
	flattenMap(m, prefix, out)
	return nil
}

func flattenMap(m map[string]any, prefix string, out map[string]any) {
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			flattenMap(sub, prefix+k+".", out)
			continue
		}
		out[prefix+k] = v
	}
}

// jsonText shows a field's value in a problem's detail; "none" when absent.
func jsonText(v any) string {
	if v == nil {
		return "none"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
