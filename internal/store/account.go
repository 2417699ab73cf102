package store

import (
	"context"
	"fmt"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

const accountColumns = `code, name, name_en, class, side, parent_code, is_leaf, is_active, is_standard`

func scanAccount(scan func(...any) error, a *ledger.Account) error {
	return scan(&a.Code, &a.Name, &a.NameEN, &a.Class, &a.Side, &a.Parent, &a.Leaf, &a.Active, &a.Standard)
}

func findAccounts(ctx context.Context, q querier, cid int64) ([]ledger.Account, error) {
	rows, err := q.query(ctx, `SELECT `+accountColumns+` FROM accounts WHERE collective_id = ? ORDER BY code`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.Account
	for rows.Next() {
		var a ledger.Account
		if err := scanAccount(rows.Scan, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Accounts returns a collective's chart of accounts, ordered by code.
func (db *DB) Accounts(ctx context.Context, cid int64) ([]ledger.Account, error) {
	return findAccounts(ctx, db.reader(), cid)
}

// findAccount returns one account of a collective's chart.
func findAccount(ctx context.Context, q querier, cid int64, code string) (*ledger.Account, error) {
	var a ledger.Account
	err := q.queryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE collective_id = ? AND code = ?`, cid, code).
		Scan(&a.Code, &a.Name, &a.NameEN, &a.Class, &a.Side, &a.Parent, &a.Leaf, &a.Active, &a.Standard)
	if err != nil {
		return nil, notFound(err, "account", code)
	}
	return &a, nil
}

// accountUsed reports whether anything refers to the account or a detail
// account under it: voucher lines (drafts included), balances or opening
// balances.
func (t *Tx) accountUsed(ctx context.Context, cid int64, code string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT
  (SELECT COUNT(*) FROM (SELECT 1 FROM voucher_lines WHERE collective_id = ? AND account_code = ? LIMIT 1) a) +
  (SELECT COUNT(*) FROM (SELECT 1 FROM balances WHERE collective_id = ? AND account_code = ? LIMIT 1) b) +
  (SELECT COUNT(*) FROM (SELECT 1 FROM opening_balances WHERE collective_id = ? AND account_code = ? LIMIT 1) c)`,
		cid, code, cid, code, cid, code).Scan(&n)
	return n > 0, err
}

// CreateAccount adds a detail account (明细科目) under parentCode: code is
// the parent's code plus two digits, class and side are the parent's.
func (db *DB) CreateAccount(ctx context.Context, by jiti.UserID, cid int64, code, name string) (*ledger.Account, error) {
	var out *ledger.Account
	err := db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		a, err := tx.createAccount(ctx, by, cid, code, name)
		out = a
		return err
	})
	return out, err
}

// NewAccount is a detail account to add: its code and name.
type NewAccount struct{ Code, Name string }

// CreateAccounts adds detail accounts in order, as CreateAccount would, in
// one transaction: all of them, or none when one is refused. For a batch
// load such as the demo: one commit for a collective's accounts.
func (db *DB) CreateAccounts(ctx context.Context, by jiti.UserID, cid int64, accts []NewAccount) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		for _, a := range accts {
			if _, err := tx.createAccount(ctx, by, cid, a.Code, a.Name); err != nil {
				return err
			}
		}
		return nil
	})
}

// createAccount adds a detail account under the collective's lock.
func (tx *Tx) createAccount(ctx context.Context, by jiti.UserID, cid int64, code, name string) (*ledger.Account, error) {
	if _, _, err := tx.lockCollective(ctx, cid); err != nil {
		return nil, err
	}
	parentCode := ""
	if len(code) > 3 {
		parentCode = code[:len(code)-2]
	}
	parent, err := findAccount(ctx, tx, cid, parentCode)
	if err != nil {
		return nil, ledger.ErrAccountParent.With(code).At("code")
	}
	used := false
	if parent.Leaf {
		if used, err = tx.accountUsed(ctx, cid, parent.Code); err != nil {
			return nil, err
		}
	}
	a, err := ledger.NewDetailAccount(parent, code, name, used)
	if err != nil {
		return nil, err
	}
	_, err = tx.exec(ctx, `INSERT INTO accounts (collective_id, code, name, name_en, class, side, parent_code, is_leaf, is_active, is_standard)
VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?)`, cid, a.Code, a.Name, string(a.Class), string(a.Side), a.Parent, true, true, false)
	if isUnique(err) {
		return nil, jiti.ErrDuplicate.With(a.Code).At("code")
	}
	if err != nil {
		return nil, err
	}
	if parent.Leaf {
		if _, err := tx.exec(ctx, `UPDATE accounts SET is_leaf = ? WHERE collective_id = ? AND code = ?`, false, cid, parent.Code); err != nil {
			return nil, err
		}
	}
	return &a, tx.audit(ctx, by, "account.create", "account", a.Code, cid, nil, a)
}

// ErrAccountHasBalance reports deactivating an account that still holds a
// balance.
var ErrAccountHasBalance = jiti.Errorf(jiti.Conflict, "account.has_balance")

