package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// ImportRecord is what the books keep of an import into one collective:
// who imported what, when, and which vouchers it made.
type ImportRecord struct {
	ID           int64       `json:"id"`
	CollectiveID int64       `json:"collective_id"`
	UserID       jiti.UserID `json:"user_id"`
	UserName     string      `json:"user_name,omitempty"` // the user's display name, as read
	At           time.Time   `json:"at"`
	FileName     string      `json:"file_name"`
	FileSHA256   string      `json:"file_sha256,omitempty"` // of the file's bytes
	ContentHash  string      `json:"content_hash"`          // of the vouchers as read (ledger.Content)
	Vouchers     int         `json:"vouchers"`
	Lines        int         `json:"lines"`
	FirstID      int64       `json:"first_id"` // the vouchers it made: ids FirstID…LastID of the collective
	LastID       int64       `json:"last_id"`
	FirstDate    jiti.Date   `json:"first_date"`
	LastDate     jiti.Date   `json:"last_date"`
	Repeats      int         `json:"repeats"` // vouchers flagged as possible duplicates
	// AgainOf is the earlier import of the same content, for an import
	// the user asked for again.
	AgainOf int64 `json:"again_of,omitempty"`
}

// ErrImportedBefore refuses content already imported into a collective; it
// names the earlier import.
var ErrImportedBefore = jiti.Errorf(jiti.Conflict, "import.imported_before")

// importedBefore is the refusal of content that rec imported before, into
// the collective named name.
func importedBefore(name string, rec *ImportRecord) *jiti.Error {
	return ErrImportedBefore.With(name, rec.At.UTC().Format("2006-01-02 15:04:05"), rec.UserName, rec.FileName, rec.ID,
		rec.Vouchers, rec.FirstID, rec.LastID, rec.FirstDate, rec.LastDate)
}

