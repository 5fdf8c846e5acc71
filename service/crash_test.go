package service_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/service"
	"chancery/storage"
)

// dyingStore passes every operation to a store until the process it
// serves "dies" at its crashAt-th write: that write happens (landed) or
// not, and fails either way, and every operation after it fails, as
// nothing more of a dead process reaches the storage.
type dyingStore struct {
	drafts.ObjectStore
	mu      sync.Mutex
	writes  int
	crashAt int // 0: never
	landed  bool
	dead    bool
}

var errDied = drafts.Errorf(drafts.EUNAVAILABLE, "the process died")

// write runs f unless the process is dead or dies at this write.
func (c *dyingStore) write(f func() (string, error)) (string, error) {
	c.mu.Lock()
	c.writes++
	n := c.writes
	dies := !c.dead && c.crashAt > 0 && n == c.crashAt
	dead := c.dead || dies
	c.dead = dead
	c.mu.Unlock()
	switch {
	case !dead:
		return f()
	case dies && c.landed:
		f()
	}
	return "", errDied
}

func (c *dyingStore) alive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.dead
}

func (c *dyingStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	return c.write(func() (string, error) { return c.ObjectStore.Create(ctx, key, data) })
}

func (c *dyingStore) Update(ctx context.Context, key string, data []byte, etag string) (string, error) {
	return c.write(func() (string, error) { return c.ObjectStore.Update(ctx, key, data, etag) })
}

func (c *dyingStore) Delete(ctx context.Context, key, etag string) error {
	_, err := c.write(func() (string, error) { return "", c.ObjectStore.Delete(ctx, key, etag) })
	return err
}

func (c *dyingStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	if !c.alive() {
		return nil, errDied
	}
	return c.ObjectStore.Get(ctx, key)
}

func (c *dyingStore) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	if !c.alive() {
		return nil, "", errDied
	}
	return c.ObjectStore.List(ctx, prefix, after, limit)
}

// crashWorld is what a change is made in: a document with open
// proposals, on a store that holds what setup left.
type crashWorld struct {
	svc            *service.Service
	chair, kz, in  context.Context
	system         context.Context
	doc            string
	v              *drafts.Version
	proposals      []string
	clock          *time.Time
	round, tokenID string
	position, hook string
}

// crashPolicy is the policy of the crash tests' services, loaded once.
var crashPolicy = sync.OnceValue(func() *policy.Enforcer {
	e, err := policy.New()
	if err != nil {
		panic(err)
	}
	return e
})

// newCrashService returns a service (a process) on store, with the
// policy, its clock at *clock.
func newCrashService(store drafts.ObjectStore, clock *time.Time) *service.Service {
	svc := service.New(store, diffing.New(), crashPolicy())
	svc.Clock = func() time.Time { return *clock }
	svc.SilenceMin = time.Hour
	return svc
}

// crashSetup makes the world a change of each kind starts from.
func crashSetup(tb testing.TB, local *storage.Local) *crashWorld {
	tb.Helper()
	clock := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	w := &crashWorld{
		chair:  drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"}),
		kz:     drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}),
		in:     drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "in", Role: drafts.RoleDelegate, Delegation: "IN", DelegationStatus: drafts.StatusMember}),
		system: drafts.NewSystemContext(context.Background()),
		clock:  &clock,
	}
	w.svc = newCrashService(local, w.clock)
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	_, err := w.svc.Bootstrap(context.Background(), "")
	must(err)
	must(w.svc.CreateDelegation(w.system, &drafts.Delegation{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember}))
	d, v, err := w.svc.CreateDocument(w.chair, &drafts.Document{Symbol: nextSymbol(), Title: "T", Kind: "other", Body: "SWG", Language: "en", Visibility: "members"},
		"1. One.\n\n2. Two.\n\n3. Three.\n\n4. Four.\n")
	must(err)
	w.doc, w.v = d.ID, v
	for i, op := range []drafts.Operation{
		{Op: "replace", Provision: v.Provisions[0].ID, Text: "First changed."},
		{Op: "replace", Provision: v.Provisions[1].ID, Text: "Second changed."},
		{Op: "delete", Provision: v.Provisions[2].ID},
		{Op: "replace", Provision: v.Provisions[2].ID, Text: "Third changed."}, // obsolete once 3 is deleted
	} {
		p, err := w.svc.CreateProposal(w.kz, w.doc, drafts.ProposalInput{Base: 1, Justification: fmt.Sprint(i), Operations: []drafts.Operation{op}})
		must(err)
		w.proposals = append(w.proposals, p.ID)
	}
	return w
}

