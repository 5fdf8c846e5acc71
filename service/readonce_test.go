package service_test

import (
	"testing"

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
