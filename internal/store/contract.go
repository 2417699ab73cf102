package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

// ContractInput is a contract to register as a draft, with its schedule of
// receivables: given (Instalments, as an imported schedule) or generated
// from its amount and frequency.
type ContractInput struct {
	Contract    register.Contract
	Instalments []register.Instalment
	// SignOn, when set, signs the contract in the same transaction: a
	// contract imported from an archive is already in force.
	SignOn jiti.Date
}

// Errors of the contract register.
var (
	ErrContractCodeTaken  = jiti.Errorf(jiti.Conflict, "contract.code_taken")
	ErrSubjectUnknown     = jiti.Errorf(jiti.Invalid, "contract.subject_unknown")
	ErrContractNotInForce = jiti.Errorf(jiti.Conflict, "contract.not_in_force")
)

// CreateContract registers a contract as a draft with its schedule.
func (db *DB) CreateContract(ctx context.Context, by jiti.UserID, in ContractInput) (*register.Contract, error) {
	var out *register.Contract
	err := db.tx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.createContract(ctx, by, in)
		return err
	})
	return out, err
}

// CreateContracts registers many contracts as drafts in one transaction,
// all or none; an error names the item at fault.
func (db *DB) CreateContracts(ctx context.Context, by jiti.UserID, ins []ContractInput) ([]*register.Contract, error) {
	var out []*register.Contract
	err := db.tx(ctx, func(tx *Tx) error {
		for i, in := range ins {
			c, err := tx.createContract(ctx, by, in)
			if err != nil {
				return atItem(err, i)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

func (t *Tx) createContract(ctx context.Context, by jiti.UserID, in ContractInput) (*register.Contract, error) {
	c := in.Contract
	if _, err := t.authorize(ctx, by, c.CollectiveID, PermKeepBooks); err != nil {
		return nil, err
	}
	if _, _, err := t.lockCollective(ctx, c.CollectiveID); err != nil {
		return nil, err
	}
	c.Status = register.ContractDraft
	c.Normalize()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := t.checkAccounts(ctx, c.CollectiveID, map[string]string{"income_account": c.IncomeAccount}); err != nil {
		return nil, err
	}
	if err := t.checkSubjects(ctx, &c); err != nil {
		return nil, err
	}
	if err := t.contractDecision(ctx, &c, in.SignOn); err != nil {
		return nil, err
	}
	insts := in.Instalments
	if len(insts) == 0 {
		var err error
		if insts, err = register.Schedule(&c); err != nil {
			return nil, err
		}
	} else if err := register.CheckSchedule(&c, insts); err != nil {
		return nil, err
	}
	if err := t.insertContract(ctx, &c); err != nil {
		return nil, err
	}
	for i := range insts {
		in := &insts[i]
		in.ContractID, in.Received, in.Accrued = c.ID, 0, false
		if _, err := t.exec(ctx, `INSERT INTO instalments (contract_id, no, collective_id, due_on, from_on, to_on, amount) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, in.No, c.CollectiveID, dateArg(in.DueOn), dateArg(in.From), dateArg(in.To), int64(in.Amount)); err != nil {
			return nil, err
		}
	}
	if err := t.auditRecord(ctx, by, "contract.create", contractRecords, c.ID, c.CollectiveID, nil, map[string]any{"instalments": insts}); err != nil {
		return nil, err
	}
	if !in.SignOn.IsZero() {
		if err := t.signContract(ctx, by, &c, in.SignOn); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// contractDecision finds the decision a contract's resolution_ref names:
// an adopted decision of the collective on a contract, adopted by the day
// it is signed (when it is signed as it is registered). A contract without
// a reference has none (the no_resolution warning tells).
func (t *Tx) contractDecision(ctx context.Context, c *register.Contract, signOn jiti.Date) error {
	c.DecisionID = 0
	if c.ResolutionRef == "" {
		return nil
	}
	id, err := t.adoptedDecision(ctx, c.CollectiveID, c.ResolutionRef, signOn, register.DecideContract)
	if err != nil {
		return decisionAt(err, "resolution_ref")
	}
	c.DecisionID = id
	return nil
}

// checkSubjects checks that a contract's assets and resources are the
// collective's.
func (t *Tx) checkSubjects(ctx context.Context, c *register.Contract) error {
	for i, s := range c.Subjects {
		at := fmt.Sprintf("subjects[%d]", i+1)
		table, id, field := "assets", s.AssetID, "asset_id"
		if s.ResourceID != 0 {
			table, id, field = "resources", s.ResourceID, "resource_id"
		}
		var cid int64
		err := t.queryRow(ctx, `SELECT collective_id FROM `+table+` WHERE id = ?`, id).Scan(&cid)
		if err != nil || cid != c.CollectiveID {
			return ErrSubjectUnknown.With(id).At(at + "." + field)
		}
	}
	return nil
}

func (t *Tx) insertContract(ctx context.Context, c *register.Contract) error {
	sealed, hash, err := t.db.seal(c.Party.IDNumber)
	if err != nil {
		return jiti.AsError(err).At("party.id_number")
	}
	masked := ""
	if !c.Party.IDNumber.IsZero() {
		masked = c.Party.IDNumber.String()
	}
	err = t.queryRow(ctx, `INSERT INTO contracts (collective_id, code, name, kind, party_kind, party_name, party_id_sealed, party_id_masked,
  party_id_hash, party_uscc, party_phone, start_on, end_on, amount, frequency, escalation, deposit, accrue, income_account, award,
  award_ref, resolution_ref, decision_id, status, note, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.CollectiveID, c.Code, c.Name, string(c.Kind), string(c.Party.Kind), c.Party.Name, sealed, masked, hash, c.Party.USCC,
		c.Party.Phone, dateArg(c.Start), dateArg(c.End), int64(c.Amount), string(c.Frequency), c.Escalation, int64(c.Deposit),
		c.Accrue, c.IncomeAccount, string(c.Award), c.AwardRef, c.ResolutionRef, nullID(c.DecisionID), string(c.Status), c.Note, timeArg(t.now)).Scan(&c.ID)
	if isUnique(err) {
		return ErrContractCodeTaken.With(c.Code).At("code")
	}
	if err != nil {
		return err
	}
	for i, s := range c.Subjects {
		if _, err := t.exec(ctx, `INSERT INTO contract_subjects (contract_id, line, asset_id, resource_id, area) VALUES (?, ?, ?, ?, ?)`,
			c.ID, i+1, nullID(s.AssetID), nullID(s.ResourceID), int64(s.Area)); err != nil {
			return err
		}
	}
	return nil
}

const contractColumns = contractColumns7 + `, COALESCE(decision_id, 0)`

// contractColumns7 are the columns a contract had before migration 16
// gave it its decision: migration 7 reads contracts for its baseline
// (chainAuditLog) in that schema.
const contractColumns7 = `id, collective_id, code, name, kind, party_kind, party_name, party_id_sealed, party_uscc, party_phone,
  start_on, end_on, amount, frequency, escalation, deposit, accrue, income_account, award, award_ref, resolution_ref, status,
  signed_on, ended_on, note`

// loadContracts reads contracts by a WHERE clause, with their subjects.
func (db *DB) loadContracts(ctx context.Context, q querier, where string, args ...any) ([]*register.Contract, error) {
	columns := contractColumns
	if t, ok := q.(*Tx); ok && t.headsInTable { // in migration 7's step
		columns = contractColumns7 + `, 0`
	}
	rows, err := q.query(ctx, `SELECT `+columns+` FROM contracts `+where+` ORDER BY collective_id, code`, args...)
	if err != nil {
		return nil, err
	}
	var out []*register.Contract
	byID := map[int64]*register.Contract{}
	for rows.Next() {
		c := &register.Contract{}
		var sealed string
		if err := rows.Scan(&c.ID, &c.CollectiveID, &c.Code, &c.Name, &c.Kind, &c.Party.Kind, &c.Party.Name, &sealed, &c.Party.USCC,
			&c.Party.Phone, dbDate{&c.Start}, dbDate{&c.End}, &c.Amount, &c.Frequency, &c.Escalation, &c.Deposit, &c.Accrue,
			&c.IncomeAccount, &c.Award, &c.AwardRef, &c.ResolutionRef, &c.Status, dbDate{&c.SignedOn}, dbDate{&c.EndedOn}, &c.Note,
			&c.DecisionID); err != nil {
			rows.Close()
			return nil, err
		}
		if sealed != "" && db.key != nil {
			// Without the key the number stays sealed; with it, it is
			// opened into an IDNumber, whose every rendering is masked.
			if c.Party.IDNumber, err = db.unseal(sealed); err != nil {
				rows.Close()
				return nil, err
			}
		}
		out = append(out, c)
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, 0, len(out))
	for _, c := range out {
		ids = append(ids, c.ID)
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := q.query(ctx, `SELECT contract_id, COALESCE(asset_id, 0), COALESCE(resource_id, 0), area FROM contract_subjects
WHERE contract_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`) ORDER BY contract_id, line`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var s register.Subject
			if err := rows.Scan(&id, &s.AssetID, &s.ResourceID, &s.Area); err != nil {
				rows.Close()
				return nil, err
			}
			byID[id].Subjects = append(byID[id].Subjects, s)
		}
		rows.Close()
	}
	return out, nil
}

// lockContract authorizes an act on contract id, takes its collective's
// lock, and reads the contract.
func (t *Tx) lockContract(ctx context.Context, by jiti.UserID, id int64) (*register.Contract, error) {
	var cid int64
	if err := t.queryRow(ctx, `SELECT collective_id FROM contracts WHERE id = ?`, id).Scan(&cid); err != nil {
		return nil, notFound(err, "contract", id)
	}
	if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
		if errors.Is(err, jiti.ErrNotFound) {
			return nil, jiti.ErrNotFound.With("contract", id)
		}
		return nil, err
	}
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return nil, err
	}
	cs, err := t.db.loadContracts(ctx, t, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, jiti.ErrNotFound.With("contract", id)
	}
	return cs[0], nil
}

// SignContract puts a draft contract in force from a date: it checks that
// no other contract in force holds its subjects over the same term, and
// sets its assets' status (leased out, invested, cooperating) and its
// resources' use (leased), remembering what they were.
func (db *DB) SignContract(ctx context.Context, by jiti.UserID, id int64, on jiti.Date) error {
	return db.tx(ctx, func(tx *Tx) error {
		c, err := tx.lockContract(ctx, by, id)
		if err != nil {
			return err
		}
		return tx.signContract(ctx, by, c, on)
	})
}

func (t *Tx) signContract(ctx context.Context, by jiti.UserID, c *register.Contract, on jiti.Date) error {
	if err := register.CheckSign(c, on); err != nil {
		return err
	}
	if c.DecisionID != 0 {
		// Checked again against the signing date: the contract is made
		// when signed, which must not come before its decision.
		if _, err := t.adoptedDecision(ctx, c.CollectiveID, c.ResolutionRef, on, register.DecideContract); err != nil {
			return decisionAt(err, "resolution_ref")
		}
	}
	others, err := t.db.loadContracts(ctx, t, `WHERE collective_id = ? AND status = ? AND id <> ?`,
		c.CollectiveID, string(register.InForce), c.ID)
	if err != nil {
		return err
	}
	areas, err := t.resourceAreas(ctx, c.CollectiveID)
	if err != nil {
		return err
	}
	if err := register.CheckOverlap(others, c, areas); err != nil {
		return err
	}
	for i, s := range c.Subjects {
		prior, err := t.occupySubject(ctx, by, c, s, on)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE contract_subjects SET prior_status = ? WHERE contract_id = ? AND line = ?`, prior, c.ID, i+1); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, `UPDATE contracts SET status = ?, signed_on = ? WHERE id = ?`, string(register.InForce), dateArg(on), c.ID); err != nil {
		return err
	}
	old := c.Status
	c.Status, c.SignedOn = register.InForce, on
	return t.auditRecord(ctx, by, "contract.sign", contractRecords, c.ID, c.CollectiveID, map[string]any{"status": old}, nil)
}

// occupySubject sets the status of a contract's asset or the use of its
// resource for the contract's kind, and returns what it was.
func (t *Tx) occupySubject(ctx context.Context, by jiti.UserID, c *register.Contract, s register.Subject, on jiti.Date) (string, error) {
	if s.AssetID != 0 {
		a, err := t.assetInTx(ctx, s.AssetID)
		if err != nil {
			return "", err
		}
		to := register.SubjectStatusOnSign(c.Kind)
		if to == "" || to == a.Status {
			return string(a.Status), nil
		}
		prior := a.Status
		return string(prior), t.changeStatus(ctx, by, a, to, on, c.ID, "签订合同"+c.Code)
	}
	r, err := t.resourceInTx(ctx, s.ResourceID)
	if err != nil {
		return "", err
	}
	prior := r.Use
	if c.Kind == register.Lease || c.Kind == register.Contracting {
		if r.Use != register.ResourceLeased {
			return string(prior), t.changeUse(ctx, by, r, register.ResourceLeased, on)
		}
	}
	return string(prior), nil
}

func (t *Tx) assetInTx(ctx context.Context, id int64) (*register.Asset, error) {
	var a register.Asset
	if err := scanAsset(t.queryRow(ctx, `SELECT `+assetColumns+` FROM assets WHERE id = ?`, id), &a); err != nil {
		return nil, notFound(err, "asset", id)
	}
	return &a, nil
}

func (t *Tx) resourceInTx(ctx context.Context, id int64) (*register.Resource, error) {
	var r register.Resource
	if err := scanResource(t.queryRow(ctx, `SELECT `+resourceColumns+` FROM resources WHERE id = ?`, id), &r); err != nil {
		return nil, notFound(err, "resource", id)
	}
	return &r, nil
}

func (t *Tx) resourceAreas(ctx context.Context, cid int64) (map[int64]register.Area, error) {
	rows, err := t.query(ctx, `SELECT id, area FROM resources WHERE collective_id = ?`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]register.Area{}
	for rows.Next() {
		var id int64
		var a register.Area
		if err := rows.Scan(&id, &a); err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, rows.Err()
}

// TerminateContract ends a contract in force before its term, with a
// reason, and gives its subjects back the status or use they had before.
func (db *DB) TerminateContract(ctx context.Context, by jiti.UserID, id int64, on jiti.Date, reason string) error {
	return db.tx(ctx, func(tx *Tx) error {
		c, err := tx.lockContract(ctx, by, id)
		if err != nil {
			return err
		}
		if err := register.CheckTerminate(c, on, reason); err != nil {
			return err
		}
		return tx.endContract(ctx, by, c, register.Terminated, on, strings.TrimSpace(reason))
	})
}

// endContract marks a contract expired or terminated and releases its
// subjects.
func (t *Tx) endContract(ctx context.Context, by jiti.UserID, c *register.Contract, status register.ContractStatus, on jiti.Date, reason string) error {
	rows, err := t.query(ctx, `SELECT COALESCE(asset_id, 0), COALESCE(resource_id, 0), prior_status FROM contract_subjects WHERE contract_id = ? ORDER BY line`, c.ID)
	if err != nil {
		return err
	}
	type subject struct {
		asset, resource int64
		prior           string
	}
	var subjects []subject
	for rows.Next() {
		var s subject
		if err := rows.Scan(&s.asset, &s.resource, &s.prior); err != nil {
			rows.Close()
			return err
		}
		subjects = append(subjects, s)
	}
	rows.Close()
	release := on
	if status == register.Expired {
		release = c.End.AddDays(1)
	}
	for _, s := range subjects {
		// A subject another contract in force still holds (the next lease
		// of the warehouse, the other households' part of a parcel) stays
		// as it is.
		held, err := t.heldByAnother(ctx, c.ID, s.asset, s.resource, release)
		if err != nil {
			return err
		}
		if held {
			continue
		}
		if s.asset != 0 {
			a, err := t.assetInTx(ctx, s.asset)
			if err != nil {
				return err
			}
			to := register.StatusAfterContract(register.Status(s.prior))
			if a.Status != register.Disposed && a.Status != to && !release.Before(a.StatusSince) {
				if err := t.changeStatus(ctx, by, a, to, release, c.ID, "合同"+c.Code+"结束"); err != nil {
					return err
				}
			}
			continue
		}
		r, err := t.resourceInTx(ctx, s.resource)
		if err != nil {
			return err
		}
		if to := register.UseAfterContract(register.ResourceUse(s.prior)); r.Use != to && !release.Before(r.UseSince) {
			if err := t.changeUse(ctx, by, r, to, release); err != nil {
				return err
			}
		}
	}
	if _, err := t.exec(ctx, `UPDATE contracts SET status = ?, ended_on = ?, end_reason = ? WHERE id = ?`,
		string(status), dateArg(on), reason, c.ID); err != nil {
		return err
	}
	// A terminated contract no longer earns what would have fallen due
	// after its end: its unpaid later instalments are cancelled (kept in
	// the audit event).
	var cancelled []register.Instalment
	if status == register.Terminated {
		var err error
		if cancelled, err = instalments(ctx, t, `WHERE contract_id = ? AND due_on > ? AND received = 0 AND accrued = ?`, c.ID, dateArg(on), false); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM instalments WHERE contract_id = ? AND due_on > ? AND received = 0 AND accrued = ?`, c.ID, dateArg(on), false); err != nil {
			return err
		}
	}
	return t.auditRecord(ctx, by, "contract."+string(status), contractRecords, c.ID, c.CollectiveID,
		map[string]any{"status": c.Status, "cancelled_instalments": cancelled}, map[string]any{"end_reason": reason})
}

// heldByAnother reports whether a contract other than contractID, in force
// on date, has the asset or resource as a subject.
func (t *Tx) heldByAnother(ctx context.Context, contractID, asset, resource int64, on jiti.Date) (bool, error) {
	col, id := "s.asset_id", asset
	if asset == 0 {
		col, id = "s.resource_id", resource
	}
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM contract_subjects s JOIN contracts k ON k.id = s.contract_id
WHERE `+col+` = ? AND k.id <> ? AND k.status = ? AND k.start_on <= ? AND k.end_on >= ?`,
		id, contractID, string(register.InForce), dateArg(on), dateArg(on)).Scan(&n)
	return n > 0, err
}

// Instalments returns a contract's schedule.
func (db *DB) Instalments(ctx context.Context, contractID int64) ([]register.Instalment, error) {
	return instalments(ctx, db.reader(), `WHERE contract_id = ?`, contractID)
}

func instalments(ctx context.Context, q querier, where string, args ...any) ([]register.Instalment, error) {
	rows, err := q.query(ctx, `SELECT contract_id, no, due_on, from_on, to_on, amount, received, accrued FROM instalments `+where+` ORDER BY contract_id, no`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.Instalment
	for rows.Next() {
		var in register.Instalment
		if err := rows.Scan(&in.ContractID, &in.No, dbDate{&in.DueOn}, dbDate{&in.From}, dbDate{&in.To}, &in.Amount, &in.Received, &in.Accrued); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// ContractFilter selects contracts.
type ContractFilter struct {
	CollectiveID int64
	Region       string
	Status       register.ContractStatus
	Kind         register.ContractKind
}

// FindContracts returns the contracts that match f, with their subjects.
func (db *DB) FindContracts(ctx context.Context, f ContractFilter) ([]*register.Contract, error) {
	where, args := []string{"1=1"}, []any{}
	if f.CollectiveID != 0 {
		where, args = append(where, "collective_id = ?"), append(args, f.CollectiveID)
	}
	if f.Region != "" {
		where, args = append(where, "collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)"), append(args, f.Region+"%")
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	return db.loadContracts(ctx, db.reader(), "WHERE "+strings.Join(where, " AND "), args...)
}

// FindContract returns one contract.
func (db *DB) FindContract(ctx context.Context, id int64) (*register.Contract, error) {
	cs, err := db.loadContracts(ctx, db.reader(), `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, jiti.ErrNotFound.With("contract", id)
	}
	return cs[0], nil
}

// ReceiptInput is money received on a contract.
type ReceiptInput struct {
	Date    jiti.Date
	Amount  jiti.Amount
	Account string // the bank or cash account it came into
	// Advance allows paying instalments not yet due; Over allows paying
	// more than the contract still owes (the excess is held to refund).
	Advance, Over bool
	// The accounts of deferred income (预收, default 211) and of
	// receivables (default 112), when the chart has detail accounts.
	DeferredAccount, ReceivableAccount string
}

// Receipt is a receipt recorded on a contract.
type Receipt struct {
	ID          int64       `json:"id"`
	ContractID  int64       `json:"contract_id"`
	Date        jiti.Date   `json:"date"`
	Amount      jiti.Amount `json:"amount"`
	Overpayment jiti.Amount `json:"overpayment,omitempty"`
	Account     string      `json:"account"`
	VoucherID   int64       `json:"voucher_id"`
}

// RecordReceipt records money received on a contract: it allocates the
// amount to the instalments in due order, posts the receipt voucher (Dr
// bank or cash; Cr income for what is income of this year, Cr 211 for what
// is income of later years or an overpayment, Cr 112 for what was accrued)
// and marks the instalments, in one transaction.
func (db *DB) RecordReceipt(ctx context.Context, by jiti.UserID, contractID int64, in ReceiptInput) (*Receipt, error) {
	var out *Receipt
	err := db.tx(ctx, func(tx *Tx) error {
		c, err := tx.lockContract(ctx, by, contractID)
		if err != nil {
			return err
		}
		if c.Status == register.ContractDraft {
			return ErrContractNotInForce.With(c.Code).At("contract")
		}
		if in.Account == "" {
			return jiti.ErrRequired.At("account")
		}
		deferred, receivable := orDefault(in.DeferredAccount, "211"), orDefault(in.ReceivableAccount, "112")
		if err := tx.checkAccounts(ctx, c.CollectiveID, map[string]string{"account": in.Account,
			"deferred_account": deferred, "receivable_account": receivable}); err != nil {
			return err
		}
		insts, err := instalments(ctx, tx, `WHERE contract_id = ?`, c.ID)
		if err != nil {
			return err
		}
		alloc, err := register.Allocate(insts, in.Date, in.Amount, register.AllocOptions{Advance: in.Advance, Over: in.Over})
		if err != nil {
			return err
		}
		byNo := map[int]*register.Instalment{}
		for i := range insts {
			byNo[insts[i].No] = &insts[i]
		}
		var parts []posting.ReceiptPart
		for _, p := range alloc.Parts {
			inst := byNo[p.No]
			parts = append(parts, posting.ReceiptPart{Instalment: *inst, Amount: p.Amount, Split: register.Recognize(c, *inst, p.Amount, in.Date)})
		}
		v := posting.Receipt(c, parts, in.Date, in.Account, deferred, receivable, alloc.Overpayment)
		if err := tx.attachAsset(ctx, c, v); err != nil {
			return err
		}
		if err := tx.postRegister(ctx, by, c.CollectiveID, v); err != nil {
			return err
		}
		r := &Receipt{ContractID: c.ID, Date: in.Date, Amount: in.Amount, Overpayment: alloc.Overpayment, Account: in.Account, VoucherID: v.ID}
		if err := tx.queryRow(ctx, `INSERT INTO receipts (contract_id, collective_id, date, amount, overpayment, account, voucher_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, c.CollectiveID, dateArg(in.Date), int64(in.Amount), int64(alloc.Overpayment),
			in.Account, v.ID, timeArg(tx.now)).Scan(&r.ID); err != nil {
			return err
		}
		for _, p := range parts {
			if _, err := tx.exec(ctx, `INSERT INTO receipt_parts (receipt_id, instalment, amount, income, deferred, receivable) VALUES (?, ?, ?, ?, ?, ?)`,
				r.ID, p.Instalment.No, int64(p.Amount), int64(p.Split.Income), int64(p.Split.Deferred), int64(p.Split.Receivable)); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE instalments SET received = received + ? WHERE contract_id = ? AND no = ?`,
				int64(p.Amount), c.ID, p.Instalment.No); err != nil {
				return err
			}
		}
		out = r
		return tx.audit(ctx, by, "contract.receipt", "contract", c.ID, c.CollectiveID, nil, map[string]any{"receipt": r, "parts": alloc.Parts})
	})
	return out, err
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// attachAsset puts the asset's code on the income lines of a voucher made
// for a contract that is about one asset, so the income each asset earns
// can be read from the books.
func (t *Tx) attachAsset(ctx context.Context, c *register.Contract, v *ledger.Voucher) error {
	if v == nil || len(c.Subjects) != 1 || c.Subjects[0].AssetID == 0 {
		return nil
	}
	a, err := t.assetInTx(ctx, c.Subjects[0].AssetID)
	if err != nil {
		return err
	}
	for i := range v.Lines {
		if ledger.FirstLevel(v.Lines[i].Account) == "501" || ledger.FirstLevel(v.Lines[i].Account) == "502" {
			v.Lines[i].Asset = a.Code
		}
	}
	return nil
}

// Receipts returns a contract's receipts by date.
func (db *DB) Receipts(ctx context.Context, contractID int64) ([]Receipt, error) {
	rows, err := db.reader().query(ctx, `SELECT id, contract_id, date, amount, overpayment, account, voucher_id FROM receipts
WHERE contract_id = ? ORDER BY date, id`, contractID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Receipt
	for rows.Next() {
		var r Receipt
		if err := rows.Scan(&r.ID, &r.ContractID, dbDate{&r.Date}, &r.Amount, &r.Overpayment, &r.Account, &r.VoucherID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindContractByCode returns the contract with the given code in a
// collective.
func (db *DB) FindContractByCode(ctx context.Context, cid int64, code string) (*register.Contract, error) {
	cs, err := db.loadContracts(ctx, db.reader(), `WHERE collective_id = ? AND code = ?`, cid, code)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, jiti.ErrNotFound.With("contract", code)
	}
	return cs[0], nil
}

// ErrContractHasPostings reports deleting a contract that was signed or
// received money: it is terminated instead.
var ErrContractHasPostings = jiti.Errorf(jiti.Conflict, "contract.has_postings")

// DeleteContract deletes a draft contract registered by mistake, with its
// schedule. A contract that was signed or has receipts is terminated
// instead.
func (db *DB) DeleteContract(ctx context.Context, by jiti.UserID, id int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		c, err := tx.lockContract(ctx, by, id)
		if err != nil {
			return err
		}
		var receipts int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM receipts WHERE contract_id = ?`, c.ID).Scan(&receipts); err != nil {
			return err
		}
		if c.Status != register.ContractDraft || receipts > 0 {
			return ErrContractHasPostings.With(c.Code)
		}
		for _, q := range []string{`DELETE FROM instalments WHERE contract_id = ?`, `DELETE FROM contract_subjects WHERE contract_id = ?`,
			`DELETE FROM contracts WHERE id = ?`} {
			if _, err := tx.exec(ctx, q, c.ID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, by, "contract.delete", "contract", c.ID, c.CollectiveID, c, nil)
	})
}
