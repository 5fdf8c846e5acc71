package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
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

// TestCompilationReadsNoProposalThisReplicaWrote: a proposal this replica
// made or changed is kept as a compilation reads it: the next compilation
// reads none of them from storage, and it is the compilation another
// replica reads from storage.
func TestCompilationReadsNoProposalThisReplicaWrote(t *testing.T) {
	local := MustOpenLocal(t)
	store := newFailedWrites(local, "/proposals/")
	f := newMergeFixtureOn(t, store)
	v, err := f.svc.GetVersion(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	del := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "u1", Role: drafts.RoleDelegate, Delegation: "D01", DelegationStatus: drafts.StatusMember})
	if _, _, err := f.svc.Compile(f.chair, f.doc, 1); err != nil {
		t.Fatal(err)
	}
	p := v.Provisions[3]
	made, err := f.svc.CreateProposal(del, f.doc, drafts.ProposalInput{Base: 1, Justification: "new",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p.ID, Text: p.Text + " New."}}})
	if err != nil {
		t.Fatal(err)
	}
	q := v.Provisions[5]
	gone, err := f.svc.CreateProposal(del, f.doc, drafts.ProposalInput{Base: 1, Justification: "withdrawn",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: q.ID, Text: q.Text + " Gone."}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.WithdrawProposal(del, f.doc, gone.ID, ""); err != nil {
		t.Fatal(err)
	}
	store.reset()
	comp, _, err := f.svc.Compile(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := store.reads["/proposals/"]; n != 0 {
		t.Errorf("the compilation read %d proposals this replica wrote", n)
	}
	other := service.New(local, diffing.New(), MustPolicy(t))
	fresh, _, err := other.Compile(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(comp)
	b, _ := json.Marshal(fresh)
	if string(a) != string(b) {
		t.Errorf("the compilation from what this replica kept differs from the one read from storage")
	}
	if !strings.Contains(string(a), made.ID) || strings.Contains(string(a), gone.ID) {
		t.Errorf("the compilation leaves out the new proposal, or shows the one withdrawn")
	}
}

// TestCompilationAfterAMergeCarriesDiffsOver: after merges, a replica
// that compiled the version before takes over the diffs of the proposals
// the merge left alone (drafts.CarriesOver), and its compilation of the
// new version is the one a replica that compiled nothing before makes:
// proposals on provisions the merge changed, on others, deleting, made on
// the old version and on the new.
func TestCompilationAfterAMergeCarriesDiffsOver(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n\n3. Three little words.\n\n4. Four.\n\n5. Five.\n\n6. Six.\n")
	ctxOf := func(code string) context.Context {
		return drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "u" + code, Role: drafts.RoleDelegate, Delegation: code, DelegationStatus: drafts.StatusMember})
	}
	propose := func(code string, base int, op drafts.Operation) *drafts.Proposal {
		t.Helper()
		p, err := f.svc.CreateProposal(ctxOf(code), f.doc, drafts.ProposalInput{Base: base, Justification: "j", Operations: []drafts.Operation{op}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ps := f.v.Provisions
	merged, err := f.svc.CreateProposal(ctxOf("KZ"), f.doc, drafts.ProposalInput{Base: 1, Justification: "j", Operations: []drafts.Operation{
		{Op: drafts.OpReplace, Provision: ps[1].ID, Text: "Two, as merged."},
		{Op: drafts.OpReplace, Provision: ps[2].ID, Text: "Three big words."}}})
	if err != nil {
		t.Fatal(err)
	}
	propose("IN", 1, drafts.Operation{Op: drafts.OpReplace, Provision: ps[1].ID, Text: "Two, as India has it."})      // collides
	propose("RU", 1, drafts.Operation{Op: drafts.OpReplace, Provision: ps[2].ID, Text: "Three little words indeed."}) // merges with it
	propose("CN", 1, drafts.Operation{Op: drafts.OpReplace, Provision: ps[3].ID, Text: "Four, elsewhere."})
	propose("JP", 1, drafts.Operation{Op: drafts.OpDelete, Provision: ps[5].ID})
	compare := func(n int) {
		t.Helper()
		comp, _, err := f.svc.Compile(f.chair, f.doc, n)
		if err != nil {
			t.Fatal(err)
		}
		fresh, _, err := service.New(local, diffing.New(), MustPolicy(t)).Compile(f.chair, f.doc, n)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(comp)
		b, _ := json.Marshal(fresh)
		if string(a) != string(b) {
			t.Errorf("version %d: the compilation with diffs carried over differs from one made afresh:\n%s\n%s", n, a, b)
		}
	}
	compare(1)
	if _, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{merged.ID}, Message: "m"}); err != nil {
		t.Fatal(err)
	}
	propose("KZ", 2, drafts.Operation{Op: drafts.OpReplace, Provision: ps[2].ID, Text: "Three, on version 2."})
	compare(2)
	// CN's and JP's, on provisions the merge left alone; not IN's, RU's.
	if n := service.CarriedOver(f.svc); n != 2 {
		t.Errorf("%d diffs carried over to version 2, want 2", n)
	}
	last := propose("CN", 2, drafts.Operation{Op: drafts.OpReplace, Provision: ps[4].ID, Text: "Five, merged next."})
	if _, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 2, Proposals: []string{last.ID}, Message: "m"}); err != nil {
		t.Fatal(err)
	}
	compare(3)
}
