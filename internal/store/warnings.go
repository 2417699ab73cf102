package store

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

// WarningFilter selects the warnings (预警) of a collective or a region.
type WarningFilter struct {
	CollectiveID int64
	Region       string
	Today        jiti.Date // the day the warnings are taken on; see WarningsAsOf
	ExpiringDays int       // contracts ending within this many days; default 90
	IdleMonths   int       // assets idle longer than this; default 6
}

// WarningsAsOf is the day the warnings of a year are taken on: the year's
// last day, 31 December, for a year gone by, today for the current year
// (and for a year to come, which has no warnings of its own yet).
func WarningsAsOf(year int, today jiti.Date) jiti.Date {
	if year < today.Year {
		return jiti.Date{Year: year, Month: time.December, Day: 31}
	}
	return today
}

// Warnings returns the warnings of the registers, as of f.Today: arrears,
// contracts about to expire, contracts without an award reference or a
// resolution, land rents below the county's benchmark, and assets idle too
// long. Each query selects only what is due, so a county's list reads a
// few hundred rows, not its whole registers.
//
// A day before today is taken as the registers stood on it: an instalment
// paid later is still in arrears, a contract in force then is in force
// whatever became of it since, and an asset's status is the one its
// history gives for that day.
func (db *DB) Warnings(ctx context.Context, f WarningFilter) ([]register.Warning, error) {
	if f.ExpiringDays <= 0 {
		f.ExpiringDays = 90
	}
	if f.IdleMonths <= 0 {
		f.IdleMonths = 6
	}
	past := f.Today.Before(jiti.DateOf(db.now()))
	cond, args := "1=1", []any{}
	if f.CollectiveID != 0 {
		cond, args = "collective_id = ?", []any{f.CollectiveID}
	} else if f.Region != "" {
		cond, args = "collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)", []any{f.Region + "%"}
	}
	var out []register.Warning

	// Arrears: instalments due before the day and not fully paid on it.
	insts, err := db.unpaidOn(ctx, cond, args, f.Today, past)
	if err != nil {
		return nil, err
	}
	collectiveOf, err := db.contractCollectives(ctx, insts)
	if err != nil {
		return nil, err
	}
	for _, w := range register.Arrears(insts, f.Today) {
		w.CollectiveID = collectiveOf[w.ContractID]
		out = append(out, w)
	}

	// Contracts in force: expiring, and missing their records.
	inForce, err := db.inForceOn(ctx, cond, args, f.Today, past)
	if err != nil {
		return nil, err
	}
	out = append(out, register.Expiring(inForce, f.Today, f.ExpiringDays)...)
	out = append(out, register.MissingRecords(inForce)...)

	// Rents of land below the benchmark of the collective's county.
	below, err := db.rentWarnings(ctx, inForce, f.Today.Year)
	if err != nil {
		return nil, err
	}
	out = append(out, below...)

	// Assets idle too long.
	idle, err := db.idleOn(ctx, f, cond, args, past)
	if err != nil {
		return nil, err
	}
	out = append(out, register.IdleTooLong(idle, f.Today, f.IdleMonths)...)

	// Quarters without their published disclosure.
	due, err := db.disclosureWarnings(ctx, f)
	if err != nil {
		return nil, err
	}
	out = append(out, due...)

	sort.SliceStable(out, func(i, j int) bool {
		if out[i].CollectiveID != out[j].CollectiveID {
			return out[i].CollectiveID < out[j].CollectiveID
		}
		return out[i].Kind < out[j].Kind
	})
	return out, nil
}

