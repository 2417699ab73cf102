package storetest

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

// Tmpfs mounts a file system of size bytes in memory in a new temporary
// directory, world-readable so that a local PostgreSQL server may use it,
// and returns the directory; it is unmounted when the test ends (after the
// cleanups registered later, such as closing a database on it). Mounting
// needs root: see needRoot. A failure to mount fails the test.
func Tmpfs(t testing.TB, size int64) string {
	t.Helper()
	needRoot(t, "mounting a tmpfs")
	dir, err := os.MkdirTemp("", "jiti-tmpfs-")
	must(t, err)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("size=%d,mode=0755", size)); err != nil {
		os.Remove(dir)
		t.Fatalf("mount a tmpfs on %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
		os.Remove(dir)
	})
	return dir
}
