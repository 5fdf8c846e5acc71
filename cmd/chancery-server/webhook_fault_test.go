package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hookReceiver is a webhook endpoint on 127.0.0.1 that answers 500 until
// told otherwise, and checks each request's signature itself.
type hookReceiver struct {
	mu     sync.Mutex
	secret string
	ok     bool
	got    []string // webhook-id of each request, in order
	bad    int      // requests whose signature did not verify
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(req.Header.Get("webhook-id") + "." + req.Header.Get("webhook-timestamp") + "." + string(body)))
	if req.Header.Get("webhook-signature") != "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		r.bad++
	}
	r.got = append(r.got, req.Header.Get("webhook-id"))
	if r.ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusInternalServerError)
}

func (r *hookReceiver) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// TestWebhookPendingAfterKill9: a delivery whose first attempt failed is
// pending in storage when the server is killed with SIGKILL; the server
// started again makes it, and it is marked delivered.
func TestWebhookPendingAfterKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	recv := &hookReceiver{}
	srv := httptest.NewServer(recv)
	defer srv.Close()
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
			"--data-dir", dir, "--bootstrap-token", faultToken, "--log-level", "error",
			"--webhook-allow-http", "loopback", "--webhook-retry-min", "2s", "--live-interval", "200ms"}, "\n"))
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
	f := setUp(t, a, newLedger())
	var hook struct{ ID, Secret string }
	a.must(t, 201, "POST", "/v1/webhooks", faultToken, map[string]any{"url": srv.URL + "/hooks", "documents": []string{f.doc}, "actions": []string{"proposal.create"}}, &hook)
	recv.mu.Lock()
	recv.secret = hook.Secret
	recv.mu.Unlock()
	a.must(t, 201, "POST", "/v1/documents/"+f.doc+"/proposals", f.delegates[0], map[string]any{"base": 1, "justification": "j",
		"operations": []map[string]string{{"op": "replace", "provision": f.provisions[0], "text": "New words."}}}, nil)

	// The first attempt fails and is logged, with the next one due.
	type log struct {
		Items []struct {
			ID       string
			Status   string
			Attempts []struct {
				StatusCode int `json:"status_code"`
			}
			NextAttempt string `json:"next_attempt_at"`
		}
	}
	var l log
	deadline := time.Now().Add(20 * time.Second)
	for {
		a.must(t, 200, "GET", "/v1/webhooks/"+hook.ID+"/deliveries", faultToken, nil, &l)
		if len(l.Items) == 1 && len(l.Items[0].Attempts) == 1 && l.Items[0].NextAttempt != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed first attempt logged: %+v (requests %v)", l, recv.requests())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	recv.mu.Lock()
	recv.ok = true
	recv.mu.Unlock()

	cmd = start()
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	deadline = time.Now().Add(30 * time.Second)
	for {
		a.must(t, 200, "GET", "/v1/webhooks/"+hook.ID+"/deliveries", faultToken, nil, &l)
		if len(l.Items) == 1 && l.Items[0].Status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not delivered after the restart: %+v (requests %v)", l, recv.requests())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // more passes: nothing is sent again
	got := recv.requests()
	if len(got) != 2 || got[0] != got[1] || got[0] != l.Items[0].ID || len(l.Items[0].Attempts) != 2 || l.Items[0].Attempts[1].StatusCode != 200 {
		t.Fatalf("requests %v, log %+v; want the one message twice, the second delivered", got, l.Items[0])
	}
	if recv.bad > 0 {
		t.Fatalf("%d requests had a signature that does not verify", recv.bad)
	}
}
