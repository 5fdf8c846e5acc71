package service_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/storage"
)

// splitStore is a store whose process dies while a merge has writes of
// some kinds in flight side by side: each write of those kinds waits
// until every one of them (want, by kind) has started, then those of kind
// lands are written and the others are not; every operation after fails,
// as nothing more of a dead process reaches the storage. If they never
// are all in flight together (the merge makes them one after the other),
// each waits at most a few seconds and sideBySide stays false.
type splitStore struct {
	drafts.ObjectStore
	kind  func(key string, data []byte, create bool) string
	want  map[string]int
	lands string

	mu         sync.Mutex
	arrived    int
	all        chan struct{}
	sideBySide bool
	dead       bool
}

func (c *splitStore) write(kind string, f func() (string, error)) (string, error) {
	c.mu.Lock()
	dead := c.dead
	waits := !dead && c.want[kind] > 0
	if waits {
		if c.arrived++; c.arrived == total(c.want) {
			c.sideBySide = true
			close(c.all)
		}
	}
	c.mu.Unlock()
	switch {
	case dead:
		return "", errDied
	case !waits:
		return f()
	}
	select {
	case <-c.all:
	case <-time.After(5 * time.Second): // only when they are not side by side: the test fails
	}
	c.mu.Lock()
	c.dead = true
	c.mu.Unlock()
	if kind == c.lands {
		return f()
	}
	return "", errDied
}

func (c *splitStore) isDead() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dead
}

func (c *splitStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	return c.write(c.kind(key, data, true), func() (string, error) { return c.ObjectStore.Create(ctx, key, data) })
}

func (c *splitStore) Update(ctx context.Context, key string, data []byte, etag string) (string, error) {
	return c.write(c.kind(key, data, false), func() (string, error) { return c.ObjectStore.Update(ctx, key, data, etag) })
}

func (c *splitStore) Delete(ctx context.Context, key, etag string) error {
	_, err := c.write("", func() (string, error) { return "", c.ObjectStore.Delete(ctx, key, etag) })
	return err
}

func (c *splitStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	if c.isDead() {
		return nil, errDied
	}
	return c.ObjectStore.Get(ctx, key)
}

func (c *splitStore) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	if c.isDead() {
		return nil, "", errDied
	}
	return c.ObjectStore.List(ctx, prefix, after, limit)
}

// TestMergeDiesBetweenSideBySideWrites: a merge writes some of its writes
// side by side (after the version, its commit point): the settlements of
// the proposals it merged with the version's summary, and, once every
// proposal is settled, the move of the document's head with the events.
// The process dies with both in flight, one landing and not the other.
// The merge is not acknowledged; after a restart (completion at start,
// then the next reader of the document) the head is on the new version,
// its summary is listed, every proposal is settled, and the trail has one
// event per change.
func TestMergeDiesBetweenSideBySideWrites(t *testing.T) {
	type writes struct {
		want map[string]int
		kind func(doc string) func(key string, data []byte, create bool) string
	}
	headAndEvents := writes{map[string]int{"head": 1, "events": 1}, func(doc string) func(string, []byte, bool) string {
		return func(key string, data []byte, create bool) string {
			switch {
			case !create && key == "documents/"+doc+".json" && bytes.Contains(data, []byte(`"head":2`)):
				return "head"
			case create && strings.HasPrefix(key, "texts/"+doc+"/events/"):
				return "events"
			}
			return ""
		}
	}}
	// The merge of three proposals settles three.
	settlementsAndSummary := writes{map[string]int{"settlement": 3, "summary": 1}, func(doc string) func(string, []byte, bool) string {
		return func(key string, data []byte, create bool) string {
			switch {
			case !create && strings.HasPrefix(key, "texts/"+doc+"/proposals/"):
				return "settlement"
			case create && strings.HasPrefix(key, "texts/"+doc+"/summaries/"):
				return "summary"
			}
			return ""
		}
	}}
	for _, c := range []struct {
		name   string
		writes writes
		lands  string
	}{
		{"events land, head does not move", headAndEvents, "events"},
		{"head moves, events lost", headAndEvents, "head"},
		{"settlements land, summary lost", settlementsAndSummary, "settlement"},
		{"summary lands, settlements lost", settlementsAndSummary, "summary"},
	} {
		t.Run(c.name, func(t *testing.T) {
			local, err := storage.OpenLocal(memDir(t))
			if err != nil {
				t.Fatal(err)
			}
			defer local.Close()
			w := crashSetup(t, local)
			split := &splitStore{ObjectStore: local, kind: c.writes.kind(w.doc), want: c.writes.want, lands: c.lands, all: make(chan struct{})}
			w.svc = newCrashService(split, w.clock)
			_, err = w.svc.Merge(w.chair, w.doc, drafts.MergeInput{Base: 1, Proposals: w.proposals[:3]})
			w.svc.Drain()
			if !split.sideBySide {
				t.Fatalf("the writes %v were not in flight together", c.writes.want)
			}
			if err == nil {
				t.Fatal("the merge was acknowledged though its process died before it was over")
			}
			restarted := newCrashService(local, w.clock)
			if _, err := restarted.CompleteAllEvents(context.Background()); err != nil {
				t.Fatalf("completing: %v", err)
			}
			verifyAll(t, local, w, "after the restart")
			d, err := restarted.GetDocument(w.kz, w.doc)
			if err != nil || d.Head != 2 {
				t.Fatalf("document after the restart: %+v, %v; want head 2", d, err)
			}
			verifyAll(t, local, w, "after the next reader")
			vs, err := restarted.ListVersions(w.kz, w.doc, drafts.ListOptions{})
			if err != nil || len(vs.Items) != 2 {
				t.Fatalf("versions listed: %+v, %v; want 2", vs, err)
			}
			for i, want := range []string{drafts.ProposalAccepted, drafts.ProposalAccepted, drafts.ProposalAccepted, drafts.ProposalObsolete} {
				p, err := restarted.GetProposal(w.kz, w.doc, w.proposals[i])
				if err != nil || p.Status != want {
					t.Errorf("proposal %d: %+v, %v; want %s", i, p, err, want)
				}
			}
		})
	}
}
