//go:build !linux

package storage

import (
	"bytes"
	"time"
)

// readObject reads the whole object file at path. A directory (a key that
// is a prefix of others) is not an object.
func readObject(path string) ([]byte, time.Time, error) {
	f, fi, err := openObject(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, time.Time{}, err
	}
	return buf.Bytes(), fi.ModTime(), nil
}
