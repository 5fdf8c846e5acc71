//go:build linux

package storage

import "syscall"

// freeBytes returns the bytes the filesystem holding path has free for an
// ordinary write, and whether it could tell.
func freeBytes(path string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}
