package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// problemOf decodes a problem+json body, failing unless the response is one.
func problemOf(t *testing.T, status int, header http.Header, body []byte) problem {
	t.Helper()
	if ct := header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d: Content-Type %q, want application/problem+json: %s", status, ct, body)
	}
	var p problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, body)
	}
	return p
}

// problem is the part of a problem body the tests read.
type problem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// fields returns the fields the problem names.
func (p problem) fields() []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

// TestHeadOnEveryGetRoute: HEAD answers every GET route with GET's status
// and headers and no body.
func TestHeadOnEveryGetRoute(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p := v1.Provisions[0]
	prop := e.propose(doc, "KZ", 1, replace(p.ID, "Changed words."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop}})
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "consensus"})
	var hook struct{ ID string }
	e.mustJSON(http.StatusCreated, &hook, "POST", "/v1/webhooks", "secretariat", map[string]string{"url": "https://portal.example.org/chancery"})
	concrete := strings.NewReplacer(":doc", doc, ":p", prop, ":n", "2", ":file", "init.js", ":id", hook.ID)

	n := 0
	for key := range e.srv.RouteActions() {
		method, path, _ := strings.Cut(key, " ")
		if method != http.MethodGet {
			continue
		}
		n++
		path = concrete.Replace(path)
		switch {
		case strings.HasSuffix(path, "/proposals/"+prop+"/diff"):
			path += "?against=head"
		case strings.HasSuffix(path, "/diff") || strings.HasSuffix(path, "/pdf"):
			path += "?against=1"
		}
		who := "chair"
		if strings.HasPrefix(path, "/v1/users") || strings.HasPrefix(path, "/v1/webhooks") {
			who = "secretariat"
		}
		t.Run(path, func(t *testing.T) {
			get := e.do("GET", path, who, nil)
			head := e.do("HEAD", path, who, nil)
			if head.Status != get.Status || get.Status != http.StatusOK {
				t.Fatalf("HEAD %d, GET %d, want 200 both: %s", head.Status, get.Status, get.Body)
			}
			if len(head.Body) != 0 {
				t.Errorf("HEAD has a body of %d bytes", len(head.Body))
			}
			for _, h := range []string{"Content-Type", "ETag", "Content-Disposition"} {
				if head.Header.Get(h) != get.Header.Get(h) {
					t.Errorf("%s: HEAD %q, GET %q", h, head.Header.Get(h), get.Header.Get(h))
				}
			}
		})
	}
	if n < 15 {
		t.Fatalf("only %d GET routes", n)
	}
	for _, path := range []string{"/healthz", "/readyz", "/v1/openapi.json"} {
		if r := e.client.Do("HEAD", path, "", nil); r.Status != http.StatusOK || len(r.Body) != 0 {
			t.Errorf("HEAD %s: %d, %d bytes", path, r.Status, len(r.Body))
		}
	}
	// HEAD is authenticated as GET is.
	e.client.Do("HEAD", docPath(doc), "", nil).MustStatus(http.StatusUnauthorized)
}

// TestMethodNotAllowed: a route asked with a method it does not take is a
// 405 listing the methods it does.
func TestMethodNotAllowed(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	tests := []struct {
		method, path string
		allow        []string
	}{
		{"DELETE", "/v1/documents/x", []string{"GET", "HEAD"}},
		{"PATCH", "/v1/me", []string{"GET", "HEAD"}},
		{"PUT", "/v1/documents", []string{"GET", "HEAD", "POST"}},
		{"GET", "/v1/documents/x/merges", []string{"POST"}},
		{"POST", "/healthz", []string{"GET", "HEAD"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := e.do(tt.method, tt.path, "secretariat", nil)
			r.MustStatus(http.StatusMethodNotAllowed)
			if p := problemOf(t, r.Status, r.Header, r.Body); p.Code != "method_not_allowed" {
				t.Errorf("code %q", p.Code)
			}
			allow := r.Header.Get("Allow")
			for _, m := range tt.allow {
				if !strings.Contains(allow, m) {
					t.Errorf("Allow %q lacks %s", allow, m)
				}
			}
			if strings.Contains(allow, tt.method) {
				t.Errorf("Allow %q holds the refused method", allow)
			}
		})
	}
}

