package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/web"
)

// fakeService is the workspace's service without storage: one signed-in
// delegate, one document. Any other method is the embedded nil
// interface's and panics, which the workspace answers with its error
// page: a page that calls one fails its test.
type fakeService struct {
	drafts.Service
	doc *drafts.Document
}

const fakeSession = "ses_fake_0123456789abcdef"

func (f *fakeService) GetSession(ctx context.Context, plain string) (*drafts.Session, *drafts.User, error) {
	if plain != fakeSession {
		return nil, nil, drafts.Errorf(drafts.EUNAUTHORIZED, "your session has ended; sign in again")
	}
	return &drafts.Session{ID: "fake", User: "kz1", CSRF: "csrf"},
		&drafts.User{ID: "kz1", Name: "Delegate of Kazakhstan", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}, nil
}

func (f *fakeService) ListDocuments(ctx context.Context, opt drafts.ListOptions) (*drafts.Page[*drafts.Document], error) {
	return &drafts.Page[*drafts.Document]{Items: []*drafts.Document{f.doc}}, nil
}

func (f *fakeService) GetDocument(ctx context.Context, id string) (*drafts.Document, error) {
	if id != f.doc.ID {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no document %q", id)
	}
	return f.doc, nil
}

func (f *fakeService) ListDelegations(ctx context.Context, opt drafts.ListOptions) (*drafts.Page[*drafts.Delegation], error) {
	return &drafts.Page[*drafts.Delegation]{Items: []*drafts.Delegation{{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember}}}, nil
}

func (f *fakeService) Now() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }

// TestPagesOverFakeService: the list of documents and a document that is
// not there render from a small fake of the service, with no storage and
// no policy (so no forms the policy would allow).
func TestPagesOverFakeService(t *testing.T) {
	svc := &fakeService{doc: &drafts.Document{ID: "d1", Symbol: "CICA/SWG/2026/R.1", Title: "Road map on confidence-building",
		Kind: "road-map", Body: "SWG", Language: "en", Visibility: drafts.VisibilityMembers, State: drafts.StateNegotiation, Head: 1}}
	ts := httptest.NewServer(web.New(svc, nil, nil, nil).Handler())
	t.Cleanup(ts.Close)
	get := func(path string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "chancery_session", Value: fakeSession})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(body)
	}
	t.Run("documents", func(t *testing.T) {
		st, body := get("/documents")
		if st != 200 || !strings.Contains(body, "CICA/SWG/2026/R.1") || !strings.Contains(body, "Road map on confidence-building") || !strings.Contains(body, `href="/documents/d1"`) {
			t.Errorf("GET /documents: %d, want the document listed:\n%s", st, body)
		}
		if strings.Contains(body, `method="post" action="/documents"`) {
			t.Error("the page offers to create a document, which no policy allowed")
		}
	})
	t.Run("not found", func(t *testing.T) {
		st, body := get("/documents/nope/versions")
		if st != 404 || !strings.Contains(body, `no document &#34;nope&#34;`) {
			t.Errorf("GET /documents/nope/versions: %d, want 404 saying so:\n%s", st, body)
		}
	})
}
