package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/internal/accessrule"

	"chancery/api"
	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
)

// outcome of a request as far as access goes.
type outcome string

const (
	allowed outcome = "allowed"
	denied  outcome = "denied (403)"
	hidden  outcome = "hidden (404)"
)

// subject is a user of the access matrix.
type subject struct {
	name     string
	observer bool // an observer, or in an observer delegation
	member   bool // a delegate of a member delegation
	owner    bool // of the delegation that owns the proposal (KZ)
	chair    bool // chair of the documents' body (SWG)
	sec      bool
}

// expected is the access rule of DESIGN.md (package accessrule,
// written independently of the policy file) in this test's outcomes.
func expected(action string, s subject, membersOnly bool) outcome {
	switch accessrule.Expected(action, accessrule.Subject{Observer: s.observer, Member: s.member, Owner: s.owner, Chair: s.chair, Secretariat: s.sec}, membersOnly) {
	case accessrule.Allowed:
		return allowed
	case accessrule.Hidden:
		return hidden
	}
	return denied
}

// TestAccessMatrix sends every route the server registers as every kind
// of user, on a members-only and an observers-visible document, and checks
// allow or deny. A new route without a rule, or with a rule that differs
// from DESIGN.md's table, fails here.
func TestAccessMatrix(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	e.user("soc-chair-2", "chair", "", "SOC")
	e.user("JPdel", "delegate", "JP", "")
	e.user("throwaway", "delegate", "KZ", "")
	var users struct {
		Items []drafts.User `json:"items"`
	}
	e.mustJSON(200, &users, "GET", "/v1/users?limit=500", "secretariat", nil)
	throwaway := ""
	for _, u := range users.Items {
		if u.Name == "throwaway" {
			throwaway = u.ID
		}
	}
	var tok struct {
		ID string `json:"id"`
	}
	e.mustJSON(201, &tok, "POST", "/v1/users/"+throwaway+"/tokens", "secretariat", nil)

	text := corpus(t, "sample-draft-road-map.txt")
	docs := map[bool]string{}
	props := map[bool]string{}
	provs := map[bool]string{}
	positions := map[bool]string{} // KZ's, visible to observers where the document is
	for _, membersOnly := range []bool{true, false} {
		vis := "observers"
		if membersOnly {
			vis = "members"
		}
		id, v := e.document(text, vis)
		docs[membersOnly] = id
		provs[membersOnly] = v.Provisions[3].ID
		props[membersOnly] = e.propose(id, "KZ", 1, replace(v.Provisions[3].ID, "Changed."))
		var pos drafts.Position
		e.mustJSON(201, &pos, "POST", docPath(id, "/positions"), "KZ", map[string]string{"provision": v.Provisions[3].ID, "kind": "ad-ref", "visibility": "observers"})
		positions[membersOnly] = pos.ID
	}

	subjects := []subject{
		{name: "secretariat", sec: true},
		{name: "chair", chair: true},
		{name: "soc-chair"},
		{name: "KZ", member: true, owner: true},
		{name: "KZ2", member: true, owner: true},
		{name: "IN", member: true},
		{name: "observer", observer: true},
		{name: "JPdel", observer: true},
	}
	bodies := map[string]any{
		"POST /v1/delegations":                                                 map[string]string{"id": "XX", "name": "X", "status": "member"},
		"POST /v1/users":                                                       map[string]string{"name": "n", "role": "delegate", "delegation": "KZ"},
		"POST /v1/documents":                                                   map[string]any{"symbol": "S/1", "title": "T", "kind": "other", "body": "SWG", "language": "en", "visibility": "members", "text": "1. A."},
		"POST /v1/documents/:doc/versions":                                     map[string]any{"base": 1, "text": text + "\n21. More.\n", "message": "m"},
		"POST /v1/documents/:doc/renumbering":                                  map[string]any{"base": 1},
		"PUT /v1/documents/:doc/versions/:n/provisions/:id/status":             map[string]string{"status": "agreed"},
		"POST /v1/documents/:doc/proposals":                                    map[string]any{"base": 1, "operations": []map[string]string{{"op": "delete", "provision": "PROV"}}},
		"PUT /v1/documents/:doc/proposals/:p":                                  map[string]any{"base": 1, "operations": []map[string]string{{"op": "delete", "provision": "PROV"}}},
		"POST /v1/documents/:doc/proposals/:p/comments":                        map[string]string{"text": "A comment."},
		"POST /v1/documents/:doc/proposals/:p/reject":                          map[string]string{"reason": "No."},
		"POST /v1/documents/:doc/merges":                                       map[string]any{"base": 1, "proposals": []string{"PROP"}},
		"POST /v1/documents/:doc/adoption":                                     map[string]any{"version": 1, "procedure": "consensus"},
		"POST /v1/documents/:doc/adoption/objection":                           map[string]string{"reason": "No."},
		"PUT /v1/documents/:doc/focus":                                         map[string]string{"provision": "PROV"},
		"POST /v1/webhooks":                                                    map[string]string{"url": "https://portal.example.org/chancery"},
		"POST /v1/documents/:doc/positions":                                    map[string]string{"provision": "PROV", "kind": "support"},
		"PUT /v1/documents/:doc/languages/:lang":                               map[string]string{"text": corpus(t, "sample-draft-road-map.ru.txt")},
		"PUT /v1/documents/:doc/versions/:n/provisions/:id/translations/:lang": map[string]string{"text": "Перевод."},
	}
	routes := e.srv.RouteActions()
	if len(routes) < 30 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for key, action := range routes {
		method, path, _ := strings.Cut(key, " ")
		if !strings.HasPrefix(path, "/v1/") || path == "/v1/openapi.json" || path == "/v1/docs" || strings.HasPrefix(path, "/v1/docs/") { // public, no token
			continue
		}
		if action == "" {
			t.Errorf("route %s has no policy action", key)
			continue
		}
		if !contains(policy.Actions(), action) {
			t.Errorf("route %s: action %q is not in the policy", key, action)
		}
		for _, membersOnly := range []bool{true, false} {
			if !strings.Contains(path, ":doc") && !membersOnly {
				continue
			}
			concrete := strings.NewReplacer(":doc", docs[membersOnly], ":p", props[membersOnly], ":n", "1", ":lang", "ru").Replace(path)
			if strings.HasPrefix(path, "/v1/users/:id") {
				concrete = strings.Replace(concrete, ":id", throwaway, 1)
			} else if strings.HasPrefix(path, "/v1/tokens/:id") {
				concrete = strings.Replace(concrete, ":id", tok.ID, 1)
			} else if strings.Contains(path, "/positions/:id") {
				concrete = strings.Replace(concrete, ":id", positions[membersOnly], 1)
			} else {
				concrete = strings.Replace(concrete, ":id", provs[membersOnly], 1)
			}
			body := bodies[key]
			if raw, err := json.Marshal(body); err == nil && body != nil {
				raw = bytes.ReplaceAll(raw, []byte("PROV"), []byte(provs[membersOnly]))
				raw = bytes.ReplaceAll(raw, []byte("PROP"), []byte(props[membersOnly]))
				body = json.RawMessage(raw)
			}
			t.Run(key+"/unauthenticated", func(t *testing.T) {
				r := e.client.Do(method, concrete, "", body)
				r.MustStatus(http.StatusUnauthorized)
				if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Fatalf("WWW-Authenticate = %q", r.Header.Get("WWW-Authenticate"))
				}
			})
			for _, s := range subjects {
				want := expected(action, s, membersOnly)
				name := key + "/" + s.name
				if membersOnly {
					name += "/members-only"
				}
				t.Run(name, func(t *testing.T) {
					r := e.do(method, concrete, s.name, body)
					var p struct {
						Detail     string `json:"detail"`
						Permission string `json:"permission"`
					}
					if r.Status >= 400 {
						r.JSON(&p)
					}
					got := allowed
					switch {
					case r.Status == 403:
						got = denied
						if p.Permission != action || strings.Contains(p.Detail, action) || !strings.Contains(p.Detail, " may") {
							t.Errorf("403 does not name the permission %q in its member and in words in its detail: %+v", action, p)
						}
					case r.Status == 404 && strings.HasPrefix(p.Detail, "no document"):
						got = hidden
					case r.Status == 401 || r.Status >= 500:
						t.Fatalf("status %d: %s", r.Status, r.Body)
					}
					if got != want {
						t.Fatalf("%s %s as %s: %s (status %d %s), want %s", method, concrete, s.name, got, r.Status, p.Detail, want)
					}
				})
			}
		}
	}
}

