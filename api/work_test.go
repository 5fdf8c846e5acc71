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
	"chancery/api/apitest"
	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
)

// gatedDiffer is the real differ, whose provision diffs are counted and,
// while hold is set, wait for the gate to open: it keeps a request inside
// the work limit for as long as a test needs.
type gatedDiffer struct {
	drafts.Differ
	hold    atomic.Bool
	gate    chan struct{}
	entered chan struct{}
	diffs   atomic.Int64
}

func (g *gatedDiffer) Provisions(old, new []drafts.Provision) *drafts.Diff {
	if g.hold.Load() {
		g.diffs.Add(1)
		g.entered <- struct{}{}
		<-g.gate
	}
	return g.Differ.Provisions(old, new)
}

// countingRenderer is the real renderer, counting the clean PDFs it makes.
type countingRenderer struct {
	drafts.Renderer
	pdfs atomic.Int64
}

func (r *countingRenderer) AgreedPDF(w io.Writer, doc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) error {
	r.pdfs.Add(1)
	return r.Renderer.AgreedPDF(w, doc, v, round)
}

// newWorkEnv starts a server whose service has the given work limits, a
// gated differ and a counting renderer.
func newWorkEnv(t *testing.T, slots, queue int) (*testEnv, *gatedDiffer, *countingRenderer) {
	t.Helper()
	store := backends()["local"](t)
	enforcer, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	g := &gatedDiffer{Differ: diffing.New(), gate: make(chan struct{}), entered: make(chan struct{}, 100)}
	r := &countingRenderer{Renderer: render.New()}
	svc := service.New(store, g, enforcer)
	svc.Renderer = r
	svc.WorkSlots, svc.WorkQueue, svc.WorkWait = slots, queue, time.Minute
	if _, err := svc.Bootstrap(t.Context(), bootstrapToken); err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(svc, enforcer, r, nil)
	srv.Word = docx.New()
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	e := &testEnv{t: t, store: store, svc: svc, srv: srv, tokens: map[string]string{"secretariat": bootstrapToken}, client: newClient(t, srv)}
	e.forum()
	return e, g, r
}

