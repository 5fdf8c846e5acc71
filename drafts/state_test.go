package drafts_test

import (
	"fmt"
	"slices"
	"testing"

	"chancery/drafts"
)

// stateInputs is a head of 300 provisions (10 headings, each with 29
// paragraphs), some agreed, ad ref or bracketed, 200 open proposals and
// 100 positions on it, and the history of 4 versions before it.
func stateInputs() (*drafts.Version, []*drafts.Proposal, []*drafts.Position, []drafts.HistoryPoint) {
	v := &drafts.Version{Document: "d", Number: 5}
	statuses := []string{"", drafts.ProvisionAgreed, drafts.ProvisionAgreedAdRef, drafts.ProvisionBracketed, drafts.ProvisionAgreed}
	for c := 0; c < 10; c++ {
		v.Provisions = append(v.Provisions, drafts.Provision{ID: fmt.Sprintf("h%d", c), Kind: drafts.KindHeading, Number: "#", Text: fmt.Sprintf("Cluster %d", c+1)})
		for p := 0; p < 29; p++ {
			n := c*29 + p + 1
			v.Provisions = append(v.Provisions, drafts.Provision{ID: fmt.Sprintf("p%d", n), Kind: drafts.KindParagraph, Number: fmt.Sprintf("%d.", n),
				Text: fmt.Sprintf("The Member States shall cooperate on measure %d.", n), Status: statuses[n%5]})
		}
	}
	var open []*drafts.Proposal
	for i := 0; i < 200; i++ {
		open = append(open, &drafts.Proposal{ID: fmt.Sprintf("q%d", i), Delegation: fmt.Sprintf("D%02d", i%28), Base: 5,
			Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: v.Provisions[(i*13)%300].ID, Text: "Other words."}}})
	}
	var ps []*drafts.Position
	kinds := drafts.PositionKinds()
	for i := 0; i < 100; i++ {
		p := &drafts.Position{ID: fmt.Sprintf("x%d", i), Delegation: fmt.Sprintf("D%02d", i%28), Provision: v.Provisions[(i*3)%300].ID,
			Kind: kinds[i%len(kinds)], Since: 1, State: drafts.PositionOpen}
		if i%10 == 0 {
			p.Provision = ""
		}
		p.TextHash, _ = drafts.PositionTextHash(v, p.Provision)
		ps = append(ps, p)
	}
	var hist []drafts.HistoryPoint
	for n := 1; n < 5; n++ {
		hist = append(hist, drafts.HistoryPoint{Version: n, Tally: drafts.TallyOf(v.Provisions[:n*60])})
	}
	return v, open, drafts.PositionsIn(v, ps, ""), hist
}

// TestBuildStateOfPlay: every provision is in one section, the sections'
// tallies add up to the whole, proposals and positions sit under the
// provisions they concern, and the head closes the history.
func TestBuildStateOfPlay(t *testing.T) {
	v, open, ps, hist := stateInputs()
	s := drafts.BuildStateOfPlay(v, open, ps, hist)
	if len(s.Sections) != 10 || len(s.Items) != 300 || s.OpenProposals != 200 || s.OpenPositions != 100 {
		t.Fatalf("%d sections, %d provisions, %d proposals, %d positions", len(s.Sections), len(s.Items), s.OpenProposals, s.OpenPositions)
	}
	var sum drafts.Tally
	seen := 0
	for _, sec := range s.Sections {
		sum.Provisions += sec.Tally.Provisions
		sum.Agreed += sec.Tally.Agreed
		sum.Bracketed += sec.Tally.Bracketed
		seen += len(sec.Provisions)
	}
	if sum.Provisions != 300 || seen != 300 || sum.Agreed != s.Overall.Agreed || sum.Bracketed != s.Overall.Bracketed {
		t.Errorf("sections add up to %+v (%d provisions listed), the whole is %+v", sum, seen, s.Overall)
	}
	refs, whole := 0, len(s.WholeText)
	for _, it := range s.Items {
		refs += len(it.Proposals)
		whole += len(it.Positions)
	}
	if refs != 200 || whole != 100 {
		t.Errorf("%d proposals and %d positions placed", refs, whole)
	}
	if got := s.History[len(s.History)-1]; got.Version != 5 || got.Tally != s.Overall || len(s.History) != 5 {
		t.Errorf("history ends with %+v", got)
	}
}

// TestSections: a heading directly followed by another goes with the
// next; text before the first heading is a section of its own.
func TestSections(t *testing.T) {
	text := "1. Opening.\n\nChapter I\nSessions\n\nRule 1. Regular sessions\n\n2. The Group meets twice a year.\n\nRule 2. Special sessions\n\n3. On request.\n\nAnnex I\nForm of credentials\n"
	parsed, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	v := &drafts.Version{Number: 1, Provisions: parsed.Provisions}
	for i := range v.Provisions {
		v.Provisions[i].ID = fmt.Sprintf("p%d", i)
	}
	s := drafts.BuildStateOfPlay(v, nil, nil, nil)
	var got []string
	for _, sec := range s.Sections {
		got = append(got, fmt.Sprintf("%s:%d", sec.Title, len(sec.Provisions)))
	}
	want := []string{":1", "Rule 1. Regular sessions:3", "Rule 2. Special sessions:2", "Annex I Form of credentials:1"}
	if !slices.Equal(got, want) {
		t.Errorf("sections %q, want %q", got, want)
	}
}

// BenchmarkBuildStateOfPlay sums up 300 provisions, 200 open proposals and
// 100 positions, with no storage: the part of the state of play the
// service computes once it has read its objects.
func BenchmarkBuildStateOfPlay(b *testing.B) {
	v, open, ps, hist := stateInputs()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		drafts.BuildStateOfPlay(v, open, ps, hist)
	}
}
