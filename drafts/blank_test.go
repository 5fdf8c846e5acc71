package drafts_test

import (
	"testing"

	"chancery/drafts"
)

// TestBlankParagraphs: a paragraph of white space of any kind (no-break
// and other Unicode spaces, zero-width characters) is no provision, and
// the text still prints back unchanged.
func TestBlankParagraphs(t *testing.T) {
	for _, blank := range []string{"\u00a0", "\u2007", "\u202f", "\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u3000", " \u00a0\t", "\u00a0\r"} {
		text := "1. First.\n\n" + blank + "\n\n2. Second.\n" + blank + "\n3. Third.\n"
		parsed, err := drafts.ParseText(text, drafts.Limits{})
		if err != nil {
			t.Fatalf("%q: %v", blank, err)
		}
		if n := len(parsed.Provisions); n != 3 {
			t.Errorf("%q: %d provisions, want 3", blank, n)
		}
		if got := parsed.Print(); got != text {
			t.Errorf("%q: printed back %q", blank, got)
		}
		if _, err := drafts.ParseText(blank+"\n"+blank, drafts.Limits{}); !drafts.IsCode(err, drafts.EINVALID) {
			t.Errorf("%q: a blank text is %v, want EINVALID", blank, err)
		}
		if err := drafts.CheckProvisionText("6.", blank, drafts.Limits{}); err == nil {
			t.Errorf("%q: accepted as a provision's text", blank)
		}
	}
	if drafts.IsBlank("\u00a0x") || !drafts.IsBlank("") {
		t.Error("IsBlank")
	}
}
