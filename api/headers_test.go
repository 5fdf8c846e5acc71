package api_test

import (
	"strings"
	"testing"

	"chancery/api"
)

// TestSecureHeadersOnEveryResponse: every API response carries
// X-Content-Type-Options: nosniff and a Content-Security-Policy; its HTML
// (a tracked diff, a compilation) may load and run nothing; the reference
// page keeps its own policy.
func TestSecureHeadersOnEveryResponse(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p := e.propose(doc, "KZ", 1, replace(v1.Provisions[1].ID, "New words."))
	for _, c := range []struct {
		path, accept, csp string
		status            int
	}{
		{docPath(doc, "/compilation"), "text/html", api.APIContentSecurityPolicy, 200},
		{docPath(doc, "/proposals/", p, "/diff"), "text/html", api.APIContentSecurityPolicy, 200},
		{docPath(doc, "/proposals/", p, "/diff"), "text/plain", api.APIContentSecurityPolicy, 200},
		{docPath(doc), "application/json", api.APIContentSecurityPolicy, 200},
		{docPath("nope"), "application/json", api.APIContentSecurityPolicy, 404},
		{docPath(doc), "text/html", api.APIContentSecurityPolicy, 406},
		{"/v1/docs", "text/html", api.DocsContentSecurityPolicy, 200},
	} {
		r := e.do("GET", c.path, "KZ", nil, "Accept", c.accept)
		if r.Status != c.status {
			t.Errorf("GET %s (%s): status %d, want %d", c.path, c.accept, r.Status, c.status)
		}
		if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s (%s): X-Content-Type-Options %q", c.path, c.accept, got)
		}
		if got := r.Header.Get("Content-Security-Policy"); got != c.csp {
			t.Errorf("GET %s (%s): Content-Security-Policy %q, want %q", c.path, c.accept, got, c.csp)
		}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") && !strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("GET %s: HTML without a policy that loads nothing by default", c.path)
		}
	}
}
