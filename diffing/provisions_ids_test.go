package diffing_test

import (
	"slices"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
)

// TestProvisionsRepeatedIDs: an id repeated in old names its first
// provision, and one repeated in new is a new provision.
func TestProvisionsRepeatedIDs(t *testing.T) {
	old := []drafts.Provision{{ID: "a", Text: "x"}, {ID: "b", Text: "z"}, {ID: "a", Text: "y"}}
	new := []drafts.Provision{{ID: "b", Text: "z"}, {ID: "a", Text: "y"}, {ID: "a", Text: "x"}}
	d := (&diffing.Differ{}).Provisions(old, new)
	var got []string
	for _, c := range d.Changes {
		got = append(got, c.Kind+" "+c.Provision+" "+c.Text+c.OldText)
	}
	want := []string{"moved b z", "modified a yx", "inserted a x", "deleted a y"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