// TestNotAcceptable: an Accept no representation meets is a 406; wildcards
// and qualities choose among those a route has.
func TestNotAcceptable(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	tests := []struct {
		path, accept string
		status       int
		contentType  string
	}{
		{docPath(doc), "application/pdf", 406, ""},
		{docPath(doc), "text/html, image/*", 406, ""},
		{docPath(doc), "application/json;q=0, */*", 406, ""},
		{docPath(doc), "*/*", 200, "application/json"},
		{docPath(doc), "application/*", 200, "application/json"},
		{docPath(doc), "", 200, "application/json"},
		{docPath(doc, "/versions/1"), "text/*", 200, "text/plain"},
		{docPath(doc, "/versions/1"), "text/plain;q=0.5, application/json;q=0.9", 200, "application/json"},
		{docPath(doc, "/versions/1"), "application/pdf", 406, ""},
		{docPath(doc, "/versions/1/pdf"), "application/json", 406, ""},
		{docPath(doc, "/versions/1/pdf"), "application/pdf", 200, "application/pdf"},
		{docPath(doc, "/compilation"), "image/png", 406, ""},
		{docPath(doc, "/compilation"), "text/html", 200, "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			r := e.do("GET", tt.path, "KZ", nil, "Accept", tt.accept)
			r.MustStatus(tt.status)
			if tt.status == 406 {
				if p := problemOf(t, r.Status, r.Header, r.Body); p.Code != "not_acceptable" {
					t.Errorf("code %q", p.Code)
				}
				return
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.contentType)
			}
		})
	}
}

// TestStrictBodies: a field a request does not define, one the server
// sets, or a value of the wrong kind is a 422 naming the field, and
// changes nothing.
func TestStrictBodies(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p := v1.Provisions[0].ID
	newDoc := map[string]any{"symbol": "S/2", "title": "T", "kind": "other", "body": "SWG", "language": "en", "visibility": "members", "text": "1. A."}
	with := func(m map[string]any, k string, v any) map[string]any {
		out := map[string]any{k: v}
		for kk, vv := range m {
			out[kk] = vv
		}
		return out
	}
	tests := []struct {
		name, method, path, who string
		body                    any
		field                   string
	}{
		{"typo", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "justfication": "x", "operations": []map[string]string{{"op": "delete", "provision": p}}}, "justfication"},
		{"round on a new document", "POST", "/v1/documents", "chair", with(newDoc, "round", "../../../directory/tokens/boot"), "round"},
		{"id on a new document", "POST", "/v1/documents", "chair", with(newDoc, "id", "mine"), "id"},
		{"state on a new document", "POST", "/v1/documents", "chair", with(newDoc, "state", "adopted"), "state"},
		{"head on a new document", "POST", "/v1/documents", "chair", with(newDoc, "head", 7), "head"},
		{"created_at on a user", "POST", "/v1/users", "secretariat", map[string]any{"name": "n", "role": "delegate", "delegation": "KZ", "created_at": "2020-01-01T00:00:00Z"}, "created_at"},
		{"id of a new provision", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "operations": []map[string]any{{"op": "insert", "after": p, "text": "New.", "id": "p-mine"}}}, "operations[0].id"},
		{"unknown in an operation", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "operations": []map[string]any{{"op": "delete", "provison": p}}}, "operations[0].provison"},
		{"status of a proposal", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "status": "merged", "operations": []map[string]string{{"op": "delete", "provision": p}}}, "status"},
		{"malformed date", "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": "next tuesday"}, "deadline"},
		{"date without a zone", "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": "2030-01-01 12:00"}, "deadline"},
		{"text for a number", "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": "one", "text": "1. A."}, "base"},
		{"number for a text", "PUT", docPath(doc, "/versions/1/provisions/", p, "/status"), "chair", map[string]any{"status": 3}, "status"},
		{"null for a text", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "justification": nil, "operations": []map[string]string{{"op": "delete", "provision": p}}}, "justification"},
		{"a list for an object", "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{"x"}, "resolutions": []string{"y"}}, "resolutions"},
	}
	before := storeKeys(t, e.store)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.who, tt.body)
			r.MustStatus(http.StatusUnprocessableEntity)
			pr := problemOf(t, r.Status, r.Header, r.Body)
			if got := pr.fields(); len(got) != 1 || got[0] != tt.field {
				t.Errorf("fields %v, want [%s]", got, tt.field)
			}
			if !strings.Contains(pr.Detail, tt.field) {
				t.Errorf("detail %q does not name %s", pr.Detail, tt.field)
			}
			if bytes.Contains(r.Body, []byte("directory/")) {
				t.Errorf("body repeats the storage path: %s", r.Body)
			}
		})
	}
	if after := storeKeys(t, e.store); !equalKeysIgnoringEvents(before, after) {
		t.Fatalf("refused requests changed storage:\nbefore %v\nafter  %v", before, after)
	}
	// What is allowed still passes: an RFC 3339 deadline.
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": time.Now().Add(7 * 24 * time.Hour).In(time.FixedZone("", 5*3600)).Format(time.RFC3339)})
}
