//go:build !linux

package storetest

import "testing"

// Tmpfs mounts a file system in memory on Linux; elsewhere the test skips
// (or fails where every test must run, see needRoot).
func Tmpfs(t testing.TB, size int64) string {
	t.Helper()
	needRoot(t, "mounting a tmpfs")
	t.Skip("mounting a tmpfs is done on Linux only")
	return ""
}