// SetAccountActive activates or deactivates an account and every detail
// account under it. An account is deactivated instead of deleted once it
// has postings; one that still holds a balance cannot be deactivated.
func (db *DB) SetAccountActive(ctx context.Context, by jiti.UserID, cid int64, code string, active bool) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		a, err := findAccount(ctx, tx, cid, code)
		if err != nil {
			return err
		}
		if !active {
			var dr, cr int64
			if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) FROM balances
WHERE collective_id = ? AND account_code LIKE ?`, cid, code+"%").Scan(&dr, &cr); err != nil {
				return err
			}
			if dr != cr {
				return ErrAccountHasBalance.With(code, jiti.Amount(dr-cr)).At("code")
			}
		} else if a.Parent != "" {
			p, err := findAccount(ctx, tx, cid, a.Parent)
			if err != nil {
				return err
			}
			if !p.Active {
				return ledger.ErrAccountInactive.With(p.Code).At("parent")
			}
		}
		if _, err := tx.exec(ctx, `UPDATE accounts SET is_active = ? WHERE collective_id = ? AND code LIKE ?`, active, cid, code+"%"); err != nil {
			return err
		}
		action := "account.deactivate"
		if active {
			action = "account.activate"
		}
		return tx.audit(ctx, by, action, "account", code, cid, map[string]bool{"active": a.Active}, map[string]bool{"active": active})
	})
}

// DeleteAccount deletes a detail account that nothing refers to. Standard
// accounts, accounts with detail accounts and accounts with postings are
// refused (deactivate those instead).
func (db *DB) DeleteAccount(ctx context.Context, by jiti.UserID, cid int64, code string) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		a, err := findAccount(ctx, tx, cid, code)
		if err != nil {
			return err
		}
		used, err := tx.accountUsed(ctx, cid, code)
		if err != nil {
			return err
		}
		if err := ledger.CheckDelete(a, used); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM accounts WHERE collective_id = ? AND code = ?`, cid, code); err != nil {
			return err
		}
		// The parent becomes a leaf again when its last detail account goes.
		var siblings int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE collective_id = ? AND parent_code = ?`, cid, a.Parent).Scan(&siblings); err != nil {
			return err
		}
		if siblings == 0 {
			if _, err := tx.exec(ctx, `UPDATE accounts SET is_leaf = ? WHERE collective_id = ? AND code = ?`, true, cid, a.Parent); err != nil {
				return err
			}
		}
		return tx.audit(ctx, by, "account.delete", "account", code, cid, a, nil)
	})
}

// Household is a member household (户) of a collective: the sub-ledgers of
// 113 内部往来 are kept per household.
type Household struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Head is the member code of its head, a member of the collective
	// (HeadName theirs, as read); Group its village group (村民小组).
	Head     string `json:"head,omitempty"`
	HeadName string `json:"head_name,omitempty"`
	Group    string `json:"group,omitempty"`
	Address  string `json:"address,omitempty"`
}

// ErrHouseholdCode reports a malformed household code.
var ErrHouseholdCode = jiti.Errorf(jiti.Invalid, "household.code")

// CreateHouseholds adds member households to a collective, all or none.
func (db *DB) CreateHouseholds(ctx context.Context, by jiti.UserID, cid int64, hs []Household) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		for i, h := range hs {
			at := fmt.Sprintf("households[%d]", i+1)
			h.Code, h.Name = strings.TrimSpace(h.Code), strings.TrimSpace(h.Name)
			if h.Code == "" || len(h.Code) > 40 || strings.ContainsAny(h.Code, " ,\t") {
				return ErrHouseholdCode.With(h.Code).At(at + ".code")
			}
			if h.Name == "" {
				return jiti.ErrRequired.At(at + ".name")
			}
			head, err := tx.headOf(ctx, cid, h.Head, h.Code)
			if err != nil {
				return jiti.AsError(err).At(at + ".head")
			}
			_, err = tx.exec(ctx, `INSERT INTO households (collective_id, code, name, head_member_id, village_group, address) VALUES (?, ?, ?, ?, ?, ?)`,
				cid, h.Code, h.Name, nullID(head), strings.TrimSpace(h.Group), strings.TrimSpace(h.Address))
			if isUnique(err) {
				return jiti.ErrDuplicate.With(h.Code).At(at + ".code")
			}
			if err != nil {
				return err
			}
		}
		return tx.audit(ctx, by, "household.create", "collective", cid, cid, nil, hs)
	})
}

// Households lists a collective's member households by code.
func (db *DB) Households(ctx context.Context, cid int64) ([]Household, error) {
	rows, err := db.reader().query(ctx, `SELECT h.code, h.name, COALESCE(m.code, ''), COALESCE(m.name, ''), h.village_group, h.address
FROM households h LEFT JOIN members m ON m.id = h.head_member_id WHERE h.collective_id = ? ORDER BY h.code`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Household
	for rows.Next() {
		var h Household
		if err := rows.Scan(&h.Code, &h.Name, &h.Head, &h.HeadName, &h.Group, &h.Address); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
