package drafts

import "testing"

// TestCarriesOver: a proposal's diff carries over to the next version
// only when the versions have the same provisions in the same order and
// every provision the proposal names reads the same in both.
func TestCarriesOver(t *testing.T) {
	v := func(n int, texts ...string) *Version {
		out := &Version{Number: n}
		for i, s := range texts {
			out.Provisions = append(out.Provisions, Provision{ID: string(rune('a' + i)), Kind: KindParagraph, Number: string(rune('1'+i)) + ".", Text: s})
		}
		return out
	}
	prev := v(1, "One.", "Two.", "Three.")
	replaceB := &Proposal{Operations: []Operation{{Op: OpReplace, Provision: "b", Text: "Two, amended."}}}
	diffB := ProposalDiff{Diff: &Diff{Changes: []Change{{Kind: ChangeModified, Provision: "b"}}}}
	insertAfterC := &Proposal{Operations: []Operation{{Op: OpInsert, After: "c", Text: "Four."}}}
	diffInsert := ProposalDiff{Diff: &Diff{Changes: []Change{{Kind: ChangeInserted, Provision: "new", After: "c"}}}}
	noChange := &Proposal{Operations: []Operation{{Op: OpReplace, Provision: "a", Text: "One."}}}
	diffNone := ProposalDiff{Diff: &Diff{}}
	renumbered := v(2, "One.", "Two.", "Three.")
	renumbered.Provisions[2].Number = "4."
	for _, c := range []struct {
		name string
		d    ProposalDiff
		p    *Proposal
		cur  *Version
		want bool
	}{
		{"another provision changed", diffB, replaceB, v(2, "One, merged.", "Two.", "Three."), true},
		{"its provision changed", diffB, replaceB, v(2, "One.", "Two, merged.", "Three."), false},
		{"a provision added", diffB, replaceB, v(2, "One.", "Two.", "Three.", "Four."), false},
		{"renumbered", diffB, replaceB, renumbered, false},
		{"an insertion's anchor changed", diffInsert, insertAfterC, v(2, "One.", "Two.", "Three, merged."), false},
		{"an insertion, its anchor alone", diffInsert, insertAfterC, v(2, "One, merged.", "Two.", "Three."), true},
		{"no change on prev, its provision changed since", diffNone, noChange, v(2, "One, merged.", "Two.", "Three."), false},
		{"no diff kept", ProposalDiff{}, replaceB, v(2, "One.", "Two.", "Three."), false},
	} {
		if got := CarriesOver(c.d, c.p, prev, c.cur); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
