package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

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