// record checks each collective's part of the import against the earlier
// imports of the collective and, unless one had the same content and f
// does not ask for it again, keeps the import's record, audited. Every
// collective refused is named; then nothing is imported.
func (imp *importer) record(ctx context.Context, f ImportFile) error {
	cids := make([]int64, 0, len(imp.parts))
	for cid, p := range imp.parts {
		if p != nil && p.vouchers > 0 {
			cids = append(cids, cid)
		}
	}
	slices.Sort(cids)
	var refused jiti.Errors
	for _, cid := range cids {
		p, span := imp.parts[cid], imp.spans[cid]
		rec := ImportRecord{CollectiveID: cid, UserID: imp.by, At: imp.tx.now, FileName: f.Name, FileSHA256: f.SHA256,
			ContentHash: p.content.Sum(), Vouchers: p.vouchers, Lines: p.lines, FirstID: span.first, LastID: span.last,
			FirstDate: p.from, LastDate: p.to, Repeats: p.repeats}
		earlier, name, err := imp.tx.lastImportOf(ctx, cid, rec.ContentHash)
		if err != nil {
			return err
		}
		if earlier != nil {
			if !f.Again {
				refused = append(refused, importedBefore(name, earlier))
				continue
			}
			rec.AgainOf = earlier.ID
		}
		if err := imp.tx.queryRow(ctx, `INSERT INTO imports (collective_id, user_id, at, file_name, file_sha256, content_hash,
  vouchers, lines, first_id, last_id, first_date, last_date, repeats, again_of)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			cid, int64(rec.UserID), timeArg(rec.At), rec.FileName, rec.FileSHA256, rec.ContentHash,
			rec.Vouchers, rec.Lines, rec.FirstID, rec.LastID, dateArg(rec.FirstDate), dateArg(rec.LastDate), rec.Repeats,
			nullID(rec.AgainOf)).Scan(&rec.ID); err != nil {
			return err
		}
		if err := imp.tx.audit(ctx, imp.by, "voucher.import", "import", rec.ID, cid, nil, rec); err != nil {
			return err
		}
		imp.res.Imports = append(imp.res.Imports, rec)
	}
	switch len(refused) {
	case 0:
		return nil
	case 1:
		return refused[0]
	}
	return refused
}

const importColumns = `i.id, i.collective_id, i.user_id, COALESCE(NULLIF(u.display_name, ''), u.name, ''), i.at, i.file_name,
  i.file_sha256, i.content_hash, i.vouchers, i.lines, i.first_id, i.last_id, i.first_date, i.last_date, i.repeats,
  COALESCE(i.again_of, 0)
FROM imports i LEFT JOIN users u ON u.id = i.user_id`

func scanImport(s interface{ Scan(...any) error }, r *ImportRecord) error {
	return s.Scan(&r.ID, &r.CollectiveID, &r.UserID, &r.UserName, dbTime{&r.At}, &r.FileName, &r.FileSHA256, &r.ContentHash,
		&r.Vouchers, &r.Lines, &r.FirstID, &r.LastID, dbDate{&r.FirstDate}, dbDate{&r.LastDate}, &r.Repeats, &r.AgainOf)
}

// lastImportOf returns the latest import of content into collective cid
// and the collective's name, or nil.
func (t *Tx) lastImportOf(ctx context.Context, cid int64, content string) (*ImportRecord, string, error) {
	r := &ImportRecord{}
	err := scanImport(t.queryRow(ctx, `SELECT `+importColumns+`
WHERE i.collective_id = ? AND i.content_hash = ? ORDER BY i.id DESC LIMIT 1`, cid, content), r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var name string
	if err := t.queryRow(ctx, `SELECT name FROM collectives WHERE id = ?`, cid).Scan(&name); err != nil {
		return nil, "", err
	}
	return r, name, nil
}

// FindImports returns the records of a collective's imports, newest first.
func (db *DB) FindImports(ctx context.Context, cid int64) ([]ImportRecord, error) {
	rows, err := db.reader().query(ctx, `SELECT `+importColumns+` WHERE i.collective_id = ? ORDER BY i.id DESC`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		if err := scanImport(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// resolveRepeats names, once the import's vouchers have ids, each kept
// repeat and the voucher it repeats.
func (imp *importer) resolveRepeats(ctx context.Context) error {
	ids := make([]int64, len(imp.repeats))
	for i, v := range imp.repeats {
		ids[i] = v.ID
	}
	of, err := repeatsOf(ctx, imp.tx, ids)
	if err != nil {
		return err
	}
	for i, v := range imp.repeats {
		imp.res.Repeats[i].Voucher = v.Ref()
		imp.res.Repeats[i].Of = of[v.ID]
	}
	return nil
}

// repeatsOf returns, for those of the vouchers ids that repeat another of
// their collective (the same fingerprint), the voucher each repeats: the
// first of them, the one the others copy.
func repeatsOf(ctx context.Context, q querier, ids []int64) (map[int64]jiti.VoucherRef, error) {
	out := map[int64]jiti.VoucherRef{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.query(ctx, `SELECT v.id, d.id, d.period, COALESCE(d.number, 0)
FROM vouchers v JOIN vouchers d ON d.id = `+repeatedID+`
WHERE v.id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var ref jiti.VoucherRef
			if err := rows.Scan(&id, &ref.ID, &ref.Period, &ref.Number); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = ref
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// repeatedID is the id of the voucher that voucher v repeats: the first of
// its collective with its fingerprint, staged ones left out; NULL for none.
const repeatedID = `(SELECT MIN(x.id) FROM vouchers x
  WHERE x.collective_id = v.collective_id AND x.fingerprint = v.fingerprint AND x.id < v.id AND x.status <> '` + statusStaged + `')`

// fingerprintArg is the fingerprint column of a voucher being written.
func fingerprintArg(v *ledger.Voucher) any {
	if fp, ok := v.Fingerprint(); ok {
		return fp
	}
	return nil
}

// fillFingerprints gives the vouchers made before fingerprints were kept
// theirs (run once, by the migration that adds them), a page at a time.
func fillFingerprints(ctx context.Context, t *Tx) error {
	var after int64
	for {
		vs, err := findVouchers(ctx, t, `WHERE v.kind = ? AND v.fingerprint IS NULL AND v.id > ?`,
			[]any{string(ledger.Normal), after}, "ORDER BY v.id", 1000, 0)
		if err != nil || len(vs) == 0 {
			return err
		}
		for _, v := range vs {
			if _, err := t.exec(ctx, `UPDATE vouchers SET fingerprint = ? WHERE id = ?`, fingerprintArg(v), v.ID); err != nil {
				return err
			}
		}
		after = vs[len(vs)-1].ID
	}
}
