package service_test

import (
	"context"
	"strings"
	"testing"

	"chancery/drafts"
)

// subFixture is a document with the delegations KZ, IN and CN in the
// directory, and a proposal 1 by Kazakhstan: paragraph 2 replaced and a
// paragraph 4 inserted after paragraph 3.
type subFixture struct {
	*fixture
	in, cn   context.Context
	p        *drafts.Proposal
	inserted string // the id of the paragraph proposal 1 inserts
}

const subText = "1. The Member States met.\n\n2. They spoke at length in the hall.\n\n3. They agreed.\n"

func mustSubFixture(t *testing.T) *subFixture {
	t.Helper()
	f := &subFixture{fixture: MustFixture(t, MustOpenLocal(t), subText)}
	sys := drafts.NewSystemContext(context.Background())
	for _, d := range []drafts.Delegation{
		{ID: "KZ", Name: "Kazakhstan", NameRu: "Казахстан", Status: drafts.StatusMember},
		{ID: "IN", Name: "India", Status: drafts.StatusMember},
		{ID: "CN", Name: "China", Status: drafts.StatusMember},
		{ID: "JP", Name: "Japan", Status: drafts.StatusObserver},
	} {
		if err := f.svc.CreateDelegation(sys, &d); err != nil {
			t.Fatal(err)
		}
	}
	f.in = drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "in", Role: drafts.RoleDelegate, Delegation: "IN", DelegationStatus: drafts.StatusMember})
	f.cn = drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "cn", Role: drafts.RoleDelegate, Delegation: "CN", DelegationStatus: drafts.StatusMember})
	p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Justification: "Where.", Operations: []drafts.Operation{
		replaceOp(f.v.Provisions[1].ID, "They spoke at length in the great hall of Astana."),
		{Op: drafts.OpInsert, After: f.v.Provisions[2].ID, Text: "4. They shall meet again next year."},
	}})
	if err != nil {
		t.Fatal(err)
	}
	f.p = p
	for _, o := range p.Operations {
		if o.Op == drafts.OpInsert {
			f.inserted = o.ID
		}
	}
	return f
}

