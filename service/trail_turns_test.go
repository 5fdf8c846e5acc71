package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"chancery/drafts"
)

// failedWrites counts the writes that failed because another got there
// first (a create of an object there already, an update at an ETag gone
// by), the reads and the listings of keys containing each of its parts.
type failedWrites struct {
	drafts.ObjectStore
	mu                   sync.Mutex
	failed, reads, lists map[string]int
}

func newFailedWrites(st drafts.ObjectStore, parts ...string) *failedWrites {
	f := &failedWrites{ObjectStore: st, failed: map[string]int{}, reads: map[string]int{}, lists: map[string]int{}}
	for _, p := range parts {
		f.failed[p], f.reads[p], f.lists[p] = 0, 0, 0
	}
	return f
}

func (f *failedWrites) count(m map[string]int, key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for p := range m {
		if strings.Contains(key, p) {
			m[p]++
		}
	}
}

func (f *failedWrites) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for p := range f.failed {
		f.failed[p], f.reads[p], f.lists[p] = 0, 0, 0
	}
}

func (f *failedWrites) Create(ctx context.Context, key string, data []byte) (string, error) {
	etag, err := f.ObjectStore.Create(ctx, key, data)
	if drafts.IsCode(err, drafts.ECONFLICT) {
		f.count(f.failed, key)
	}
	return etag, err
}

func (f *failedWrites) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	etag, err := f.ObjectStore.Update(ctx, key, data, ifMatch)
	if drafts.IsCode(err, drafts.EPRECONDITION) || drafts.IsCode(err, drafts.ECONFLICT) {
		f.count(f.failed, key)
	}
	return etag, err
}

func (f *failedWrites) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	f.count(f.lists, prefix)
	return f.ObjectStore.List(ctx, prefix, after, limit)
}

func (f *failedWrites) Get(ctx context.Context, key string) (*drafts.Object, error) {
	f.count(f.reads, key)
	return f.ObjectStore.Get(ctx, key)
}

// TestConcurrentChangesTakeTurnsOnTheTrail: 28 delegations proposing at
// the same moment on one server record 28 events, each written once, in
// turn: not one write of the trail fails for another's (they raced for
// the same next number, all but one failing, round after round), nor
// one move of the trail's hint (each began before the one ahead moved
// it), nor one claim of a proposal number, and no claim lists the
// numbers claimed (this server claimed the last); the trail verifies,
// with no change twice and none left out, and the numbers are 29 to 56.
func TestConcurrentChangesTakeTurnsOnTheTrail(t *testing.T) {
	store := newFailedWrites(MustOpenLocal(t), "/events/", "events-head", "/numbers/")
	f := newMergeFixtureOn(t, store)
	v, err := f.svc.GetVersion(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	store.reset()
	var wg sync.WaitGroup
	errs := make([]error, 28)
	made := make([]*drafts.Proposal, 28)
	for k := range 28 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			del := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: fmt.Sprintf("u%d", k), Role: drafts.RoleDelegate, Delegation: fmt.Sprintf("D%02d", k), DelegationStatus: drafts.StatusMember})
			p := v.Provisions[k+1]
			made[k], errs[k] = f.svc.CreateProposal(del, f.doc, drafts.ProposalInput{Base: 1, Justification: "at once",
				Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p.ID, Text: p.Text + " At once."}}})
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			t.Fatalf("proposal %d: %v", k, err)
		}
	}
	numbers := map[int]bool{}
	for _, p := range made {
		if p.Number < 29 || p.Number > 56 || numbers[p.Number] {
			t.Errorf("proposal numbered %d: want each of 29 to 56 once", p.Number)
		}
		numbers[p.Number] = true
	}
	if n := store.failed["/events/"]; n != 0 {
		t.Errorf("%d writes of the trail failed for another's", n)
	}
	if n := store.failed["events-head"]; n != 0 {
		t.Errorf("%d moves of the trail's hint failed for another's", n)
	}
	if n := store.failed["/numbers/"]; n != 0 {
		t.Errorf("%d claims of a proposal number failed for another's", n)
	}
	if n := store.lists["/numbers/"]; n != 0 {
		t.Errorf("%d listings of the claimed numbers, want none: this server claimed the last", n)
	}
	if n := store.reads["events-head"]; n > 28 {
		t.Errorf("%d reads of the trail's hint for 28 proposals, want at most 28", n)
	}
	// Appends waiting their turn leave the hint to the last: it names the
	// end of the chain.
	events, err := f.svc.ListEvents(f.chair, f.doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	hint, err := store.ObjectStore.Get(context.Background(), "texts/"+f.doc+"/events-head.json")
	if err != nil {
		t.Fatal(err)
	}
	last := events.Items[len(events.Items)-1]
	if want := fmt.Sprintf(`"seq":%d`, last.Seq); !strings.Contains(string(hint.Data), want) {
		t.Errorf("the hint after the proposals: %s, want %s", hint.Data, want)
	}
	res, err := f.svc.VerifyEvents(drafts.NewSystemContext(context.Background()), f.doc)
	if err != nil || !res.OK || len(res.Duplicates) > 0 || len(res.Unrecorded) > 0 {
		t.Fatalf("verification: %+v, %v", res, err)
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
