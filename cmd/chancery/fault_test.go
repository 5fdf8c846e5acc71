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
	"sync"
	"syscall"
	"testing"
	"time"

	"chancery/storage/s3test"
)

// serveEnv, when set, makes the test binary a chancery server with the
// arguments in serveArgsEnv (separated by newlines): the process the fault
// test kills with SIGKILL.
const (
	serveEnv     = "CHANCERY_TEST_SERVE"
	serveArgsEnv = "CHANCERY_TEST_SERVE_ARGS"
)

func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) != "" {
		os.Exit(run(context.Background(), strings.Split(os.Getenv(serveArgsEnv), "\n"), io.Discard, os.Stderr))
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

// forum is what the fault tests set up: a document and delegates.
type forum struct {
	doc        string
	provisions []string
	delegates  []string // tokens
	chair      string
}

// setUp makes delegations, delegates, a chair and a document.
func setUp(t *testing.T, a *faultClient) *forum {
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
	var text strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&text, "%d. Provision %d of the draft, in its first words.\n\n", i, i)
	}
	var doc struct {
		ID      string
		Version struct{ Provisions []struct{ ID string } }
	}
	a.must(t, 201, "POST", "/v1/documents", f.chair, map[string]any{"symbol": "F/1", "title": "Faults", "kind": "other", "body": "SWG",
		"language": "en", "visibility": "members", "text": text.String()}, &doc)
	f.doc = doc.ID
	for _, p := range doc.Version.Provisions {
		f.provisions = append(f.provisions, p.ID)
	}
	return f
}

// load posts proposals (and, from the chair, status changes) from every
// delegate until stop closes, and returns the ids of the acknowledged
// proposals and the statuses it saw.
func load(a *faultClient, f *forum, stop <-chan struct{}) (acked []string, statuses map[int]int) {
	var mu sync.Mutex
	statuses = map[int]int{}
	var wg sync.WaitGroup
	for w, tok := range f.delegates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var p struct{ ID string }
				prov := f.provisions[(w*7+i)%len(f.provisions)]
				st := a.do("POST", "/v1/documents/"+f.doc+"/proposals", tok, map[string]any{"base": 1, "justification": "load",
					"operations": []map[string]string{{"op": "replace", "provision": prov, "text": fmt.Sprintf("Words of worker %d, round %d.", w, i)}}}, &p)
				mu.Lock()
				statuses[st]++
				if st == 201 {
					acked = append(acked, p.ID)
				}
				mu.Unlock()
				if st == -1 {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			st := a.do("PUT", fmt.Sprintf("/v1/documents/%s/versions/1/provisions/%s/status", f.doc, f.provisions[i%len(f.provisions)]), f.chair,
				map[string]string{"status": []string{"bracketed", "agreed", "pending"}[i%3]}, nil)
			mu.Lock()
			statuses[st]++
			mu.Unlock()
			if st == -1 {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()
	wg.Wait()
	return acked, statuses
}

// checkIntegrity: every acknowledged proposal is readable and the trail
// verifies, complete, once the server has written what it owed.
func checkIntegrity(t *testing.T, a *faultClient, f *forum, acked []string) {
	t.Helper()
	for _, id := range acked {
		a.must(t, 200, "GET", "/v1/documents/"+f.doc+"/proposals/"+id, f.delegates[0], nil, nil)
	}
	var v struct {
		OK         bool     `json:"ok"`
		Checked    int      `json:"checked"`
		Problem    string   `json:"problem"`
		Unrecorded []string `json:"unrecorded"`
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		a.must(t, 200, "GET", "/v1/documents/"+f.doc+"/events/verify", f.delegates[0], nil, &v)
		if v.OK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("verification: %+v", v)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if v.Checked < len(acked) {
		t.Fatalf("%d events for %d acknowledged proposals", v.Checked, len(acked))
	}
	late, cursor := 0, ""
	for {
		var page struct {
			Items []struct {
				Detail string `json:"detail"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		a.must(t, 200, "GET", "/v1/documents/"+f.doc+"/events?limit=500&cursor="+cursor, f.delegates[0], nil, &page)
		for _, e := range page.Items {
			if strings.Contains(e.Detail, "recorded late") {
				late++
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	t.Logf("%d acknowledged proposals readable; %d events verify, complete; %d of them recorded late", len(acked), v.Checked, late)
}

// TestKill9UnderLoad: a chancery process on the local directory is killed
// with SIGKILL three times under proposal and status load, then restarted;
// every acknowledged proposal is there, every stored change has its event
// (written late from the stored change if the kill came between the two)
// and verification passes. No answer is a 500.
func TestKill9UnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	a := &faultClient{base: "http://" + addr, http: http.Client{Timeout: 10 * time.Second}}
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), serveEnv+"=1", serveArgsEnv+"="+strings.Join([]string{"serve", "--addr", addr, "--metrics-addr", "off",
			"--data-dir", dir, "--bootstrap-token", faultToken, "--log-level", "error"}, "\n"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for a.do("GET", "/v1/me", faultToken, nil, nil) != 200 {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the server did not start: %s", stderr.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		return cmd
	}
	cmd := start()
	f := setUp(t, a)
	var acked []string
	all := map[int]int{}
	for round := 0; round < 3; round++ {
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			ids, statuses := load(a, f, stop)
			acked = append(acked, ids...)
			for k, v := range statuses {
				all[k] += v
			}
			close(done)
		}()
		time.Sleep(time.Second + time.Duration(round)*300*time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		time.Sleep(100 * time.Millisecond)
		close(stop)
		<-done
		cmd = start()
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	t.Logf("answers under load: %v", all)
	if all[500] > 0 {
		t.Errorf("%d answers were 500", all[500])
	}
	if len(acked) == 0 {
		t.Fatal("no proposal was acknowledged")
	}
	checkIntegrity(t, a, f, acked)
}

// TestMinIOOutageUnderLoad: MinIO is killed for five seconds under load
// and started again; requests meanwhile fail with 503, never 500; after it
// is back every acknowledged proposal is readable, the events the server
// could not write are written, and verification passes.
func TestMinIOOutageUnderLoad(t *testing.T) {
	srv := s3test.StartMinIO(t)
	m := MustStartMain(t, map[string]string{
		"CHANCERY_STORAGE":         "s3",
		"CHANCERY_S3_ENDPOINT":     srv.Endpoint,
		"CHANCERY_S3_BUCKET":       srv.Bucket,
		"CHANCERY_S3_ACCESS_KEY":   srv.AccessKey,
		"CHANCERY_S3_SECRET_KEY":   srv.SecretKey,
		"CHANCERY_BOOTSTRAP_TOKEN": faultToken,
	})
	a := &faultClient{base: m.URL(), http: http.Client{Timeout: 30 * time.Second}}
	f := setUp(t, a)
	stop := make(chan struct{})
	var acked []string
	var statuses map[int]int
	done := make(chan struct{})
	go func() { acked, statuses = load(a, f, stop); close(done) }()
	time.Sleep(time.Second)
	srv.Stop()
	time.Sleep(5 * time.Second)
	srv.Start()
	time.Sleep(2 * time.Second)
	close(stop)
	<-done
	t.Logf("answers under load: %v", statuses)
	for st, n := range statuses {
		if st >= 500 && st != 503 {
			t.Errorf("%d answers were %d", n, st)
		}
	}
	if len(acked) == 0 {
		t.Fatal("no proposal was acknowledged")
	}
	checkIntegrity(t, a, f, acked)
}
