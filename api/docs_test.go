package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/api"
)

// startDocsServer starts a real server (no storage is needed for the
// reference page) and returns its base URL.
func startDocsServer(t *testing.T) string {
	t.Helper()
	srv := api.NewServer(nil, nil, nil, nil)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return "http://" + srv.Addr()
}

func mustGet(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// TestDocsViewerVendored: the vendored viewer is the upstream file its
// README names, byte for byte.
func TestDocsViewerVendored(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("docsviewer", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`\b[0-9a-f]{64}\b`).FindString(string(readme))
	js, err := os.ReadFile(filepath.Join("docsviewer", "redoc.standalone.js"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(js)
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("sha256 of redoc.standalone.js = %s, README says %s", got, want)
	}
	if !strings.Contains(string(js), `="2.5.4"`) || !strings.Contains(string(readme), "Redoc 2.5.4") {
		t.Errorf("the bundle and its README do not name the same version 2.5.4")
	}
}

// TestDocsPage: the page, its scripts and its Content-Security-Policy; the
// served viewer names no other site to load from.
func TestDocsPage(t *testing.T) {
	base := startDocsServer(t)
	resp, page := mustGet(t, base+"/v1/docs")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /v1/docs = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "http") || strings.Contains(csp, "*") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy %q allows other sites or eval", csp)
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "http") {
		t.Errorf("page has an inline script or an absolute URL:\n%s", page)
	}
	for _, src := range regexp.MustCompile(`<script src="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		resp, body := mustGet(t, base+"/v1/"+src[1])
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || len(body) == 0 {
			t.Errorf("GET %s = %d %s", src[1], resp.StatusCode, resp.Header.Get("Content-Type"))
			continue
		}
		for _, bad := range []string{"cdn.redoc.ly", "cdn.redocly.com", "fonts.googleapis", "fonts.gstatic", "unpkg.com", "jsdelivr"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s names %s", src[1], bad)
			}
		}
		etag := resp.Header.Get("ETag")
		if resp, _ := mustGet(t, base+"/v1/"+src[1], "If-None-Match", etag); etag == "" || resp.StatusCode != 304 {
			t.Errorf("%s with If-None-Match %q = %d, want 304", src[1], etag, resp.StatusCode)
		}
	}
	for _, path := range []string{"/v1/docs", "/v1/docs/init.js"} {
		req, _ := http.NewRequest("HEAD", base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.ContentLength <= 0 {
			t.Errorf("HEAD %s = %d (length %d), want 200 as GET", path, resp.StatusCode, resp.ContentLength)
		}
	}
	resp, body := mustGet(t, base+"/v1/docs/secrets.txt")
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown file = %d %s %s, want a 404 problem", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// findChromium returns a Chromium binary, or fails under CI=true and skips
// elsewhere.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHANCERY_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium found (test.sh installs it; or set CHANCERY_CHROMIUM)")
	}
	t.Skip("no chromium found; set CHANCERY_CHROMIUM or run ./test.sh")
	return ""
}

// browserOwn are the hosts Chromium itself calls (its updater and sign-in
// services) whatever the page, even with the flags below.
var browserOwn = map[string]bool{"update.googleapis.com:443": true, "accounts.google.com:443": true, "update.googleapis.com": true}

// controlHost is served by the proxy: a page that loads a web font from
// Google, to show the test sees a page that reaches another site.
const controlHost = "control.chancery.test"

// browse opens url in headless Chromium whose every request goes through a
// recording proxy that forwards only to server, and returns the rendered
// DOM, the requests to the server and those elsewhere (but the browser's own).
func browse(t *testing.T, chromium, server, url string) (dom string, toServer, elsewhere []string) {
	t.Helper()
	var mu sync.Mutex
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		req := r.Method + " " + r.Host + r.URL.Path
		switch {
		case r.Host == server:
			toServer = append(toServer, req)
		case r.Host != controlHost && !browserOwn[r.Host]:
			elsewhere = append(elsewhere, req)
		}
		mu.Unlock()
		if r.Host == controlHost {
			io.WriteString(w, `<!DOCTYPE html><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"><p>control</p>`)
			return
		}
		if r.Host != server || r.Method == http.MethodConnect {
			http.Error(w, "not the server", http.StatusBadGateway)
			return
		}
		r.RequestURI = ""
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer proxy.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--disable-extensions", "--user-data-dir="+t.TempDir(),
		// Quiet the browser's own services, so that what remains is the page's.
		"--disable-default-apps", "--no-pings", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
		"--disable-features=NetworkTimeServiceQuerying,OptimizationHints,AutofillServerCommunication,MediaRouter,Translate",
		"--proxy-server="+strings.TrimPrefix(proxy.URL, "http://"), "--proxy-bypass-list=<-loopback>",
		"--virtual-time-budget=15000", "--window-size=1280,900", "--dump-dom", url)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	mu.Lock()
	defer mu.Unlock()
	return string(out), toServer, elsewhere
}

// TestDocsInChromium: a real browser renders the reference from the OpenAPI
// document, and every request the page makes goes to the server: the
// browser reaches the network only through a recording proxy. A control
// page that loads a font from Google shows that such a request is seen.
func TestDocsInChromium(t *testing.T) {
	chromium := findChromium(t)
	base := startDocsServer(t)
	server := strings.TrimPrefix(base, "http://")

	t.Run("control", func(t *testing.T) {
		dom, _, elsewhere := browse(t, chromium, server, "http://"+controlHost+"/")
		if !strings.Contains(dom, "control") || !slices.Contains(elsewhere, "CONNECT fonts.googleapis.com:443") {
			t.Errorf("the control page's request to fonts.googleapis.com was not seen: %q", elsewhere)
		}
	})
	dom, toServer, elsewhere := browse(t, chromium, server, base+"/v1/docs")
	for _, want := range []string{"Chancery", "/v1/documents/{doc}/proposals", "problem+json"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q (%d bytes of DOM)", want, len(dom))
		}
	}
	for _, want := range []string{"/v1/docs", "/v1/docs/redoc.standalone.js", "/v1/docs/init.js", "/v1/openapi.json"} {
		if !slices.Contains(toServer, "GET "+server+want) {
			t.Errorf("the browser did not ask the server for %s; it asked %q", want, toServer)
		}
	}
	if len(elsewhere) > 0 {
		t.Errorf("the page asked another site: %q", elsewhere)
	}
}
