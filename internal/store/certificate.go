package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// Certificate is a share certificate (股权证) of a household. A reissue
// voids the old number (never deleted) and issues a new one.
type Certificate struct {
	ID           int64     `json:"id"`
	CollectiveID int64     `json:"collective_id"`
	Number       string    `json:"number"` // the collective's code, a dash and a sequence: 620422100201-0007
	Household    string    `json:"household"`
	IssuedOn     jiti.Date `json:"issued_on"`
	Status       string    `json:"status"` // "valid" or "void"
	VoidedOn     jiti.Date `json:"voided_on,omitzero"`
	VoidReason   string    `json:"void_reason,omitempty"`
	ReplacedBy   string    `json:"replaced_by,omitempty"` // the number that replaced a void one
}

// Statuses of a certificate.
const (
	CertificateValid = "valid"
	CertificateVoid  = "void"
)

// Errors of certificates.
var (
	ErrCertificateHeld    = jiti.Errorf(jiti.Conflict, "certificate.held")
	ErrCertificateVoid    = jiti.Errorf(jiti.Conflict, "certificate.void")
	ErrCertificateNone    = jiti.Errorf(jiti.NotFound, "certificate.none")
	ErrCertificateNoShare = jiti.Errorf(jiti.Invalid, "certificate.no_shares")
)

// IssueCertificates issues a certificate on date to each household
// listed, or, when none is, to every household that holds shares and has
// no valid certificate. A household with a valid certificate gets a new
// one only by ReissueCertificate.
func (db *DB) IssueCertificates(ctx context.Context, by jiti.UserID, cid int64, on jiti.Date, households []string) ([]Certificate, error) {
	var out []Certificate
	err := db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		if on.IsZero() {
			return jiti.ErrRequired.At("date")
		}
		holding, err := householdShares(ctx, t, cid)
		if err != nil {
			return err
		}
		holds := map[string]bool{}
		for _, h := range holding {
			holds[h.Household] = h.Total > 0 && h.Household != ""
		}
		valid, err := t.codes(ctx, `SELECT household_code FROM share_certificates WHERE collective_id = ? AND status = 'valid'`, cid)
		if err != nil {
			return err
		}
		if len(households) == 0 {
			for h, ok := range holds {
				if ok && !valid[h] {
					households = append(households, h)
				}
			}
			slices.Sort(households)
		}
		for i, h := range households {
			switch {
			case !holds[h]:
				return atItem(ErrCertificateNoShare.With(h).At("household"), i)
			case valid[h]:
				return atItem(ErrCertificateHeld.With(h).At("household"), i)
			}
		}
		// A village's certificates in one bulk insert, numbered on from
		// the collective's last, then their ids read back in one query.
		var code string
		var n int64
		if err := t.queryRow(ctx, `SELECT code FROM collectives WHERE id = ?`, cid).Scan(&code); err != nil {
			return err
		}
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM share_certificates WHERE collective_id = ?`, cid).Scan(&n); err != nil {
			return err
		}
		rows := make([][]any, len(households))
		for i, h := range households {
			c := Certificate{CollectiveID: cid, Number: fmt.Sprintf("%s-%04d", code, n+int64(i)+1), Household: h, IssuedOn: on, Status: CertificateValid}
			out = append(out, c)
			rows[i] = []any{cid, c.Number, h, t.d.copyDate(on), c.Status, t.d.copyTime(t.now)}
		}
		if err := t.bulkInsert(ctx, "share_certificates", []string{"collective_id", "number", "household_code", "issued_on", "status", "created_at"}, rows); err != nil {
			return err
		}
		if len(out) > 0 {
			ids := map[string]int64{}
			err := t.sequence(ctx, []batchItem{{query: `SELECT id, number FROM share_certificates WHERE collective_id = ? AND issued_on = ?`,
				args: []any{cid, dateArg(on)}, each: func(scan func(...any) error) error {
					var id int64
					var number string
					if err := scan(&id, &number); err != nil {
						return err
					}
					ids[number] = id
					return nil
				}}})
			if err != nil {
				return err
			}
			for i := range out {
				out[i].ID = ids[out[i].Number]
			}
		}
		return t.audit(ctx, by, "certificate.issue", "collective", cid, cid, nil, map[string]any{"date": on, "certificates": out})
	})
	return out, err
}

// ReissueCertificate voids a valid certificate with its reason and issues
// the household a new number on date.
func (db *DB) ReissueCertificate(ctx context.Context, by jiti.UserID, cid int64, number string, on jiti.Date, reason string) (*Certificate, error) {
	var out *Certificate
	err := db.tx(ctx, func(t *Tx) error {
		if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := t.lockCollective(ctx, cid); err != nil {
			return err
		}
		if on.IsZero() {
			return jiti.ErrRequired.At("date")
		}
		if reason == "" {
			return jiti.ErrRequired.At("reason")
		}
		old, err := findCertificate(ctx, t, number)
		if err != nil || old.CollectiveID != cid {
			return ErrCertificateNone.With(number).At("certificate_number")
		}
		if old.Status != CertificateValid {
			return ErrCertificateVoid.With(number).At("certificate_number")
		}
		c, err := t.issueCertificate(ctx, cid, old.Household, on)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE share_certificates SET status = 'void', voided_on = ?, void_reason = ?, replaced_by = ? WHERE id = ?`,
			dateArg(on), reason, c.ID, old.ID); err != nil {
			return err
		}
		out = c
		return t.audit(ctx, by, "certificate.reissue", "collective", cid, cid, nil, map[string]any{"void": number, "reason": reason, "new": c})
	})
	return out, err
}

