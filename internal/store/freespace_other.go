//go:build !(linux || darwin || freebsd)

package store

// noRoomLeft cannot ask this system's file systems how much room they
// have; only SQLITE_FULL then says the disk is full.
func noRoomLeft(dir string) bool { return false }
