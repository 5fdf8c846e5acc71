package service_test

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// gatedLists holds the first listing of a trail's events until released,
// and counts the listings of events.
type gatedLists struct {
	drafts.ObjectStore
	once     sync.Once
	lists    atomic.Int64
	began    chan struct{}
	released chan struct{}
}

func (g *gatedLists) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	if strings.Contains(prefix, "/events/") {
		g.lists.Add(1)
		first := false
		g.once.Do(func() { first = true })
		if first {
			close(g.began)
			<-g.released
		}
	}
	return g.ObjectStore.List(ctx, prefix, after, limit)
}

// TestReadersOfTheTrailShareOneListing: the room asking at once what
// happened since each one's last visit makes one listing of the trail
// after the one under way, not one each.
func TestReadersOfTheTrailShareOneListing(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n")
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, "1. One.\n\n2. Two, again.\n", "m"); err != nil {
		t.Fatal(err)
	}
	gate := &gatedLists{ObjectStore: local, began: make(chan struct{}), released: make(chan struct{})}
	f.svc = service.New(gate, diffing.New(), MustPolicy(t))
	const readers = 20
	errs := make(chan error, readers)
	counts := make(chan int, readers)
	read := func() {
		page, err := f.svc.ListEvents(f.kz, f.doc, drafts.ListOptions{})
		if err == nil {
			counts <- len(page.Items)
		}
		errs <- err
	}
	go read()
	<-gate.began
	for range readers - 1 {
		go read()
	}
	// The others wait for the next listing, or (were they not sharing)
	// list on their own past the one held.
	for service.FreshWaiting(f.svc, "/events/") < readers-1 && gate.lists.Load() < readers {
		runtime.Gosched()
	}
	close(gate.released)
	for range readers {
		if err := <-errs; err != nil {
			t.Fatalf("a reader: %v", err)
		}
	}
	want := <-counts
	for range readers - 1 {
		if n := <-counts; n != want || n == 0 {
			t.Errorf("a reader read %d events, another %d", n, want)
		}
	}
	if n := gate.lists.Load(); n != 2 {
		t.Errorf("%d listings of the trail for %d readers at once, want 2", n, readers)
	}
}
