package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chancery/drafts"
)

// paragraph returns the id of paragraph n ("6.") of the members' document.
func (e *env) paragraph(t *testing.T, n string) string {
	t.Helper()
	v, err := e.svc.GetVersion(e.as("chair"), e.Members.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Provisions {
		if p.Number == n {
			return p.ID
		}
	}
	t.Fatalf("no paragraph %s", n)
	return ""
}

// TestPositionsInTheBrowser: delegations record positions from the
// document page (under the provision they chose), see them under each
// provision, withdraw only their own; the chair reads the state of play
// (axe-clean, its inline chart and the chart alone a valid SVG image with
// its text alternative), is refused the adoption round while a delegation
// cannot join, and opens it once the position is withdrawn.
func TestPositionsInTheBrowser(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	doc := "/documents/" + e.Members.ID
	p6, p7 := e.paragraph(t, "6."), e.paragraph(t, "7.")

	record := func(who, provision, kind, text string) {
		t.Helper()
		b.signIn(who)
		b.visit(doc)
		if st := b.submit(`a[href$="?position=` + provision + `#record-position"]`); st != 200 {
			t.Fatalf("%s: the record link: status %d", who, st)
		}
		b.set("#pos-kind", kind)
		b.set("#pos-text", text)
		if st := b.submit(`#record-position button[type=submit]`); st != 200 {
			t.Fatalf("%s recording: status %d: %s", who, st, excerpt(b.text("main")))
		}
		b.mustContain("#p-"+provision+" + .prov-positions", text)
		b.signOut()
	}
	record("KZ", p6, drafts.PositionReservation, "Consensus must stay the rule.")
	record("IN", p7, drafts.PositionCannotJoin, "Seventy-two hours is too short.")

	// A form that fails shows it again, with the error and what was typed.
	b.signIn("KZ")
	b.visit(doc)
	b.set("#pos-kind", drafts.PositionStatement)
	if st := b.submit(`#record-position button[type=submit]`); st != 422 {
		t.Fatalf("a statement without words: status %d, want 422", st)
	}
	b.mustContain(".error", "text")
	// KZ withdraws its own position, never India's.
	b.visit(doc)
	b.mustContain("#p-"+p6+" + .prov-positions", "Kazakhstan")
	if n := b.count(`#p-` + p7 + ` + .prov-positions form[action$="/withdraw"]`); n != 0 {
		t.Errorf("KZ is offered to withdraw India's position (%d forms)", n)
	}
	if st := b.submit(`#p-` + p6 + ` + .prov-positions form[action$="/withdraw"] button`); st != 200 {
		t.Fatalf("withdrawing: status %d", st)
	}
	if got := b.text("#p-" + p6 + " + .prov-positions"); strings.Contains(got, "Consensus must stay") {
		t.Errorf("after withdrawing, paragraph 6 still shows %q", got)
	}
	b.signOut()

	b.signIn("chair")
	b.visit(doc)
	b.mustContain(".docnav", "State of play")
	if st := b.visit(doc + "/state"); st != 200 {
		t.Fatalf("state of play: status %d", st)
	}
	b.mustContain("main", "India cannot join consensus on 7.")
	b.mustContain("main", "Seventy-two hours is too short.")
	b.mustContain("table.sections", "Cluster II. Decision-making")
	if n := b.count(`figure.state-chart svg[role=img] g.section`); n < 8 {
		t.Errorf("the chart has %d section bars, want one per cluster", n)
	}
	alt, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const s = document.querySelector('figure.state-chart svg');
		return s.querySelector('title').textContent + ' | ' + s.querySelector('desc').textContent })()`))
	if err != nil || !strings.Contains(alt, "CICA/SWG/2026/R.1") || !strings.Contains(alt, "Cluster II. Decision-making: 4 provisions, 0% agreed") {
		t.Errorf("the chart's text alternative is %q, %v", alt, err)
	}
	// The chart alone: Chromium renders it as an SVG document.
	b.visit(doc + "/state/chart.svg")
	root, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.documentElement.namespaceURI + ' ' + document.documentElement.localName + ' ' + document.getElementsByTagName('parsererror').length`))
	if err != nil || root != "http://www.w3.org/2000/svg svg 0" {
		t.Errorf("the chart alone: %q, %v", root, err)
	}

	b.visit(doc + "/adoption")
	b.set("#procedure", "consensus")
	if st := b.submit(`form[action$="/adoption"] button`); st != 409 {
		t.Fatalf("opening a round while India cannot join: status %d, want 409", st)
	}
	b.mustContain(".error", "India (IN) cannot join consensus on paragraph 7")
	b.signOut()

	b.signIn("IN")
	b.visit(doc)
	b.submit(`#p-` + p7 + ` + .prov-positions form[action$="/withdraw"] button`)
	b.signOut()
	b.signIn("chair")
	b.visit(doc + "/adoption")
	b.set("#procedure", "consensus")
	if st := b.submit(`form[action$="/adoption"] button`); st != 200 {
		t.Fatalf("opening the round: status %d: %s", st, excerpt(b.text("main")))
	}
	b.mustContain("ul.silent", "CN")
	// In Russian too, each page checked by axe.
	b.lang = "ru"
	b.run(chromedp.Navigate(e.URL + "/lang?to=ru&next=/documents"))
	for _, p := range []string{doc, doc + "/adoption/close", doc + "/compilation", doc + "/state"} {
		if st := b.visit(p); st != 200 {
			t.Fatalf("%s in Russian: status %d", p, st)
		}
	}
	b.mustContain("main", "Согласование по разделам")
	b.run(chromedp.Navigate(e.URL + "/lang?to=en&next=/documents"))
	b.lang = "en"
	b.signOut()

	// An observer is offered no form, and sees no members-only position.
	if _, err := e.svc.RecordPosition(e.as("KZ"), e.Open.ID, drafts.PositionInput{Kind: drafts.PositionSupport, Text: "Members only."}); err != nil {
		t.Fatal(err)
	}
	b.signIn("JP")
	b.visit("/documents/" + e.Open.ID)
	if n := b.count(`#record-position`); n != 0 {
		t.Errorf("an observer is offered to record a position")
	}
	if got := b.text("main"); strings.Contains(got, "Members only.") {
		t.Errorf("an observer sees a members-only position")
	}
	b.visit("/documents/" + e.Open.ID + "/state")
}
