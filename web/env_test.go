package web_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/corpus"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
	"chancery/web"
)

const bootstrapToken = "chy_bootstrap_0123456789abcdefghijklmnop"

// clock is a settable clock for the service.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// env is the web workspace on 127.0.0.1 over a local directory, with a
// forum: delegations KZ, IN and CN (members) and JP (observer), a chair of
// SWG, their tokens, and two documents.
type env struct {
	t   testing.TB
	svc *service.Service
	// Handler is the workspace, for in-process requests.
	Handler http.Handler
	clock   *clock
	URL     string
	tokens  map[string]string // "secretariat", "chair", "KZ", "IN", "JP"
	users   map[string]*drafts.User
	// Members is a members-only document; Open one observers may read.
	Members, Open *drafts.Document
	// store is the service's storage.
	store *storage.Local
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv with the workspace's settings changed by set.
func newEnvWith(t testing.TB, set func(*web.Server)) *env {
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
	clk := &clock{now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	svc := service.New(store, diffing.New(), enforcer)
	svc.Clock = clk.Now
	svc.Renderer = render.New()
	e := &env{t: t, svc: svc, clock: clk, tokens: map[string]string{"secretariat": bootstrapToken}, users: map[string]*drafts.User{}, store: store}
	ctx := context.Background()
	if _, err := svc.Bootstrap(ctx, bootstrapToken); err != nil {
		t.Fatal(err)
	}
	sec := e.as("secretariat")
	// CN is a member delegation with no user here: a member that never answers.
	for _, d := range []drafts.Delegation{{ID: "KZ", Name: "Kazakhstan", Status: "member"}, {ID: "IN", Name: "India", Status: "member"}, {ID: "JP", Name: "Japan", Status: "observer"}, {ID: "CN", Name: "China", Status: "member"}} {
		if err := svc.CreateDelegation(sec, &d); err != nil {
			t.Fatal(err)
		}
	}
	for name, u := range map[string]*drafts.User{
		"chair": {Name: "Chair of the SWG", Role: drafts.RoleChair, Body: "SWG"},
		"KZ":    {Name: "Delegate of Kazakhstan", Role: drafts.RoleDelegate, Delegation: "KZ"},
		"IN":    {Name: "Delegate of India", Role: drafts.RoleDelegate, Delegation: "IN"},
		"JP":    {Name: "Observer of Japan", Role: drafts.RoleObserver, Delegation: "JP"},
	} {
		tok, err := svc.CreateUser(sec, u)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[name], e.users[name] = tok, u
	}
	chair := e.as("chair")
	text := corpus.Must(t, "sample-draft-road-map.txt")
	e.Members, _, err = svc.CreateDocument(chair, &drafts.Document{Symbol: "CICA/SWG/2026/R.1", Title: "Draft Road Map for the Transformation of the Conference",
		Kind: "road-map", Body: "SWG", Language: "en", Visibility: drafts.VisibilityMembers}, text)
	if err != nil {
		t.Fatal(err)
	}
	e.Open, _, err = svc.CreateDocument(chair, &drafts.Document{Symbol: "CICA/SWG/2026/INF.1", Title: "Information note for observers",
		Kind: "other", Body: "SWG", Language: "en", Visibility: drafts.VisibilityObservers}, "1. The Working Group met in Astana.\n\n2. Observers attended.\n")
	if err != nil {
		t.Fatal(err)
	}

	ws := web.New(svc, enforcer, svc.Renderer, nil)
	ws.SignInFailures = 1000 // the hostile input test fails many sign-ins
	if set != nil {
		set(ws)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.Handler = ws.Handler()
	srv := &http.Server{Handler: e.Handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Error(err)
		}
	}()
	t.Cleanup(func() { srv.Close() })
	e.URL = "http://" + ln.Addr().String()
	return e
}

// as returns a context acting as the named user.
func (e *env) as(name string) context.Context {
	e.t.Helper()
	u, err := e.svc.Authenticate(context.Background(), e.tokens[name])
	if err != nil {
		e.t.Fatal(err)
	}
	e.users[name] = u
	return drafts.NewContextWithUser(context.Background(), u)
}
