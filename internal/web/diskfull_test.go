package web_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestDiskFull: a write on a full disk answers 507 with 磁盘空间不足 naming
// the database, through the JSON API and through a page's form; pages that
// read go on; once there is room the same requests succeed, with no
// restart, and the books verify clean. The disk fills by SQLite's
// max_page_count and, as root (CI), as a real tmpfs filled to the last byte.
func TestDiskFull(t *testing.T) {
	t.Run("max_page_count", func(t *testing.T) {
		db := storetest.OpenSQLite(t)
		diskFull(t, db, func() func() { return storetest.LimitPages(t, db) })
	})
	t.Run("tmpfs", func(t *testing.T) {
		dir := storetest.Tmpfs(t, 8<<20)
		db, err := store.Open(context.Background(), filepath.Join(dir, "jiti.db"), store.Options{Migrate: true, Key: storetest.Key})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		diskFull(t, db, func() func() { return storetest.FillDisk(t, dir) })
	})
}

func diskFull(t *testing.T, db *store.DB, fill func() (free func())) {
	w := newWorld(t, db)
	kuaiji, kj := w.apiAs(t, "kuaiji"), w.client(t, "kuaiji")
	create := fmt.Sprintf("/collectives/%d/vouchers", w.f.A.ID)
	voucher := `{"date": "2025-06-10", "lines": [
		{"summary": "收南什村冷库租金", "account": "10201", "debit": "1000"},
		{"summary": "收南什村冷库租金", "account": "50101", "credit": "1000"}]}`
	newURL := fmt.Sprintf("%s/c/%d/vouchers/new", w.srv.URL, w.f.A.ID)
	form := voucherForm("2025-06-11", [4]string{"收鱼塘租金", "10201", "500", ""}, [4]string{"收鱼塘租金", "50101", "", "500"})
	wantMessage := func(what, msg string) {
		t.Helper()
		if !strings.Contains(msg, "磁盘空间不足") || !strings.Contains(msg, "jiti.db") {
			t.Errorf("%s: the answer does not say 磁盘空间不足 naming jiti.db:\n%s", what, msg)
		}
	}

	free := fill()
	// A real file system may still take a few writes into room the
	// database's log already has.
	acked := 0
	var ans answer
	for range 5000 {
		if ans = kuaiji.do("POST", create, voucher); ans.code != http.StatusCreated {
			break
		}
		acked++
	}
	ans.wantError(t, http.StatusInsufficientStorage, "error.disk_full", "", "API write on a full disk")
	_, msg, _ := ans.errorOf()
	wantMessage("API", msg)
	code, page := post(t, kj, newURL, form)
	if code != http.StatusInsufficientStorage {
		t.Errorf("voucher form on a full disk: status %d, want 507", code)
	}
	wantMessage("voucher form", page)
	kuaiji.get(fmt.Sprintf("/vouchers/%d", w.posted["A"].ID)).want(t, http.StatusOK, "API read on a full disk")
	if code, _ := get(t, kj, fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, w.f.A.ID)); code != http.StatusOK {
		t.Errorf("voucher list on a full disk: status %d", code)
	}

	free()
	kuaiji.do("POST", create, voucher).want(t, http.StatusCreated, "API write once there is room")
	if code, _ := post(t, kj, newURL, form); code != http.StatusSeeOther {
		t.Errorf("voucher form once there is room: status %d, want 303", code)
	}
	// Seeded: a draft of A; acknowledged on the full disk: acked; after: 2.
	if n := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE collective_id = %d AND status = 'draft'`, w.f.A.ID); n != int64(1+acked+2) {
		t.Errorf("%d drafts, want %d", n, 1+acked+2)
	}
	rep, err := db.Verify(context.Background(), 0)
	must(t, err)
	if !rep.OK() {
		t.Errorf("verify after the disk was full: %+v", rep.Problems)
	}
}
