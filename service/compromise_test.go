package service_test

import (
	"context"
	"reflect"
	"testing"

	"chancery/drafts"
)

// TestCompromiseCreditsTheChair: KZ and IN both replace paragraph 1, IN
// also replaces paragraph 3, and the chair merges both with a compromise
// on paragraph 1. The merge preview's diff, the stored version's
// attribution and the version's diff all credit paragraph 1 to the chair,
// never to KZ or IN, and paragraph 3 to IN; the preview says exactly what
// the stored version's diff says.
func TestCompromiseCreditsTheChair(t *testing.T) {
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
	const chair = "Chair (SWG)"
	in1 := drafts.MergeInput{Base: 1, Proposals: []string{kzp.ID, inp.ID}, Resolutions: map[string]string{p1: "The Member States met online."}, Message: "Compromise"}

	// who says who each change is credited to: the change's delegations
	// and proposals, and each changed segment's delegation and proposal.
	type credit struct {
		Delegations, Proposals []string
		Segments               []string
	}
	who := func(d *drafts.Diff) map[string]credit {
		out := map[string]credit{}
		for _, c := range d.Changes {
			if c.Kind == drafts.ChangeUnchanged {
				continue
			}
			cr := credit{Delegations: c.Delegations, Proposals: c.Proposals}
			for _, s := range c.Segments {
				if s.Op != drafts.SegEqual {
					cr.Segments = append(cr.Segments, s.Op+" "+s.Text+" by "+s.Delegation+"/"+s.Proposal)
				}
			}
			out[c.Provision] = cr
		}
		return out
	}
	wantAttribution := []drafts.Attribution{{Provision: p1, Delegation: chair}, {Provision: p3, Proposal: inp.ID, Delegation: "IN"}}
	if p3 < p1 {
		wantAttribution[0], wantAttribution[1] = wantAttribution[1], wantAttribution[0]
	}

	preview := in1
	preview.Preview = true
	res, err := f.svc.Merge(f.chair, f.doc, preview)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Version.Attribution, wantAttribution) {
		t.Errorf("preview attribution = %+v, want %+v", res.Version.Attribution, wantAttribution)
	}
	if res.Diff == nil {
		t.Fatal("a preview without its diff")
	}
	previewed := who(res.Diff)
	if got := previewed[p1]; !reflect.DeepEqual(got.Delegations, []string{chair}) || len(got.Proposals) != 0 || len(got.Segments) == 0 {
		t.Errorf("preview credits paragraph 1 to %+v, want the chair alone", got)
	}
	for _, s := range previewed[p1].Segments {
		if s[len(s)-len(chair)-1:] != chair+"/" {
			t.Errorf("preview segment %q not credited to the chair", s)
		}
	}
	if got := previewed[p3]; !reflect.DeepEqual(got.Delegations, []string{"IN"}) || !reflect.DeepEqual(got.Proposals, []string{inp.ID}) {
		t.Errorf("preview credits paragraph 3 to %+v, want IN", got)
	}
	if v, err := f.svc.GetVersion(f.chair, f.doc, 2); err == nil {
		t.Fatalf("the preview stored version %d", v.Number)
	}

	merged, err := f.svc.Merge(f.chair, f.doc, in1)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := f.svc.GetVersion(f.kz, f.doc, merged.Version.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stored.Attribution, wantAttribution) {
		t.Errorf("stored attribution = %+v, want %+v", stored.Attribution, wantAttribution)
	}
	d, _, _, err := f.svc.VersionDiff(f.kz, f.doc, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := who(d); !reflect.DeepEqual(got, previewed) {
		t.Errorf("the version's diff credits\n%+v\nthe preview credited\n%+v", got, previewed)
	}
}
