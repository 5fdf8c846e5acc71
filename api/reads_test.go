package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"chancery/drafts"
)

// readCounter counts reads per key.
type readCounter struct {
	drafts.ObjectStore
	mu    sync.Mutex
	reads map[string]int
}

func (r *readCounter) Get(ctx context.Context, key string) (*drafts.Object, error) {
	r.mu.Lock()
	r.reads[key]++
	r.mu.Unlock()
	return r.ObjectStore.Get(ctx, key)
}

func (r *readCounter) take() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reads
	r.reads = map[string]int{}
	return out
}

// TestNoObjectReadTwicePerRequest runs a negotiation one request at a
// time and checks that no request reads the same object twice (the audit
// trail's head hint aside: each event appended reads it).
func TestNoObjectReadTwicePerRequest(t *testing.T) {
	store := &readCounter{ObjectStore: backends()["local"](t), reads: map[string]int{}}
	e := newEnv(t, store)
	e.forum()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	check := func(what string) {
		t.Helper()
		for key, n := range store.take() {
			// Verification reads what is stored past every cache, after the
			// policy read the document (and the hint, to check it).
			verifying := strings.HasSuffix(what, "/events/verify") && n == 2
			if n > 1 && !strings.HasSuffix(key, "/events-head.json") && !verifying {
				t.Errorf("%s read %s %d times", what, key, n)
			}
		}
	}
	step := func(want int, method, path, who string, body any) {
		t.Helper()
		store.take()
		e.mustJSON(want, nil, method, path, who, body)
		check(method + " " + path)
	}
	store.take()
	p1 := e.propose(doc, "KZ", 1, replace(v.Provisions[2].ID, "Changed by KZ."))
	check("first proposal")
	p2 := e.propose(doc, "IN", 1, replace(v.Provisions[4].ID, "Changed by IN."))
	check("second proposal")
	step(200, "GET", docPath(doc), "KZ", nil)
	step(200, "GET", docPath(doc, "/versions/1"), "KZ", nil)
	step(200, "GET", docPath(doc, "/versions"), "KZ", nil)
	step(200, "GET", docPath(doc, "/proposals"), "KZ", nil)
	step(200, "GET", docPath(doc, "/proposals/", p1), "KZ", nil)
	step(200, "GET", docPath(doc, "/proposals/", p1, "/diff?against=head"), "KZ", nil)
	step(200, "GET", docPath(doc, "/compilation"), "KZ", nil)
	step(http.StatusCreated, "POST", docPath(doc, "/proposals/", p1, "/comments"), "chair", map[string]string{"text": "Noted."})
	step(200, "POST", docPath(doc, "/proposals/", p1, "/cosponsor"), "IN", nil)
	step(200, "PUT", docPath(doc, "/proposals/", p2), "IN", map[string]any{"base": 1, "operations": []map[string]string{replace(v.Provisions[4].ID, "Changed again by IN.")}})
	step(http.StatusCreated, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{p1, p2}})
	step(200, "GET", docPath(doc, "/versions/2/diff"), "KZ", nil)
	step(200, "PUT", docPath(doc, "/versions/2/provisions/", v.Provisions[0].ID, "/status"), "chair", map[string]string{"status": "agreed"})
	step(http.StatusCreated, "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 2, "text": v.Text + "\n99. Added.\n", "message": "m"})
	step(http.StatusCreated, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"procedure": "consensus"})
	step(200, "POST", docPath(doc, "/adoption/consent"), "KZ", nil)
	step(200, "POST", docPath(doc, "/adoption/objection"), "IN", map[string]string{"reason": "Not yet."})
	step(200, "POST", docPath(doc, "/adoption/consent"), "IN", nil)
	step(200, "GET", docPath(doc, "/adoption"), "KZ", nil)
	step(200, "POST", docPath(doc, "/adoption/close"), "chair", nil)
	step(200, "GET", docPath(doc), "KZ", nil)
	step(200, "GET", docPath(doc, "/adoption"), "KZ", nil)
	step(200, "GET", docPath(doc, "/events"), "KZ", nil)
	step(200, "GET", docPath(doc, "/events/verify"), "KZ", nil)
}
