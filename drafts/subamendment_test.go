package drafts_test

import (
	"strings"
	"testing"

	"chancery/drafts"
)

// TestSubAmendmentRules: what a proposal writes, what a sub-amendment to
// it may replace, and the proposal to the text the two make.
func TestSubAmendmentRules(t *testing.T) {
	base := testVersion(t, 1, "1. One.\n\n2. Two.\n\n3. Three.\n", "a", "b", "c").Provisions
	p7 := &drafts.Proposal{ID: "p7", Number: 7, Delegation: "KZ", Status: drafts.ProposalOpen, Base: 1, Operations: []drafts.Operation{
		{Op: drafts.OpReplace, Provision: "a", Text: "Uno."},
		{Op: drafts.OpDelete, Provision: "c"},
		{Op: drafts.OpInsert, After: "b", Text: "4. New.", ID: "n"},
	}}
	result, err := drafts.ApplyOperations(base, p7.Operations, func() string { return "x" }, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range drafts.AmendableProvisions(base, result) {
		ids = append(ids, p.ID)
	}
	if got, want := strings.Join(ids, " "), "a n"; got != want {
		t.Fatalf("amendable %q, want %q (replaced and inserted, not deleted or untouched)", got, want)
	}
	amendable := drafts.AmendableProvisions(base, result)
	replace := func(id, text string) drafts.Operation {
		return drafts.Operation{Op: drafts.OpReplace, Provision: id, Text: text}
	}
	tests := []struct {
		name string
		ops  []drafts.Operation
		want string // "" for accepted, else words of the refusal
	}{
		{"its replacement", []drafts.Operation{replace("a", "Eins.")}, ""},
		{"its insertion", []drafts.Operation{replace("n", "Neu.")}, ""},
		{"both", []drafts.Operation{replace("a", "Eins."), replace("n", "Neu.")}, ""},
		{"an untouched provision", []drafts.Operation{replace("b", "Zwei.")}, "Proposal 7 does not change provision 2: a sub-amendment may replace only the texts it gives (provisions 1, 4)"},
		{"a deleted provision", []drafts.Operation{replace("c", "Drei.")}, "does not change provision 3"},
		{"an insertion", []drafts.Operation{{Op: drafts.OpInsert, After: "a", Text: "1bis. X."}}, "only replaces"},
		{"twice", []drafts.Operation{replace("a", "Eins."), replace("a", "Un.")}, "replaced twice"},
		{"the same texts", []drafts.Operation{replace("a", "Uno.")}, "changes nothing"},
	}
	for _, tt := range tests {
		err := drafts.CheckSubAmendment(p7, base, amendable, tt.ops, drafts.Limits{})
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(drafts.ErrorMessage(err), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}

	sub := &drafts.Proposal{ID: "p9", Number: 9, Delegation: "IN", Amends: "p7", AmendsNumber: 7, Base: 1, Operations: []drafts.Operation{replace("n", "Neu.")}}
	c := drafts.Combine(p7, sub)
	got, err := drafts.ApplyOperations(base, c.Operations, func() string { return "x" }, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if text := drafts.PrintProvisions(got); text != "1. Uno.\n\n2. Two.\n\n4. Neu.\n" {
		t.Errorf("combined text %q", text)
	}
	if c.ID != "p9" || c.Delegation != "IN" || len(sub.Operations) != 1 || strings.Join(c.Touches(), " ") != "a c b" {
		t.Errorf("combined %+v touches %v; the sub-amendment %+v", c, c.Touches(), sub)
	}
	if err := drafts.CheckAmendable(sub); err == nil || !strings.Contains(err.Error(), "cannot be amended") {
		t.Errorf("amending a sub-amendment: %v", err)
	}
}
