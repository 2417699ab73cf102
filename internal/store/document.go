package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// Documents are the scanned originals behind a voucher or a contract
// (migration 0006).

// MaxDocumentSize is the largest document accepted: a multi-page scan at a
// readable resolution, small enough for a rural link.
const MaxDocumentSize = 10 << 20

// Megabytes writes a size in MB with at most one decimal, rounded up so a
// file just over the limit never reads as the limit: 10, 10.1.
func Megabytes(n int) string {
	tenths := (int64(n)*10 + 1<<20 - 1) >> 20
	if tenths%10 == 0 {
		return strconv.FormatInt(tenths/10, 10)
	}
	return strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10)
}

// Document types accepted, by what their content is, never by their name.
var documentTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

// Errors of documents. ErrDocumentSize gives the file's size and the
// limit, ErrDocumentTooLarge (a file refused before it was all read) the
// limit alone, both in MB as Megabytes writes them.
var (
	ErrDocumentType     = jiti.Errorf(jiti.Invalid, "document.type")
	ErrDocumentSize     = jiti.Errorf(jiti.Invalid, "document.size")
	ErrDocumentTooLarge = jiti.Errorf(jiti.Invalid, "document.too_large")
	ErrDocumentEmpty    = jiti.Errorf(jiti.Invalid, "document.empty")
	ErrDocumentName     = jiti.Errorf(jiti.Invalid, "document.name")
	ErrDocumentKept     = jiti.Errorf(jiti.Conflict, "document.posted")
)

// Document is a scanned original. Data is filled only by View.Document.
type Document struct {
	ID           int64     `json:"id"`
	CollectiveID int64     `json:"collective_id"`
	VoucherID    int64     `json:"voucher_id,omitempty"`
	ContractID   int64     `json:"contract_id,omitempty"`
	Name         string    `json:"name"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	CreatedBy    int64     `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	Data         []byte    `json:"-"`
}

// DocumentInput is a document to attach: to a voucher or to a contract.
type DocumentInput struct {
	VoucherID  int64
	ContractID int64
	Name       string
	Data       []byte
}

// checkDocument validates a document's name, size and type, the type read
// from the content's first bytes.
func checkDocument(in DocumentInput) (contentType string, err error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 || strings.ContainsAny(name, "/\\\x00") {
		return "", ErrDocumentName.With(name).At("file")
	}
	if len(in.Data) == 0 {
		return "", ErrDocumentEmpty.At("file")
	}
	if len(in.Data) > MaxDocumentSize {
		return "", ErrDocumentSize.With(Megabytes(len(in.Data)), Megabytes(MaxDocumentSize)).At("file")
	}
	ct, _, _ := strings.Cut(http.DetectContentType(in.Data), ";")
	if !documentTypes[ct] {
		return "", ErrDocumentType.With(ct).At("file")
	}
	return ct, nil
}

// AddDocument attaches a scanned original to a voucher (of any status: a
// posted voucher's originals may arrive late) or a contract, by someone who
// keeps the collective's books.
func (db *DB) AddDocument(ctx context.Context, by jiti.UserID, in DocumentInput) (*Document, error) {
	ct, err := checkDocument(in)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(in.Data)
	d := &Document{VoucherID: in.VoucherID, ContractID: in.ContractID, Name: strings.TrimSpace(in.Name), ContentType: ct,
		Size: int64(len(in.Data)), SHA256: hex.EncodeToString(sum[:]), CreatedBy: int64(by)}
	err = db.tx(ctx, func(tx *Tx) error {
		cid, err := tx.documentOwner(ctx, in.VoucherID, in.ContractID)
		if err != nil {
			return err
		}
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		d.CollectiveID, d.CreatedAt = cid, tx.now
		if err := tx.queryRow(ctx, `INSERT INTO documents (collective_id, voucher_id, contract_id, name, content_type, size, sha256, data, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, cid, nullID(in.VoucherID), nullID(in.ContractID), d.Name, ct, d.Size, d.SHA256,
			in.Data, int64(by), timeArg(tx.now)).Scan(&d.ID); err != nil {
			return err
		}
		return tx.audit(ctx, by, "document.add", "document", d.ID, cid, nil, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// documentOwner returns the collective of the voucher or contract a
// document is for; an unknown one is not found.
func (t *Tx) documentOwner(ctx context.Context, voucherID, contractID int64) (int64, error) {
	var cid int64
	switch {
	case voucherID != 0 && contractID == 0:
		err := t.queryRow(ctx, `SELECT collective_id FROM vouchers WHERE id = ?`, voucherID).Scan(&cid)
		return cid, notFound(err, "voucher", voucherID)
	case contractID != 0 && voucherID == 0:
		err := t.queryRow(ctx, `SELECT collective_id FROM contracts WHERE id = ?`, contractID).Scan(&cid)
		return cid, notFound(err, "contract", contractID)
	}
	return 0, jiti.ErrRequired.At("voucher")
}

// DeleteDocument removes a document added by mistake; one of a posted
// voucher stays, as the voucher does.
func (db *DB) DeleteDocument(ctx context.Context, by jiti.UserID, id int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		var d Document
		var vid, kid *int64
		var status string
		err := tx.queryRow(ctx, `SELECT d.collective_id, d.voucher_id, d.contract_id, d.name, d.sha256, COALESCE(v.status, '')
FROM documents d LEFT JOIN vouchers v ON v.id = d.voucher_id WHERE d.id = ?`, id).Scan(&d.CollectiveID, &vid, &kid, &d.Name, &d.SHA256, &status)
		if err != nil {
			return notFound(err, "document", id)
		}
		if _, err := tx.authorize(ctx, by, d.CollectiveID, PermKeepBooks); err != nil {
			if jiti.KindOf(err) == jiti.NotFound {
				return jiti.ErrNotFound.With("document", id)
			}
			return err
		}
		if status == string(ledger.Posted) {
			return ErrDocumentKept.With(d.Name)
		}
		if _, err := tx.exec(ctx, `DELETE FROM documents WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, by, "document.delete", "document", id, d.CollectiveID, map[string]string{"name": d.Name, "sha256": d.SHA256}, nil)
	})
}

