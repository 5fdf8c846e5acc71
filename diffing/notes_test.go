package diffing_test

import (
	"testing"

	"chancery/diffing"
	"chancery/drafts"
)

// TestWordsNotes: a note's marker is a word of its own, changed whole, and
// a changed note is a tracked change of its words.
func TestWordsNotes(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"consensus.[^1]\n[^1]: India reserves its position.",
			"consensus.[^1]\n[^1]: India maintains its position.",
			"consensus.[^1]\n[^1]: India [-reserves-]{+maintains+} its position."},
		{"consensus.[^1] more", "consensus.[^2] more", "consensus.[-[^1]-]{+[^2]+} more"},
		{"consensus.", "consensus.[^1]\n[^1]: New.", "consensus.{+[^1]\n[^1]: New.+}"},
	}
	d := diffing.New()
	for _, tt := range tests {
		segs, _ := d.Words(tt.old, tt.new)
		checkSegments(t, segs, tt.old, tt.new)
		if got := render(segs); got != tt.want {
			t.Errorf("Words(%q, %q) = %q, want %q", tt.old, tt.new, got, tt.want)
		}
	}
}

// TestAlignNotes: a provision that gains, loses or changes a note is the
// provision it was.
func TestAlignNotes(t *testing.T) {
	base := []drafts.Provision{{Kind: drafts.KindHeading, Number: "#", Text: "Cluster II. Decision-making"}, {Kind: drafts.KindParagraph, Number: "6.", Text: "All decisions by consensus.[^1]\n[^1]: A long note that the edit replaces entirely with other words."}}
	edited := []drafts.Provision{{Kind: drafts.KindHeading, Number: "#", Text: "Cluster II. Decision-making[^1]\n[^1]: As agreed at the second meeting of the Senior Officials Committee."}, {Kind: drafts.KindParagraph, Number: "6.", Text: "All decisions by consensus."}}
	if got := diffing.New().Align(base, edited); got[0] != 0 || got[1] != 1 {
		t.Errorf("Align = %v, want [0 1]", got)
	}
}
