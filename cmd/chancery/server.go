package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"chancery/internal/cli"
)

// runServer runs chancery-server with the same arguments, in this
// process's place where the system allows it (execServer), and returns its
// exit code where it does not.
func runServer(args []string) (int, error) {
	self, _ := os.Executable()
	path, err := findServer(self, args[0], exec.LookPath)
	if err != nil {
		return 0, err
	}
	return execServer(path, args)
}

// serverName is the program's file name on this system.
func serverName() string {
	if runtime.GOOS == "windows" {
		return "chancery-server.exe"
	}
	return "chancery-server"
}

// findServer looks for chancery-server beside this program first, where
// go install, go build -o DIR ./cmd/... and the container image put it,
// so that a chancery runs the server of its own build; then on PATH.
// command is the one it is wanted for, which its error names.
func findServer(self, command string, lookPath func(string) (string, error)) (string, error) {
	if self != "" {
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		beside := filepath.Join(filepath.Dir(self), serverName())
		if fi, err := os.Stat(beside); err == nil && fi.Mode().IsRegular() && (runtime.GOOS == "windows" || fi.Mode()&0o111 != 0) {
			return beside, nil
		}
	}
	path, err := lookPath(serverName())
	if err == nil {
		return path, nil
	}
	if errors.Is(err, exec.ErrDot) {
		return "", cli.Usagef("chancery-server is in the current directory, which PATH names only as \".\"; give its path in PATH, or run ./chancery-server")
	}
	where := "not on PATH"
	if self != "" {
		where = "neither beside chancery (in " + filepath.Dir(self) + ") nor on PATH"
	}
	what := "the server is the program chancery-server"
	if command == "render" || command == "import" {
		what = "chancery " + command + " is done by the program chancery-server (it has the PDF and Word writers)"
	}
	return "", cli.Usagef("%s, which is %s: install both programs with go install ./cmd/... (or build them with go build -o DIR ./cmd/...), or run it from a clone with go run ./cmd/chancery-server %s", what, where, command)
}
