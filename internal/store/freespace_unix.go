//go:build linux || darwin || freebsd

package store

import "syscall"

// noRoomLeft reports whether the file system that holds dir has (nearly)
// no room left for this process: less than a megabyte, or no free inode.
// The margin covers what other processes freed or took since the write
// failed; a genuine I/O error on a disk with room is never taken for it.
func noRoomLeft(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	free := uint64(st.Bavail) * uint64(st.Bsize)
	if syscall.Geteuid() == 0 {
		// Root may write into the blocks reserved for it.
		free = uint64(st.Bfree) * uint64(st.Bsize)
	}
	// File systems without a count of inodes (btrfs) report none free.
	return free < 1<<20 || (st.Files > 0 && st.Ffree == 0)
}
