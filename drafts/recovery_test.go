package drafts_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/storage"
)

// crashingStore fails every write after the first create of a version, as
// a server would that died right after the commit point of a merge.
type crashingStore struct {
	drafts.ObjectStore
	crashed atomic.Bool
}

func (s *crashingStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	if s.crashed.Load() {
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "crashed")
	}
	etag, err := s.ObjectStore.Create(ctx, key, data)
	if err == nil && strings.Contains(key, "/versions/") && !strings.HasSuffix(key, "00000001.json") {
		s.crashed.Store(true)
	}
	return etag, err
}

func (s *crashingStore) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	if s.crashed.Load() {
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "crashed")
	}
	return s.ObjectStore.Update(ctx, key, data, ifMatch)
}

// TestMergeCompletedAfterCrash: a merge whose request died after it
// created the new version is completed by the next reader: the proposal
// becomes accepted and the document's head moves, once.
func TestMergeCompletedAfterCrash(t *testing.T) {
	local := MustOpenLocal(t)
	crashing := &crashingStore{ObjectStore: local}
	f := MustFixture(t, crashing, "1. One.\n\n2. Two.\n\n3. Three.\n")
	svc, chair, kz, v := f.svc, f.chair, f.kz, f.v
	p, err := svc.CreateProposal(kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: v.Provisions[1].ID, Text: "Deux."}}})
	if err != nil {
		t.Fatal(err)
	}
	doomed, err := svc.CreateProposal(kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: v.Provisions[2].ID, Text: "Trois."}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Merge(chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{p.ID}}); drafts.ErrorCode(err) != drafts.EUNAVAILABLE {
		t.Fatalf("merge err = %v, want the crash", err)
	}

	// After the "restart": a service on the healthy store.
	svc2 := drafts.NewService(local, diffing.New(), MustPolicy(t))
	raw, err := local.Get(context.Background(), "documents/"+f.doc+".json")
	if err != nil || !strings.Contains(string(raw.Data), `"head":1`) {
		t.Fatalf("stored document before recovery: %s (%v)", raw.Data, err)
	}
	got, err := svc2.GetDocument(kz, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	if got.Head != 2 {
		t.Fatalf("head = %d, want 2", got.Head)
	}
	for id, want := range map[string]string{p.ID: drafts.ProposalAccepted, doomed.ID: drafts.ProposalOpen} {
		pr, err := svc2.GetProposal(kz, f.doc, id)
		if err != nil {
			t.Fatal(err)
		}
		if pr.Status != want {
			t.Errorf("proposal %s: %s, want %s", id, pr.Status, want)
		}
	}
	raw, _ = local.Get(context.Background(), "documents/"+f.doc+".json")
	if !strings.Contains(string(raw.Data), `"head":2`) {
		t.Fatalf("stored document after recovery: %s", raw.Data)
	}
	// Completing again changes nothing: one acceptance in the trail.
	if _, err := svc2.GetDocument(kz, f.doc); err != nil {
		t.Fatal(err)
	}
	events, err := svc2.ListEvents(kz, f.doc, drafts.ListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for _, e := range events.Items {
		if e.Action == "proposal.accepted" {
			accepted++
		}
	}
	if accepted != 1 {
		t.Fatalf("acceptances recorded: %d, want 1", accepted)
	}
}

// blockingStore holds the create of one key until released.
type blockingStore struct {
	drafts.ObjectStore
	key      string
	reached  chan struct{}
	released chan struct{}
}

func (s *blockingStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	if strings.HasSuffix(key, s.key) {
		close(s.reached)
		<-s.released
	}
	return s.ObjectStore.Create(ctx, key, data)
}

// TestRevisionRacingAdoption: a version created in a race with the opening
// of an adoption round on the version before it cannot be adopted: the
// round fails instead of adopting a text that is no longer the head.
func TestRevisionRacingAdoption(t *testing.T) {
	blocking := &blockingStore{ObjectStore: MustOpenLocal(t), key: "/versions/00000002.json", reached: make(chan struct{}), released: make(chan struct{})}
	f := MustFixture(t, blocking, "1. One.\n")
	svc, chair, kz := f.svc, f.chair, f.kz
	done := make(chan error, 1)
	go func() {
		_, err := svc.CreateVersion(chair, f.doc, 1, "1. Changed.\n", "racing")
		done <- err
	}()
	<-blocking.reached
	if _, err := svc.OpenAdoption(chair, f.doc, drafts.AdoptionInput{Version: 1, Procedure: drafts.ProcedureConsensus}); err != nil {
		t.Fatal(err)
	}
	close(blocking.released)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Consent(kz, f.doc); err != nil {
		t.Fatal(err)
	}
	r, err := svc.CloseAdoption(chair, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.GetDocument(kz, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != drafts.RoundFailed || got.State == drafts.StateAdopted || got.Adopted != 0 {
		t.Fatalf("round %s, document %s adopted %d; want a failed round and no adoption", r.State, got.State, got.Adopted)
	}
}

// TestEditDuringMerge: a proposal edited while a merge of it runs is not
// reported as accepted as edited: the version holds it as it was read.
func TestEditDuringMerge(t *testing.T) {
	blocking := &blockingStore{ObjectStore: MustOpenLocal(t), key: "/versions/00000002.json", reached: make(chan struct{}), released: make(chan struct{})}
	f := MustFixture(t, blocking, "1. One.\n\n2. Two.\n")
	svc, chair, kz := f.svc, f.chair, f.kz
	v := f.v
	p, err := svc.CreateProposal(kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: v.Provisions[0].ID, Text: "Old idea."}}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := svc.Merge(chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{p.ID}})
		done <- err
	}()
	<-blocking.reached
	if _, err := svc.EditProposal(kz, f.doc, p.ID, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: v.Provisions[0].ID, Text: "New idea."}}}, ""); err != nil {
		t.Fatal(err)
	}
	close(blocking.released)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, err := svc.GetProposal(kz, f.doc, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != drafts.ProposalAcceptedModified || !strings.Contains(got.Reason, "edited while being merged") {
		t.Fatalf("status %s (%q), want accepted-modified saying why", got.Status, got.Reason)
	}
}

