//go:build !unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
)

// execServer runs chancery-server as a child with this process's standard
// streams, where a process cannot be replaced (Windows), and returns its
// exit code. An interrupt reaches the child too, which stops gracefully;
// this process waits for it rather than end first.
func execServer(path string, args []string) (int, error) {
	signal.Ignore(os.Interrupt)
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("starting %s: %w", path, err)
	}
	return 0, nil
}
