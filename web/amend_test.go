package web_test

import (
	"net/url"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestAmendThisProposal: India opens Kazakhstan's proposal 1, which pages
// name by number, follows "Amend this proposal", changes the text the
// proposal gives, previews and submits: the sub-amendment's page names it
// "Proposal 2 (India), amending Proposal 1" with its changes to proposal
// 1, and the compilation lists it under proposal 1. Kazakhstan is not
// offered to amend its own proposal.
func TestAmendThisProposal(t *testing.T) {
	e := newEnv(t)
	doc := e.Members.ID
	v, err := e.svc.GetVersion(e.as("KZ"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	target := v.Provisions[2]
	text := strings.Replace(target.Text, "eight clusters", "nine clusters", 1)
	p, err := e.svc.CreateProposal(e.as("KZ"), doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: target.ID, Text: text}}})
	if err != nil {
		t.Fatal(err)
	}
	kz := newClient(t, e, "KZ")
	if _, body := kz.get("/documents/" + doc + "/proposals/1"); !strings.Contains(body, "<h1>Proposal 1 (Kazakhstan)</h1>") || strings.Contains(body, "Amend this proposal") {
		t.Errorf("Kazakhstan's view of its proposal names it wrong or offers to amend it")
	}
	if _, body := kz.get("/documents/" + doc); !strings.Contains(body, ">Proposal 1 (Kazakhstan)</a>") {
		t.Errorf("the document page does not name the proposal by number")
	}

	in := newClient(t, e, "IN")
	st, body := in.get("/documents/" + doc + "/proposals/" + p.ID)
	if st != 200 || !strings.Contains(body, `href="/documents/`+doc+`/proposals/1/amend"`) {
		t.Fatalf("India's view of proposal 1 (%d) has no link to amend it", st)
	}
	st, body = in.get("/documents/" + doc + "/proposals/1/amend")
	field := "text-" + target.ID
	if st != 200 || !strings.Contains(body, `name="`+field+`"`) || !strings.Contains(body, "nine clusters") {
		t.Fatalf("amend page (%d) lacks the box of the provision with the proposal's text", st)
	}
	form := url.Values{field: {strings.Replace(text, "nine clusters", "ten clusters", 1)}, "justification": {"Ten."}, "action": {"preview"}}
	st, body = in.post("/documents/"+doc+"/proposals/1/amend", form)
	if st != 200 || !strings.Contains(body, "Nothing has been submitted yet") || !strings.Contains(body, "ten") {
		t.Fatalf("preview (%d) does not show the change", st)
	}
	form.Set("action", "submit")
	st, body = in.post("/documents/"+doc+"/proposals/1/amend", form)
	if st != 200 || in.last != "/documents/"+doc+"/proposals/2" {
		t.Fatalf("submit: %d, at %s", st, in.last)
	}
	if !strings.Contains(body, "<h1>Proposal 2 (India), amending Proposal 1</h1>") || !strings.Contains(body, "Against the proposal it amends") ||
		!strings.Contains(body, ">Proposal 1 (Kazakhstan)</a>") {
		t.Errorf("the sub-amendment's page does not name it and the proposal it amends")
	}
	_, body = in.get("/documents/" + doc + "/compilation")
	at1, atSub := strings.Index(body, "Proposal 1 (Kazakhstan)"), strings.Index(body, `class="cprop op-replace sub-amendment"`)
	if at1 < 0 || atSub < at1 || !strings.Contains(body, "Proposal 2 (India), amending Proposal 1") {
		t.Errorf("the compilation page does not list the sub-amendment under proposal 1")
	}
	// Unchanged boxes are a refusal that says so, the form kept.
	st, body = in.post("/documents/"+doc+"/proposals/1/amend", url.Values{field: {text}, "action": {"submit"}})
	if st != 422 || !strings.Contains(body, "changes nothing") {
		t.Errorf("an unchanged sub-amendment: %d", st)
	}
}