// issueCertificate numbers and writes a household's new certificate: the
// collective's code and the collective's next sequence.
func (t *Tx) issueCertificate(ctx context.Context, cid int64, household string, on jiti.Date) (*Certificate, error) {
	var code string
	var n int64
	if err := t.queryRow(ctx, `SELECT code FROM collectives WHERE id = ?`, cid).Scan(&code); err != nil {
		return nil, err
	}
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM share_certificates WHERE collective_id = ?`, cid).Scan(&n); err != nil {
		return nil, err
	}
	c := &Certificate{CollectiveID: cid, Number: fmt.Sprintf("%s-%04d", code, n+1), Household: household, IssuedOn: on, Status: CertificateValid}
	err := t.queryRow(ctx, `INSERT INTO share_certificates (collective_id, number, household_code, issued_on, status, created_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, cid, c.Number, household, dateArg(on), c.Status, timeArg(t.now)).Scan(&c.ID)
	return c, err
}

const certificateColumns = `c.id, c.collective_id, c.number, c.household_code, c.issued_on, c.status, c.voided_on, c.void_reason, COALESCE(r.number, '')`

func scanCertificate(s interface{ Scan(...any) error }) (*Certificate, error) {
	c := &Certificate{}
	err := s.Scan(&c.ID, &c.CollectiveID, &c.Number, &c.Household, dbDate{&c.IssuedOn}, &c.Status, dbDate{&c.VoidedOn}, &c.VoidReason, &c.ReplacedBy)
	return c, err
}

func findCertificate(ctx context.Context, q querier, number string) (*Certificate, error) {
	c, err := scanCertificate(q.queryRow(ctx, `SELECT `+certificateColumns+`
FROM share_certificates c LEFT JOIN share_certificates r ON r.id = c.replaced_by WHERE c.number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrCertificateNone.With(number)
	}
	return c, err
}

// Certificates lists collective cid's certificates, valid and void, by
// number.
func (db *DB) Certificates(ctx context.Context, cid int64) ([]Certificate, error) {
	rows, err := db.reader().query(ctx, `SELECT `+certificateColumns+`
FROM share_certificates c LEFT JOIN share_certificates r ON r.id = c.replaced_by WHERE c.collective_id = ? ORDER BY c.number`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Certificate
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// CertificateSheet is what a certificate shows: the collective, the
// household with its head and members, its shares by type with their
// quantification dates, and the changes of its holdings.
type CertificateSheet struct {
	Certificate Certificate           `json:"certificate"`
	Collective  jiti.Collective       `json:"collective"`
	Household   Household             `json:"household"`
	Members     []string              `json:"members"` // names of its active members
	Shares      []CertificateShare    `json:"shares"`
	Total       register.Shares       `json:"total"`
	Changes     []register.ShareEntry `json:"changes"`
}

// CertificateShare is one line of a certificate's shares.
type CertificateShare struct {
	Type         string          `json:"type"`
	Name         string          `json:"name"`
	Qty          register.Shares `json:"qty"`
	QuantifiedOn jiti.Date       `json:"quantified_on"`
}

// CertificateSheet reads a certificate of a collective in scope with all
// it shows.
func (v *View) CertificateSheet(ctx context.Context, number string) (*CertificateSheet, error) {
	c, err := findCertificate(ctx, v.db.reader(), number)
	if err != nil {
		return nil, err
	}
	if v.requireCollective(ctx, c.CollectiveID) != nil {
		return nil, ErrCertificateNone.With(number)
	}
	return v.db.certificateSheet(ctx, c)
}

// PublicCertificate reads what anyone who scans a certificate's QR code
// may check: whether the number is valid, whose household (its head's
// name) and how many shares; never an identity number.
func (db *DB) PublicCertificate(ctx context.Context, number string) (*CertificateSheet, error) {
	c, err := findCertificate(ctx, db.reader(), number)
	if err != nil {
		return nil, err
	}
	s, err := db.certificateSheet(ctx, c)
	if err != nil {
		return nil, err
	}
	s.Changes = nil
	return s, nil
}

func (db *DB) certificateSheet(ctx context.Context, c *Certificate) (*CertificateSheet, error) {
	col, err := db.FindCollective(ctx, c.CollectiveID)
	if err != nil {
		return nil, err
	}
	h, _, err := db.FindHousehold(ctx, c.CollectiveID, c.Household)
	if err != nil {
		return nil, err
	}
	s := &CertificateSheet{Certificate: *c, Collective: *col, Household: *h}
	ms, err := db.FindMembers(ctx, MemberFilter{CollectiveID: c.CollectiveID, Household: c.Household})
	if err != nil {
		return nil, err
	}
	codes := map[string]bool{}
	for _, m := range ms {
		if m.Status == register.MemberActive {
			s.Members = append(s.Members, m.Name)
		}
		codes[m.Code] = true
	}
	reg, err := db.shareRegister(ctx, c.CollectiveID)
	if err != nil {
		return nil, err
	}
	mine := func(h register.Holder) bool {
		return h.Kind == register.HeldByHousehold && h.Code == c.Household || h.Kind == register.HeldByMember && codes[h.Code]
	}
	for _, typ := range reg.Types {
		line := CertificateShare{Type: typ.Code, Name: typ.Name, QuantifiedOn: typ.QuantifiedOn}
		for _, hd := range reg.Holdings {
			if hd.Type == typ.Code && mine(hd.Holder) {
				line.Qty += hd.Qty
			}
		}
		if line.Qty > 0 {
			s.Shares = append(s.Shares, line)
			s.Total += line.Qty
		}
	}
	for _, ch := range reg.Changes {
		if ch.Change.Kind != register.Quantify && ch.Change.Kind != register.Recompute && (mine(ch.Change.From) || mine(ch.Change.To)) {
			s.Changes = append(s.Changes, ch)
		}
	}
	return s, nil
}
