package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chancery/api"
	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
)

// eventsDown is a real store whose event writes fail while down is set, as
// they do when the storage goes away between a change and its event.
type eventsDown struct {
	drafts.ObjectStore
	down atomic.Bool
}

func (s *eventsDown) Create(ctx context.Context, key string, data []byte) (string, error) {
	if s.down.Load() && strings.Contains(key, "/events") {
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "storage unreachable")
	}
	return s.ObjectStore.Create(ctx, key, data)
}

func (s *eventsDown) Update(ctx context.Context, key string, data []byte, etag string) (string, error) {
	if s.down.Load() && strings.Contains(key, "/events") {
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "storage unreachable")
	}
	return s.ObjectStore.Update(ctx, key, data, etag)
}

// startOn starts a server with its own service over store (a replica, or
// the process after a restart).
func startOn(t *testing.T, store drafts.ObjectStore, tokens map[string]string) *testEnv {
	t.Helper()
	enforcer, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(store, diffing.New(), enforcer)
	svc.Renderer = render.New()
	svc.SilenceMin = 200 * time.Millisecond
	if _, err := svc.Bootstrap(t.Context(), bootstrapToken); err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(svc, enforcer, svc.Renderer, nil)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return &testEnv{t: t, store: store, svc: svc, srv: srv, tokens: tokens, client: newClient(t, srv)}
}

// verification asks the API to verify a document's trail.
func (e *testEnv) verification(doc string) drafts.Verification {
	e.t.Helper()
	var v drafts.Verification
	e.mustJSON(http.StatusOK, &v, "GET", docPath(doc, "/events/verify"), "KZ", nil)
	return v
}

// TestNoChangeWithoutItsEvent: a change whose event cannot be written
// (the storage goes away between the two) is stored but not acknowledged:
// the request answers 503, saying so, and verification names the change;
// the event is written by the retry of the same process or, if the
// process died, from the stored change by the next one; each change has
// its event once.
func TestNoChangeWithoutItsEvent(t *testing.T) {
	for _, crash := range []bool{false, true} {
		name := "retried"
		if crash {
			name = "completed after a crash"
		}
		t.Run(name, func(t *testing.T) {
			store := &eventsDown{ObjectStore: backends()["local"](t)}
			e := startOn(t, store, map[string]string{"secretariat": bootstrapToken})
			e.forum()
			doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
			p := e.propose(doc, "KZ", 1, replace(v1.Provisions[1].ID, "New words."))
			if v := e.verification(doc); !v.OK {
				t.Fatalf("fresh trail: %+v", v)
			}

			store.down.Store(true)
			owed := func(method, path, who string, body any) {
				t.Helper()
				res := e.do(method, path, who, body)
				if res.Status != http.StatusServiceUnavailable || !strings.Contains(string(res.Body), "the change was saved") {
					t.Fatalf("%s %s: %d %s, want 503 saying the change was saved", method, path, res.Status, res.Body)
				}
			}
			owed("POST", docPath(doc, "/proposals/", p, "/comments"), "IN", map[string]string{"text": "Noted."})
			owed("PUT", docPath(doc, "/versions/1/provisions/", v1.Provisions[2].ID, "/status"), "chair", map[string]string{"status": "agreed"})
			owed("POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{p}})
			owed("POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "consensus"})
			store.down.Store(false)
			if got := e.svc.PendingEvents(); got != 1 {
				t.Fatalf("%d trails owe events, want the document's", got)
			}
			var r drafts.AdoptionRound
			e.mustJSON(http.StatusOK, &r, "GET", docPath(doc, "/adoption"), "KZ", nil)
			// The comment, the status, the version and the proposal's
			// acceptance by it, the round.
			changes := []string{"proposal/" + p + "/2", "status/1/1", "version/2", "proposal/" + p + "/3", "round/" + r.ID}
			v := e.verification(doc)
			slices.Sort(changes)
			got := slices.Clone(v.Unrecorded)
			slices.Sort(got)
			if v.OK || !slices.Equal(got, changes) {
				t.Fatalf("verification %+v, want it to name %v", v, changes)
			}

			if crash {
				// The process dies owing events; the next one writes them
				// from the stored changes.
				e.srv.Close(t.Context())
				e = startOn(t, store, e.tokens)
				n, err := e.svc.CompleteAllEvents(t.Context())
				if err != nil || n != len(changes) {
					t.Fatalf("completed %d events (%v), want %d", n, err, len(changes))
				}
			} else if err := e.svc.RetryEvents(t.Context()); err != nil {
				t.Fatal(err)
			}
			if v := e.verification(doc); !v.OK {
				t.Fatalf("after the events were written: %+v", v)
			}
			// Running both again writes nothing twice.
			if err := e.svc.RetryEvents(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n, err := e.svc.CompleteAllEvents(t.Context()); err != nil || n != 0 {
				t.Fatalf("a second completion wrote %d (%v)", n, err)
			}
			count := map[string]int{}
			for _, ev := range e.events(doc, "") {
				if ev.Change != "" {
					count[ev.Change]++
				}
			}
			for _, c := range changes {
				if count[c] != 1 {
					t.Errorf("change %s has %d events", c, count[c])
				}
			}
		})
	}
}

// TestVerificationNamesADeletedEvent: removing a change's event from
// storage fails verification, naming the event's place in the chain and
// the change it recorded.
func TestVerificationNamesADeletedEvent(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, e.propose(doc, "KZ", 1, replace(v1.Provisions[i+1].ID, "Text "+itoa(i))))
	}
	var victim drafts.Event
	for _, ev := range e.events(doc, "") {
		if ev.Change == "proposal/"+ids[1] {
			victim = ev
		}
	}
	if victim.Seq == 0 {
		t.Fatal("the proposal has no event")
	}
	if err := e.store.Delete(t.Context(), "texts/"+doc+"/events/"+pad(int(victim.Seq))+".json", ""); err != nil {
		t.Fatal(err)
	}
	v := e.verification(doc)
	if v.OK || v.FirstBad == nil || *v.FirstBad != victim.Seq || !strings.Contains(v.Problem, itoa(int(victim.Seq))) {
		t.Fatalf("verification %+v, want it to name event %d", v, victim.Seq)
	}
	if !slices.Equal(v.Unrecorded, []string{"proposal/" + ids[1]}) {
		t.Fatalf("unrecorded %v, want the proposal whose event was deleted", v.Unrecorded)
	}
}
