package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestDiskFull_SQLite: a write that finds the disk full is ErrDiskFull
// naming the database, keeps nothing of itself and loses nothing
// acknowledged before; reading goes on; once there is room the next write
// succeeds on the same store, and the books verify clean. The disk is
// filled two ways: SQLite's max_page_count (SQLITE_FULL, anywhere) and a
// real tmpfs filled to the last byte (ENOSPC, as root: CI).
func TestDiskFull_SQLite(t *testing.T) {
	t.Run("max_page_count", func(t *testing.T) {
		db := storetest.OpenSQLite(t)
		diskFullRecovers(t, db, func() func() { return storetest.LimitPages(t, db) })
	})
	t.Run("tmpfs", func(t *testing.T) {
		dir := storetest.Tmpfs(t, 8<<20)
		db, err := store.Open(bg, filepath.Join(dir, "jiti.db"), store.Options{Migrate: true, Key: storetest.Key})
		ok(t, err)
		db.Now = func() time.Time { return storetest.Now }
		t.Cleanup(func() { db.Close() })
		diskFullRecovers(t, db, func() func() { return storetest.FillDisk(t, dir) })
	})
}

// diskFullRecovers fills the disk with fill (which returns what frees it)
// and checks how the store answers, then frees it and checks it recovers.
func diskFullRecovers(t *testing.T, db *store.DB, fill func() (free func())) {
	f := storetest.Seed(t, db)
	token, err := db.CreateSession(bg, f.Accountant, 0, "test", "127.0.0.1")
	ok(t, err)
	// What the store has acknowledged: each voucher's last state.
	acked := map[int64]ledger.Status{}
	write := func(i int) error {
		v, err := db.CreateVoucher(bg, f.Accountant, V(f.A.ID, "2025-03-05", L(fmt.Sprintf("收租金 %d", i), "10201", "100"), L("收租金", "50101", "-100")))
		if err != nil {
			return err
		}
		acked[v.ID] = ledger.Draft
		if err := db.ApproveVoucher(bg, f.Approver, v.ID); err != nil {
			return err
		}
		acked[v.ID] = ledger.Approved
		if _, err := db.PostVoucher(bg, f.Accountant, v.ID); err != nil {
			return err
		}
		acked[v.ID] = ledger.Posted
		return nil
	}
	for i := range 5 {
		ok(t, write(i))
	}

	free := fill()
	var full error
	for i := 5; i < 20000 && full == nil; i++ {
		full = write(i)
	}
	if full == nil {
		t.Fatal("the disk never filled")
	}
	if !errors.Is(full, store.ErrDiskFull) || jiti.KindOf(full) != jiti.DiskFull {
		t.Fatalf("write on a full disk: %v, want ErrDiskFull", full)
	}
	msg := locale.New(locale.ZH).Error(full)
	if !strings.Contains(msg, "磁盘空间不足") || !strings.Contains(msg, db.Name()) || strings.Contains(msg, "/") {
		t.Errorf("message %q: want 磁盘空间不足 naming the database %s, not where it is", msg, db.Name())
	}
	if !strings.Contains(full.Error(), db.Location()) {
		t.Errorf("the logged error %q does not say where the database is", full)
	}
	// Reading goes on, and a session is not signed out for want of room
	// to note its use.
	ok(t, db.ExecRaw(bg, `SELECT 1`)) // the write connection is usable
	later := storetest.Now.Add(time.Hour)
	db.Now = func() time.Time { return later }
	if _, err := db.SessionUser(bg, token); err != nil {
		t.Errorf("a session on a full disk: %v", err)
	}
	if _, err := db.TrialBalance(bg, f.A.ID, P("2025-01"), P("2025-12"), false); err != nil {
		t.Errorf("a trial balance on a full disk: %v", err)
	}

	free()
	ok(t, write(20000))
	for id, status := range acked {
		v, err := db.FindVoucher(bg, id)
		if err != nil {
			t.Fatalf("acknowledged voucher %d: %v", id, err)
		}
		if v.Status != status {
			t.Errorf("voucher %d is %s, acknowledged %s", id, v.Status, status)
		}
	}
	if n := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE collective_id = %d`, f.A.ID); n != int64(len(acked)) {
		t.Errorf("%d vouchers, %d acknowledged: the failed write kept something", n, len(acked))
	}
	rep, err := db.Verify(bg, 0)
	ok(t, err)
	if !rep.OK() {
		t.Errorf("verify after the disk was full: %+v", rep.Problems)
	}
}
