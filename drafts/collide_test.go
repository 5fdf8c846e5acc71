package drafts_test

import (
	"testing"

	"chancery/diffing"
	"chancery/drafts"
)

// TestMarkCollisions: an entry collides when its proposals' changes to
// the provision cannot all apply, as a merge of all of them would find.
func TestMarkCollisions(t *testing.T) {
	v := testVersion(t, 1, "1. The member states shall cooperate in good faith.\n\n2. Two.\n", "a", "b")
	replace := func(p, text string) drafts.Operation {
		return drafts.Operation{Op: "replace", Provision: p, Text: text}
	}
	del := func(p string) drafts.Operation { return drafts.Operation{Op: "delete", Provision: p} }
	ins := drafts.Operation{Op: "insert", After: "a", Text: "1 bis. New."}
	for _, tc := range []struct {
		name string
		ops  []drafts.Operation
		want bool
	}{
		{"one change", []drafts.Operation{replace("a", "The member states shall work together in good faith.")}, false},
		{"the same words changed twice", []drafts.Operation{replace("a", "The member states shall work together in good faith."),
			replace("a", "The member states shall collaborate in good faith.")}, true},
		{"different words", []drafts.Operation{replace("a", "The participating states shall cooperate in good faith."),
			replace("a", "The member states shall cooperate in full good faith.")}, false},
		{"identical changes", []drafts.Operation{replace("a", "All states shall cooperate in good faith."),
			replace("a", "All states shall cooperate in good faith.")}, false},
		{"a deletion and a change", []drafts.Operation{del("a"), replace("a", "The member states shall cooperate.")}, true},
		{"a change and a deletion", []drafts.Operation{replace("a", "The member states shall cooperate."), del("a")}, true},
		{"an insertion after it and a change", []drafts.Operation{ins, replace("a", "The member states shall cooperate.")}, false},
		{"two insertions after it", []drafts.Operation{ins, {Op: "insert", After: "a", Text: "1 ter. Newer."}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var open []*drafts.Proposal
			for i, o := range tc.ops {
				open = append(open, &drafts.Proposal{ID: string(rune('p' + i)), Delegation: "D" + string(rune('A'+i)), Base: 1, Operations: []drafts.Operation{o}})
			}
			n := 0
			comp := drafts.CompileProposals(diffing.New(), drafts.Limits{}, func() string { n++; return "new" + string(rune('a'+n)) }, v, map[int]*drafts.Version{1: v}, open)
			comp.MarkCollisions(diffing.New())
			for _, e := range comp.Entries {
				if want := tc.want && e.Provision.ID == "a"; e.Colliding != want {
					t.Errorf("entry %q: colliding %v, want %v", e.Provision.ID, e.Colliding, want)
				}
			}
		})
	}
}