// TestObserversDoNotSeeMembersOnlyDocuments in lists.
func TestObserversDoNotSeeMembersOnlyDocuments(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	members, _ := e.document("1. Members only.", "members")
	open, _ := e.document("1. Open.", "observers")
	var page struct {
		Items []drafts.Document `json:"items"`
	}
	e.mustJSON(200, &page, "GET", "/v1/documents", "observer", nil)
	if len(page.Items) != 1 || page.Items[0].ID != open {
		t.Fatalf("observer sees %+v", page.Items)
	}
	e.mustJSON(200, &page, "GET", "/v1/documents", "KZ", nil)
	if len(page.Items) != 2 {
		t.Fatalf("member sees %d documents", len(page.Items))
	}
	e.do("GET", docPath(members, "/versions/1/pdf"), "observer", nil).MustStatus(404)
}

// TestRevocation takes effect on the next request, on every replica.
func TestRevocation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		other := newEnv(t, store) // a second replica on the same bucket
		e.forum()
		var me struct {
			ID string `json:"id"`
		}
		e.mustJSON(200, &me, "GET", "/v1/me", "KZ", nil)
		var tok struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		e.mustJSON(201, &tok, "POST", "/v1/users/"+me.ID+"/tokens", "secretariat", nil)
		other.client.Do("GET", "/v1/me", tok.Token, nil).MustStatus(200)
		e.do("DELETE", "/v1/tokens/"+tok.ID, "secretariat", nil).MustStatus(204)
		other.client.Do("GET", "/v1/me", tok.Token, nil).MustStatus(401)
		e.client.Do("GET", "/v1/me", tok.Token, nil).MustStatus(401)
		e.do("GET", "/v1/me", "KZ", nil).MustStatus(200) // the user's other token still works
	})
}

