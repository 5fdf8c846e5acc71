package s3test

import (
	"os"
	"path/filepath"
	"syscall"
)

// userXattrs reports whether the filesystem of dir accepts user extended
// attributes, which versitygw's posix backend stores metadata in.
func userXattrs(dir string) bool {
	probe := filepath.Join(dir, ".xattr-probe")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		return false
	}
	defer os.Remove(probe)
	return syscall.Setxattr(probe, "user.chancery.probe", []byte("1"), 0) == nil
}
