package service_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// gatedReads holds the first listing (list set) or read of keys
// containing part until released, and counts them.
type gatedReads struct {
	drafts.ObjectStore
	part     string
	list     bool
	once     sync.Once
	lists    atomic.Int64
	began    chan struct{}
	released chan struct{}
}

func newGatedReads(st drafts.ObjectStore, part string, list bool) *gatedReads {
	return &gatedReads{ObjectStore: st, part: part, list: list, began: make(chan struct{}), released: make(chan struct{})}
}

// reset counts again from zero, and holds the next first read.
func (g *gatedReads) reset() {
	g.once = sync.Once{}
	g.lists.Store(0)
	g.began, g.released = make(chan struct{}), make(chan struct{})
}

func (g *gatedReads) gate(key string, list bool) {
	if list != g.list || !strings.Contains(key, g.part) {
		return
	}
	g.lists.Add(1)
	first := false
	g.once.Do(func() { first = true })
	if first {
		close(g.began)
		<-g.released
	}
}

func (g *gatedReads) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	g.gate(prefix, true)
	return g.ObjectStore.List(ctx, prefix, after, limit)
}

func (g *gatedReads) Get(ctx context.Context, key string) (*drafts.Object, error) {
	g.gate(key, false)
	return g.ObjectStore.Get(ctx, key)
}

// roomReads has readers of svc call read at once while the first read of
// gate's part is held, releases it once the others wait for the next
// read (or, were they not sharing, have read on their own), and returns
// how many reads of the part there were.
func roomReads(t *testing.T, svc *service.Service, gate *gatedReads, readers int, read func() error) int64 {
	t.Helper()
	errs := make(chan error, readers)
	go func() { errs <- read() }()
	<-gate.began
	for range readers - 1 {
		go func() { errs <- read() }()
	}
	for service.FreshWaiting(svc, gate.part) < readers-1 && gate.lists.Load() < int64(readers) {
		runtime.Gosched()
	}
	close(gate.released)
	for range readers {
		if err := <-errs; err != nil {
			t.Fatalf("a reader: %v", err)
		}
	}
	return gate.lists.Load()
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
	gate := newGatedReads(local, "/events/", true)
	f.svc = service.New(gate, diffing.New(), MustPolicy(t))
	var mu sync.Mutex
	counts := map[int]int{}
	n := roomReads(t, f.svc, gate, 20, func() error {
		page, err := f.svc.ListEvents(f.kz, f.doc, drafts.ListOptions{})
		if err == nil {
			mu.Lock()
			counts[len(page.Items)]++
			mu.Unlock()
		}
		return err
	})
	if len(counts) != 1 || counts[0] != 0 {
		t.Errorf("readers read different numbers of events, or none: %v", counts)
	}
	if n != 2 {
		t.Errorf("%d listings of the trail for 20 readers at once, want 2", n)
	}
}

// TestReadersOfTheFocusShareOneRead: every open page of the document
// shows the provision under discussion; the room's pages share one read
// of it after the one under way.
func TestReadersOfTheFocusShareOneRead(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n")
	v, err := f.svc.GetVersion(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetFocus(f.chair, f.doc, v.Provisions[1].ID); err != nil {
		t.Fatal(err)
	}
	gate := newGatedReads(local, "focus.json", false)
	f.svc = service.New(gate, diffing.New(), MustPolicy(t))
	n := roomReads(t, f.svc, gate, 20, func() error {
		got, err := f.svc.GetFocus(f.kz, f.doc)
		if err == nil && got.Provision != v.Provisions[1].ID {
			return fmt.Errorf("focus on %q, want %q", got.Provision, v.Provisions[1].ID)
		}
		return err
	})
	if n != 2 {
		t.Errorf("%d reads of the focus for 20 readers at once, want 2", n)
	}
}