// crashKinds are the changes made under a crash, each from crashSetup's
// world after its own preparation.
var crashKinds = []struct {
	name    string
	prepare func(w *crashWorld) error
	change  func(w *crashWorld) error
}{
	{"document", nil, func(w *crashWorld) error {
		_, _, err := w.svc.CreateDocument(w.chair, &drafts.Document{Symbol: nextSymbol(), Title: "T", Kind: "other", Body: "SWG", Language: "en", Visibility: "members"}, "1. One.\n")
		return err
	}},
	{"proposal", nil, func(w *crashWorld) error {
		_, err := w.svc.CreateProposal(w.in, w.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: w.v.Provisions[3].ID, Text: "Four changed."}}})
		return err
	}},
	{"edit", nil, func(w *crashWorld) error {
		_, err := w.svc.EditProposal(w.kz, w.doc, w.proposals[0], drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: w.v.Provisions[0].ID, Text: "Edited."}}}, "")
		return err
	}},
	{"comment", nil, func(w *crashWorld) error {
		_, err := w.svc.CommentProposal(w.in, w.doc, w.proposals[0], "Noted.", "")
		return err
	}},
	{"co-sponsorship", nil, func(w *crashWorld) error {
		_, err := w.svc.CosponsorProposal(w.in, w.doc, w.proposals[0], "")
		return err
	}},
	{"withdrawal", nil, func(w *crashWorld) error {
		_, err := w.svc.WithdrawProposal(w.kz, w.doc, w.proposals[0], "")
		return err
	}},
	{"rejection", nil, func(w *crashWorld) error {
		_, err := w.svc.RejectProposal(w.chair, w.doc, w.proposals[0], "No.", "")
		return err
	}},
	{"merge", nil, func(w *crashWorld) error {
		_, err := w.svc.Merge(w.chair, w.doc, drafts.MergeInput{Base: 1, Proposals: w.proposals[:3]})
		return err
	}},
	{"version", nil, func(w *crashWorld) error {
		_, err := w.svc.CreateVersion(w.chair, w.doc, 1, "1. One.\n\n2. Two, revised.\n\n3. Three.\n\n4. Four.\n", "revised")
		return err
	}},
	{"renumbering", func(w *crashWorld) error {
		_, err := w.svc.CreateVersion(w.chair, w.doc, 1, "1. One.\n\n3. Three.\n", "gap")
		return err
	}, func(w *crashWorld) error {
		_, err := w.svc.RenumberVersion(w.chair, w.doc, drafts.RenumberInput{Base: 2})
		return err
	}},
	{"status", nil, func(w *crashWorld) error {
		_, _, err := w.svc.SetProvisionStatus(w.chair, w.doc, 1, w.v.Provisions[1].ID, drafts.ProvisionAgreed, "")
		return err
	}},
	{"adoption", nil, func(w *crashWorld) error { return w.open(drafts.ProcedureConsensus) }},
	{"consent", func(w *crashWorld) error { return w.open(drafts.ProcedureConsensus) }, func(w *crashWorld) error { _, err := w.svc.Consent(w.kz, w.doc); return err }},
	{"objection", func(w *crashWorld) error { return w.open(drafts.ProcedureConsensus) }, func(w *crashWorld) error { _, err := w.svc.Object(w.kz, w.doc, "Not yet."); return err }},
	{"close", func(w *crashWorld) error { return w.open(drafts.ProcedureConsensus) }, func(w *crashWorld) error { _, err := w.svc.CloseAdoption(w.chair, w.doc); return err }},
	{"silence broken", func(w *crashWorld) error { return w.open(drafts.ProcedureSilence) }, func(w *crashWorld) error { _, err := w.svc.Object(w.kz, w.doc, "No."); return err }},
	{"silence kept", func(w *crashWorld) error {
		if err := w.open(drafts.ProcedureSilence); err != nil {
			return err
		}
		*w.clock = w.clock.Add(3 * time.Hour)
		return nil
	}, func(w *crashWorld) error { return w.svc.SettleDue(w.system) }},
	{"delegation", nil, func(w *crashWorld) error {
		return w.svc.CreateDelegation(w.system, &drafts.Delegation{ID: "IN", Name: "India", Status: drafts.StatusMember})
	}},
	{"user", nil, func(w *crashWorld) error {
		_, err := w.svc.CreateUser(w.system, &drafts.User{Name: "Delegate", Role: drafts.RoleDelegate, Delegation: "KZ"})
		return err
	}},
	{"token", nil, func(w *crashWorld) error { _, _, err := w.svc.IssueToken(w.system, "secretariat"); return err }},
	{"revocation", func(w *crashWorld) error {
		t, _, err := w.svc.IssueToken(w.system, "secretariat")
		if err == nil {
			w.tokenID = t.ID
		}
		return err
	}, func(w *crashWorld) error { _, err := w.svc.RevokeToken(w.system, w.tokenID); return err }},
	{"access recovery", nil, func(w *crashWorld) error {
		_, err := w.svc.RecoverAccess(w.system, drafts.RecoverAccessInput{User: "secretariat", Operator: "ops", RevokeOthers: true})
		return err
	}},
}

