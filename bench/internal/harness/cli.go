package harness

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Main runs a command's run with its arguments and standard output, and
// ends the program, saying the error after name, if run fails.
func Main(name string, run func(args []string, out io.Writer) error) {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Check ends the program with err's message if err is not nil.
func Check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// Selected reports whether only, a comma-separated list (empty: all),
// selects name: match(name, item) for one of its items.
func Selected(only, name string, match func(name, item string) bool) bool {
	if only == "" {
		return true
	}
	for _, item := range strings.Split(only, ",") {
		if item != "" && match(name, item) {
			return true
		}
	}
	return false
}

// BuildServer builds the server of the checkout src into bin:
// ./cmd/chancery-server, or ./cmd/chancery in a checkout from before the
// two were apart (both take "serve" and its flags), so that the benchmarks
// can measure older commits.
func BuildServer(src, bin string) error {
	pkg := "./cmd/chancery-server"
	if _, err := os.Stat(filepath.Join(src, "cmd", "chancery-server")); err != nil {
		pkg = "./cmd/chancery"
	}
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir, cmd.Stdout, cmd.Stderr = src, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building %s/%s: %w", src, pkg, err)
	}
	return nil
}
