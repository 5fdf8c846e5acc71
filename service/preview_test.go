package service_test

import (
	"context"
	"testing"

	"chancery/drafts"
)

// TestPreviewWithOpenCollisions: a merge preview with a collision no
// resolution settles shows every other change, keeps the head's text of
// the colliding provision and names the collision; the compilation marks
// the same provision colliding; the merge itself still refuses; nothing
// is stored by the preview.
func TestPreviewWithOpenCollisions(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. The Member States met.\n\n2. They spoke.\n\n3. They agreed.\n")
	in := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "in", Role: drafts.RoleDelegate, Delegation: "IN", DelegationStatus: drafts.StatusMember})
	p1, p3 := f.v.Provisions[0].ID, f.v.Provisions[2].ID
	kzp, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: p1, Text: "The Member States met in Astana."}}})
	if err != nil {
		t.Fatal(err)
	}
	inp, err := f.svc.CreateProposal(in, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{
		{Op: "replace", Provision: p1, Text: "The Member States met in Delhi."},
		{Op: "replace", Provision: p3, Text: "They agreed unanimously."},
	}})
	if err != nil {
		t.Fatal(err)
	}
	comp, _, err := f.svc.Compile(f.chair, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range comp.Entries {
		if e.Colliding != (e.Provision.ID == p1) {
			t.Errorf("compilation: provision %s colliding %v", e.Provision.ID, e.Colliding)
		}
	}
	merge := drafts.MergeInput{Base: 1, Proposals: []string{kzp.ID, inp.ID}, Message: "Preview", Preview: true}
	res, err := f.svc.Merge(f.chair, f.doc, merge)
	if err != nil {
		t.Fatalf("preview with an open collision: %v", err)
	}
	if len(res.Collisions) != 1 || res.Collisions[0].Provision != p1 || len(res.Collisions[0].Proposals) != 2 {
		t.Fatalf("collisions %+v, want the one on %s", res.Collisions, p1)
	}
	changed := map[string]string{}
	for _, c := range res.Diff.Changes {
		if c.Kind != drafts.ChangeUnchanged {
			changed[c.Provision] = c.Text
		}
	}
	if len(changed) != 1 || changed[p3] != "They agreed unanimously." {
		t.Errorf("preview changes %v, want only provision 3", changed)
	}
	if got := res.Version.Provisions[0].Text; got != "The Member States met." {
		t.Errorf("the colliding provision reads %q in the preview, want the head's text", got)
	}
	// Resolved, the preview has no collision left.
	merge.Resolutions = map[string]string{p1: "The Member States met online."}
	if res, err = f.svc.Merge(f.chair, f.doc, merge); err != nil || len(res.Collisions) != 0 {
		t.Fatalf("resolved preview: %v, %+v", err, res)
	}
	merge.Preview, merge.Resolutions = false, nil
	if _, err := f.svc.Merge(f.chair, f.doc, merge); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Errorf("merging with the collision open: %v, want ECONFLICT", err)
	}
	d, err := f.svc.GetDocument(f.chair, f.doc)
	if err != nil || d.Head != 1 {
		t.Errorf("head %d after previews, want 1 (%v)", d.Head, err)
	}
}
