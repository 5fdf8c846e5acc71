package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"chancery/api"
	"chancery/api/apitest"
	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
)

// serviceRoutes are registered outside the /v1 policy table: no action.
var serviceRoutes = []string{"GET /healthz", "GET /readyz", "GET /v1/openapi.json", "GET /v1/docs", "GET /v1/docs/:file"}

// echoParam matches an Echo path parameter (":doc").
var echoParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// TestOpenAPIDocument: the document loads and is valid OpenAPI 3.
func TestOpenAPIDocument(t *testing.T) {
	doc := apitest.Document(t)
	if got, want := doc.OpenAPI, "3.0.3"; got != want {
		t.Errorf("openapi = %q, want %q", got, want)
	}
	if doc.Components == nil || doc.Components.Schemas["Problem"] == nil {
		t.Fatal("no Problem schema")
	}
}

// TestOpenAPIRoutes: the document and the server have the same routes, and
// every /v1 route has a policy action.
func TestOpenAPIRoutes(t *testing.T) {
	doc := apitest.Document(t)
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	actions := api.NewServer(nil, nil, nil, nil).RouteActions()
	if len(actions) == 0 {
		t.Fatal("the server registers no routes")
	}
	registered := map[string]bool{}
	for key, action := range actions {
		route := echoParam.ReplaceAllString(key, "{$1}")
		registered[route] = true
		t.Run(route, func(t *testing.T) {
			if !documented[route] {
				t.Errorf("registered but not in openapi.json")
			}
			if service := slices.Contains(serviceRoutes, key); action == "" && !service {
				t.Errorf("no policy action")
			} else if service && action != "" {
				t.Errorf("service route has action %q", action)
			}
		})
	}
	for route := range documented {
		if !registered[route] {
			t.Errorf("%s: in openapi.json but not registered", route)
		}
	}
}

// openapiToken is the bootstrap secretariat token of the OpenAPI tests.
const openapiToken = "chy_testtoken_0123456789abcdefghij"

// startOpenAPIServer starts a real server over a local store in t.TempDir
// and returns a validating client of it.
func startOpenAPIServer(t *testing.T) *apitest.Client {
	t.Helper()
	store, err := storage.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	enforcer, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(store, diffing.New(), enforcer)
	svc.Renderer = render.New()
	if _, err := svc.Bootstrap(context.Background(), openapiToken); err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(svc, enforcer, svc.Renderer, nil)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return apitest.NewClient(t, "http://"+srv.Addr())
}

// TestOpenAPIRoundTrip: real responses of a real server pass the
// validating client (which fails the test on any mismatch).
func TestOpenAPIRoundTrip(t *testing.T) {
	c := startOpenAPIServer(t)

	t.Run("healthz", func(t *testing.T) {
		var h struct{ Status string }
		c.Do("GET", "/healthz", "", nil).MustStatus(http.StatusOK).JSON(&h)
		if got, want := h.Status, "ok"; got != want {
			t.Errorf("status = %q, want %q", got, want)
		}
		c.Do("GET", "/readyz", "", nil).MustStatus(http.StatusOK)
	})
	t.Run("openapi.json", func(t *testing.T) {
		r := c.Do("GET", "/v1/openapi.json", "", nil).MustStatus(http.StatusOK)
		if !bytes.Equal(r.Body, api.OpenAPI) {
			t.Errorf("served document differs from api.OpenAPI")
		}
	})
	t.Run("me", func(t *testing.T) {
		var u drafts.User
		c.Do("GET", "/v1/me", openapiToken, nil).MustStatus(http.StatusOK).JSON(&u)
		if u.ID == "" || u.Role != drafts.RoleSecretariat {
			t.Errorf("me = %+v, want the secretariat", u)
		}
	})
	t.Run("create delegation", func(t *testing.T) {
		var d drafts.Delegation
		c.Do("POST", "/v1/delegations", openapiToken, map[string]string{"id": "KZ", "name": "Kazakhstan", "status": "member"}).
			MustStatus(http.StatusCreated).JSON(&d)
		if got, want := d, (drafts.Delegation{ID: "KZ", Name: "Kazakhstan", Status: "member"}); got != want {
			t.Errorf("delegation = %+v, want %+v", got, want)
		}
		var page drafts.Page[drafts.Delegation]
		c.Do("GET", "/v1/delegations?limit=10", openapiToken, nil).MustStatus(http.StatusOK).JSON(&page)
		if len(page.Items) != 1 {
			t.Errorf("delegations = %+v, want KZ", page.Items)
		}
	})
	t.Run("no token", func(t *testing.T) {
		var p api.Problem
		r := c.Do("GET", "/v1/me", "", nil).MustStatus(http.StatusUnauthorized).JSON(&p)
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type = %q", ct)
		}
		if p.Status != http.StatusUnauthorized || p.Code != drafts.EUNAUTHORIZED {
			t.Errorf("problem = %+v", p)
		}
	})
	t.Run("invalid delegation", func(t *testing.T) {
		var p api.Problem
		c.Do("POST", "/v1/delegations", openapiToken, map[string]string{"id": "kz", "name": "", "status": "friend"}).
			MustStatus(http.StatusUnprocessableEntity).JSON(&p)
		if p.Code != drafts.EINVALID || len(p.Errors) != 3 {
			t.Errorf("problem = %+v, want 3 field errors", p)
		}
	})
}