// amend makes a sub-amendment by ctx to proposal ref.
func (f *subFixture) amend(t *testing.T, ctx context.Context, ref string, ops ...drafts.Operation) *drafts.Proposal {
	t.Helper()
	s, err := f.svc.CreateProposal(ctx, f.doc, drafts.ProposalInput{Amends: ref, Justification: "Shorter.", Operations: ops})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// changed lists the inserted and deleted words of a diff: "+briefly".
func changed(d *drafts.Diff) []string {
	var out []string
	for _, c := range d.Changes {
		for _, s := range c.Segments {
			switch s.Op {
			case drafts.SegInsert:
				out = append(out, "+"+strings.TrimSpace(s.Text)+" by "+s.Delegation)
			case drafts.SegDelete:
				out = append(out, "-"+strings.TrimSpace(s.Text)+" by "+s.Delegation)
			}
		}
		if c.Kind == drafts.ChangeInserted || c.Kind == drafts.ChangeDeleted {
			out = append(out, c.Kind+" "+c.Text)
		}
	}
	return out
}

// TestSubAmendmentDiff: India's sub-amendment to proposal 1 is numbered
// and named after it; against the amended proposal its diff marks only
// the words it changes, credited to India; against the base it is the
// text the two make together.
func TestSubAmendmentDiff(t *testing.T) {
	f := mustSubFixture(t)
	s := f.amend(t, f.in, "1",
		replaceOp(f.v.Provisions[1].ID, "They spoke briefly in the great hall of Astana."),
		replaceOp(f.inserted, "They shall meet again in two years."))
	if s.Number != 2 || s.Amends != f.p.ID || s.AmendsNumber != 1 || s.Base != 1 {
		t.Fatalf("sub-amendment %+v", s)
	}
	in := &drafts.Delegation{ID: "IN", Name: "India"}
	if got, want := s.Name("en", in), "Proposal 2 (India), amending Proposal 1"; got != want {
		t.Errorf("name %q, want %q", got, want)
	}
	d, err := f.svc.ProposalDiff(f.kz, f.doc, "2", "amended")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(changed(d), "; "), "-at length by IN; +briefly by IN; -next year by IN; +in two years by IN"; got != want {
		t.Errorf("against the amended proposal: %s\nwant %s", got, want)
	}
	if len(d.Refs) != 1 || d.Refs[0].Number != 2 || d.Refs[0].AmendsNumber != 1 {
		t.Errorf("refs %+v", d.Refs)
	}
	base, err := f.svc.ProposalDiff(f.kz, f.doc, s.ID, "base")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(changed(base), "; "); !strings.Contains(got, "+great by IN") || !strings.Contains(got, "inserted They shall meet again in two years.") {
		t.Errorf("against the base: %s", got)
	}
	if _, err := f.svc.ProposalDiff(f.kz, f.doc, "1", "amended"); !drafts.IsCode(err, drafts.EINVALID) {
		t.Errorf("a proposal that amends none against amended: %v, want EINVALID", err)
	}
}

// TestSubAmendmentRefused: what a sub-amendment may not be, each a 422
// (EINVALID) naming the field and saying why.
func TestSubAmendmentRefused(t *testing.T) {
	f := mustSubFixture(t)
	p2 := f.v.Provisions[1].ID
	s := f.amend(t, f.in, f.p.ID, replaceOp(p2, "They spoke briefly."))
	withdrawn, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "They met.")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.WithdrawProposal(f.kz, f.doc, withdrawn.ID, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		ctx    context.Context
		in     drafts.ProposalInput
		field  string
		saying string
	}{
		{"no such proposal", f.in, drafts.ProposalInput{Amends: "99", Operations: []drafts.Operation{replaceOp(p2, "X.")}}, "amends", "no proposal 99"},
		{"a sub-amendment", f.cn, drafts.ProposalInput{Amends: s.ID, Operations: []drafts.Operation{replaceOp(p2, "X.")}}, "amends", "cannot be amended"},
		{"not open", f.in, drafts.ProposalInput{Amends: withdrawn.ID, Operations: []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "X.")}}, "amends", "withdrawn"},
		{"its own", f.kz, drafts.ProposalInput{Amends: "1", Operations: []drafts.Operation{replaceOp(p2, "X.")}}, "amends", "own proposal"},
		{"a provision it does not touch", f.in, drafts.ProposalInput{Amends: "1", Operations: []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "X.")}}, "operations[0]", "does not change"},
		{"an insertion", f.in, drafts.ProposalInput{Amends: "1", Operations: []drafts.Operation{{Op: drafts.OpInsert, After: p2, Text: "2bis. X."}}}, "operations[0]", "only replaces"},
		{"a deletion", f.in, drafts.ProposalInput{Amends: "1", Operations: []drafts.Operation{{Op: drafts.OpDelete, Provision: p2}}}, "operations[0]", "only replaces"},
		{"no change", f.in, drafts.ProposalInput{Amends: "1", Operations: []drafts.Operation{replaceOp(p2, "They spoke at length in the great hall of Astana.")}}, "operations", "changes nothing"},
		{"another base", f.in, drafts.ProposalInput{Amends: "1", Base: 2, Operations: []drafts.Operation{replaceOp(p2, "X.")}}, "base", "version 1"},
		{"a whole text", f.in, drafts.ProposalInput{Amends: "1", Text: subText}, "text", "gives operations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.CreateProposal(tt.ctx, f.doc, tt.in)
			e := drafts.AsError(err)
			if !drafts.IsCode(err, drafts.EINVALID) || len(e.Fields) == 0 || e.Fields[0].Field != tt.field || !strings.Contains(e.Message, tt.saying) {
				t.Errorf("%v (fields %+v), want EINVALID on %s saying %q", err, e.Fields, tt.field, tt.saying)
			}
		})
	}
}

// TestSubAmendmentMerge: merged alone, a sub-amendment is refused; merged
// with the proposal it amends, its texts are the version's, it is
// accepted and the amended proposal accepted as modified by it; the
// version credits each word to the delegation whose text holds it.
func TestSubAmendmentMerge(t *testing.T) {
	f := mustSubFixture(t)
	p2 := f.v.Provisions[1].ID
	s := f.amend(t, f.in, "1", replaceOp(p2, "They spoke briefly in the great hall of Astana."))
	_, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{s.ID}, Message: "m"})
	if e := drafts.AsError(err); !drafts.IsCode(err, drafts.EINVALID) || !strings.Contains(e.Message, "Proposal 2 (India), amending Proposal 1, cannot be merged alone") {
		t.Fatalf("the sub-amendment alone: %v, want EINVALID saying so", err)
	}
	res, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{"2", "1"}, Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Version.Text(), "1. The Member States met.\n\n2. They spoke briefly in the great hall of Astana.\n\n3. They agreed.\n\n4. They shall meet again next year.\n"; got != want {
		t.Errorf("merged text:\n%s\nwant:\n%s", got, want)
	}
	gotP, _ := f.svc.GetProposal(f.kz, f.doc, "1")
	gotS, _ := f.svc.GetProposal(f.kz, f.doc, "2")
	if gotP.Status != drafts.ProposalAcceptedModified || gotP.Reason != "merged as amended by Proposal 2 (India), amending Proposal 1" || gotP.MergedInto != 2 {
		t.Errorf("amended proposal: %s %q merged into %d", gotP.Status, gotP.Reason, gotP.MergedInto)
	}
	if gotS.Status != drafts.ProposalAccepted || gotS.MergedInto != 2 {
		t.Errorf("sub-amendment: %s merged into %d", gotS.Status, gotS.MergedInto)
	}
	d, _, _, err := f.svc.VersionDiff(f.kz, f.doc, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Join(changed(d), "; ")
	for _, want := range []string{"+briefly by IN", "-at length by IN", "great by KZ"} {
		if !strings.Contains(words, want) {
			t.Errorf("version diff %s: missing %q", words, want)
		}
	}
}

