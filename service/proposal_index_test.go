package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// TestIndexFollowsChangesElsewhere: a replica that has listed a
// document's proposals once learns every change another replica makes
// from the trail, without listing them again: after a new proposal, a
// comment, a co-sponsorship, a withdrawal, a rejection, a provision
// agreed and a merge, its list of proposals and its compilation are those
// of a replica that lists them from storage.
func TestIndexFollowsChangesElsewhere(t *testing.T) {
	local := MustOpenLocal(t)
	f := newMergeFixtureOn(t, local)
	counted := newFailedWrites(local, "/proposals/")
	reader := service.New(counted, diffing.New(), MustPolicy(t))
	t.Cleanup(reader.Drain)
	head := 1
	same := func(step string) {
		t.Helper()
		fresh := service.New(local, diffing.New(), MustPolicy(t))
		defer fresh.Drain()
		for _, filter := range []drafts.ProposalFilter{{}, {Status: drafts.ProposalOpen}} {
			got, err := reader.ListProposals(f.chair, f.doc, filter, drafts.ListOptions{Limit: 500})
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want, err := fresh.ListProposals(f.chair, f.doc, filter, drafts.ListOptions{Limit: 500})
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if a, b := mustJSON(t, got), mustJSON(t, want); a != b {
				t.Errorf("%s: the list of %q proposals differs from one listed from storage:\n%s\n%s", step, filter.Status, a, b)
			}
		}
		gotOpen, err := reader.OpenProposals(f.chair, f.doc)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		wantOpen, err := fresh.OpenProposals(f.chair, f.doc)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if a, b := mustJSON(t, gotOpen), mustJSON(t, wantOpen); a != b {
			t.Errorf("%s: the open proposals differ from those listed from storage:\n%s\n%s", step, a, b)
		}
		got, _, err := reader.Compile(f.chair, f.doc, head)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		want, _, err := fresh.Compile(f.chair, f.doc, head)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if a, b := mustJSON(t, got), mustJSON(t, want); a != b {
			t.Errorf("%s: the compilation differs from one made from storage:\n%s\n%s", step, a, b)
		}
	}
	same("at first")
	reader.Drain() // the index, made in the background
	counted.reset()

	d01 := delegate("u1", "D01")
	d02 := delegate("u2", "D02")
	v, err := f.svc.GetVersion(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	last := v.Provisions[len(v.Provisions)-1] // no proposal of the fixture's touches it
	made, err := f.svc.CreateProposal(d01, f.doc, drafts.ProposalInput{Base: 1, Justification: "new",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: last.ID, Text: last.Text + " Amended."}}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func() error
	}{
		{"a new proposal", func() error { return nil }},
		{"a comment", func() error {
			_, err := f.svc.CommentProposal(d02, f.doc, made.ID, "We can support this.", "")
			return err
		}},
		{"a co-sponsorship", func() error { _, err := f.svc.CosponsorProposal(d02, f.doc, made.ID, ""); return err }},
		{"a withdrawal", func() error {
			_, err := f.svc.WithdrawProposal(delegate("u3", "D03"), f.doc, f.proposals[3], "")
			return err
		}},
		{"a rejection", func() error {
			_, err := f.svc.RejectProposal(f.chair, f.doc, f.proposals[5], "Not now.", "")
			return err
		}},
		{"a provision agreed", func() error {
			// Not a proposal's change: the compilation shows the statuses.
			_, _, err := f.svc.SetProvisionStatus(f.chair, f.doc, 1, last.ID, drafts.ProvisionAgreed, "")
			return err
		}},
		{"a merge", func() error {
			v, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{f.proposals[10], f.proposals[11], made.ID}, Message: "m"})
			if err == nil {
				head = v.Version.Number
			}
			return err
		}},
	}
	for _, step := range steps {
		if err := step.change(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		same(step.name)
		if n := counted.lists["/proposals/"]; n != 0 {
			t.Errorf("%s: the replica listed the proposals %d times, want none", step.name, n)
		}
		counted.reset()
	}
}

