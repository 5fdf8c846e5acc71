package service_test

import (
	"strings"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// TestReadingOnce: a page that asks several things reads the document and
// the statuses once (drafts.ReadOnce); what the request writes is read
// again; another request sees another replica's change at once.
func TestReadingOnce(t *testing.T) {
	store := newCountingStore(MustOpenLocal(t))
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	page := drafts.NewContextReadingOnce(f.chair)
	get := func() *drafts.Version {
		t.Helper()
		if _, err := f.svc.GetDocument(page, f.doc); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.GetVersion(page, f.doc, 1)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	get()
	store.take()
	get()
	if ops := store.take(); total(ops) != 0 {
		t.Errorf("the same page asking again made %v, want nothing", ops)
	}

	// Written by the page itself: read again, and seen.
	if _, _, err := f.svc.SetProvisionStatus(page, f.doc, 1, f.v.Provisions[0].ID, drafts.ProvisionAgreed, ""); err != nil {
		t.Fatal(err)
	}
	if got := get().Provisions[0].Status; got != drafts.ProvisionAgreed {
		t.Errorf("after the page's own change the status is %q", got)
	}

	// Written by another replica: the next page sees it.
	replica := service.New(store, diffing.New(), MustPolicy(t))
	if _, _, err := replica.SetProvisionStatus(f.chair, f.doc, 1, f.v.Provisions[1].ID, drafts.ProvisionBracketed, ""); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.GetVersion(drafts.NewContextReadingOnce(f.chair), f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Provisions[1].Status; got != drafts.ProvisionBracketed {
		t.Errorf("a new page shows status %q, want the other replica's bracketed", got)
	}
}

// TestDocumentReadWithItsHead: every page shows the document with its
// head's agreed share; a replica that has shown the document reads the
// head's statuses while it reads the document, not after, and a version
// not in memory is read while its statuses are. When the head has moved
// meanwhile (on another replica), the new head is shown.
func TestDocumentReadWithItsHead(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n")
	barrier := &barrierReads{ObjectStore: local, part: ".json", n: 2, wait: 20 * time.Millisecond, all: make(chan struct{})}
	reader := service.New(barrier, diffing.New(), MustPolicy(t))
	t.Cleanup(reader.Drain)
	if _, err := reader.GetDocument(f.kz, f.doc); err != nil {
		t.Fatal(err)
	}
	if barrier.max < 2 { // a new replica: the head, not in memory, with its statuses
		t.Errorf("a version not in memory and its statuses: at most %d read at once, want 2", barrier.max)
	}
	barrier.reset()
	d, err := reader.GetDocument(f.kz, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	if barrier.max < 2 {
		t.Errorf("the document and its head's statuses: at most %d read at once, want 2", barrier.max)
	}
	if d.Head != 1 || d.Agreement.Provisions != 2 {
		t.Errorf("document %+v with agreement %+v", d, d.Agreement)
	}
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, "1. One.\n\n2. Two.\n\n3. Three.\n", "m"); err != nil {
		t.Fatal(err)
	}
	if d, err = reader.GetDocument(f.kz, f.doc); err != nil || d.Head != 2 || d.Agreement.Provisions != 3 {
		t.Errorf("after a new head on another replica: %+v, %v", d, err)
	}
}

// TestCompilationReadsBesideTheDocument: the compilation page reads the
// end of the document's trail (for its proposals) while it reads the
// document, and the positions while it compiles, not one after the other.
func TestCompilationReadsBesideTheDocument(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n")
	if _, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1,
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: f.v.Provisions[0].ID, Text: "Uno."}}}); err != nil {
		t.Fatal(err)
	}
	barrier := &barrierReads{ObjectStore: local, n: 2, wait: 20 * time.Millisecond, all: make(chan struct{}),
		match: func(string) bool { return false }}
	reader := service.New(barrier, diffing.New(), MustPolicy(t))
	t.Cleanup(reader.Drain)
	for i := 0; i < 2; i++ { // the index, made after the first request
		if _, _, err := reader.Compile(f.kz, f.doc, 0); err != nil {
			t.Fatal(err)
		}
		reader.Drain()
	}
	for _, pair := range []struct {
		what string
		a, b string
	}{
		{"the document and the trail's end", "documents/", "/events/0"},
		{"the positions and the version's statuses", "positions.json", "/status/"},
	} {
		barrier.mu.Lock()
		barrier.match = func(key string) bool { return strings.Contains(key, pair.a) || strings.Contains(key, pair.b) }
		barrier.mu.Unlock()
		barrier.reset()
		comp, _, err := reader.Compile(f.kz, f.doc, 0)
		if err != nil {
			t.Fatal(err)
		}
		if barrier.max < 2 {
			t.Errorf("%s: at most %d read at once, want 2", pair.what, barrier.max)
		}
		if props, _ := comp.Counts(); props != 1 {
			t.Errorf("the compilation counts %d proposals, want 1", props)
		}
	}
}