// unpaidOn returns the instalments of signed contracts that fell due before
// day and were not fully paid on it. For a day gone by, what was received
// after it is taken back out of what each instalment has received.
func (db *DB) unpaidOn(ctx context.Context, cond string, args []any, day jiti.Date, past bool) ([]register.Instalment, error) {
	r := db.reader()
	if !past {
		return instalments(ctx, r, `WHERE `+cond+` AND due_on < ? AND received < amount
  AND contract_id IN (SELECT id FROM contracts WHERE status <> ?)`, append(slices.Clone(args), dateArg(day), string(register.ContractDraft))...)
	}
	qargs := append(slices.Clone(args), dateArg(day), string(register.ContractDraft), dateArg(day))
	qargs = append(append(qargs, args...), dateArg(day))
	insts, err := instalments(ctx, r, `WHERE `+cond+` AND due_on < ?
  AND contract_id IN (SELECT id FROM contracts WHERE status <> ? AND signed_on <= ?)
  AND (received < amount OR contract_id IN (SELECT contract_id FROM receipts WHERE `+cond+` AND date > ?))`, qargs...)
	if err != nil || len(insts) == 0 {
		return nil, err
	}
	type key struct {
		contract int64
		no       int
	}
	later := map[key]jiti.Amount{}
	rows, err := r.query(ctx, `SELECT r.contract_id, p.instalment, SUM(p.amount) FROM receipts r JOIN receipt_parts p ON p.receipt_id = r.id
WHERE `+cond+` AND r.date > ? GROUP BY r.contract_id, p.instalment`, append(slices.Clone(args), dateArg(day))...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var k key
		var a jiti.Amount
		if err := rows.Scan(&k.contract, &k.no, &a); err != nil {
			rows.Close()
			return nil, err
		}
		later[k] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := insts[:0]
	for _, in := range insts {
		in.Received -= later[key{in.ContractID, in.No}]
		if in.Outstanding() > 0 {
			out = append(out, in)
		}
	}
	return out, nil
}

// inForceOn returns the contracts in force on day: signed on or before it
// and not ended (expired or terminated) by then. Each is returned in force,
// whatever its status today.
func (db *DB) inForceOn(ctx context.Context, cond string, args []any, day jiti.Date, past bool) ([]*register.Contract, error) {
	r := db.reader()
	if !past {
		return db.loadContracts(ctx, r, `WHERE `+cond+` AND status = ?`, append(slices.Clone(args), string(register.InForce))...)
	}
	cs, err := db.loadContracts(ctx, r, `WHERE `+cond+` AND status <> ? AND signed_on <= ? AND (ended_on IS NULL OR ended_on > ?)`,
		append(slices.Clone(args), string(register.ContractDraft), dateArg(day), dateArg(day))...)
	for _, c := range cs {
		c.Status = register.InForce
	}
	return cs, err
}

// idleOn returns the assets idle on the filter's day, each with the day it
// became idle. For a day gone by, the status is the last one the asset's
// history records on or before it.
func (db *DB) idleOn(ctx context.Context, f WarningFilter, cond string, args []any, past bool) ([]*register.Asset, error) {
	if !past {
		idle, err := db.FindAssets(ctx, AssetFilter{CollectiveID: f.CollectiveID, Region: f.Region, Status: register.Idle})
		ptrs := make([]*register.Asset, len(idle))
		for i := range idle {
			ptrs[i] = &idle[i]
		}
		return ptrs, err
	}
	r, day := db.reader(), dateArg(f.Today)
	// The last change of each asset on or before the day, when it made the
	// asset idle.
	const lastIdle = `FROM asset_history h WHERE h.to_status = ? AND h.date <= ?
  AND NOT EXISTS (SELECT 1 FROM asset_history l WHERE l.asset_id = h.asset_id AND l.date <= ? AND (l.date > h.date OR (l.date = h.date AND l.id > h.id)))
  AND h.asset_id IN (SELECT id FROM assets WHERE `
	hargs := append([]any{string(register.Idle), day, day}, args...)
	since := map[int64]jiti.Date{}
	rows, err := r.query(ctx, `SELECT h.asset_id, h.date `+lastIdle+cond+`)`, hargs...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var d jiti.Date
		if err := rows.Scan(&id, dbDate{&d}); err != nil {
			rows.Close()
			return nil, err
		}
		since[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(since) == 0 {
		return nil, err
	}
	rows, err = r.query(ctx, `SELECT `+assetColumns+` FROM assets WHERE id IN (SELECT h.asset_id `+lastIdle+cond+`)) ORDER BY collective_id, code`, hargs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*register.Asset
	for rows.Next() {
		a := &register.Asset{}
		if err := scanAsset(rows, a); err != nil {
			return nil, err
		}
		a.Status, a.StatusSince = register.Idle, since[a.ID]
		out = append(out, a)
	}
	return out, rows.Err()
}

// contractCollectives maps the contracts of instalments to their
// collectives.
func (db *DB) contractCollectives(ctx context.Context, insts []register.Instalment) (map[int64]int64, error) {
	out := map[int64]int64{}
	var ids []any
	for _, in := range insts {
		if _, ok := out[in.ContractID]; !ok {
			out[in.ContractID] = 0
			ids = append(ids, in.ContractID)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := db.reader().query(ctx, `SELECT id, collective_id FROM contracts WHERE id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, cid int64
			if err := rows.Scan(&id, &cid); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = cid
		}
		rows.Close()
	}
	return out, nil
}

// rentWarnings checks the land leases in force against the rent benchmark
// of each collective's county for the year.
func (db *DB) rentWarnings(ctx context.Context, cs []*register.Contract, year int) ([]register.Warning, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	benchmarks := map[string]jiti.Amount{}
	rows, err := db.reader().query(ctx, `SELECT region_code, rent_per_mu FROM rent_benchmarks WHERE year = ?`, year)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var code string
		var a jiti.Amount
		if err := rows.Scan(&code, &a); err != nil {
			rows.Close()
			return nil, err
		}
		benchmarks[code] = a
	}
	rows.Close()
	if len(benchmarks) == 0 {
		return nil, nil
	}
	regionOf := map[int64]string{}
	rows, err = db.reader().query(ctx, `SELECT id, region_code FROM collectives WHERE id IN (SELECT collective_id FROM contracts WHERE status = ?)`,
		string(register.InForce))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var rc string
		if err := rows.Scan(&id, &rc); err != nil {
			rows.Close()
			return nil, err
		}
		regionOf[id] = rc
	}
	rows.Close()
	byRegion := map[string][]*register.Contract{}
	for _, c := range cs {
		rc := regionOf[c.CollectiveID]
		// The most specific region with a benchmark: village, township, county.
		for code := rc; code != ""; code = jiti.RegionParentCode(code) {
			if _, ok := benchmarks[code]; ok {
				byRegion[code] = append(byRegion[code], c)
				break
			}
		}
	}
	areas := map[int64]register.Area{}
	var ids []any
	for _, c := range cs {
		for _, s := range c.Subjects {
			if s.ResourceID != 0 {
				ids = append(ids, s.ResourceID)
			}
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := db.reader().query(ctx, `SELECT id, area FROM resources WHERE id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var a register.Area
			if err := rows.Scan(&id, &a); err != nil {
				rows.Close()
				return nil, err
			}
			areas[id] = a
		}
		rows.Close()
	}
	var out []register.Warning
	codes := make([]string, 0, len(byRegion))
	for code := range byRegion {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		out = append(out, register.RentBelow(byRegion[code], areas, benchmarks[code])...)
	}
	return out, nil
}

// SetRentBenchmark sets the lowest yearly rent per mu of land leases in a
// region for a year. Only a county administrator may.
func (db *DB) SetRentBenchmark(ctx context.Context, by jiti.UserID, region string, year int, perMu jiti.Amount) error {
	return db.tx(ctx, func(tx *Tx) error {
		if err := tx.requireAdmin(ctx, by); err != nil {
			return err
		}
		if year < 2000 || year > 2100 {
			return jiti.ErrYearSyntax.With(year).At("year")
		}
		if perMu <= 0 {
			return ledger.ErrNotPositive.With(perMu).At("rent_per_mu")
		}
		if _, err := tx.exec(ctx, `INSERT INTO rent_benchmarks (region_code, year, rent_per_mu) VALUES (?, ?, ?)
ON CONFLICT (region_code, year) DO UPDATE SET rent_per_mu = excluded.rent_per_mu`, region, year, int64(perMu)); err != nil {
			if isForeignKey(err) {
				return jiti.ErrNotFound.With("region", region).At("region")
			}
			return err
		}
		return tx.audit(ctx, by, "benchmark.set", "region", region, 0, nil, map[string]any{"year": year, "rent_per_mu": perMu})
	})
}