// TestOpenAPIFormats: the negotiated formats (text/plain, text/html,
// application/pdf), 304 and 412 match the document too.
func TestOpenAPIFormats(t *testing.T) {
	c := startOpenAPIServer(t)
	var chair, kz struct{ Token string }
	c.Do("POST", "/v1/delegations", openapiToken, map[string]string{"id": "KZ", "name": "Kazakhstan", "status": "member"}).MustStatus(http.StatusCreated)
	c.Do("POST", "/v1/users", openapiToken, map[string]string{"name": "Chair", "role": "chair", "body": "SWG"}).MustStatus(http.StatusCreated).JSON(&chair)
	c.Do("POST", "/v1/users", openapiToken, map[string]string{"name": "Delegate", "role": "delegate", "delegation": "KZ"}).MustStatus(http.StatusCreated).JSON(&kz)
	const text = "# Road map\n\n1. The Member States shall meet.\n\n2. They shall report every year.\n"
	var doc struct{ ID string }
	c.Do("POST", "/v1/documents", chair.Token, map[string]string{
		"symbol": "CICA/SWG/2026/R.1", "title": "Road map", "kind": "road-map", "body": "SWG", "text": text,
	}).MustStatus(http.StatusCreated).JSON(&doc)
	path := "/v1/documents/" + doc.ID
	c.Do("POST", path+"/versions", chair.Token, map[string]any{
		"base": 1, "text": strings.Replace(text, "every year", "every two years", 1), "message": "Longer cycle",
	}).MustStatus(http.StatusCreated)
	var p drafts.Proposal
	c.Do("POST", path+"/proposals", kz.Token, map[string]any{
		"base": 2, "justification": "Sooner.", "text": strings.Replace(text, "every year", "every six months", 1),
	}).MustStatus(http.StatusCreated).JSON(&p)

	tests := []struct {
		name, path, accept, want string
	}{
		{"version as text", path + "/versions/1", "text/plain", "text/plain"},
		{"diff as HTML", path + "/versions/2/diff", "text/html", "text/html"},
		{"diff as text", path + "/versions/2/diff?against=1", "text/plain", "text/plain"},
		{"proposal diff against head", path + "/proposals/" + p.ID + "/diff?against=head", "application/json", "application/json"},
		{"compilation as HTML", path + "/compilation", "text/html", "text/html"},
		{"compilation as PDF", path + "/compilation?version=2", "application/pdf", "application/pdf"},
		{"agreed PDF", path + "/versions/2/pdf", "", "application/pdf"},
		{"tracked-changes PDF", path + "/versions/2/pdf?against=1", "", "application/pdf"},
		{"events", path + "/events?limit=2", "", "application/json"},
		{"verification", path + "/events/verify", "", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do("GET", tt.path, chair.Token, nil, "Accept", tt.accept).MustStatus(http.StatusOK)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.want) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.want)
			}
			if len(r.Body) == 0 {
				t.Errorf("empty body")
			}
		})
	}
	t.Run("PDF not modified", func(t *testing.T) {
		etag := c.Do("GET", path+"/versions/1/pdf", chair.Token, nil).MustStatus(http.StatusOK).Header.Get("ETag")
		c.Do("GET", path+"/versions/1/pdf", chair.Token, nil, "If-None-Match", etag).MustStatus(http.StatusNotModified)
	})
	t.Run("stale If-Match", func(t *testing.T) {
		c.Do("POST", path+"/proposals/"+p.ID+"/withdraw", kz.Token, nil, "If-Match", `"stale"`).MustStatus(http.StatusPreconditionFailed)
	})
}

