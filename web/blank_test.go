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
	// A new version, a proposal's whole text and a language version
	// typed with blank paragraphs have none either.
	st, _ = chair.post("/documents/"+id+"/versions", url.Values{"base": {"1"}, "message": {"Blank lines"},
		"text": {"1. First.\n\n\u2007\u00a0\n\n2. Second.\n\n\ufeff\n\n3. Third, amended.\n"}})
	if v, err = e.svc.GetVersion(e.as("chair"), id, 2); st != 200 || err != nil {
		t.Fatalf("version 2: %d, %v", st, err)
	}
	checkNoBlank(t, "version 2", v.Provisions, 3)
	kz := newClient(t, e, "KZ")
	st, _ = kz.post("/documents/"+id+"/proposals", url.Values{"base": {"2"}, "mode": {"whole"}, "justification": {"Shorter."}, "action": {"submit"},
		"whole": {"1. First.\n\n\u00a0\n\n2. Second, amended.\n\n\u202f\n\n3. Third, amended.\n"}})
	ps, err := e.svc.ListProposals(e.as("chair"), id, drafts.ProposalFilter{}, drafts.ListOptions{})
	if st != 200 || err != nil || len(ps.Items) != 1 {
		t.Fatalf("the proposal of a whole text: %d, %+v, %v", st, ps, err)
	}
	if o := ps.Items[0].Operations; len(o) != 1 || o[0].Op != drafts.OpReplace || o[0].Provision != v.Provisions[1].ID {
		t.Errorf("the proposal's operations %+v, want one replacement of 2.", o)
	}
	// One provision's new text of blank characters only is refused.
	st, body := kz.post("/documents/"+id+"/proposals", url.Values{"base": {"2"}, "op": {drafts.OpInsert}, "after": {v.Provisions[0].ID},
		"text": {"\u00a0\u200b"}, "justification": {"Blank."}, "action": {"submit"}})
	if st != 422 || !strings.Contains(body, "text") {
		t.Errorf("a blank provision proposed: %d", st)
	}
	st, _ = chair.post("/documents/"+id+"/languages", url.Values{"lang": {"ru"},
		"text": {"1. Первое.\n\n\u00a0\n\n2. Второе.\n\u200b\n3. Третье, с поправками.\n"}})
	if st != 200 {
		t.Fatalf("the Russian version: %d", st)
	}
	ru, err := e.svc.GetVersionIn(e.as("chair"), id, 2, "ru")
	if err != nil {
		t.Fatal(err)
	}
	checkNoBlank(t, "the Russian version", ru.Provisions, 3)
}

func checkNoBlank(t *testing.T, what string, ps []drafts.Provision, n int) {
	t.Helper()
	if len(ps) != n {
		t.Errorf("%s: %d provisions, want %d", what, len(ps), n)
	}
	for _, p := range ps {
		if drafts.IsBlank(p.Text) {
			t.Errorf("%s: a blank provision %+v", what, p)
		}
	}
}