func (w *crashWorld) open(procedure string) error {
	in := drafts.AdoptionInput{Procedure: procedure}
	if procedure == drafts.ProcedureSilence {
		dl := w.clock.Add(2 * time.Hour)
		in.Deadline = &dl
	}
	r, err := w.svc.OpenAdoption(w.chair, w.doc, in)
	if err == nil {
		w.round = r.ID
	}
	return err
}

// verifyAll verifies the document's trail and the directory's, from a
// fresh service (a process started on the store), and fails unless both
// are intact and complete, with one event per change.
func verifyAll(t *testing.T, local *storage.Local, w *crashWorld, when string) {
	t.Helper()
	svc := newCrashService(local, w.clock)
	v, err := svc.VerifyEvents(w.system, w.doc)
	if err != nil {
		t.Fatalf("%s: verifying: %v", when, err)
	}
	_, dv, err := svc.DirectoryEvents(w.system)
	if err != nil {
		t.Fatalf("%s: verifying the directory: %v", when, err)
	}
	for _, v := range []*drafts.Verification{v, dv} {
		if !v.OK || len(v.Unrecorded) > 0 || len(v.Duplicates) > 0 {
			t.Fatalf("%s: verification %+v", when, v)
		}
	}
}

// TestCrashAtEveryStep: for every kind of change, the process dies at
// each of the change's writes in turn, the write landing or not. If the
// change was acknowledged, its event is in the trail already; after a
// restart (completion at start, or another replica's sweep) every stored
// change has exactly one event; and verification of the document's trail
// and the directory's is ok.
func TestCrashAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("hundreds of crashes")
	}
	for _, kind := range append(crashKinds, crashKindsOfMain...) {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			// The world the change starts from, made once and copied for
			// each crash.
			template := memDir(t)
			local, err := storage.OpenLocal(template)
			if err != nil {
				t.Fatal(err)
			}
			w0 := crashSetup(t, local)
			if kind.prepare != nil {
				if err := kind.prepare(w0); err != nil {
					t.Fatal(err)
				}
			}
			local.Close()
			for at := 1; ; at++ {
				for _, landed := range []bool{false, true} {
					if done := crashOnce(t, kind.name, kind.change, template, w0, at, landed); done {
						return
					}
				}
			}
		})
	}
}

// memDir returns a new directory, removed when t ends, in memory where
// the system has a tmpfs (/dev/shm): the crashes are the test's own (a
// store that stops), not the disk's, so the fsyncs of hundreds of worlds
// need not wait for one.
func memDir(t *testing.T) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "chancery-crash-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

