package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"chancery/drafts"
)

// failedCreates counts the writes of new objects under a part of the keys
// that failed because the object was there already.
type failedCreates struct {
	drafts.ObjectStore
	part string
	mu   sync.Mutex
	n    int
}

func (f *failedCreates) Create(ctx context.Context, key string, data []byte) (string, error) {
	etag, err := f.ObjectStore.Create(ctx, key, data)
	if drafts.IsCode(err, drafts.ECONFLICT) && strings.Contains(key, f.part) {
		f.mu.Lock()
		f.n++
		f.mu.Unlock()
	}
	return etag, err
}

// TestConcurrentChangesTakeTurnsOnTheTrail: 28 delegations proposing at
// the same moment on one server record 28 events, each written once, in
// turn: not one write of the trail fails for another's (they raced for
// the same next number, all but one failing, round after round); the
// trail verifies, with no change twice and none left out.
func TestConcurrentChangesTakeTurnsOnTheTrail(t *testing.T) {
	store := &failedCreates{ObjectStore: MustOpenLocal(t), part: "/events/"}
	f := newMergeFixtureOn(t, store)
	v, err := f.svc.GetVersion(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	store.mu.Lock()
	store.n = 0
	store.mu.Unlock()
	var wg sync.WaitGroup
	errs := make([]error, 28)
	for k := range 28 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			del := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: fmt.Sprintf("u%d", k), Role: drafts.RoleDelegate, Delegation: fmt.Sprintf("D%02d", k), DelegationStatus: drafts.StatusMember})
			p := v.Provisions[k+1]
			_, errs[k] = f.svc.CreateProposal(del, f.doc, drafts.ProposalInput{Base: 1, Justification: "at once",
				Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p.ID, Text: p.Text + " At once."}}})
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			t.Fatalf("proposal %d: %v", k, err)
		}
	}
	if store.n != 0 {
		t.Errorf("%d writes of the trail failed for another's", store.n)
	}
	res, err := f.svc.VerifyEvents(drafts.NewSystemContext(context.Background()), f.doc)
	if err != nil || !res.OK || len(res.Duplicates) > 0 || len(res.Unrecorded) > 0 {
		t.Fatalf("verification: %+v, %v", res, err)
	}
	events, err := f.svc.ListEvents(f.chair, f.doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	creates := 0
	for _, e := range events.Items {
		if e.Action == "proposal.create" {
			creates++
		}
	}
	if creates != 56 { // the fixture's 28 and these 28
		t.Errorf("%d proposal.create events, want 56", creates)
	}
}
