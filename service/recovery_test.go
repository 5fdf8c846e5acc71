package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/service"
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
	svc2 := service.New(local, diffing.New(), MustPolicy(t))
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

// TestRevisionRacingAdoption: a version being created while an adoption
// round is opened on the version before it: the document records the
// version as pending before writing it, so the round is refused rather
// than opened on a text that is no longer the head; once the version is
// there, a round opens on it.
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
	if _, err := svc.OpenAdoption(chair, f.doc, drafts.AdoptionInput{Version: 1, Procedure: drafts.ProcedureConsensus}); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Fatalf("opening a round while version 2 is being made: %v, want ECONFLICT", err)
	}
	close(blocking.released)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := svc.OpenAdoption(chair, f.doc, drafts.AdoptionInput{Version: 1, Procedure: drafts.ProcedureConsensus}); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Fatalf("opening a round on version 1 after version 2: %v, want ECONFLICT", err)
	}
	if _, err := svc.OpenAdoption(chair, f.doc, drafts.AdoptionInput{Version: 2, Procedure: drafts.ProcedureConsensus}); err != nil {
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
	if r.State != drafts.RoundAdopted || got.Adopted != 2 {
		t.Fatalf("round %s, document %s adopted %d; want version 2 adopted", r.State, got.State, got.Adopted)
	}
}

// TestRoundRacingRevision: the other order: a round opened while a
// revision has read the document but not yet recorded its version; the
// revision is refused, the round adopts the head it was opened on.
func TestRoundRacingRevision(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n")
	// The revision's read of the document happens here; the round opens
	// before its write.
	d, err := f.svc.GetDocument(f.chair, f.doc)
	if err != nil || d.Head != 1 {
		t.Fatal(d, err)
	}
	if _, err := f.svc.OpenAdoption(f.chair, f.doc, drafts.AdoptionInput{Version: 1, Procedure: drafts.ProcedureConsensus}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, "1. Changed.\n", "late"); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Fatalf("revision during a round: %v, want ECONFLICT", err)
	}
	if _, err := local.Get(context.Background(), "texts/"+f.doc+"/versions/00000002.json"); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Fatalf("a refused revision left version 2 behind (%v)", err)
	}
}

// TestPendingVersionCostsNothingOnceDone: a document reads in one storage
// operation when no version is pending; a pending version that never came
// is forgotten after a while, and one found in the way of the next
// revision is completed first.
func TestPendingVersionCostsNothingOnceDone(t *testing.T) {
	local := MustOpenLocal(t)
	store := newCountingStore(local)
	f := MustFixture(t, store, "1. One.\n")
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, "1. Two.\n", "m"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ListVersions(f.kz, f.doc, drafts.ListOptions{}); err != nil { // the summaries, into the cache
		t.Fatal(err)
	}
	store.take()
	if _, err := f.svc.ListVersions(f.kz, f.doc, drafts.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if ops := store.take(); ops["get"] != 1 {
		t.Errorf("listing versions (summaries cached) read %v; want the document alone", ops)
	}

	// A revision that died after recording its version as pending.
	now := time.Now()
	f.svc.Clock = func() time.Time { return now }
	raw, err := local.Get(context.Background(), "documents/"+f.doc+".json")
	if err != nil {
		t.Fatal(err)
	}
	var stored map[string]any
	if err := json.Unmarshal(raw.Data, &stored); err != nil {
		t.Fatal(err)
	}
	stored["pending"] = 3
	stored["updated_at"] = now.UTC().Format(time.RFC3339Nano)
	data, _ := json.Marshal(stored)
	if _, err := local.Update(context.Background(), "documents/"+f.doc+".json", data, raw.ETag); err != nil {
		t.Fatal(err)
	}
	store.take()
	if d, err := f.svc.GetDocument(f.kz, f.doc); err != nil || d.Head != 2 {
		t.Fatal(d, err)
	}
	if ops := store.take(); ops["get"] < 4 {
		t.Errorf("with a version pending, reading the document made %v; want it to look for version 3", ops)
	}
	f.svc.Clock = func() time.Time { return now.Add(time.Hour) }
	if _, err := f.svc.GetDocument(f.kz, f.doc); err != nil {
		t.Fatal(err)
	}
	store.take()
	if _, err := f.svc.ListVersions(f.kz, f.doc, drafts.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if ops := store.take(); ops["get"] != 1 {
		t.Errorf("a pending version that never came is still looked for: %v", ops)
	}
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 2, "1. Three.\n", "m"); err != nil {
		t.Fatal(err)
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
	svc       *service.Service
	chair, kz context.Context
	doc       string
	v         *drafts.Version
}

// MustFixture makes a document of text on store.
func MustFixture(tb testing.TB, store drafts.ObjectStore, text string) *fixture {
	tb.Helper()
	f := &fixture{
		svc:   service.New(store, diffing.New(), MustPolicy(tb)),
		chair: drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"}),
		kz:    drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}),
	}
	d, v, err := f.svc.CreateDocument(f.chair, &drafts.Document{Symbol: "S/1", Title: "T", Kind: "other", Body: "SWG", Language: "en", Visibility: "members"}, text)
	if err != nil {
		tb.Fatal(err)
	}
	f.doc, f.v = d.ID, v
	// A merge moves the trail's hint after it answers: wait for it before
	// the store's folder is removed (cleanups run last registered first).
	first := f.svc
	tb.Cleanup(func() { first.Drain(); f.svc.Drain() })
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

var symbols atomic.Int64

// nextSymbol returns a document symbol no other call returned: a symbol
// names one document.
func nextSymbol() string { return fmt.Sprintf("T/%d", symbols.Add(1)) }