// crashOnce makes a change of kind name in a copy of the world in
// template, the process dying at write at (the write landing or not), and
// checks the trails; it reports whether the change was over before.
func crashOnce(t *testing.T, name string, change func(*crashWorld) error, template string, w0 *crashWorld, at int, landed bool) bool {
	t.Helper()
	dir := memDir(t)
	if err := os.CopyFS(dir, os.DirFS(template)); err != nil {
		t.Fatal(err)
	}
	local, err := storage.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	w := *w0
	clock := *w0.clock
	w.clock = &clock
	crash := &dyingStore{ObjectStore: local, crashAt: at, landed: landed}
	w.svc = newCrashService(crash, w.clock)
	err = change(&w)
	// What the change left to do after answering (a merge's hint) is
	// done, or dies, before the process is judged.
	w.svc.Drain()
	when := fmt.Sprintf("dying at write %d (landed %v)", at, landed)
	// The sweep of silence procedures (the one change no request
	// acknowledges) logs what fails and goes on.
	background := name == "silence kept"
	if err == nil && (!background || crash.alive()) {
		// Acknowledged: its events are written, before any completion.
		verifyAll(t, local, &w, when+", acknowledged")
	} else if err != nil && crash.alive() {
		t.Fatalf("%s: %v", when, err)
	}
	// Another process completes what the dead one owed: at its start
	// (past every cache), or in its periodic sweep.
	restarted := newCrashService(local, w.clock)
	complete := restarted.CompleteAllEvents
	if landed {
		complete = restarted.SweepEvents
	}
	if _, err := complete(context.Background()); err != nil {
		t.Fatalf("%s: completing: %v", when, err)
	}
	verifyAll(t, local, &w, when+", after the restart")
	if crash.alive() {
		t.Logf("%d writes; a crash at each verified", crash.writes)
		return true
	}
	return false
}

// flakyEvents loses some of the event writes of the service it serves:
// they fail (landing or not), so that its changes owe their events. Every
// other write takes a moment, so that completions see changes whose
// events are on their way.
type flakyEvents struct {
	drafts.ObjectStore
	mu   sync.Mutex
	n    int
	lose bool
}

func (f *flakyEvents) Update(ctx context.Context, key string, data []byte, etag string) (string, error) {
	defer time.Sleep(25 * time.Millisecond)
	return f.ObjectStore.Update(ctx, key, data, etag)
}

func (f *flakyEvents) Create(ctx context.Context, key string, data []byte) (string, error) {
	f.mu.Lock()
	f.n++
	n := f.n
	f.mu.Unlock()
	if !strings.Contains(key, "/events") {
		defer time.Sleep(25 * time.Millisecond)
	}
	if f.lose && strings.Contains(key, "/events/") && n%3 == 0 {
		if n%2 == 0 {
			f.ObjectStore.Create(ctx, key, data) // it landed; the answer was lost
		}
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "storage unreachable")
	}
	return f.ObjectStore.Create(ctx, key, data)
}

// TestCompletionRacingWriters: two replicas complete a trail over and
// over while others make changes, some of which owe their events (their
// event writes fail, landing or not): every change ends with exactly one
// event, whichever replica wrote it.
func TestCompletionRacingWriters(t *testing.T) {
	local := MustOpenLocal(t)
	w := crashSetup(t, local)
	flaky := newCrashService(&flakyEvents{ObjectStore: local, lose: true}, w.clock)

	slow := newCrashService(&flakyEvents{ObjectStore: local}, w.clock)

	stop := make(chan struct{})
	var completers sync.WaitGroup
	for i := 0; i < 2; i++ {
		replica := newCrashService(local, w.clock)
		completers.Add(1)
		go func() {
			defer completers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := replica.CompleteEvents(context.Background(), w.doc); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var writers sync.WaitGroup
	for i, svc := range []*service.Service{slow, flaky, slow, flaky} {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for j := 0; j < 15; j++ {
				who := []context.Context{w.kz, w.in}[j%2]
				_, err := svc.CommentProposal(who, w.doc, w.proposals[(i+j)%len(w.proposals)], fmt.Sprintf("Remark %d.%d", i, j), "")
				if err != nil && !drafts.IsCode(err, drafts.EUNAVAILABLE) {
					t.Error(err)
				}
				_, err = svc.CreateProposal(who, w.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: w.v.Provisions[3].ID, Text: fmt.Sprintf("Four, %d.%d.", i, j)}}})
				if err != nil && !drafts.IsCode(err, drafts.EUNAVAILABLE) {
					t.Error(err)
				}
			}
		}()
	}
	writers.Wait()
	close(stop)
	completers.Wait()
	if _, err := newCrashService(local, w.clock).CompleteAllEvents(context.Background()); err != nil {
		t.Fatal(err)
	}
	verifyAll(t, local, w, "after the race")
}