// TestSubAmendmentObsolete: a sub-amendment becomes obsolete, with an
// event that says why, when the proposal it amends is merged without it,
// withdrawn, rejected, or edited so that it no longer gives the texts it
// replaces; an edit that keeps them keeps it open.
func TestSubAmendmentObsolete(t *testing.T) {
	cases := []struct {
		name, reason string
		do           func(t *testing.T, f *subFixture) error
	}{
		{"merged without it", "Proposal 1 (Kazakhstan), which it amends, was merged into version 2 without it", func(t *testing.T, f *subFixture) error {
			_, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{"1"}, Message: "m"})
			return err
		}},
		{"withdrawn", "Proposal 1 (Kazakhstan), which it amends, was withdrawn", func(t *testing.T, f *subFixture) error {
			_, err := f.svc.WithdrawProposal(f.kz, f.doc, "1", "")
			return err
		}},
		{"rejected", "Proposal 1 (Kazakhstan), which it amends, was rejected", func(t *testing.T, f *subFixture) error {
			_, err := f.svc.RejectProposal(f.chair, f.doc, "1", "Not now.", "")
			return err
		}},
		{"edited away", "Proposal 1 (Kazakhstan), which it amends, was edited and no longer gives the texts it replaces", func(t *testing.T, f *subFixture) error {
			_, err := f.svc.EditProposal(f.kz, f.doc, "1", drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[2].ID, "They agreed at once.")}}, "")
			return err
		}},
		{"edited, still fitting", "", func(t *testing.T, f *subFixture) error {
			_, err := f.svc.EditProposal(f.kz, f.doc, "1", drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[1].ID, "They spoke at length in the hall of Astana.")}}, "")
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := mustSubFixture(t)
			s := f.amend(t, f.in, "1", replaceOp(f.v.Provisions[1].ID, "They spoke briefly in the great hall of Astana."))
			if err := c.do(t, f); err != nil {
				t.Fatal(err)
			}
			got, err := f.svc.GetProposal(f.kz, f.doc, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.reason == "" {
				if got.Status != drafts.ProposalOpen {
					t.Fatalf("sub-amendment %s (%q), want open", got.Status, got.Reason)
				}
				return
			}
			if got.Status != drafts.ProposalObsolete || got.Reason != c.reason {
				t.Fatalf("sub-amendment %s %q, want obsolete: %q", got.Status, got.Reason, c.reason)
			}
			events, err := f.svc.ListEvents(f.kz, f.doc, drafts.ListOptions{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range events.Items {
				found = found || e.Action == "proposal.obsolete" && e.Ref == s.ID && e.Detail == c.reason
			}
			if !found {
				t.Errorf("no event says why %s became obsolete", s.ID)
			}
		})
	}
}

