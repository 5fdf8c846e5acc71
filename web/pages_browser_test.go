package web_test

import (
	"fmt"
	"strconv"
	"testing"

	"chancery/drafts"
)

// TestLayout: every page, as a delegate, the chair and the secretariat,
// in English and Russian, at 1366 and 390 px: no sideways scroll, no
// axe finding. (The merge desk at scale is walked in
// TestMergeDeskAtScale.)
func TestLayout(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	doc := e.Members.ID
	v, err := e.svc.GetVersion(e.as("chair"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	p6 := provisionNumbered(t, v, "6.")
	var ids []string
	for _, who := range []string{"KZ", "IN"} {
		pr, err := e.svc.CreateProposal(e.as(who), doc, drafts.ProposalInput{Base: 1, Justification: "Wording of " + who,
			Operations: []drafts.Operation{{Op: "replace", Provision: p6.ID, Text: "All decisions of " + who + " shall be taken by consensus."}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, strconv.Itoa(pr.Number))
	}
	if _, err := e.svc.CreateProposal(e.as("IN"), doc, drafts.ProposalInput{Base: 1, Justification: "Uncontested",
		Operations: []drafts.Operation{{Op: "delete", Provision: provisionNumbered(t, v, "9.").ID}}}); err != nil {
		t.Fatal(err)
	}
	d := "/documents/" + doc
	tokenID, _, _ := drafts.SplitToken(e.tokens["JP"])
	pages := map[string][]string{
		"KZ": {"/documents", d, d + "/compilation", d + "/proposals/" + ids[0], d + "/proposals/" + ids[0] + "/withdraw",
			d + "/proposals/new?provision=" + p6.ID, d + "/proposals/" + ids[1] + "/amend", d + "/adoption"},
		"chair":       {d + "/proposals/" + ids[1] + "/reject", d + "/versions/1/statuses", d + "/adoption", d + "/screen", d + "/state", "/documents", d + "/merges/new"},
		"secretariat": {"/secretariat", "/secretariat/tokens/revoke?token=" + tokenID},
	}
	for _, w := range []int{1366, 390} {
		for _, lang := range []string{"en", "ru"} {
			t.Run(fmt.Sprintf("%s-%d", lang, w), func(t *testing.T) {
				b.t = t
				b.setWidth(w)
				b.setLang(lang)
				b.visit("/signin")
				for _, who := range []string{"KZ", "chair", "secretariat"} {
					b.as(who)
					for _, p := range pages[who] {
						if st := b.visit(p); st != 200 {
							t.Errorf("%s as %s: status %d", p, who, st)
						}
					}
					if who == "chair" {
						b.run(chromedpClickAll(ids))
						b.submit(`#desk button[value=merge]`) // the confirmation, with the collision open
					}
				}
			})
		}
	}
}
