package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/api"
	"chancery/drafts"
	"chancery/service"
	"chancery/storage/s3test"
)

// sseEvent is one message of an event stream.
type sseEvent struct {
	ID, Event string
	Data      struct {
		Document string `json:"document"`
		drafts.Event
	}
}

// stream is an open event stream, read in the background.
type stream struct {
	Status   int
	Header   http.Header
	Problem  string // the body of a refusal
	events   chan sseEvent
	comments chan string
	close    func()
}

// openStream opens a document's event stream as the named user, with
// extra headers (name, value pairs). It uses a plain client: the
// validating one reads whole responses, and a stream has no end.
func (e *testEnv) openStream(doc, who, query string, headers ...string) *stream {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", e.client.BaseURL+docPath(doc, "/events/stream")+query, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := streamClient.Do(req)
	if err != nil {
		cancel()
		e.t.Fatalf("opening the stream: %v", err)
	}
	s := &stream{Status: resp.StatusCode, Header: resp.Header, events: make(chan sseEvent, 1000), comments: make(chan string, 100),
		close: func() { cancel(); resp.Body.Close() }}
	e.t.Cleanup(s.close)
	if resp.StatusCode != http.StatusOK {
		var p struct{ Detail string }
		_ = json.NewDecoder(resp.Body).Decode(&p)
		s.Problem = p.Detail
		s.close()
		return s
	}
	go s.read(e.t, bufio.NewScanner(resp.Body))
	return s
}

var streamClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10}}

// read parses the stream: fields up to a blank line make a message;
// lines starting with ':' are comments.
func (s *stream) read(t *testing.T, sc *bufio.Scanner) {
	defer close(s.events)
	var ev sseEvent
	var data string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data != "" {
				if err := json.Unmarshal([]byte(data), &ev.Data); err != nil {
					t.Errorf("event data %q: %v", data, err)
				}
				s.events <- ev
			}
			ev, data = sseEvent{}, ""
		case strings.HasPrefix(line, ":"):
			select {
			case s.comments <- line:
			default:
			}
		default:
			name, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch name {
			case "id":
				ev.ID = value
			case "event":
				ev.Event = value
			case "data":
				data += value
			}
		}
	}
}

// next returns the next n events, failing the test at the deadline.
func (s *stream) next(t *testing.T, n int, deadline time.Time) []sseEvent {
	t.Helper()
	var out []sseEvent
	for len(out) < n {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("the stream ended after %d of %d events", len(out), n)
			}
			out = append(out, ev)
		case <-time.After(time.Until(deadline)):
			t.Fatalf("%d of %d events by the deadline: %+v", len(out), n, out)
		}
	}
	return out
}

// eventsAfter returns the document's events after seq, as GET …/events
// lists them.
func (e *testEnv) eventsAfter(doc string, seq int64) []drafts.Event {
	e.t.Helper()
	var page struct {
		Items []drafts.Event `json:"items"`
	}
	e.mustJSON(http.StatusOK, &page, "GET", docPath(doc, fmt.Sprintf("/events?since=%d&limit=500", seq)), "chair", nil)
	return page.Items
}

func lastSeq(t *testing.T, e *testEnv, doc string) int64 {
	all := e.eventsAfter(doc, 0)
	return all[len(all)-1].Seq
}

// longStreams keeps streams open for the test's length.
func longStreams(_ *service.Service, srv *api.Server) { srv.StreamMaxAge = 0 }

// TestEventStreamAcrossReplicas: a client subscribed on replica B
// receives, in order and within 2 seconds, the events of a merge made on
// replica A, both on one MinIO bucket, B polling at the default interval.
func TestEventStreamAcrossReplicas(t *testing.T) {
	store := s3test.StartMinIO(t).MustOpen(t)
	a := newEnvWith(t, store, longStreams)
	b := newEnvWith(t, store, longStreams)
	a.forum()
	b.tokens = a.tokens
	doc, v1 := a.document("1. One.\n\n2. Two.\n\n3. Three.\n", "members")
	p1 := a.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Uno."))
	p2 := a.propose(doc, "IN", 1, replace(v1.Provisions[1].ID, "Dos."))
	s := b.openStream(doc, "KZ", "")
	if s.Status != http.StatusOK || !strings.HasPrefix(s.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %q %s", s.Status, s.Header.Get("Content-Type"), s.Problem)
	}
	before := lastSeq(t, a, doc)
	a.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{p1, p2}, "message": "Both."})
	merged := time.Now()
	want := a.eventsAfter(doc, before)
	got := s.next(t, len(want), merged.Add(2*time.Second))
	took := time.Since(merged)
	for i, ev := range got {
		w := want[i]
		if ev.ID != fmt.Sprint(w.Seq) || ev.Event != w.Action || ev.Data.Seq != w.Seq || ev.Data.Hash != w.Hash || ev.Data.Document != doc {
			t.Fatalf("event %d: id %s, event %s, data %+v; want %+v", i, ev.ID, ev.Event, ev.Data, w)
		}
	}
	if want[0].Action != "merge" {
		t.Fatalf("the merge's events: %+v", want)
	}
	t.Logf("%d events of a merge on A reached B's subscriber %s after the merge", len(got), took.Round(time.Millisecond))
}