const documentColumns = `id, collective_id, COALESCE(voucher_id, 0), COALESCE(contract_id, 0), name, content_type, size, sha256, created_by, created_at`

func scanDocument(s interface{ Scan(...any) error }, d *Document) error {
	return s.Scan(&d.ID, &d.CollectiveID, &d.VoucherID, &d.ContractID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &d.CreatedBy, dbTime{&d.CreatedAt})
}

// Documents lists the documents of a voucher or a contract of a collective
// in scope, without their content.
func (v *View) Documents(ctx context.Context, voucherID, contractID int64) ([]Document, error) {
	r := v.db.reader()
	col, id := "voucher_id", voucherID
	if contractID != 0 {
		col, id = "contract_id", contractID
	}
	var cid int64
	owner := `SELECT collective_id FROM vouchers WHERE id = ?`
	if contractID != 0 {
		owner = `SELECT collective_id FROM contracts WHERE id = ?`
	}
	if err := r.queryRow(ctx, owner, id).Scan(&cid); err != nil {
		return nil, notFound(err, strings.TrimSuffix(col, "_id"), id)
	}
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, jiti.ErrNotFound.With(strings.TrimSuffix(col, "_id"), id)
	}
	rows, err := r.query(ctx, `SELECT `+documentColumns+` FROM documents WHERE `+col+` = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		if err := scanDocument(rows, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Document returns a document with its content, if its collective is in
// scope; any other reads as not found.
func (v *View) Document(ctx context.Context, id int64) (*Document, error) {
	var d Document
	err := scanDocument(v.db.reader().queryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, id), &d)
	if err != nil {
		return nil, notFound(err, "document", id)
	}
	if err := v.requireCollective(ctx, d.CollectiveID); err != nil {
		return nil, jiti.ErrNotFound.With("document", id)
	}
	if err := v.db.reader().queryRow(ctx, `SELECT data FROM documents WHERE id = ?`, id).Scan(&d.Data); err != nil {
		return nil, err
	}
	return &d, nil
}

// verifyDocuments checks every document of a collective against the
// SHA-256 recorded when it was added, one at a time.
func (db *DB) verifyDocuments(ctx context.Context, cid int64, rep *VerifyReport) error {
	r := db.reader()
	rows, err := r.query(ctx, `SELECT id, sha256, COALESCE(voucher_id, 0) FROM documents WHERE collective_id = ? ORDER BY id`, cid)
	if err != nil {
		return err
	}
	type doc struct {
		id, voucher int64
		sum         string
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.id, &d.sum, &d.voucher); err != nil {
			rows.Close()
			return err
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range docs {
		var data []byte
		if err := r.queryRow(ctx, `SELECT data FROM documents WHERE id = ?`, d.id).Scan(&data); err != nil {
			return err
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.sum {
			rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, VoucherID: d.voucher, Kind: "verify.document",
				Detail: "document " + strconv.FormatInt(d.id, 10) + ": content does not match its SHA-256"})
		}
	}
	return nil
}
