package service_test

import (
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