// TestEventStreamResume: a client that reconnects with Last-Event-ID gets
// every event after it, none twice; with ?after too.
func TestEventStreamResume(t *testing.T) {
	e := newEnvWith(t, backends()["local"](t), func(svc *service.Service, srv *api.Server) {
		longStreams(svc, srv)
		svc.Live.Interval = 50 * time.Millisecond
	})
	e.forum()
	doc, v1 := e.document("1. One.\n\n2. Two.\n", "members")
	p := e.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Uno."))
	comment := func() {
		e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/proposals/", p, "/comments"), "IN", map[string]string{"text": "Agreed."})
	}
	s := e.openStream(doc, "KZ", "")
	comment()
	first := s.next(t, 1, time.Now().Add(5*time.Second))
	s.close() // the connection drops
	for i := 0; i < 3; i++ {
		comment()
	}
	s2 := e.openStream(doc, "KZ", "", "Last-Event-ID", first[0].ID)
	comment()
	var lastID int64
	fmt.Sscan(first[0].ID, &lastID)
	want := e.eventsAfter(doc, lastID)
	got := s2.next(t, len(want), time.Now().Add(5*time.Second))
	for i := range want {
		if got[i].ID != fmt.Sprint(want[i].Seq) {
			t.Fatalf("after reconnecting from %d: %v, want %+v", lastID, got, want)
		}
	}
	select {
	case ev := <-s2.events:
		t.Fatalf("an event more: %+v", ev)
	case <-time.After(300 * time.Millisecond):
	}
	// ?after= for a first connection; Last-Event-ID wins over it.
	s3 := e.openStream(doc, "KZ", "?after=1", "Last-Event-ID", fmt.Sprint(lastSeq(t, e, doc)-1))
	if got := s3.next(t, 1, time.Now().Add(5*time.Second)); got[0].ID != fmt.Sprint(lastSeq(t, e, doc)) {
		t.Fatalf("Last-Event-ID over ?after: %+v", got)
	}
	if s := e.openStream(doc, "KZ", "?after=-3"); s.Status != http.StatusBadRequest {
		t.Fatalf("?after=-3: %d", s.Status)
	}
}

// TestEventStreamVisibility: an observer never gets a members-only
// document's stream (404, as for the document), and gets an observers'
// one.
func TestEventStreamVisibility(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	members, _ := e.document("1. One.\n", "members")
	open, _ := e.document("1. One.\n", "observers")
	if s := e.openStream(members, "observer", ""); s.Status != http.StatusNotFound || !strings.HasPrefix(s.Problem, "no document") {
		t.Fatalf("observer, members-only: %d %q", s.Status, s.Problem)
	}
	if s := e.openStream(open, "observer", ""); s.Status != http.StatusOK {
		t.Fatalf("observer, observers' document: %d %q", s.Status, s.Problem)
	}
	req, _ := http.NewRequest("GET", e.client.BaseURL+docPath(members, "/events/stream"), nil)
	resp, err := streamClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without a token: %d", resp.StatusCode)
	}
}