// TestIndexListsAgainAfterAMinute: a change stored without its event (the
// storage failed as the event was written: the request said so, and the
// event is written later) is not on the trail yet; a replica sees it when
// its index is a minute old and it lists the proposals again.
func TestIndexListsAgainAfterAMinute(t *testing.T) {
	local := MustOpenLocal(t)
	f := newMergeFixtureOn(t, local)
	writer := service.New(&eventlessStore{local}, diffing.New(), MustPolicy(t))
	t.Cleanup(writer.Drain)
	counted := newCountingStore(local)
	reader := service.New(counted, diffing.New(), MustPolicy(t))
	t.Cleanup(reader.Drain)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	reader.Clock = func() time.Time { return now }
	comments := func() int {
		t.Helper()
		page, err := reader.ListProposals(f.chair, f.doc, drafts.ProposalFilter{}, drafts.ListOptions{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		reader.Drain() // the index, made in the background after the first
		for _, p := range page.Items {
			if p.ID == f.proposals[0] {
				return len(p.Comments)
			}
		}
		t.Fatal("the proposal is not listed")
		return 0
	}
	if n := comments(); n != 0 {
		t.Fatalf("%d comments at first", n)
	}
	_, err := writer.CommentProposal(delegate("u2", "D02"), f.doc, f.proposals[0], "Stored, not yet on the trail.", "")
	if drafts.ErrorCode(err) != drafts.EUNAVAILABLE {
		t.Fatalf("comment with its event failing: %v, want EUNAVAILABLE", err)
	}
	counted.take()
	now = now.Add(time.Minute - time.Second)
	comments()
	if ops := counted.take(); ops["list"] != 0 {
		t.Errorf("listed again before a minute: %v", ops)
	}
	now = now.Add(time.Second)
	if n := comments(); n != 1 {
		t.Errorf("%d comments seen a minute later, want 1", n)
	}
	if ops := counted.take(); ops["list"] != 1 {
		t.Errorf("a minute later the replica listed %d times, want 1: %v", ops["list"], ops)
	}
}

func delegate(id, delegation string) context.Context {
	return drafts.NewContextWithUser(context.Background(), &drafts.User{ID: id, Role: drafts.RoleDelegate, Delegation: delegation, DelegationStatus: drafts.StatusMember})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVersionDiffReadsMergedProposalsAtOnce: the diff of a merge credits
// each change to the proposal that made it. The replica that merged reads
// none of them (it holds what it wrote); another reads them all at once,
// not one after the other (after a merge of 28, the first reader of the
// diff had waited for 28 reads in a row).
func TestVersionDiffReadsMergedProposalsAtOnce(t *testing.T) {
	local := MustOpenLocal(t)
	counted := newFailedWrites(local, "/proposals/")
	f := newMergeFixtureOn(t, counted)
	merged := []string{f.proposals[10], f.proposals[11], f.proposals[12]}
	if _, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: merged, Message: "m"}); err != nil {
		t.Fatal(err)
	}
	counted.reset()
	d, _, _, err := f.svc.VersionDiff(f.chair, f.doc, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := counted.reads["/proposals/"]; n != 0 {
		t.Errorf("the replica that merged read %d proposals for the diff, want none", n)
	}
	barrier := &barrierReads{ObjectStore: local, part: "/proposals/", n: len(merged), all: make(chan struct{})}
	other := service.New(barrier, diffing.New(), MustPolicy(t))
	t.Cleanup(other.Drain)
	again, _, _, err := other.VersionDiff(f.chair, f.doc, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if barrier.max < len(merged) {
		t.Errorf("another replica read at most %d of the %d merged proposals at once", barrier.max, len(merged))
	}
	if a, b := mustJSON(t, d), mustJSON(t, again); a != b {
		t.Errorf("the diff differs between the replicas:\n%s\n%s", a, b)
	}
	if !strings.Contains(mustJSON(t, d), `"D10"`) {
		t.Errorf("the diff credits no change to D10's proposal")
	}
}

// barrierReads holds each read of keys containing part until n are under
// way at once (or wait has passed, a second when zero), and keeps the most
// there were.
type barrierReads struct {
	drafts.ObjectStore
	part     string
	match    func(key string) bool // instead of part, when set
	n        int
	wait     time.Duration
	mu       sync.Mutex
	inflight int
	max      int
	once     sync.Once
	all      chan struct{}
}

// reset starts the count and the barrier again.
func (b *barrierReads) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.max, b.once, b.all = 0, sync.Once{}, make(chan struct{})
}

func (b *barrierReads) Get(ctx context.Context, key string) (*drafts.Object, error) {
	b.mu.Lock()
	held := strings.Contains(key, b.part)
	if b.match != nil {
		held = b.match(key)
	}
	if !held {
		b.mu.Unlock()
		return b.ObjectStore.Get(ctx, key)
	}
	b.inflight++
	b.max = max(b.max, b.inflight)
	if b.inflight >= b.n {
		b.once.Do(func() { close(b.all) })
	}
	all := b.all
	b.mu.Unlock()
	wait := b.wait
	if wait == 0 {
		wait = time.Second
	}
	select {
	case <-all:
	case <-time.After(wait):
	}
	b.mu.Lock()
	b.inflight--
	b.mu.Unlock()
	return b.ObjectStore.Get(ctx, key)
}

// TestIndexCatchesUpAtOnce: while delegates send proposals, the trail
// grows by an object about every round trip; a replica following it one
// object after the other chased its end. After 20 proposals made
// elsewhere, a replica reads the trail's next objects at once, and its
// open proposals are all of them.
func TestIndexCatchesUpAtOnce(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n")
	barrier := &barrierReads{ObjectStore: local, part: "/events/", n: 8, wait: 20 * time.Millisecond, all: make(chan struct{})}
	reader := service.New(barrier, diffing.New(), MustPolicy(t))
	t.Cleanup(reader.Drain)
	if _, err := reader.OpenProposals(f.kz, f.doc); err != nil {
		t.Fatal(err)
	}
	reader.Drain() // the index, made after the first request
	if _, err := reader.OpenProposals(f.kz, f.doc); err != nil {
		t.Fatal(err)
	}
	const made = 20
	for i := 0; i < made; i++ {
		del := fmt.Sprintf("D%02d", i)
		if _, err := f.svc.CreateProposal(delegate("u"+del, del), f.doc, drafts.ProposalInput{Base: 1,
			Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: f.v.Provisions[i%2].ID, Text: fmt.Sprintf("Change %d.", i)}}}); err != nil {
			t.Fatal(err)
		}
	}
	open, err := reader.OpenProposals(f.kz, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != made {
		t.Errorf("the replica sees %d open proposals, want %d", len(open), made)
	}
	if barrier.max < 8 {
		t.Errorf("the replica read at most %d of the trail's objects at once, want 8 or more", barrier.max)
	}
}

// TestDelegationNamesListedWhileTheDirectoryStands: a compilation names
// the delegations it shows from the directory, and every web page lists
// them for their names. The compilation is made again after every
// proposal; the directory is listed again only once its trail has moved:
// a delegation created on another replica is named at once.
func TestDelegationNamesListedWhileTheDirectoryStands(t *testing.T) {
	local := MustOpenLocal(t)
	counted := newFailedWrites(local, "directory/delegations/")
	f := newMergeFixtureOn(t, counted)
	v, err := f.svc.GetVersion(f.chair, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	propose := func(user, delegation string, i int) {
		t.Helper()
		p := v.Provisions[len(v.Provisions)-1-i]
		if _, err := f.svc.CreateProposal(delegate(user, delegation), f.doc, drafts.ProposalInput{Base: 1, Justification: "names",
			Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p.ID, Text: p.Text + " Named."}}}); err != nil {
			t.Fatal(err)
		}
	}
	compile := func() *drafts.Compilation {
		t.Helper()
		comp, _, err := f.svc.Compile(f.chair, f.doc, 1)
		if err != nil {
			t.Fatal(err)
		}
		return comp
	}
	compile()
	counted.reset()
	sys := drafts.NewSystemContext(context.Background())
	listed := func() map[string]string {
		t.Helper()
		page, err := f.svc.ListDelegations(sys, drafts.ListOptions{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, d := range page.Items {
			out[d.ID] = d.Name
		}
		return out
	}
	for i := 0; i < 3; i++ {
		propose("u1", "D01", i)
		compile()
		listed()
	}
	if n := counted.lists["directory/delegations/"]; n != 0 {
		t.Errorf("three compilations with the directory unchanged listed the delegations %d times, want none", n)
	}
	other := service.New(local, diffing.New(), MustPolicy(t))
	t.Cleanup(other.Drain)
	if err := other.CreateDelegation(sys, &drafts.Delegation{ID: "NZ", Name: "New Zealand", Status: drafts.StatusMember}); err != nil {
		t.Fatal(err)
	}
	propose("u9", "NZ", 3)
	if got := compile().Delegations["NZ"].Name; got != "New Zealand" {
		t.Errorf("the delegation created on another replica is named %q in the compilation, want New Zealand", got)
	}
	if got := listed()["NZ"]; got != "New Zealand" {
		t.Errorf("the delegation created on another replica is listed as %q, want New Zealand", got)
	}
	if n := counted.lists["directory/delegations/"]; n != 1 {
		t.Errorf("after the directory changed the delegations were listed %d times, want 1", n)
	}
}

// TestIndexPagesAsAListing: pages of proposals taken from the index
// follow one another as a listing's do (same proposals, same order, the
// last page without a cursor), and a cursor that is not one is refused.
func TestIndexPagesAsAListing(t *testing.T) {
	local := MustOpenLocal(t)
	f := newMergeFixtureOn(t, local)
	pages := func(svc *service.Service) []string {
		t.Helper()
		var ids []string
		opt := drafts.ListOptions{Limit: 5}
		for i := 0; ; i++ {
			page, err := svc.ListProposals(f.chair, f.doc, drafts.ProposalFilter{}, opt)
			if err != nil {
				t.Fatal(err)
			}
			svc.Drain()
			if len(page.Items) > 5 || i > 10 {
				t.Fatalf("page %d: %d proposals", i, len(page.Items))
			}
			for _, p := range page.Items {
				ids = append(ids, p.ID)
			}
			if page.NextCursor == "" {
				return ids
			}
			opt.Cursor = page.NextCursor
		}
	}
	pages(f.svc) // the first page is listed; the index is made after it
	got := pages(f.svc)
	fresh := service.New(local, diffing.New(), MustPolicy(t))
	t.Cleanup(fresh.Drain)
	want := pages(fresh)
	if len(got) != len(f.proposals) || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("paged from the index: %v\nfrom listings: %v", got, want)
	}
	_, err := f.svc.ListProposals(f.chair, f.doc, drafts.ProposalFilter{}, drafts.ListOptions{Cursor: "not a cursor!"})
	if drafts.ErrorCode(err) != drafts.EMALFORMED {
		t.Errorf("a malformed cursor: %v, want EMALFORMED", err)
	}
}
