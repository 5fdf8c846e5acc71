package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	fixtures "chancery/internal/corpus"

	"chancery/api"
	"chancery/api/apitest"
	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
	"chancery/storage/s3test"
)

// bootstrapToken is the first secretariat user's token in tests.
const bootstrapToken = "chy_bootstrap_0123456789abcdefghijklmnop"

// testEnv is a real server on 127.0.0.1 over a real store, with a
// validating client and the tokens of the users it made.
type testEnv struct {
	t      *testing.T
	store  drafts.ObjectStore
	svc    *service.Service
	srv    *api.Server
	client *apitest.Client
	tokens map[string]string // name → token; "secretariat" is there from the start
	clock  *testClock
	// symbols counts the documents made by document, for their symbols.
	symbols atomic.Int64
}

// testClock is a settable clock.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time { return c.now }

// backends returns the stores the API tests run on: the local directory
// and a real MinIO.
func backends() map[string]func(t *testing.T) drafts.ObjectStore {
	return map[string]func(t *testing.T) drafts.ObjectStore{
		"local": func(t *testing.T) drafts.ObjectStore {
			l, err := storage.OpenLocal(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			return l
		},
		"minio": func(t *testing.T) drafts.ObjectStore {
			return s3test.StartMinIO(t).MustOpen(t)
		},
	}
}

// forEachBackend runs f against every backend as a subtest.
func forEachBackend(t *testing.T, f func(t *testing.T, store drafts.ObjectStore)) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) { f(t, open(t)) })
	}
}

// newEnv starts a server over store.
func newEnv(t *testing.T, store drafts.ObjectStore) *testEnv {
	t.Helper()
	return newEnvWith(t, store, nil)
}

// newEnvWith is newEnv with the service and server changed by set before
// the server starts.
func newEnvWith(t *testing.T, store drafts.ObjectStore, set func(*service.Service, *api.Server)) *testEnv {
	t.Helper()
	enforcer, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(store, diffing.New(), enforcer)
	svc.Renderer = render.New()
	svc.SilenceMin = 200 * time.Millisecond
	if _, err := svc.Bootstrap(context.Background(), bootstrapToken); err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(svc, enforcer, svc.Renderer, nil)
	srv.Word = docx.New(docx.WithLimits(1<<20, 0, 0)) // a .docx over 1 MiB is refused (422), below the body limit (413)
	srv.StreamMaxAge = 300 * time.Millisecond         // streams end soon, so that tests reading whole responses end too
	if set != nil {
		set(svc, srv)
	}
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	e := &testEnv{t: t, store: store, svc: svc, srv: srv, tokens: map[string]string{"secretariat": bootstrapToken}}
	e.client = apitest.NewClient(t, "http://"+srv.Addr())
	return e
}

// do sends a request as the named user ("" for none).
func (e *testEnv) do(method, path, who string, body any, headers ...string) *apitest.Response {
	e.t.Helper()
	token := ""
	if who != "" {
		var ok bool
		if token, ok = e.tokens[who]; !ok {
			e.t.Fatalf("no user %q", who)
		}
	}
	return e.client.Do(method, path, token, body, headers...)
}

// mustJSON sends a request, checks the status and decodes the JSON body.
func (e *testEnv) mustJSON(want int, v any, method, path, who string, body any, headers ...string) *apitest.Response {
	e.t.Helper()
	r := e.do(method, path, who, body, headers...)
	r.MustStatus(want)
	if v != nil {
		r.JSON(v)
	}
	return r
}

// delegation adds a delegation.
func (e *testEnv) delegation(id, name, status string) {
	e.t.Helper()
	e.mustJSON(http.StatusCreated, nil, "POST", "/v1/delegations", "secretariat", map[string]string{"id": id, "name": name, "status": status})
}

// user adds a user and keeps its token under name.
func (e *testEnv) user(name, role, delegation, body string) {
	e.t.Helper()
	var out struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	e.mustJSON(http.StatusCreated, &out, "POST", "/v1/users", "secretariat", map[string]string{"name": name, "role": role, "delegation": delegation, "body": body})
	if out.Token == "" || out.ID == "" {
		e.t.Fatalf("user %s: no id or token", name)
	}
	e.tokens[name] = out.Token
}

// forum sets up delegations and users: KZ, IN, CN, RU, TR members, JP an
// observer; a delegate of each member ("KZ", ...), a second delegate of KZ
// ("KZ2"), the SWG chair ("chair"), the SOC chair ("soc-chair") and an
// observer ("observer").
func (e *testEnv) forum() {
	e.t.Helper()
	for _, d := range [][2]string{{"KZ", "Kazakhstan"}, {"IN", "India"}, {"CN", "China"}, {"RU", "Russian Federation"}, {"TR", "Türkiye"}} {
		e.delegation(d[0], d[1], "member")
		e.user(d[0], "delegate", d[0], "")
	}
	e.delegation("JP", "Japan", "observer")
	e.user("KZ2", "delegate", "KZ", "")
	e.user("observer", "observer", "JP", "")
	e.user("chair", "chair", "", "SWG")
	e.user("soc-chair", "chair", "", "SOC")
}

// document creates a document as the SWG chair and returns its id and
// version 1.
func (e *testEnv) document(text, visibility string) (string, version) {
	e.t.Helper()
	var out struct {
		ID      string  `json:"id"`
		Version version `json:"version"`
	}
	e.mustJSON(http.StatusCreated, &out, "POST", "/v1/documents", "chair", map[string]any{
		"symbol": e.nextSymbol(), "title": "Draft Road Map", "kind": "road-map", "body": "SWG",
		"language": "en", "visibility": visibility, "text": text,
	})
	return out.ID, out.Version
}

// version is a version as the API returns it.
type version struct {
	Number     int                `json:"number"`
	Text       string             `json:"text"`
	Hash       string             `json:"hash"`
	Merged     []string           `json:"merged"`
	Provisions []drafts.Provision `json:"provisions"`
}

// provision returns the provision whose text contains s.
func (v version) provision(t *testing.T, s string) drafts.Provision {
	t.Helper()
	for _, p := range v.Provisions {
		if strings.Contains(p.Text, s) {
			return p
		}
	}
	t.Fatalf("no provision contains %q", s)
	return drafts.Provision{}
}

// corpus reads a file of the test corpus.
func corpus(t testing.TB, name string) string {
	t.Helper()
	return fixtures.Must(t, name)
}

func docPath(doc string, rest ...string) string {
	return "/v1/documents/" + doc + strings.Join(rest, "")
}

func itoa(n int) string { return fmt.Sprint(n) }

func newClient(t *testing.T, srv *api.Server) *apitest.Client {
	return apitest.NewClient(t, "http://"+srv.Addr())
}

// syncBuffer is a buffer safe for the server's goroutines.
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

// nextSymbol returns a document symbol that no other document of the
// environment has (a symbol names one document): R.1 for the first.
func (e *testEnv) nextSymbol() string {
	return fmt.Sprintf("CICA/SWG/2026/R.%d", e.symbols.Add(1))
}