// MustOpenLocal opens a local store in a temporary directory, closed when
// tb ends.
func MustOpenLocal(tb testing.TB) *storage.Local {
	tb.Helper()
	local, err := storage.OpenLocal(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { local.Close() })
	return local
}

// fixture is a service with a chair of SWG, a delegate of KZ and one document.
type fixture struct {
	svc       *drafts.Service
	chair, kz context.Context
	doc       string
	v         *drafts.Version
}

// MustFixture makes a document of text on store.
func MustFixture(tb testing.TB, store drafts.ObjectStore, text string) *fixture {
	tb.Helper()
	f := &fixture{
		svc:   drafts.NewService(store, diffing.New(), MustPolicy(tb)),
		chair: drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"}),
		kz:    drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}),
	}
	d, v, err := f.svc.CreateDocument(f.chair, &drafts.Document{Symbol: "S/1", Title: "T", Kind: "other", Body: "SWG", Language: "en", Visibility: "members"}, text)
	if err != nil {
		tb.Fatal(err)
	}
	f.doc, f.v = d.ID, v
	return f
}

// TestWithdrawalDuringMerge: a proposal withdrawn while a merge of it runs
// stays withdrawn and says that the version holds its text.
func TestWithdrawalDuringMerge(t *testing.T) {
	blocking := &blockingStore{ObjectStore: MustOpenLocal(t), key: "/versions/00000002.json", reached: make(chan struct{}), released: make(chan struct{})}
	f := MustFixture(t, blocking, "1. One.\n\n2. Two.\n")
	p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[0].ID, Text: "Idea."}}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{p.ID}})
		done <- err
	}()
	<-blocking.reached
	if _, err := f.svc.WithdrawProposal(f.kz, f.doc, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	close(blocking.released)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.GetProposal(f.kz, f.doc, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != drafts.ProposalWithdrawn || got.MergedInto != 2 || !strings.Contains(got.Reason, "withdrawn while being merged") {
		t.Fatalf("proposal = %s, merged into %d, %q", got.Status, got.MergedInto, got.Reason)
	}
}

// MustPolicy returns the default role policy.
func MustPolicy(tb testing.TB) *policy.Enforcer {
	tb.Helper()
	e, err := policy.New()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}