// TestMalformedCredentials are 401s and 404s, never another error.
func TestMalformedCredentials(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	for _, tok := range []string{"chy_a\tb_x", "chy_\xff\xfe_secret", "chy__x", "chy_abc", "chy_abc_", "Basic abc", "chy_../../x_y"} {
		e.client.Do("GET", "/v1/me", tok, nil).MustStatus(http.StatusUnauthorized)
	}
	e.do("POST", "/v1/users/a%09b/tokens", "secretariat", nil).MustStatus(http.StatusNotFound)
	e.do("DELETE", "/v1/tokens/a%09b", "secretariat", nil).MustStatus(http.StatusNotFound)
	e.do("DELETE", "/v1/tokens/..", "secretariat", nil).MustStatus(http.StatusNotFound)
}

// TestFailedAuthenticationIsRateLimited per client address: bad tokens
// past the budget get 429 with Retry-After, valid tokens from the same
// address are never refused, and the budget refills with time.
func TestFailedAuthenticationIsRateLimited(t *testing.T) {
	store := backends()["local"](t)
	enforcer, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(store, diffing.New(), enforcer)
	svc.Renderer = render.New()
	if _, err := svc.Bootstrap(t.Context(), bootstrapToken); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	srv := api.NewServer(svc, enforcer, svc.Renderer, nil)
	srv.AuthFailures = 20
	srv.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	c := newClient(t, srv)
	bad := "chy_nosuch_token0123456789"

	for i := 0; i < 20; i++ {
		c.Do("GET", "/v1/me", bad, nil).MustStatus(http.StatusUnauthorized)
	}
	r := c.Do("GET", "/v1/me", bad, nil).MustStatus(http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q, want 1 to 60 seconds", r.Header.Get("Retry-After"))
	}
	c.Do("GET", "/v1/me", "Basic abc", nil).MustStatus(http.StatusTooManyRequests)
	// A colleague behind the same address, with a valid token, is served,
	// again and again, while the bad tokens are still refused.
	for i := 0; i < 5; i++ {
		c.Do("GET", "/v1/me", bootstrapToken, nil).MustStatus(http.StatusOK)
		c.Do("GET", "/v1/me", bad, nil).MustStatus(http.StatusTooManyRequests)
	}
	// After the wait the budget has refilled by the elapsed share.
	mu.Lock()
	now = now.Add(6 * time.Second) // 20 a minute: two more failures
	mu.Unlock()
	c.Do("GET", "/v1/me", bad, nil).MustStatus(http.StatusUnauthorized)
	c.Do("GET", "/v1/me", bad, nil).MustStatus(http.StatusUnauthorized)
	c.Do("GET", "/v1/me", bad, nil).MustStatus(http.StatusTooManyRequests)
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	for i := 0; i < 20; i++ {
		c.Do("GET", "/v1/me", bad, nil).MustStatus(http.StatusUnauthorized)
	}
}

// TestNoTokenInStorageOrLogs runs a scenario, then greps the data
// directory and the logs for every token issued.
func TestNoTokenInStorageOrLogs(t *testing.T) {
	dir := t.TempDir()
	store, err := storage.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var logs syncBuffer
	enforcer, _ := policy.New()
	svc := service.New(store, diffing.New(), enforcer)
	svc.Renderer = render.New()
	svc.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, err := svc.Bootstrap(t.Context(), bootstrapToken); err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(svc, enforcer, svc.Renderer, svc.Log)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close(t.Context())
	e := &testEnv{t: t, store: store, svc: svc, srv: srv, tokens: map[string]string{"secretariat": bootstrapToken}}
	e.client = newClient(t, srv)
	e.forum()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p := e.propose(doc, "KZ", 1, replace(v.Provisions[2].ID, "New text."))
	e.mustJSON(201, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{p}})
	e.client.Do("GET", "/v1/me", "chy_wrong_secretsecretsecret", nil).MustStatus(401)
	time.Sleep(50 * time.Millisecond)
	if len(e.tokens) < 8 {
		t.Fatalf("only %d tokens issued", len(e.tokens))
	}
	var files int
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for name, tok := range e.tokens {
			_, secret, _ := drafts.SplitToken(tok)
			if bytes.Contains(data, []byte(tok)) || bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s's token is in %s", name, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Fatalf("only %d files in the data directory: the scenario did not run", files)
	}
	if logs.String() == "" || !strings.Contains(logs.String(), `"route"`) {
		t.Fatalf("no request logs captured")
	}
	for name, tok := range e.tokens {
		_, secret, _ := drafts.SplitToken(tok)
		if strings.Contains(logs.String(), secret) {
			t.Errorf("%s's token is in the logs", name)
		}
	}
	if strings.Contains(logs.String(), "secretsecretsecret") {
		t.Error("a wrong token is in the logs")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
