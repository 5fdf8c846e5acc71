//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// execServer replaces this process with chancery-server: the server keeps
// chancery's process id, signals and standard streams, as a service
// manager or a container expects. It returns only if the exec fails.
func execServer(path string, args []string) (int, error) {
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	return 0, fmt.Errorf("starting %s: %w", path, err)
}
