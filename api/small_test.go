package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chancery/drafts"
)

// settableClock is a clock a test moves; safe for the server's goroutines.
type settableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settableClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *settableClock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// events lists a document's trail (one page of up to 500).
func (e *testEnv) events(doc, query string) []drafts.Event {
	e.t.Helper()
	var page struct {
		Items []drafts.Event `json:"items"`
	}
	e.mustJSON(http.StatusOK, &page, "GET", docPath(doc, "/events?limit=500"+query), "KZ", nil)
	return page.Items
}

// actions returns the actions of events.
func actions(events []drafts.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.Action
	}
	return out
}

// TestCanonicalVersionNumbers: only the plain decimal form names a version.
func TestCanonicalVersionNumbers(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	prop := e.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Changed."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop}})
	for _, path := range []string{
		"/versions/01", "/versions/+1", "/versions/1.0", "/versions/0x1", "/versions/%201", "/versions/-1",
		"/versions/02/diff", "/versions/2/diff?against=01", "/versions/2/diff?against=%2B1",
		"/versions/01/pdf", "/compilation?version=01",
	} {
		t.Run(path, func(t *testing.T) {
			r := e.do("GET", docPath(doc, path), "KZ", nil)
			r.MustStatus(http.StatusNotFound)
			problemOf(t, r.Status, r.Header, r.Body)
		})
	}
	e.mustJSON(http.StatusOK, nil, "GET", docPath(doc, "/versions/1"), "KZ", nil)
	e.mustJSON(http.StatusOK, nil, "GET", docPath(doc, "/versions/2/diff?against=1"), "KZ", nil)
}

// TestSilenceDeadlineMaximum: a silence procedure may not run past the
// configured maximum (90 days by default).
func TestSilenceDeadlineMaximum(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	if got, want := e.svc.SilenceMax, 90*24*time.Hour; got != want {
		t.Fatalf("default maximum %s, want %s", got, want)
	}
	r := e.do("POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": time.Now().Add(91 * 24 * time.Hour).UTC()})
	r.MustStatus(http.StatusUnprocessableEntity)
	if p := problemOf(t, r.Status, r.Header, r.Body); len(p.fields()) != 1 || p.fields()[0] != "deadline" {
		t.Fatalf("problem %+v does not name the deadline", p)
	}
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": time.Now().Add(89 * 24 * time.Hour).UTC()})
}

// TestSupersededStatusesAreFixed: once a newer version exists, the
// statuses of the older one are a record and cannot change.
func TestSupersededStatusesAreFixed(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p := v1.Provisions[1].ID
	e.mustJSON(http.StatusOK, nil, "PUT", docPath(doc, "/versions/1/provisions/", p, "/status"), "chair", map[string]string{"status": "bracketed"})
	prop := e.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Changed."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop}})

	r := e.do("PUT", docPath(doc, "/versions/1/provisions/", p, "/status"), "chair", map[string]string{"status": "agreed"})
	r.MustStatus(http.StatusConflict)
	problemOf(t, r.Status, r.Header, r.Body)
	var v version
	e.mustJSON(http.StatusOK, &v, "GET", docPath(doc, "/versions/1"), "KZ", nil)
	if got := v.provision(t, v1.Provisions[1].Text).Status; got != "bracketed" {
		t.Fatalf("status of the superseded version became %q", got)
	}
	e.mustJSON(http.StatusOK, nil, "PUT", docPath(doc, "/versions/2/provisions/", p, "/status"), "chair", map[string]string{"status": "agreed"})
}

