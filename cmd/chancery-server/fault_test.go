package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"chancery/storage/s3test"
)

// serveEnv, when set, makes the test binary a chancery server with the
// arguments in serveArgsEnv (separated by newlines): the process the fault
// tests kill with SIGKILL.
// mainEnv makes it chancery-server's main, with the same arguments.
const (
	serveEnv     = "CHANCERY_TEST_SERVE"
	mainEnv      = "CHANCERY_TEST_MAIN"
	serveArgsEnv = "CHANCERY_TEST_SERVE_ARGS"
)

func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) != "" {
		os.Exit(run(context.Background(), strings.Split(os.Getenv(serveArgsEnv), "\n"), io.Discard, os.Stderr))
	}
	if os.Getenv(mainEnv) != "" {
		os.Args = append(os.Args[:1], strings.Split(os.Getenv(serveArgsEnv), "\n")...)
		main()
	}
	os.Exit(m.Run())
}

// faultToken is the bootstrap secretariat token of the fault tests.
const faultToken = "chy_faulttest_0123456789abcdefghijklmn"

// faultClient is a JSON client of a server under test.
type faultClient struct {
	base string
	http http.Client
}

// do sends a request and decodes a JSON answer into out (if not nil); it
// returns the status, or -1 if the server could not be reached.
func (a *faultClient) do(method, path, token string, body, out any) int {
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, a.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		_ = json.Unmarshal(data, out)
	}
	return resp.StatusCode
}

// must is do, failing the test unless the status is want.
func (a *faultClient) must(t *testing.T, want int, method, path, token string, body, out any) {
	t.Helper()
	if got := a.do(method, path, token, body, out); got != want {
		t.Fatalf("%s %s: status %d, want %d", method, path, got, want)
	}
}

// faultServer is a chancery server in a child process, which a test can
// kill with SIGKILL and start again on the same storage.
type faultServer struct {
	t    *testing.T
	args []string // the storage's
	addr string
	cmd  *exec.Cmd
	err  bytes.Buffer
}

// startFaultServer starts a server on the storage that args select.
func startFaultServer(t *testing.T, args ...string) (*faultServer, *faultClient) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &faultServer{t: t, args: args, addr: ln.Addr().String()}
	ln.Close()
	a := &faultClient{base: "http://" + s.addr, http: http.Client{Timeout: 30 * time.Second}}
	s.start(a)
	t.Cleanup(func() {
		if s.cmd != nil {
			s.cmd.Process.Signal(syscall.SIGTERM)
			s.cmd.Wait()
		}
	})
	return s, a
}

