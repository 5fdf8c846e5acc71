package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestServeWeb: chancery serve answers the web workspace at / and the API
// at /v1 on one address.
func TestServeWeb(t *testing.T) {
	m := MustStartMain(t, nil)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(m.URL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
		t.Errorf("GET /: %d to %q, want 303 to /signin", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := get(t, m.URL()+"/signin")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `name="token"`) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("GET /signin: %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	resp, body = get(t, m.URL()+"/v1/me")
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("GET /v1/me: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, _ := get(t, m.URL()+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("GET /healthz: %d", resp.StatusCode)
	}
}
