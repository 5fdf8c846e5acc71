package tracked_test

import (
	"bytes"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/render/tracked"
)

// diff is a small diff as the service attributes it: a word changed by
// KZ, a provision inserted by RU, one deleted, one unchanged.
func diff() *drafts.Diff {
	return &drafts.Diff{Changes: []drafts.Change{
		{Kind: drafts.ChangeUnchanged, Provision: "a", ProvisionKind: drafts.KindParagraph, Number: "1.", Text: "Unchanged."},
		{Kind: drafts.ChangeModified, Provision: "b", ProvisionKind: drafts.KindParagraph, Number: "2.", OldNumber: "2.",
			OldText: "States shall prepare a plan.", Text: "States shall draft a plan.", Modified: true,
			Segments: []drafts.Segment{{Op: drafts.SegEqual, Text: "States shall "}, {Op: drafts.SegDelete, Text: "prepare", Delegation: "KZ"},
				{Op: drafts.SegInsert, Text: "draft", Delegation: "KZ"}, {Op: drafts.SegEqual, Text: " a plan."}}},
		{Kind: drafts.ChangeInserted, Provision: "c", ProvisionKind: drafts.KindParagraph, Number: "3.", After: "b", Text: "A new <paragraph>.", Delegations: []string{"RU"}},
		{Kind: drafts.ChangeDeleted, Provision: "d", ProvisionKind: drafts.KindParagraph, OldNumber: "3.", OldText: "An old paragraph."},
	}}
}

// TestText: the plain-text diff shows each changed provision, the words
// changed with the delegation that proposed them, structural changes on
// their own line, and nothing of an unchanged provision; an empty diff
// says so.
func TestText(t *testing.T) {
	var buf bytes.Buffer
	if err := tracked.Text(&buf, diff()); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"States shall [-prepare-][+draft+]{KZ} a plan.",
		"++ inserted provision 3 after 2 ++ {RU}",
		"A new <paragraph>.",
		"-- deleted provision 3 --",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Unchanged.") {
		t.Errorf("Text shows an unchanged provision:\n%s", got)
	}
	buf.Reset()
	if err := tracked.Text(&buf, &drafts.Diff{}); err != nil || buf.String() != "(no changes)\n" {
		t.Errorf("an empty diff: %q, %v", buf.String(), err)
	}
}

// TestHTML: the HTML diff marks the words deleted and inserted, escapes
// the texts, and names the delegation of a change.
func TestHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := tracked.HTML(&buf, diff()); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{"<del", ">prepare</del>", "<ins", ">draft</ins>", "A new &lt;paragraph&gt;.", "KZ", "RU"} {
		if !strings.Contains(got, want) {
			t.Errorf("HTML lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<paragraph>") {
		t.Errorf("HTML does not escape the text:\n%s", got)
	}
}
