package web_test

import (
	"regexp"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/web"
)

// TestSharedPartsFollowRenumbering: the parts of the document and
// compilation pages outlive a merge (each provision, proposal and entry is
// named by what it shows), so a new version that changes only numbers
// must still show every new number: the chair merges an insertion, then
// renumbers the text, while a proposal on a later paragraph stays open;
// a reader loads both pages after each step.
func TestSharedPartsFollowRenumbering(t *testing.T) {
	e := newEnv(t)
	kz, in := e.as("KZ"), newClient(t, e, "IN")
	doc := e.Open.ID
	v1, err := e.svc.GetVersion(kz, doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	first, second := v1.Provisions[0].ID, v1.Provisions[1].ID
	open, err := e.svc.CreateProposal(kz, doc, drafts.ProposalInput{Base: 1, Justification: "Say who spoke.",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: second, Text: "Observers attended and spoke."}}})
	if err != nil {
		t.Fatal(err)
	}
	insert, err := e.svc.CreateProposal(kz, doc, drafts.ProposalInput{Base: 1, Justification: "Record the dates.",
		Operations: []drafts.Operation{{Op: drafts.OpInsert, After: first, Text: "1 bis. It met on 3 and 4 December."}}})
	if err != nil {
		t.Fatal(err)
	}
	// numberOf finds the number the pages show for the paragraph on
	// observers: in the text (its provision's id) and in the compilation
	// (the entry of the open proposal on it).
	textNumber := regexp.MustCompile(`id="p-` + second + `"><p><span class="num">([^<]*)</span>`)
	load := func(step string) (string, string) {
		t.Helper()
		_, page := in.get("/documents/" + doc)
		_, comp := in.get("/documents/" + doc + "/compilation")
		m, c := textNumber.FindStringSubmatch(page), textNumber.FindStringSubmatch(comp)
		if m == nil || c == nil {
			t.Fatalf("%s: the paragraph on observers is not numbered on the document page (%v) or the compilation (%v)", step, m != nil, c != nil)
		}
		if !strings.Contains(comp, "and spoke") {
			t.Fatalf("%s: the compilation does not show the open proposal", step)
		}
		return m[1], c[1]
	}
	if text, comp := load("before the merge"); text != "2." || comp != "2." {
		t.Fatalf("before the merge: numbered %q in the text, %q in the compilation; want 2.", text, comp)
	}
	chair := e.as("chair")
	if _, err := e.svc.Merge(chair, doc, drafts.MergeInput{Base: 1, Proposals: []string{insert.ID}}); err != nil {
		t.Fatal(err)
	}
	if text, comp := load("after the merge"); text != "2." || comp != "2." {
		t.Errorf("after the merge of 1 bis: numbered %q in the text, %q in the compilation; want 2.", text, comp)
	}
	if _, err := e.svc.RenumberVersion(chair, doc, drafts.RenumberInput{Base: 2}); err != nil {
		t.Fatal(err)
	}
	if text, comp := load("after renumbering"); text != "3." || comp != "3." {
		t.Errorf("after renumbering: numbered %q in the text, %q in the compilation; want 3.", text, comp)
	}
	// A status changes the version as read, not its number: the
	// paragraph's entry and text show it.
	if _, _, err := e.svc.SetProvisionStatus(chair, doc, 3, second, "bracketed", ""); err != nil {
		t.Fatal(err)
	}
	bracketed := regexp.MustCompile(`id="p-` + second + `"><p><span class="num">3.</span> <span class="bracket">\[</span>`)
	_, page := in.get("/documents/" + doc)
	_, comp := in.get("/documents/" + doc + "/compilation")
	if !bracketed.MatchString(page) || !bracketed.MatchString(comp) {
		t.Errorf("after the paragraph was bracketed: shown bracketed in the text %v, in the compilation %v", bracketed.MatchString(page), bracketed.MatchString(comp))
	}
	if _, body := in.get("/documents/" + doc); !strings.Contains(body, "Say who spoke.") {
		t.Errorf("the document page no longer lists the open proposal %s", open.ID)
	}
}

// TestSharedItemsFollowNoAddress: the document page asked with a query
// (?position=, as the link to record a position under a provision
// gives) shares its text's provisions with the page without one: it makes
// its own text from them, not each provision again.
func TestSharedItemsFollowNoAddress(t *testing.T) {
	var ws *web.Server
	e := newEnvWith(t, func(s *web.Server) { ws = s })
	kz := newClient(t, e, "KZ")
	doc := "/documents/" + e.Members.ID
	p6 := e.paragraph(t, "6.")
	if st, _ := kz.get(doc); st != 200 {
		t.Fatalf("document page: %d", st)
	}
	before := web.SharedParts(ws)
	st, body := kz.get(doc + "?position=" + p6)
	if st != 200 || !strings.Contains(body, `<option value="`+p6+`" selected>`) {
		t.Fatalf("?position=: status %d, the provision is not selected", st)
	}
	v, err := e.svc.GetVersion(e.as("KZ"), e.Members.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if made := web.SharedParts(ws) - before; made >= len(v.Provisions) {
		t.Errorf("the page with a query made %d parts for a text of %d provisions: its provisions again", made, len(v.Provisions))
	}
}
