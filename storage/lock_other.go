//go:build !unix

package storage

import (
	"errors"
	"os"
)

// lockFile is not implemented on this platform: the local backend relies on
// flock(2) to keep a second process out of its data directory.
func lockFile(f *os.File) (held bool, err error) {
	return false, errors.New("the local storage backend needs flock(2), which this platform lacks")
}
