//go:build !linux

package cli

import "os"

// readFile returns a file's contents as a string.
func readFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return readAll(f)
}
