//go:build !linux

package storage

// freeBytes cannot tell on this platform: Ping's probe write decides.
func freeBytes(string) (uint64, bool) { return 0, false }
