package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestReadyzOnAFullDisk: a server whose data directory is on a disk that
// fills up says so: /readyz answers 503 (a load balancer stops sending it
// writes) and a write is refused with a 503, never a 500; once space is
// freed it is ready again and takes writes. The disk is real: a 48 MiB
// tmpfs mounted in a mount namespace of the server's own (unshare), filled
// by the test through /proc/PID/root.
func TestReadyzOnAFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts a filesystem")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("unshare (util-linux) is needed to mount a small disk for the server")
		}
		t.Skip("no unshare")
	}
	disk := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(disk, 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--addr", addr, "--metrics-addr", "off", "--data-dir", filepath.Join(disk, "data"), "--bootstrap-token", faultToken, "--log-level", "error"}
	var cmd *exec.Cmd
	a := &faultClient{base: "http://" + addr, http: http.Client{Timeout: 10 * time.Second}}
	// An unprivileged user namespace where the system allows it, else
	// (as root) a mount namespace alone.
	for _, flags := range []string{"-rm", "-m"} {
		cmd = exec.Command(unshare, flags, "sh", "-c", `mount -t tmpfs -o size=48m tmpfs "$1" && shift && exec "$@"`, "sh", disk, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), serveEnv+"=1", serveArgsEnv+"="+strings.Join(args, "\n"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		up := false
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if a.do("GET", "/readyz", "", nil, nil) == 200 {
				up = true
				break
			}
			if cmd.ProcessState != nil {
				break
			}
		}
		if up {
			break
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Logf("unshare %s: %s", flags, stderr.String())
		cmd = nil
	}
	if cmd == nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("could not start a server on a small disk of its own (see the log)")
		}
		t.Skip("this system lets no one mount a small disk")
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })

	a.must(t, 201, "POST", "/v1/delegations", faultToken, map[string]string{"id": "KZ", "name": "Kazakhstan", "status": "member"}, nil)
	// Fill the disk, as the server sees it.
	fill := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "root", disk, "fill")
	f, err := os.Create(fill)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(f, zeros{})
	f.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the disk: %v, want ENOSPC", err)
	}
	if st := a.do("GET", "/readyz", "", nil, nil); st != 503 {
		t.Errorf("/readyz on a full disk: %d, want 503", st)
	}
	if st := a.do("POST", "/v1/delegations", faultToken, map[string]string{"id": "IN", "name": "India", "status": "member"}, nil); st != 503 {
		t.Errorf("a write on a full disk: %d, want 503", st)
	}
	if err := os.Remove(fill); err != nil {
		t.Fatal(err)
	}
	if st := a.do("GET", "/readyz", "", nil, nil); st != 200 {
		t.Errorf("/readyz once space is freed: %d, want 200", st)
	}
	a.must(t, 201, "POST", "/v1/delegations", faultToken, map[string]string{"id": "IN", "name": "India", "status": "member"}, nil)
}
