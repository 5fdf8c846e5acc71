package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/storage/s3test"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testMain is a running Main with its output.
type testMain struct {
	*Main
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
}

// MustStartMain runs Main on 127.0.0.1:0 with the given environment and
// flags, and stops it when tb ends.
func MustStartMain(tb testing.TB, env map[string]string, args ...string) *testMain {
	tb.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	m := NewMain(stdout, stderr)
	base := map[string]string{
		"CHANCERY_ADDR":         "127.0.0.1:0",
		"CHANCERY_METRICS_ADDR": "127.0.0.1:0",
		"CHANCERY_DATA_DIR":     tb.TempDir(),
	}
	for k, v := range env {
		base[k] = v
	}
	if err := m.ParseFlags(args, func(k string) string { return base[k] }); err != nil {
		tb.Fatalf("ParseFlags: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		cancel()
		tb.Fatalf("Open: %v\n%s", err, stderr.String())
	}
	tm := &testMain{Main: m, stdout: stdout, stderr: stderr, cancel: cancel}
	tb.Cleanup(func() {
		cancel()
		if err := m.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return tm
}

// URL returns the server's base URL.
func (m *testMain) URL() string { return "http://" + m.Addr() }

func get(tb testing.TB, url string) (*http.Response, []byte) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestServeLocal(t *testing.T) {
	m := MustStartMain(t, nil)
	t.Run("healthz", func(t *testing.T) {
		resp, _ := get(t, m.URL()+"/healthz")
		if got, want := resp.StatusCode, 200; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})
	t.Run("readyz", func(t *testing.T) {
		resp, _ := get(t, m.URL()+"/readyz")
		if got, want := resp.StatusCode, 200; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})
	t.Run("bootstrap token printed once", func(t *testing.T) {
		if !strings.Contains(m.stdout.String(), "chy_") {
			t.Fatalf("stdout has no bootstrap token: %q", m.stdout.String())
		}
	})
	t.Run("unknown route is a problem", func(t *testing.T) {
		resp, body := get(t, m.URL()+"/v1/nothing-here")
		if got, want := resp.StatusCode, 404; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if got, want := resp.Header.Get("Content-Type"), "application/problem+json"; got != want {
			t.Fatalf("content type = %q, want %q", got, want)
		}
		var p map[string]any
		if err := json.Unmarshal(body, &p); err != nil || p["status"] != float64(404) {
			t.Fatalf("body = %s (%v)", body, err)
		}
	})
	t.Run("metrics", func(t *testing.T) {
		resp, body := get(t, "http://"+m.MetricsAddr()+"/metrics")
		if resp.StatusCode != 200 {
			t.Fatalf("status = %d", resp.StatusCode)
		}
		for _, want := range []string{`chancery_http_requests_total{method="GET",route="/healthz",status="200"}`, "chancery_storage_operation_duration_seconds", "chancery_cache_hits_total", "chancery_cache_misses_total"} {
			if !bytes.Contains(body, []byte(want)) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
	t.Run("logs are JSON with request id", func(t *testing.T) {
		var found bool
		for _, line := range strings.Split(m.stderr.String(), "\n") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["route"] == "/healthz" {
				found = rec["request_id"] != "" && rec["status"] == float64(200) && rec["duration_ms"] != nil
			}
		}
		if !found {
			t.Fatalf("no JSON log line for /healthz with request_id, status, duration:\n%s", m.stderr.String())
		}
	})
}

func TestServeSecondServerOnSameDirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	MustStartMain(t, map[string]string{"CHANCERY_DATA_DIR": dir})
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--data-dir", dir}, io.Discard, &stderr)
	if code == 0 {
		t.Fatal("second server on the same data directory started")
	}
	if lines := strings.Count(strings.TrimSpace(stderr.String()), "\n"); lines != 0 || !strings.Contains(stderr.String(), "in use") {
		t.Fatalf("stderr = %q, want one line saying the directory is in use", stderr.String())
	}
}

func TestServeMinIOReadyz(t *testing.T) {
	srv := s3test.StartMinIO(t)
	m := MustStartMain(t, map[string]string{
		"CHANCERY_STORAGE":       "s3",
		"CHANCERY_S3_ENDPOINT":   srv.Endpoint,
		"CHANCERY_S3_BUCKET":     srv.Bucket,
		"CHANCERY_S3_ACCESS_KEY": srv.AccessKey,
		"CHANCERY_S3_SECRET_KEY": srv.SecretKey,
	})
	ready := func() int {
		resp, _ := get(t, m.URL()+"/readyz")
		return resp.StatusCode
	}
	if got, want := ready(), 200; got != want {
		t.Fatalf("readyz with MinIO up = %d, want %d", got, want)
	}
	srv.Stop()
	resp, body := get(t, m.URL()+"/readyz")
	if got, want := resp.StatusCode, 503; got != want {
		t.Fatalf("readyz with MinIO stopped = %d, want %d", got, want)
	}
	if got, want := resp.Header.Get("Content-Type"), "application/problem+json"; got != want {
		t.Fatalf("content type = %q, want %q (%s)", got, want, body)
	}
	srv.Start()
	deadline := time.Now().Add(20 * time.Second)
	for ready() != 200 {
		if time.Now().After(deadline) {
			t.Fatal("readyz did not come back to 200 after MinIO restarted")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestConfigErrors: a bad configuration is one clear line and a non-zero exit.
func TestConfigErrors(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := s3test.StartMinIO(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"unknown storage", []string{"--storage", "floppy"}, 2, `unknown storage type "floppy"`},
		{"unknown flag", []string{"--data-dri", "x"}, 2, "flag provided but not defined: -data-dri (chancery serve -h lists the flags)"},
		{"flag without its value", []string{"--cache-mb"}, 2, "flag needs an argument: -cache-mb"},
		{"bad duration", []string{"--silence-min", "soon"}, 2, "CHANCERY_SILENCE_MIN"},
		{"bad silence maximum", []string{"--silence-max", "forever"}, 2, "CHANCERY_SILENCE_MAX"},
		{"silence maximum under the minimum", []string{"--silence-min", "96h", "--silence-max", "3d"}, 2, "CHANCERY_SILENCE_MAX"},
		{"bad address", []string{"--addr", "nowhere"}, 2, "CHANCERY_ADDR"},
		{"plain HTTP everywhere", []string{"--webhook-allow-http", "yes"}, 2, "CHANCERY_WEBHOOK_ALLOW_HTTP"},
		{"bad network", []string{"--webhook-allow-networks", "10.0.0.0/8,intranet"}, 2, "CHANCERY_WEBHOOK_ALLOW_NETWORKS"},
		{"live interval too short", []string{"--live-interval", "1ms"}, 2, "CHANCERY_LIVE_INTERVAL"},
		{"s3 without endpoint", []string{"--storage", "s3"}, 2, "CHANCERY_S3_ENDPOINT"},
		{"unwritable data dir", []string{"--data-dir", filepath.Join(notDir, "data")}, 1, "storage:"},
		{"s3 unreachable", []string{"--storage", "s3", "--s3-endpoint", "127.0.0.1:1", "--s3-access-key", "a", "--s3-secret-key", "b", "--s3-startup-wait", "1s"}, 1, "storage:"},
		{"s3 wrong credentials", []string{"--storage", "s3", "--s3-endpoint", srv.Endpoint, "--s3-bucket", srv.Bucket, "--s3-access-key", srv.AccessKey, "--s3-secret-key", "wrong-secret-key", "--s3-startup-wait", "2s"}, 1, "credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--data-dir", t.TempDir()}, tt.args...)
			start := time.Now()
			code := run(context.Background(), args, io.Discard, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d (stderr %q)", code, tt.wantCode, stderr.String())
			}
			out := strings.TrimSpace(stderr.String())
			if strings.Contains(out, "\n") {
				t.Errorf("stderr has more than one line: %q", out)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("stderr = %q, want it to mention %q", out, tt.want)
			}
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %s: the wait at start must be bounded", d)
			}
		})
	}
}

// TestGracefulShutdown: a request in flight when shutdown starts finishes;
// new connections are refused.
func TestGracefulShutdown(t *testing.T) {
	const token = "chy_shutdown_0123456789abcdefghij"
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	m := NewMain(stdout, stderr)
	env := map[string]string{"CHANCERY_ADDR": "127.0.0.1:0", "CHANCERY_METRICS_ADDR": "off", "CHANCERY_DATA_DIR": t.TempDir(), "CHANCERY_BOOTSTRAP_TOKEN": token}
	if err := m.ParseFlags(nil, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	url := "http://" + m.Addr()
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", url+"/v1/delegations", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	result := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("in-flight request: %v", err)
			result <- 0
			return
		}
		resp.Body.Close()
		result <- resp.StatusCode
	}()
	io.WriteString(pw, `{"id": "KZ", "name": `)
	time.Sleep(200 * time.Millisecond) // the handler is now reading the body
	closed := make(chan error, 1)
	go func() { cancel(); closed <- m.Close() }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-closed:
		t.Fatalf("shutdown finished (%v) before the request in flight", err)
	default:
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("a new connection was accepted during shutdown")
	}
	io.WriteString(pw, `"Kazakhstan", "status": "member"}`)
	pw.Close()
	if got, want := <-result, 201; got != want {
		t.Fatalf("in-flight request status = %d, want %d", got, want)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// TestSilenceMaxConfig: the maximum silence deadline is 90 days unless the
// flag or the environment says otherwise, in days or as a Go duration.
func TestSilenceMaxConfig(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		want time.Duration
	}{
		{nil, nil, 90 * 24 * time.Hour},
		{map[string]string{"CHANCERY_SILENCE_MAX": "30d"}, nil, 30 * 24 * time.Hour},
		{map[string]string{"CHANCERY_SILENCE_MAX": "30d"}, []string{"--silence-max", "240h"}, 240 * time.Hour},
	}
	for _, tt := range tests {
		m := NewMain(io.Discard, io.Discard)
		if err := m.ParseFlags(tt.args, func(k string) string { return tt.env[k] }); err != nil {
			t.Fatal(err)
		}
		if m.Config.SilenceMax != tt.want {
			t.Errorf("env %v args %v: SilenceMax %s, want %s", tt.env, tt.args, m.Config.SilenceMax, tt.want)
		}
	}
}

// TestForumName: CHANCERY_FORUM_NAME is printed in the header of the PDFs
// the server makes, and a name the fonts cannot print stops the start.
func TestForumName(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not installed (./test.sh installs poppler-utils)")
		}
		t.Skip("pdftotext not installed; run ./test.sh")
	}
	const token = "chy_forumname_0123456789abcdefghij"
	const forum = "Forum of Asian States — Қазақстан, Việt Nam"
	m := MustStartMain(t, map[string]string{"CHANCERY_BOOTSTRAP_TOKEN": token, "CHANCERY_FORUM_NAME": forum})
	do := func(method, path string, body any) []byte {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, m.URL()+path, r)
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
		}
		return out
	}
	var doc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(do("POST", "/v1/documents", map[string]any{
		"symbol": "CICA/SWG/2026/R.9", "title": "Road Map", "kind": "road-map", "body": "SWG",
		"language": "ru", "visibility": "members", "text": "1. Текст.\n",
	}), &doc)
	pdf := filepath.Join(t.TempDir(), "agreed.pdf")
	if err := os.WriteFile(pdf, do("GET", "/v1/documents/"+doc.ID+"/versions/1/pdf", nil), 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), forum) {
		t.Errorf("the PDF does not name the configured forum:\n%s", text)
	}

	bad := NewMain(io.Discard, io.Discard)
	env := map[string]string{"CHANCERY_ADDR": "127.0.0.1:0", "CHANCERY_METRICS_ADDR": "off", "CHANCERY_DATA_DIR": t.TempDir(), "CHANCERY_FORUM_NAME": "亚信会议"}
	if err := bad.ParseFlags(nil, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	err = bad.Open(context.Background())
	if err == nil {
		bad.Close()
		t.Fatal("a forum name the fonts cannot print was accepted")
	}
	if !strings.Contains(err.Error(), "CHANCERY_FORUM_NAME") {
		t.Errorf("error %q does not name CHANCERY_FORUM_NAME", err)
	}
}
