package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti/internal/cli"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestCLI_DiskFull: a command that writes on a full disk exits 8 saying
// 磁盘空间不足 and naming the database; once there is room the same command
// succeeds and verify finds the books clean. The disk fills by SQLite's
// max_page_count and, as root (CI), as a real tmpfs filled to the last byte.
func TestCLI_DiskFull(t *testing.T) {
	t.Run("max_page_count", func(t *testing.T) {
		r := newRunner(t)
		diskFullCLI(t, r, func() func() {
			return cli.SetOpened(func(db *store.DB) { storetest.LimitPages(t, db) })
		})
	})
	t.Run("tmpfs", func(t *testing.T) {
		dir := storetest.Tmpfs(t, 8<<20)
		r := newRunner(t)
		r.env["JITI_DB"] = filepath.Join(dir, "jiti.db")
		diskFullCLI(t, r, func() func() { return storetest.FillDisk(t, dir) })
	})
}

func diskFullCLI(t *testing.T, r *runner, fill func() (free func())) {
	r.setup()
	create := []string{"voucher", "create", "-c", "620422100201", "-date", "2025-03-05",
		"-line", "收取门面租金,10201,5000.00,", "-line", ",50101,,5000.00", "-as", "kj"}
	r.must(create...)

	free := fill()
	r.env["JITI_LANG"] = "zh-CN"
	code, errs := 0, ""
	for range 1000 {
		if code, _, errs = r.run(create...); code != 0 {
			break
		}
	}
	if code != 8 || !strings.Contains(errs, "磁盘空间不足") || !strings.Contains(errs, "jiti.db") {
		t.Fatalf("voucher create on a full disk: exit %d, want 8 saying 磁盘空间不足 naming jiti.db:\n%s", code, errs)
	}
	free()
	r.must(create...)
	r.must("verify")
}