// recorder is a testing.TB that keeps Errorf calls instead of failing.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestOpenAPIValidatorFails: the validating client reports exchanges that
// do not match the document, and only those.
func TestOpenAPIValidatorFails(t *testing.T) {
	const user = `{"id":"u1","name":"Ann","role":"chair","body":"SWG","created_at":"2026-01-02T03:04:05Z"}`
	const problem = `{"type":"https://chancery.example/problems/invalid","title":"Unprocessable Entity","status":422,"detail":"no","code":"invalid"}`
	badDelegation := map[string]string{"id": "kz", "name": "Kazakhstan", "status": "friend"}
	tests := []struct {
		name         string
		method, path string
		body         any
		status       int
		contentType  string
		answer       string
		want         string // part of the reported error; "" for none
	}{
		{"valid exchange", "GET", "/v1/me", nil, 200, "application/json", user, ""},
		{"wrong type", "GET", "/v1/me", nil, 200, "application/json", `{"id":5,"name":"Ann","role":"chair","created_at":"2026-01-02T03:04:05Z"}`, "response"},
		{"missing field", "GET", "/v1/me", nil, 200, "application/json", `{"id":"u1","name":"Ann","role":"chair"}`, "created_at"},
		{"not an enum value", "GET", "/v1/me", nil, 200, "application/json", strings.Replace(user, "chair", "king", 1), "role"},
		{"undocumented success status", "GET", "/v1/me", nil, 201, "application/json", user, "not documented"},
		{"error not a problem", "GET", "/v1/me", nil, 401, "text/plain", "nope", "response"},
		{"invalid request accepted", "POST", "/v1/delegations", badDelegation, 201, "application/json", `{"id":"kz","name":"Kazakhstan","status":"friend"}`, "forbids"},
		{"invalid request refused", "POST", "/v1/delegations", badDelegation, 422, "application/problem+json", problem, ""},
		{"unknown route answered", "GET", "/v1/nothing", nil, 200, "application/json", `{}`, "not in the document"},
		{"unknown route refused", "GET", "/v1/nothing", nil, 404, "application/problem+json", strings.Replace(problem, "422", "404", 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.answer)
			}))
			defer fake.Close()
			rec := &recorder{TB: t}
			r := apitest.NewClient(rec, fake.URL).Do(tt.method, tt.path, "chy_x_y", tt.body)
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d", r.Status, tt.status)
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			for _, e := range rec.errors {
				t.Logf("reported: %s", e)
			}
			switch {
			case tt.want == "" && len(rec.errors) > 0:
				t.Errorf("reported %q, want nothing", rec.errors)
			case tt.want != "" && len(rec.errors) == 0:
				t.Errorf("reported nothing, want an error about %q", tt.want)
			case tt.want != "" && !strings.Contains(strings.Join(rec.errors, "\n"), tt.want):
				t.Errorf("reported %q, want an error about %q", rec.errors, tt.want)
			}
		})
	}
}
