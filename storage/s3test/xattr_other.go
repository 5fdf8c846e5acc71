//go:build !linux

package s3test

// userXattrs reports true: outside Linux, let versitygw use extended
// attributes and say so if it cannot.
func userXattrs(dir string) bool { return true }