// TestEventStreamBounds: past the streams a user may open, 503 with
// Retry-After; a heartbeat comment on a quiet stream.
func TestEventStreamBounds(t *testing.T) {
	e := newEnvWith(t, backends()["local"](t), func(svc *service.Service, srv *api.Server) {
		longStreams(svc, srv)
		svc.Live.MaxStreamsPerUser = 2
		srv.StreamHeartbeat = 50 * time.Millisecond
	})
	e.forum()
	doc, _ := e.document("1. One.\n", "members")
	first := e.openStream(doc, "KZ", "")
	e.openStream(doc, "KZ", "")
	third := e.openStream(doc, "KZ", "")
	if third.Status != http.StatusServiceUnavailable || third.Header.Get("Retry-After") == "" {
		t.Fatalf("a third stream: %d, Retry-After %q", third.Status, third.Header.Get("Retry-After"))
	}
	if s := e.openStream(doc, "IN", ""); s.Status != http.StatusOK {
		t.Fatalf("another user: %d", s.Status)
	}
	select {
	case c := <-first.comments:
		if c != ": heartbeat" {
			t.Fatalf("comment %q", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no heartbeat")
	}
	first.close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := e.openStream(doc, "KZ", "")
		if s.Status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after closing one: %d", s.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFocusLive: the chair sets the focus; subscribers get the event;
// others may not set it.
func TestFocusLive(t *testing.T) {
	e := newEnvWith(t, backends()["local"](t), func(svc *service.Service, srv *api.Server) {
		longStreams(svc, srv)
		svc.Live.Interval = 50 * time.Millisecond
	})
	e.forum()
	doc, v1 := e.document("1. One.\n\n2. Two.\n", "members")
	s := e.openStream(doc, "KZ", "")
	prov := v1.Provisions[1].ID
	e.mustJSON(http.StatusForbidden, nil, "PUT", docPath(doc, "/focus"), "KZ", map[string]any{"provision": prov})
	e.mustJSON(http.StatusUnprocessableEntity, nil, "PUT", docPath(doc, "/focus"), "chair", map[string]any{"provision": "nosuch"})
	var f drafts.Focus
	e.mustJSON(http.StatusOK, &f, "PUT", docPath(doc, "/focus"), "chair", map[string]any{"provision": prov})
	if f.Provision != prov || f.Number != "2" {
		t.Fatalf("focus %+v", f)
	}
	got := s.next(t, 1, time.Now().Add(5*time.Second))
	if got[0].Event != drafts.ActionFocusSet || got[0].Data.Ref != prov || got[0].Data.Detail != "2" {
		t.Fatalf("event %+v", got[0])
	}
	e.mustJSON(http.StatusOK, &f, "GET", docPath(doc, "/focus"), "KZ", nil)
	if f.Provision != prov {
		t.Fatalf("read back %+v", f)
	}
	e.mustJSON(http.StatusOK, &f, "PUT", docPath(doc, "/focus"), "chair", map[string]any{"provision": nil})
	if got := s.next(t, 1, time.Now().Add(5*time.Second)); got[0].Event != drafts.ActionFocusClear || f.Provision != "" {
		t.Fatalf("cleared: %+v, %+v", got[0], f)
	}
}

// TestStreamsEndWithTheServer: closing the server ends its streams at
// once, rather than waiting for them.
func TestStreamsEndWithTheServer(t *testing.T) {
	e := newEnvWith(t, backends()["local"](t), longStreams)
	e.forum()
	doc, _ := e.document("1. One.\n", "members")
	s := e.openStream(doc, "KZ", "")
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for range s.events {
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("closing took %s", d)
	}
}

// countingStore counts storage operations.
type countingStore struct {
	drafts.ObjectStore
	mu sync.Mutex
	n  int
}

func (c *countingStore) count() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *countingStore) take() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = 0
	return n
}

func (c *countingStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	c.count()
	return c.ObjectStore.Get(ctx, key)
}

func (c *countingStore) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	c.count()
	return c.ObjectStore.List(ctx, prefix, after, limit)
}

func (c *countingStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	c.count()
	return c.ObjectStore.Create(ctx, key, data)
}

func (c *countingStore) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	c.count()
	return c.ObjectStore.Update(ctx, key, data, ifMatch)
}

func (c *countingStore) Delete(ctx context.Context, key, ifMatch string) error {
	c.count()
	return c.ObjectStore.Delete(ctx, key, ifMatch)
}

// TestIdleStreamsCostNoMoreThanOne: 1,000 idle streams on one server cost
// no more storage operations per interval than one: the document is
// polled once per interval, whoever listens. The interval is driven by
// the test, so the count is of intervals, not of a wall clock.
func TestIdleStreamsCostNoMoreThanOne(t *testing.T) {
	store := &countingStore{ObjectStore: backends()["local"](t)}
	ticks := make(chan chan time.Time, 10)
	e := newEnvWith(t, store, func(svc *service.Service, srv *api.Server) {
		longStreams(svc, srv)
		svc.Live.MaxStreamsPerUser = 2000
		svc.Live.NewTicker = func(time.Duration) (<-chan time.Time, func()) {
			c := make(chan time.Time)
			ticks <- c
			return c, func() {}
		}
	})
	e.forum()
	doc, _ := e.document("1. One.\n", "members")
	e.openStream(doc, "KZ", "")
	tick := <-ticks
	// Each send returns once the watcher has taken the tick, so once the
	// poll before it is over: n+1 sends cover n whole polls, and the
	// count may hold the start of one more.
	const n = 40
	measure := func() int {
		tick <- time.Now() // the poll of this tick may have begun before the count starts
		store.take()
		for i := 0; i < n; i++ {
			tick <- time.Now()
		}
		return store.take()
	}
	one := measure()
	for i := 0; i < 999; i++ {
		if s := e.openStream(doc, "KZ", ""); s.Status != http.StatusOK {
			t.Fatalf("stream %d: %d", i+2, s.Status)
		}
	}
	thousand := measure()
	t.Logf("%d intervals: %d storage operations with 1 stream, %d with 1,000", n, one, thousand)
	if one < n-1 || one > n+1 || thousand < n-1 || thousand > n+1 {
		t.Fatalf("%d intervals cost %d operations with one stream and %d with 1,000; want one per interval", n, one, thousand)
	}
}