// TestCompilationNestsSubAmendments: the compilation lists a
// sub-amendment under the change of the proposal it amends, with its
// changes to that proposal's text, and not on its own.
func TestCompilationNestsSubAmendments(t *testing.T) {
	f := mustSubFixture(t)
	s := f.amend(t, f.in, "1", replaceOp(f.v.Provisions[1].ID, "They spoke briefly in the great hall of Astana."))
	comp, _, err := f.svc.Compile(f.kz, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	var top []drafts.CompiledProposal
	for _, e := range comp.Entries {
		top = append(top, e.Proposals...)
	}
	if len(top) != 2 {
		t.Fatalf("%d changes listed, want proposal 1's two: %+v", len(top), top)
	}
	replace := comp.Entries[1].Proposals[0]
	if replace.Refs[0].Number != 1 || len(replace.SubAmendments) != 1 {
		t.Fatalf("paragraph 2: %+v", replace)
	}
	sub := replace.SubAmendments[0]
	if sub.Proposals[0] != s.ID || sub.Refs[0].AmendsNumber != 1 || sub.Text != "They spoke briefly in the great hall of Astana." {
		t.Errorf("nested %+v", sub)
	}
	var marked []string
	for _, sg := range sub.Segments {
		if sg.Op != drafts.SegEqual {
			marked = append(marked, sg.Op+" "+strings.TrimSpace(sg.Text)+" "+sg.Delegation)
		}
	}
	if got, want := strings.Join(marked, "; "), "delete at length IN; insert briefly IN"; got != want {
		t.Errorf("nested changes %s, want %s", got, want)
	}
	if len(comp.Entries[2].Proposals[0].SubAmendments) != 0 {
		t.Errorf("the insertion has sub-amendments: %+v", comp.Entries[2].Proposals[0])
	}
	if comp.Delegations["IN"].Name != "India" || comp.Delegations["KZ"].NameRu != "Казахстан" {
		t.Errorf("names %+v", comp.Delegations)
	}
	if np, nd := comp.Counts(); np != 2 || nd != 2 {
		t.Errorf("counts %d proposals, %d delegations", np, nd)
	}
}

// TestOralProposal: the chair records a proposal Kazakhstan made aloud:
// credited to Kazakhstan in its diff, marked oral, recorded by the chair,
// whom the audit trail names; Kazakhstan may edit and withdraw it as its
// own, India may not; only the chair of the body records one, for a
// member delegation.
func TestOralProposal(t *testing.T) {
	f := mustSubFixture(t)
	in := drafts.ProposalInput{Base: 1, OnBehalfOf: "KZ", Source: drafts.SourceOral, Operations: []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "The Member States met in Astana.")}}
	p, err := f.svc.CreateProposal(f.chair, f.doc, in)
	if err != nil {
		t.Fatal(err)
	}
	if p.Delegation != "KZ" || p.Source != drafts.SourceOral || p.RecordedBy != "chair" || p.Author != "chair" || p.Number != 2 {
		t.Fatalf("oral proposal %+v", p)
	}
	d, err := f.svc.ProposalDiff(f.kz, f.doc, p.ID, "base")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(changed(d), "; "); got != "+in Astana by KZ" || d.Changes[0].Delegations[0] != "KZ" {
		t.Errorf("diff %s, credited to %v", got, d.Changes[0].Delegations)
	}
	events, err := f.svc.ListEvents(f.kz, f.doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var created *drafts.Event
	for _, e := range events.Items {
		if e.Action == "proposal.create" && e.Ref == p.ID {
			created = e
		}
	}
	if created == nil || created.Actor != "chair" || !strings.Contains(created.Detail, "Proposal 2 (Kazakhstan)") || !strings.Contains(created.Detail, "made orally, recorded by the chair") {
		t.Errorf("creation event %+v", created)
	}
	if _, err := f.svc.WithdrawProposal(f.in, f.doc, "2", ""); !drafts.IsCode(err, drafts.EFORBIDDEN) {
		t.Errorf("India withdraws Kazakhstan's oral proposal: %v", err)
	}
	in.OnBehalfOf, in.Source = "", ""
	in.Operations = []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "The Member States met in Almaty.")}
	if _, err := f.svc.EditProposal(f.kz, f.doc, "2", in, ""); err != nil {
		t.Errorf("Kazakhstan edits its oral proposal: %v", err)
	}
	if w, err := f.svc.WithdrawProposal(f.kz, f.doc, "2", ""); err != nil || w.Status != drafts.ProposalWithdrawn {
		t.Errorf("Kazakhstan withdraws its oral proposal: %v", err)
	}

	oral := func(on, source string) drafts.ProposalInput {
		return drafts.ProposalInput{Base: 1, OnBehalfOf: on, Source: source, Operations: []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "X.")}}
	}
	refused := []struct {
		name string
		ctx  context.Context
		in   drafts.ProposalInput
		code string
	}{
		{"a delegate records", f.in, oral("KZ", drafts.SourceOral), drafts.EFORBIDDEN},
		{"no source", f.chair, oral("KZ", ""), drafts.EINVALID},
		{"another source", f.chair, oral("KZ", "written"), drafts.EINVALID},
		{"no delegation", f.chair, oral("", drafts.SourceOral), drafts.EINVALID},
		{"an unknown delegation", f.chair, oral("XX", drafts.SourceOral), drafts.EINVALID},
		{"an observer delegation", f.chair, oral("JP", drafts.SourceOral), drafts.EINVALID},
		{"the chair for itself", f.chair, oral("", ""), drafts.EFORBIDDEN},
	}
	for _, r := range refused {
		if _, err := f.svc.CreateProposal(r.ctx, f.doc, r.in); !drafts.IsCode(err, r.code) {
			t.Errorf("%s: %v, want %s", r.name, err, r.code)
		}
	}
	soc := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "soc", Role: drafts.RoleChair, Body: "SOC"})
	if _, err := f.svc.CreateProposal(soc, f.doc, oral("KZ", drafts.SourceOral)); !drafts.IsCode(err, drafts.EFORBIDDEN) {
		t.Errorf("the chair of another body: %v, want EFORBIDDEN", err)
	}
}
