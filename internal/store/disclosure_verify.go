package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"example.org/jiti/internal/disclose"
)

// verifyDisclosures checks every published disclosure of collective cid:
// its content against its hash, its chain head against the voucher chain,
// and its content against the snapshot built again from the books. A
// snapshot row or a voucher behind it changed shows up here.
func (db *DB) verifyDisclosures(ctx context.Context, cid int64, rep *VerifyReport) error {
	ds, err := findDisclosures(ctx, db.reader(), `WHERE d.collective_id = ? AND d.status = ?`, cid, string(DisclosurePublished))
	if err != nil || len(ds) == 0 {
		return err
	}
	// One read of the books for every published disclosure of cid.
	ps := make([]disclose.Period, len(ds))
	for i, d := range ds {
		ps[i] = d.Span()
	}
	from, to := span(ps)
	src, err := db.disclosureSource(ctx, cid, from, to, disclose.Chain{})
	if err != nil {
		return err
	}
	for _, head := range ds {
		d, err := db.findDisclosure(ctx, db.reader(), head.ID, true)
		if err != nil {
			return err
		}
		add := func(kind, detail string) {
			rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, Entity: "disclosure", EntityID: strconv.FormatInt(d.ID, 10),
				Kind: kind, Detail: fmt.Sprintf("%s v%d: %s", d.Period, d.Version, detail)})
		}
		if disclose.Hash(d.Content) != d.Hash {
			add("verify.disclosure_hash", "content "+disclose.Hash(d.Content)+", hash "+d.Hash)
		}
		if d.ChainSeq > 0 {
			var hash string
			err := db.reader().queryRow(ctx, `SELECT hash FROM vouchers WHERE collective_id = ? AND seq = ?`, cid, d.ChainSeq).Scan(&hash)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				add("verify.disclosure_chain", fmt.Sprintf("no voucher at seq %d", d.ChainSeq))
			case err != nil:
				return err
			case hash != d.ChainHash:
				add("verify.disclosure_chain", fmt.Sprintf("seq %d: voucher %s, snapshot %s", d.ChainSeq, hash, d.ChainHash))
			}
		}
		if fresh := rebuild(src, d); !bytes.Equal(fresh, d.Content) {
			add("verify.disclosure_books", "books "+disclose.Hash(fresh)+", published "+d.Hash)
		}
	}
	return nil
}