// TestProposalThatChangesNothing is refused, whichever way it is written.
func TestProposalThatChangesNothing(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p0, p1, p2 := v1.Provisions[0], v1.Provisions[1], v1.Provisions[2]
	for name, ops := range map[string][]map[string]string{
		"the same words":            {replace(p1.ID, p1.Text)},
		"a move to where it is":     {{"op": "move", "provision": p2.ID, "after": p1.ID}},
		"a change and its undoing":  {replace(p0.ID, "Other words."), replace(p0.ID, p0.Text)},
		"the same words, two paras": {replace(p1.ID, p1.Text), replace(p2.ID, p2.Text)},
	} {
		t.Run(name, func(t *testing.T) {
			r := e.do("POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "justification": "x", "operations": ops})
			r.MustStatus(http.StatusUnprocessableEntity)
			if p := problemOf(t, r.Status, r.Header, r.Body); len(p.fields()) != 1 || p.fields()[0] != "operations" {
				t.Fatalf("problem %+v", p)
			}
		})
	}
	// Editing an open proposal into a no-op is refused too.
	prop := e.propose(doc, "KZ", 1, replace(p1.ID, "New words."))
	e.do("PUT", docPath(doc, "/proposals/", prop), "KZ", map[string]any{"base": 1, "operations": []map[string]string{replace(p1.ID, p1.Text)}}).MustStatus(http.StatusUnprocessableEntity)
}

// TestFieldGivenTwice: a body that gives a field twice, at any depth, is
// a 422 naming it, not the last value taken quietly.
func TestFieldGivenTwice(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document("1. One.\n\n2. Two.\n", "members")
	p := v1.Provisions[0].ID
	for body, field := range map[string]string{
		`{"base": 1, "text": "1. Uno.\n\n2. Two.\n", "text": "1. One.\n\n2. Dos.\n"}`:                               "text",
		`{"base": 1, "operations": [{"op": "replace", "provision": "` + p + `", "text": "Uno.", "text": "Eins."}]}`: "operations[0].text",
		`{"base": 1, "justification": "a", "operations": [], "justific\u0061tion": "b"}`:                            "justification",
	} {
		r := e.do("POST", docPath(doc, "/proposals"), "KZ", body).MustStatus(http.StatusUnprocessableEntity)
		if pr := problemOf(t, r.Status, r.Header, r.Body); len(pr.fields()) != 1 || pr.fields()[0] != field || !strings.Contains(pr.Detail, "given twice") {
			t.Errorf("%s: problem %+v, want %q named as given twice", body, pr, field)
		}
	}
}

// TestObjectionEventsInOrder: breaking silence records the objection, then
// the failure it caused; an objection after the deadline is refused with no
// event.
func TestObjectionEventsInOrder(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	clock := &settableClock{now: time.Now().UTC()}
	e.svc.Clock = clock.Now
	e.forum()
	doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": clock.Now().Add(7 * 24 * time.Hour)})
	e.mustJSON(http.StatusOK, nil, "POST", docPath(doc, "/adoption/objection"), "TR", map[string]string{"reason": "We break silence."})
	got := actions(e.events(doc, ""))
	if n := len(got); n < 2 || got[n-2] != "adoption.objection" || got[n-1] != "adoption.failed" {
		t.Fatalf("events end %v, want adoption.objection then adoption.failed", got)
	}

	// A second round; its deadline passes; the late objection gets no 200
	// and leaves no event.
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": clock.Now().Add(7 * 24 * time.Hour)})
	clock.Add(7*24*time.Hour + time.Second)
	before := len(e.events(doc, ""))
	e.do("POST", docPath(doc, "/adoption/objection"), "TR", map[string]string{"reason": "Too late."}).MustStatus(http.StatusConflict)
	var r drafts.AdoptionRound
	e.mustJSON(http.StatusOK, &r, "GET", docPath(doc, "/adoption"), "KZ", nil)
	if r.State != "adopted" || len(r.Objections) != 0 {
		t.Fatalf("round %s with objections %v, want adopted without", r.State, r.Objections)
	}
	for _, ev := range e.events(doc, "")[before:] {
		if ev.Action == "adoption.objection" {
			t.Fatalf("the refused objection has an event: %+v", ev)
		}
	}
}

// TestEventsSince: ?since= takes a sequence number or a time and returns
// only what came after.
func TestEventsSince(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	clock := &settableClock{now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	e.svc.Clock = clock.Now
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	var marks []time.Time
	for i := 0; i < 6; i++ {
		clock.Add(time.Minute)
		marks = append(marks, clock.Now())
		e.propose(doc, "KZ", 1, replace(v1.Provisions[i].ID, "Changed "+itoa(i)+"."))
	}
	all := e.events(doc, "")
	if len(all) < 7 {
		t.Fatalf("%d events", len(all))
	}
	t.Run("sequence", func(t *testing.T) {
		for _, seq := range []int64{0, 1, 3, all[len(all)-1].Seq} {
			got := e.events(doc, "&since="+itoa(int(seq)))
			if want := len(all) - int(seq); len(got) != want || (want > 0 && got[0].Seq != seq+1) {
				t.Errorf("since=%d: %d events from %v, want %d from %d", seq, len(got), got, want, seq+1)
			}
		}
	})
	t.Run("time", func(t *testing.T) {
		for i, m := range marks {
			got := e.events(doc, "&since="+url.QueryEscape(m.Format(time.RFC3339Nano)))
			if want := len(marks) - 1 - i; len(got) != want {
				t.Errorf("since %s: %d events, want %d", m, len(got), want)
			}
			for _, ev := range got {
				if !ev.At.After(m) {
					t.Errorf("since %s: event %d at %s", m, ev.Seq, ev.At)
				}
			}
		}
		zone := marks[2].In(time.FixedZone("", -5*3600)).Format(time.RFC3339)
		if got := e.events(doc, "&since="+url.QueryEscape(zone)); len(got) != 3 {
			t.Errorf("since %s: %d events, want 3", zone, len(got))
		}
		if got := e.events(doc, "&since=2000-01-01T00:00:00Z"); len(got) != len(all) {
			t.Errorf("since 2000: %d events, want %d", len(got), len(all))
		}
	})
	t.Run("malformed", func(t *testing.T) {
		for _, bad := range []string{"yesterday", "01", "-1", "2026-11-30", "1e3"} {
			r := e.do("GET", docPath(doc, "/events?since="+url.QueryEscape(bad)), "KZ", nil)
			r.MustStatus(http.StatusUnprocessableEntity)
			if p := problemOf(t, r.Status, r.Header, r.Body); len(p.fields()) != 1 || p.fields()[0] != "since" {
				t.Errorf("since=%s: problem %+v", bad, p)
			}
		}
	})
}

// listCounter is a real store that counts its listings.
type listCounter struct {
	drafts.ObjectStore
	lists atomic.Int64
}

func (s *listCounter) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	s.lists.Add(1)
	return s.ObjectStore.List(ctx, prefix, after, limit)
}

// TestFilteredListCost: a filtered page costs listings in proportion to
// the proposals read, not one listing per proposal, and paging through a
// filter gives each match once.
func TestFilteredListCost(t *testing.T) {
	store := &listCounter{ObjectStore: backends()["local"](t)}
	e := startOn(t, store, map[string]string{"secretariat": bootstrapToken})
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	var withdrawn []string
	for i := 0; i < 60; i++ {
		p := e.propose(doc, "KZ", 1, replace(v1.Provisions[i%10].ID, "Text "+itoa(i)+"."))
		if i%20 == 7 {
			e.mustJSON(http.StatusOK, nil, "POST", docPath(doc, "/proposals/", p, "/withdraw"), "KZ", nil)
			withdrawn = append(withdrawn, p)
		}
	}
	var got []string
	cursor := ""
	before := store.lists.Load()
	for pages := 0; ; pages++ {
		var page struct {
			Items      []drafts.Proposal `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		e.mustJSON(http.StatusOK, &page, "GET", docPath(doc, "/proposals?status=withdrawn&limit=1&cursor="+cursor), "IN", nil)
		for _, p := range page.Items {
			got = append(got, p.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
		if strings.Contains(cursor, ".json") || strings.Contains(cursor, "/") {
			t.Fatalf("next_cursor %q shows a storage key", cursor)
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	lists := store.lists.Load() - before
	slices.Sort(got)
	slices.Sort(withdrawn)
	if !slices.Equal(got, withdrawn) {
		t.Fatalf("paged %v, want %v", got, withdrawn)
	}
	// Each request lists at most twice (its batch, and its document's
	// checks), whatever the number of proposals it reads.
	if max := int64(2 * (len(withdrawn) + 1)); lists > max {
		t.Fatalf("%d listings for %d pages", lists, len(withdrawn)+1)
	}
	t.Logf("%d listings for %d pages over 60 proposals", lists, len(withdrawn)+1)
}
