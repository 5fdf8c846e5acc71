package api_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chancery/api"
	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
)

// gatedRenderer is the real renderer, whose HTML diffs wait for the gate
// to open and are counted: it holds a request inside the work limit for
// as long as a test needs.
type gatedRenderer struct {
	drafts.Renderer
	gate    chan struct{}
	entered chan struct{}
	diffs   atomic.Int64
	pdfs    atomic.Int64
}

func (g *gatedRenderer) DiffHTML(w io.Writer, d *drafts.Diff) error {
	g.diffs.Add(1)
	g.entered <- struct{}{}
	<-g.gate
	return g.Renderer.DiffHTML(w, d)
}

func (g *gatedRenderer) AgreedPDF(w io.Writer, doc *drafts.Document, v *drafts.Version, r *drafts.AdoptionRound) error {
	g.pdfs.Add(1)
	return g.Renderer.AgreedPDF(w, doc, v, r)
}

// newWorkEnv starts a server with a gated renderer and the given work
// limits.
func newWorkEnv(t *testing.T, slots, queue int) (*testEnv, *gatedRenderer) {
	t.Helper()
	store := backends()["local"](t)
	enforcer, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	svc := drafts.NewService(store, diffing.New(), enforcer)
	if _, err := svc.Bootstrap(t.Context(), bootstrapToken); err != nil {
		t.Fatal(err)
	}
	g := &gatedRenderer{Renderer: render.New(), gate: make(chan struct{}), entered: make(chan struct{}, 100)}
	srv := api.NewServer(svc, enforcer, g, nil)
	srv.WorkSlots, srv.WorkQueue, srv.WorkWait = slots, queue, time.Minute
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	e := &testEnv{t: t, store: store, svc: svc, srv: srv, tokens: map[string]string{"secretariat": bootstrapToken}, client: newClient(t, srv)}
	e.forum()
	return e, g
}

// TestWorkIsBounded: with one slot and one place in the queue, a third
// heavy request is refused at once with a 503 and Retry-After; the two
// others finish; light requests are not held up.
func TestWorkIsBounded(t *testing.T) {
	e, g := newWorkEnv(t, 1, 1)
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	var prop [3]string
	for i := range prop {
		prop[i] = e.propose(doc, "KZ", 1, replace(v1.Provisions[i].ID, "Changed "+strconv.Itoa(i)+"."))
	}
	type result struct {
		status int
		retry  string
		ct     string
	}
	results := make(chan result, 3)
	get := func(p string) {
		r := e.do("GET", docPath(doc, "/proposals/", p, "/diff"), "KZ", nil, "Accept", "text/html")
		results <- result{r.Status, r.Header.Get("Retry-After"), r.Header.Get("Content-Type")}
	}
	go get(prop[0])
	<-g.entered // it holds the one slot, at the gate
	// Of two more, one takes the place in the queue, the other is refused.
	go get(prop[1])
	go get(prop[2])
	r := <-results
	if r.status != http.StatusServiceUnavailable || r.ct != "application/problem+json" {
		t.Fatalf("first answer %+v, want a 503 problem", r)
	}
	if ra, err := strconv.Atoi(r.retry); err != nil || ra < 1 {
		t.Fatalf("Retry-After %q", r.retry)
	}
	// Light requests do not wait for heavy ones.
	e.mustJSON(http.StatusOK, nil, "GET", docPath(doc), "KZ", nil)
	close(g.gate)
	for i := 0; i < 2; i++ {
		if r := <-results; r.status != http.StatusOK {
			t.Fatalf("a bounded request ended with %d", r.status)
		}
	}
}

// TestImmutableWorkDoneOnce: the diff of two versions is computed once,
// however many ask at the same time or later; so is a PDF.
func TestImmutableWorkDoneOnce(t *testing.T) {
	e, g := newWorkEnv(t, 2, 64)
	close(g.gate)
	go func() {
		for range g.entered {
		}
	}()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	prop := e.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Changed."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop}})

	var wg sync.WaitGroup
	bodies := make([]string, 16)
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := e.do("GET", docPath(doc, "/versions/2/diff?against=1"), "IN", nil, "Accept", "text/html")
			r.MustStatus(http.StatusOK)
			bodies[i] = string(r.Body)
			p := e.do("GET", docPath(doc, "/versions/2/pdf"), "IN", nil)
			p.MustStatus(http.StatusOK)
		}(i)
	}
	wg.Wait()
	for _, b := range bodies {
		if b != bodies[0] {
			t.Fatal("the same diff answered differently")
		}
	}
	if n := g.diffs.Load(); n != 1 {
		t.Errorf("the diff was rendered %d times, want once", n)
	}
	if n := g.pdfs.Load(); n != 1 {
		t.Errorf("the PDF was rendered %d times, want once", n)
	}
	// Another format is another rendering; other documents do not share.
	e.mustJSON(http.StatusOK, nil, "GET", docPath(doc, "/versions/2/diff?against=1"), "IN", nil)
	doc2, w1 := e.document(corpus(t, "sample-draft-road-map.txt"), "observers")
	prop2 := e.propose(doc2, "KZ", 1, replace(w1.Provisions[0].ID, "Changed."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc2, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop2}})
	e.do("GET", docPath(doc2, "/versions/2/diff?against=1"), "observer", nil, "Accept", "text/html").MustStatus(http.StatusOK)
	if n := g.diffs.Load(); n != 2 {
		t.Errorf("a second document's diff was rendered %d times in all, want 2", n)
	}
}
