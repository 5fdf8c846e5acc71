package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// buildChancery builds this program into a new folder and returns its path.
func buildChancery(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "chancery")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestServeRunsChanceryServer: chancery serve, admin, render and import
// are chancery-server's, found beside chancery and given the same arguments,
// the same standard streams and the process itself (its exit code is
// chancery's). A script stands in for the server.
func TestServeRunsChanceryServer(t *testing.T) {
	bin := buildChancery(t)
	fake := filepath.Join(filepath.Dir(bin), "chancery-server")
	script := "#!/bin/sh\necho \"server pid $$ args: $*\"\necho \"to stderr\" >&2\nexit 7\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0"}, {"admin", "token", "--user", "secretariat"},
		{"render", "--against", "old.txt", "new.txt", "-o", "out.pdf"}, {"import", "--original", "draft.docx"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "PATH="+t.TempDir()) // only the one beside
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 7 {
			t.Fatalf("%v: %v, want the server's exit code 7 (stderr %q)", args, err, stderr.String())
		}
		want := "args: " + strings.Join(args, " ") + "\n"
		if !strings.HasSuffix(stdout.String(), want) || stderr.String() != "to stderr\n" {
			t.Errorf("%v: stdout %q, stderr %q; want stdout ending %q", args, stdout.String(), stderr.String(), want)
		}
		// The server took chancery's process: the same id.
		if pid := cmd.ProcessState.Pid(); !strings.Contains(stdout.String(), "pid "+strconv.Itoa(pid)+" ") {
			t.Errorf("%v: server ran as another process than chancery's %d: %q", args, pid, stdout.String())
		}
	}
}

// TestServeWithoutTheServer: with no chancery-server beside chancery or on
// PATH, serve and render say which program they need and how to get it;
// diff works all the same.
func TestServeWithoutTheServer(t *testing.T) {
	bin := buildChancery(t)
	for _, tt := range []struct {
		command, says string
	}{
		{"serve", "chancery: the server is the program chancery-server"},
		{"render", "chancery: chancery render is done by the program chancery-server (it has the PDF and Word writers), which is"},
	} {
		cmd := exec.Command(bin, tt.command)
		cmd.Env = append(os.Environ(), "PATH="+t.TempDir())
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Fatalf("%s: %v, want exit code 2: %s", tt.command, err, out)
		}
		for _, want := range []string{tt.says, filepath.Dir(bin), "go install ./cmd/...", "go run ./cmd/chancery-server " + tt.command} {
			if !strings.Contains(string(out), want) {
				t.Errorf("%s: message lacks %q: %s", tt.command, want, out)
			}
		}
		if strings.Count(string(out), "\n") != 1 {
			t.Errorf("%s: message is not one line: %q", tt.command, out)
		}
	}
	old := writeFile(t, "old.txt", "1. The review shall take place every four years.\n")
	nw := writeFile(t, "new.txt", "1. The review shall take place every five years.\n")
	cmd := exec.Command(bin, "diff", old, nw)
	cmd.Env = append(os.Environ(), "PATH="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "[-four-]") {
		t.Errorf("diff without the server: %v: %s", err, out)
	}
}

// TestFindServerOnPath: when chancery-server is not beside chancery, the
// one on PATH runs.
func TestFindServerOnPath(t *testing.T) {
	self := filepath.Join(t.TempDir(), "chancery")
	got, err := findServer(self, "serve", func(name string) (string, error) { return "/opt/bin/" + name, nil })
	if err != nil || got != "/opt/bin/chancery-server" {
		t.Fatalf("findServer = %q, %v", got, err)
	}
	// Beside it, and executable, comes first.
	beside := filepath.Join(filepath.Dir(self), "chancery-server")
	if err := os.WriteFile(beside, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := findServer(self, "serve", func(name string) (string, error) { return "/opt/bin/" + name, nil }); got != "/opt/bin/chancery-server" {
		t.Errorf("a chancery-server that cannot run was chosen: %q", got)
	}
	if err := os.Chmod(beside, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, _ := findServer(self, "serve", func(name string) (string, error) { return "/opt/bin/" + name, nil }); got != beside {
		t.Errorf("findServer = %q, want the one beside chancery %q", got, beside)
	}
}
