package web_test

import (
	"net/url"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestBlankParagraphsInForms: a paragraph of no-break or zero-width
// spaces typed in a form (as a copy from Word brings) is no provision of
// the new document.
func TestBlankParagraphsInForms(t *testing.T) {
	e := newEnv(t)
	chair := newClient(t, e, "chair")
	st, _ := chair.post("/documents", url.Values{"symbol": {"CICA/SWG/2026/B.1"}, "title": {"Blank lines"}, "kind": {"decision"},
		"body": {"SWG"}, "language": {"en"}, "visibility": {"members"}, "text": {"1. First.\n\n\u00a0\n\n2. Second.\n\u202f\u200b\n3. Third.\n"}})
	if st != 200 || !strings.HasPrefix(chair.last, "/documents/") {
		t.Fatalf("creating: %d at %s", st, chair.last)
	}
	id := strings.TrimPrefix(chair.last, "/documents/")
	v, err := e.svc.GetVersion(e.as("chair"), id, 1)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, p := range v.Provisions {
		numbers = append(numbers, p.Number)
		if drafts.IsBlank(p.Text) {
			t.Errorf("a blank provision: %+v", p)
		}
	}
	if strings.Join(numbers, " ") != "1. 2. 3." {
		t.Errorf("provisions %v, want 1. 2. 3.", numbers)
	}
}
