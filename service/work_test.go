package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/render"
	"chancery/service"
)

// keyReads counts the reads of the objects whose keys hold part.
type keyReads struct {
	drafts.ObjectStore
	part string
	mu   sync.Mutex
	n    int
}

func (k *keyReads) Get(ctx context.Context, key string) (*drafts.Object, error) {
	if strings.Contains(key, k.part) {
		k.mu.Lock()
		k.n++
		k.mu.Unlock()
	}
	return k.ObjectStore.Get(ctx, key)
}

// count is the reads so far.
func (k *keyReads) count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.n
}

// take is the reads since the last take.
func (k *keyReads) take() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := k.n
	k.n = 0
	return n
}

// TestHeavyPathsWaitBeforeLoading: with the one slot of the work limit
// taken and no queue, every heavy path (prints, diffs, the compilation, a
// whole text to align) is refused with EUNAVAILABLE before it reads a
// version: what a request holds in memory waits for its slot. Work inside
// a slot takes no second one.
func TestHeavyPathsWaitBeforeLoading(t *testing.T) {
	store := &keyReads{ObjectStore: MustOpenLocal(t), part: "/versions/"}
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	f.svc = service.New(store, diffing.New(), MustPolicy(t))
	f.svc.Renderer = render.New()
	f.svc.WorkSlots, f.svc.WorkQueue, f.svc.WorkWait = 1, -1, time.Second
	f.svc.CacheBytes = -1 // every load a read
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, "1. One.\n\n2. Two, again.\n", "m"); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 2, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[0].ID, Text: "Uno."}}})
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]func() error{
		"VersionPDF":   func() error { _, err := f.svc.VersionPDF(f.kz, f.doc, 2, 0); return err },
		"changes PDF":  func() error { _, err := f.svc.VersionPDF(f.kz, f.doc, 2, 1); return err },
		"VersionDiff":  func() error { _, _, _, err := f.svc.VersionDiff(f.kz, f.doc, 2, 1); return err },
		"ProposalDiff": func() error { _, err := f.svc.ProposalDiff(f.kz, f.doc, p.ID, "base"); return err },
		"Compile":      func() error { _, _, err := f.svc.Compile(f.kz, f.doc, 0); return err },
		"compilation PDF": func() error {
			_, err := f.svc.CompilationPDF(f.kz, f.doc, 0)
			return err
		},
		"CompilationHTML": func() error { _, err := f.svc.CompilationHTML(f.kz, f.doc, 0); return err },
		"proposal of a whole text": func() error {
			_, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 2, Text: "1. Uno.\n\n2. Two, again.\n"})
			return err
		},
		"PreviewProposal": func() error {
			_, err := f.svc.PreviewProposal(f.kz, f.doc, drafts.ProposalInput{Base: 2, Text: "1. Uno.\n\n2. Two, again.\n"})
			return err
		},
		"version of a whole text": func() error {
			_, err := f.svc.CreateVersion(f.chair, f.doc, 2, "1. One.\n\n2. Two, thrice.\n", "m")
			return err
		},
	}
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		f.svc.Work(context.Background(), func(context.Context) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	for name, call := range paths {
		before := store.count()
		if err := call(); !drafts.IsCode(err, drafts.EUNAVAILABLE) {
			t.Errorf("%s with the slot taken: %v, want EUNAVAILABLE", name, err)
		}
		if n := store.count() - before; n > 0 {
			t.Errorf("%s read %d versions before its slot", name, n)
		}
	}
	close(release)
	<-done
	for name, call := range paths {
		if err := call(); err != nil {
			t.Errorf("%s with the slot free: %v", name, err)
		}
	}
	// Heavy work inside Work takes the same slot, not a second one.
	err = f.svc.Work(f.kz, func(ctx context.Context) error {
		if _, err := f.svc.CompilationPDF(ctx, f.doc, 1); err != nil {
			return err
		}
		_, err := f.svc.VersionPDF(ctx, f.doc, 1, 0)
		return err
	})
	if err != nil {
		t.Fatalf("prints inside Work: %v", err)
	}
}

// gatedVersions holds the first read of a version until released, and
// says when it began.
type gatedVersions struct {
	drafts.ObjectStore
	once     sync.Once
	began    chan struct{}
	released chan struct{}
}

func (g *gatedVersions) Get(ctx context.Context, key string) (*drafts.Object, error) {
	if strings.Contains(key, "/versions/") {
		first := false
		g.once.Do(func() { first = true })
		if first {
			close(g.began)
			<-g.released
		}
	}
	return g.ObjectStore.Get(ctx, key)
}

// TestTheRoomSharesOneSlot: the room asking at once for the diff and the
// compilation of a version not yet in memory takes one slot of the work
// limit for each, not one per reader: with one slot and no queue, every
// reader is answered, none turned away as busy.
func TestTheRoomSharesOneSlot(t *testing.T) {
	for name, read := range map[string]func(f *fixture) error{
		"VersionDiff": func(f *fixture) error { _, _, _, err := f.svc.VersionDiff(f.kz, f.doc, 2, 1); return err },
		"Compile":     func(f *fixture) error { _, _, err := f.svc.Compile(f.kz, f.doc, 2); return err },
	} {
		t.Run(name, func(t *testing.T) {
			local := MustOpenLocal(t)
			f := MustFixture(t, local, "1. One.\n\n2. Two.\n")
			if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, "1. One.\n\n2. Two, again.\n", "m"); err != nil {
				t.Fatal(err)
			}
			gate := &gatedVersions{ObjectStore: local, began: make(chan struct{}), released: make(chan struct{})}
			f.svc = service.New(gate, diffing.New(), MustPolicy(t)) // a new replica: nothing in memory
			f.svc.WorkSlots, f.svc.WorkQueue, f.svc.WorkWait = 1, -1, time.Second
			const readers = 12
			errs := make(chan error, readers)
			for range readers {
				go func() { errs <- read(f) }()
			}
			<-gate.began
			time.Sleep(50 * time.Millisecond) // the other readers arrive while the first loads
			close(gate.released)
			for range readers {
				if err := <-errs; err != nil {
					t.Errorf("a reader of the room: %v", err)
				}
			}
		})
	}
}