// TestWorkIsBounded: with one slot and one place in the queue, a third
// heavy request is refused at once with a 503 and Retry-After; the two
// others finish; light requests are not held up.
func TestWorkIsBounded(t *testing.T) {
	e, g, _ := newWorkEnv(t, 1, 1)
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	var prop [3]string
	for i := range prop {
		prop[i] = e.propose(doc, "KZ", 1, replace(v1.Provisions[i].ID, "Changed "+strconv.Itoa(i)+"."))
	}
	g.hold.Store(true)
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

// TestWaitEndsWithTheClient: a request waiting for a slot whose client
// goes away leaves the queue, so the place is free for the next.
func TestWaitEndsWithTheClient(t *testing.T) {
	e, g, _ := newWorkEnv(t, 1, 1)
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p := e.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Changed."))
	g.hold.Store(true)
	done := make(chan int, 2)
	go func() { done <- e.do("GET", docPath(doc, "/proposals/", p, "/diff"), "KZ", nil).Status }()
	<-g.entered
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", e.client.BaseURL+docPath(doc, "/proposals/", p, "/diff"), nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["KZ"])
	gone := make(chan error, 1)
	go func() { _, err := http.DefaultClient.Do(req); gone <- err }()
	waitFor := func(want drafts.WorkStats) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for e.svc.WorkStats() != want {
			if time.Now().After(deadline) {
				t.Fatalf("work %+v, want %+v", e.svc.WorkStats(), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor(drafts.WorkStats{Running: 1, Waiting: 1})
	e.do("GET", docPath(doc, "/proposals/", p, "/diff"), "KZ", nil).MustStatus(http.StatusServiceUnavailable)
	cancel()
	if err := <-gone; err == nil {
		t.Fatal("the abandoned request was answered")
	}
	// Its place frees: a new request waits instead of being refused.
	waitFor(drafts.WorkStats{Running: 1, Waiting: 0})
	go func() { done <- e.do("GET", docPath(doc, "/proposals/", p, "/diff"), "KZ", nil).Status }()
	waitFor(drafts.WorkStats{Running: 1, Waiting: 1})
	close(g.gate)
	for i := 0; i < 2; i++ {
		if s := <-done; s != http.StatusOK {
			t.Fatalf("status %d", s)
		}
	}
	waitFor(drafts.WorkStats{})
}

// TestImmutableWorkDoneOnce: the diff of two versions is computed once,
// however many ask at the same time or later; so is a PDF.
func TestImmutableWorkDoneOnce(t *testing.T) {
	e, g, r := newWorkEnv(t, 2, 64)
	close(g.gate)
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	prop := e.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Changed."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop}})
	g.hold.Store(true)
	go func() {
		for range g.entered {
		}
	}()

	var wg sync.WaitGroup
	bodies := make([]string, 16)
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			who := []string{"IN", "KZ", "CN", "chair"}[i%4]
			r := e.do("GET", docPath(doc, "/versions/2/diff?against=1"), who, nil, "Accept", "text/html")
			r.MustStatus(http.StatusOK)
			bodies[i] = string(r.Body)
			e.do("GET", docPath(doc, "/versions/2/pdf"), who, nil).MustStatus(http.StatusOK)
		}(i)
	}
	wg.Wait()
	for _, b := range bodies {
		if b != bodies[0] {
			t.Fatal("the same diff answered differently")
		}
	}
	if n := g.diffs.Load(); n != 1 {
		t.Errorf("the diff was computed %d times, want once", n)
	}
	if n := r.pdfs.Load(); n != 1 {
		t.Errorf("the PDF was rendered %d times, want once", n)
	}
	// Another format of the same diff is not another diff; another
	// document's is, and an observer cannot read the members-only one.
	e.mustJSON(http.StatusOK, nil, "GET", docPath(doc, "/versions/2/diff?against=1"), "IN", nil)
	e.do("GET", docPath(doc, "/versions/2/diff?against=1"), "observer", nil).MustStatus(http.StatusNotFound)
	doc2, w1 := e.document(corpus(t, "sample-draft-road-map.txt"), "observers")
	g.hold.Store(false)
	prop2 := e.propose(doc2, "KZ", 1, replace(w1.Provisions[0].ID, "Changed."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc2, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop2}})
	g.hold.Store(true)
	e.do("GET", docPath(doc2, "/versions/2/diff?against=1"), "observer", nil, "Accept", "text/html").MustStatus(http.StatusOK)
	if n := g.diffs.Load(); n != 2 {
		t.Errorf("diffs computed %d times in all, want 2", n)
	}
}

// TestWordWaitsForItsSlot: reading and writing Word files is heavy work:
// with the one slot taken and no queue, a .docx export and a .docx
// proposal are refused at once, 503 with Retry-After; with the slot free
// both work, the upload's alignment inside the slot its file took.
func TestWordWaitsForItsSlot(t *testing.T) {
	e, _, _ := newWorkEnv(t, 1, -1)
	text := corpus(t, "sample-draft-road-map.txt")
	doc, _ := e.document(text, "members")
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": text + "\n99. Added.\n", "message": "m"})
	// Version 1 as a .docx is a proposal on version 2: it takes the added provision out.
	file := e.do("GET", docPath(doc, "/versions/1"), "KZ", nil, "Accept", drafts.WordMediaType)
	file.MustStatus(http.StatusOK)
	upload := func() *apitest.Response {
		return e.do("POST", docPath(doc, "/proposals?base=2&justification=From+Word"), "KZ", file.Body, "Content-Type", drafts.WordMediaType)
	}
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		e.svc.Work(context.Background(), func(context.Context) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	for name, res := range map[string]*apitest.Response{
		"export": e.do("GET", docPath(doc, "/versions/1"), "KZ", nil, "Accept", drafts.WordMediaType),
		"upload": upload(),
	} {
		if res.Status != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s with the slot taken: %d (Retry-After %q), want 503 with Retry-After", name, res.Status, res.Header.Get("Retry-After"))
		}
	}
	close(release)
	<-done
	upload().MustStatus(http.StatusCreated)
	e.do("GET", docPath(doc, "/versions/1"), "KZ", nil, "Accept", drafts.WordMediaType).MustStatus(http.StatusOK)
}
