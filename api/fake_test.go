package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/api"
	"chancery/api/apitest"
	"chancery/drafts"
)

// fakeToken is the one token fakeService knows.
const fakeToken = "chy_fake_0123456789abcdefghijklmnop"

// fakeService answers GetDocument from a map, without storage, for the
// one user of fakeToken. Any other method is the embedded nil interface's
// and panics, which the server answers with a 500: a handler that calls
// one fails its test.
type fakeService struct {
	drafts.Service
	docs map[string]*drafts.Document
	// fail, when set, is what GetDocument returns.
	fail error
}

func (f *fakeService) Authenticate(ctx context.Context, plain string) (*drafts.User, error) {
	if plain != fakeToken {
		return nil, drafts.Errorf(drafts.EUNAUTHORIZED, "invalid or revoked token")
	}
	return &drafts.User{ID: "kz1", Name: "Delegate of Kazakhstan", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}, nil
}

func (f *fakeService) GetDocument(ctx context.Context, id string) (*drafts.Document, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	if drafts.UserFromContext(ctx) == nil {
		return nil, errors.New("the handler called the service without the user")
	}
	d, ok := f.docs[id]
	if !ok {
		return nil, &drafts.Error{Op: "fake.GetDocument", Code: drafts.ENOTFOUND, Message: `no document "` + id + `"`}
	}
	return d, nil
}

func (f *fakeService) CacheStats() drafts.CacheStats { return drafts.CacheStats{} }

// syncLog is a log buffer the server's goroutines may write at once.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// newFakeServer serves the API over svc, logging to the returned buffer.
func newFakeServer(t *testing.T, svc drafts.Service) (*apitest.Client, *syncLog) {
	t.Helper()
	logs := &syncLog{}
	srv := api.NewServer(svc, nil, nil, slog.New(slog.NewJSONHandler(logs, nil)))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return apitest.NewClient(t, ts.URL), logs
}

// TestHandlerOverFakeService: GET /v1/documents/{doc} runs against a small
// fake of the service, with no storage, policy or renderer: the handler
// sends the document as JSON with its ETag, and the service's ENOTFOUND as
// a problem+json 404 in the service's words.
func TestHandlerOverFakeService(t *testing.T) {
	created := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	doc := &drafts.Document{ID: "d1", Symbol: "CICA/SWG/2026/R.1", Title: "Road map", Kind: "road-map", Body: "SWG",
		Language: "en", Visibility: drafts.VisibilityMembers, State: drafts.StateNegotiation, Head: 2,
		CreatedAt: created, UpdatedAt: created, CreatedBy: "chair", ETag: "abc"}
	client, _ := newFakeServer(t, &fakeService{docs: map[string]*drafts.Document{"d1": doc}})

	t.Run("found", func(t *testing.T) {
		res := client.Do("GET", "/v1/documents/d1", fakeToken, nil)
		res.MustStatus(200)
		var got drafts.Document
		if err := json.Unmarshal(res.Body, &got); err != nil {
			t.Fatal(err)
		}
		got.ETag = doc.ETag // not in the body: in the header
		if !reflect.DeepEqual(got, *doc) {
			t.Errorf("body = %+v, want %+v", got, *doc)
		}
		if got, want := res.Header.Get("ETag"), `"abc"`; got != want {
			t.Errorf("ETag = %s, want %s", got, want)
		}
	})
	t.Run("not found", func(t *testing.T) {
		res := client.Do("GET", "/v1/documents/nope", fakeToken, nil)
		res.MustStatus(404)
		if got, want := res.Header.Get("Content-Type"), "application/problem+json"; got != want {
			t.Errorf("Content-Type = %s, want %s", got, want)
		}
		var p api.Problem
		if err := json.Unmarshal(res.Body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Code != drafts.ENOTFOUND || p.Status != 404 || p.Detail != `no document "nope"` {
			t.Errorf("problem = %+v", p)
		}
		if strings.Contains(string(res.Body), "fake.GetDocument") {
			t.Errorf("the problem names the operation: %s", res.Body)
		}
	})
	t.Run("no token", func(t *testing.T) {
		client.Do("GET", "/v1/documents/d1", "", nil).MustStatus(401)
	})
}

// TestInternalErrorLogsItsOperation: an internal error of the service is
// logged with the operation that raised it (Error.Op), while the client
// reads "Internal error." as before, and nothing of the cause.
func TestInternalErrorLogsItsOperation(t *testing.T) {
	cause := errors.New("disk on fire at /var/lib/chancery")
	fail := drafts.E("service.GetDocument", cause)
	client, logs := newFakeServer(t, &fakeService{fail: fail})
	res := client.Do("GET", "/v1/documents/d1", fakeToken, nil)
	res.MustStatus(500)
	var p api.Problem
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Code != drafts.EINTERNAL || p.Detail != "Internal error." {
		t.Errorf("problem = %+v, want an internal error in the usual words", p)
	}
	if body := string(res.Body); strings.Contains(body, "service.GetDocument") || strings.Contains(body, "fire") {
		t.Errorf("the problem says more than it should: %s", body)
	}
	var line struct {
		Msg, Op, Err string
	}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if err := json.Unmarshal([]byte(l), &line); err == nil && line.Msg == "request failed" {
			break
		}
	}
	if line.Msg != "request failed" || line.Op != "service.GetDocument" || !strings.Contains(line.Err, "disk on fire") {
		t.Errorf("log line = %+v; logs:\n%s", line, logs.String())
	}
}