// start starts the process and waits until it answers.
func (s *faultServer) start(a *faultClient) {
	s.t.Helper()
	s.cmd = exec.Command(os.Args[0], "-test.run=^$")
	args := append([]string{"serve", "--addr", s.addr, "--metrics-addr", "off", "--bootstrap-token", faultToken, "--log-level", "error"}, s.args...)
	s.cmd.Env = append(os.Environ(), serveEnv+"=1", serveArgsEnv+"="+strings.Join(args, "\n"))
	s.err.Reset()
	s.cmd.Stderr = &s.err
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for a.do("GET", "/v1/me", faultToken, nil, nil) != 200 {
		if time.Now().After(deadline) {
			s.kill()
			s.t.Fatalf("the server did not start: %s", s.err.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill kills the process with SIGKILL.
func (s *faultServer) kill() {
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	s.cmd.Wait()
	s.cmd = nil
}

// forum is what the fault tests set up: delegates, a chair, a document
// for proposals and versions (doc) and one for adoption rounds (rounds).
type forum struct {
	doc, rounds string
	provisions  []string
	delegates   []string // tokens
	chair       string
}

// setUp makes delegations, delegates, a chair and the documents, noting
// the changes in l.
func setUp(t *testing.T, a *faultClient, l *ledger) *forum {
	t.Helper()
	f := &forum{}
	for _, id := range []string{"KZ", "IN", "CN", "RU"} {
		a.must(t, 201, "POST", "/v1/delegations", faultToken, map[string]string{"id": id, "name": id, "status": "member"}, nil)
		var u struct{ Token string }
		a.must(t, 201, "POST", "/v1/users", faultToken, map[string]string{"name": "Delegate " + id, "role": "delegate", "delegation": id}, &u)
		f.delegates = append(f.delegates, u.Token)
	}
	var chair struct{ Token string }
	a.must(t, 201, "POST", "/v1/users", faultToken, map[string]string{"name": "Chair", "role": "chair", "body": "SWG"}, &chair)
	f.chair = chair.Token
	var doc struct {
		ID      string
		Version struct{ Provisions []struct{ ID string } }
	}
	for i, symbol := range []string{"F/1", "F/2"} {
		a.must(t, 201, "POST", "/v1/documents", f.chair, map[string]any{"symbol": symbol, "title": "Faults", "kind": "other", "body": "SWG",
			"language": "en", "visibility": "members", "text": faultText(0)}, &doc)
		l.note(201, "document.create", symbol)
		l.note(201, "version.create", "1")
		if i == 0 {
			f.doc = doc.ID
			for _, p := range doc.Version.Provisions {
				f.provisions = append(f.provisions, p.ID)
			}
		} else {
			f.rounds = doc.ID
		}
	}
	return f
}

// faultText is the text of a document of 40 provisions, its revision n.
func faultText(n int) string {
	var text strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&text, "%d. Provision %d of the draft, in its first words.", i, i)
		if i == 1+n%40 && n > 0 {
			fmt.Fprintf(&text, " Revised %d times.", n)
		}
		text.WriteString("\n\n")
	}
	return text.String()
}

// TestKill9UnderLoad: a chancery process is killed with SIGKILL three
// times while writers make every kind of change, then started again, on
// the local directory and on MinIO. Each time, before the restart, every
// acknowledged change has its event in storage already; after it, every
// stored change has exactly one (those the kill cut short written late)
// and verification passes. No answer is a 500. Then verification catches
// an event deleted, duplicated or edited in storage while the server runs.
func TestKill9UnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	for _, backend := range faultBackends(t) {
		t.Run(backend.name, func(t *testing.T) {
			srv, a := startFaultServer(t, backend.args...)
			l := newLedger()
			f := setUp(t, a, l)
			for round := 0; round < 3; round++ {
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() { load(a, f, l, stop); close(done) }()
				time.Sleep(time.Second + time.Duration(round)*300*time.Millisecond)
				srv.kill()
				time.Sleep(100 * time.Millisecond)
				close(stop)
				<-done
				// Dead: what is stored is all there is.
				checkAcknowledged(t, backend.open(t), f, l)
				srv.start(a)
				checkComplete(t, a, f, l)
			}
			t.Logf("answers under load: %v", l.statuses)
			if l.statuses[500] > 0 {
				t.Errorf("%d answers were 500", l.statuses[500])
			}
			checkTampering(t, a, f, backend.tamper(t))
		})
	}
}

// TestMinIOOutageUnderLoad: MinIO is killed for five seconds while
// writers make every kind of change, and started again; requests
// meanwhile fail with 503, never 500. The first time the server lives
// through it, and writes the events it owes once MinIO is back; the
// second time it is killed with SIGKILL while MinIO is down, and the next
// process writes them. Each time, every acknowledged change has its event
// and every stored change exactly one.
func TestMinIOOutageUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	minio := s3test.StartMinIO(t)
	backend := minioBackend(minio)
	srv, a := startFaultServer(t, backend.args...)
	l := newLedger()
	f := setUp(t, a, l)
	for round, kill := range []bool{false, true} {
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { load(a, f, l, stop); close(done) }()
		time.Sleep(time.Second)
		minio.Stop()
		time.Sleep(2500 * time.Millisecond)
		if kill {
			srv.kill()
		}
		time.Sleep(2500 * time.Millisecond)
		minio.Start()
		time.Sleep(time.Second)
		close(stop)
		<-done
		if kill {
			checkAcknowledged(t, backend.open(t), f, l)
			srv.start(a)
		}
		checkComplete(t, a, f, l)
		t.Logf("round %d: answers under load: %v", round+1, l.statuses)
	}
	for st, n := range l.statuses {
		if st >= 500 && st != 503 {
			t.Errorf("%d answers were %d", n, st)
		}
	}
	checkTampering(t, a, f, backend.tamper(t))
}
