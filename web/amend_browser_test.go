package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chancery/drafts"
)

// TestAmendInBrowser: in a real browser (axe checking every page, in
// English and Russian), India amends Kazakhstan's proposal 1 from its
// page, previewing first; the sub-amendment's page names it and the
// proposal it amends, and the compilation lists it under proposal 1.
func TestAmendInBrowser(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	doc := e.Members.ID
	v, err := e.svc.GetVersion(e.as("KZ"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	target := v.Provisions[2]
	text := strings.Replace(target.Text, "eight clusters", "nine clusters", 1)
	if _, err := e.svc.CreateProposal(e.as("KZ"), doc, drafts.ProposalInput{Base: 1, Justification: "Nine.", Operations: []drafts.Operation{{Op: "replace", Provision: target.ID, Text: text}}}); err != nil {
		t.Fatal(err)
	}
	b.signIn("IN")
	if st := b.visit("/documents/" + doc + "/proposals/1"); st != 200 {
		t.Fatalf("proposal page: %d", st)
	}
	b.mustContain("h1", "Proposal 1 (Kazakhstan)")
	if st := b.submit(`a[href$="/proposals/1/amend"]`); st != 200 {
		t.Fatalf("amend page: %d", st)
	}
	b.set("#text-"+target.ID, strings.Replace(text, "nine clusters", "ten clusters", 1))
	b.set("#justification", "Ten is rounder.")
	if st := b.submit(`button[value="preview"]`); st != 200 {
		t.Fatalf("preview: %d", st)
	}
	b.mustContain(".preview", "ten")
	if st := b.submit(`button[value="submit"]`); st != 200 {
		t.Fatalf("submit: %d: %s", st, b.text("main"))
	}
	b.mustContain("h1", "Proposal 2 (India), amending Proposal 1")
	b.mustContain("main", "Against the proposal it amends")
	b.visit("/documents/" + doc + "/compilation")
	b.mustContain(".cprop.sub-amendment", "Proposal 2 (India), amending Proposal 1")
	b.lang = "ru"
	b.run(chromedp.Navigate(b.e.URL + "/lang?to=ru&next=/documents"))
	b.visit("/documents/" + doc + "/proposals/2")
	b.mustContain("h1", "Предложение 2 (India), поправка к предложению 1")
	b.visit("/documents/" + doc + "/proposals/1/amend")
}
