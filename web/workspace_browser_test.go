package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chancery/drafts"
)

// runs are the screens and languages the walks below run in: English on
// a laptop with JavaScript, Russian on a phone without it (every step a
// form post), so that both ways through the pages are walked.
var runs = []struct {
	lang   string
	width  int
	script bool
}{{"en", 1366, true}, {"ru", 390, false}}

// provisionNumbered returns the provision of v numbered n ("6.").
func provisionNumbered(t *testing.T, v *drafts.Version, n string) drafts.Provision {
	t.Helper()
	for _, p := range v.Provisions {
		if p.Number == n {
			return p
		}
	}
	t.Fatalf("no provision %s", n)
	return drafts.Provision{}
}

// TestEditInPlace: a delegate makes one proposal of three changes in
// place (amend 6, insert 6 bis after it, delete 9), is told of India's
// open proposal to 6 while writing, previews the tracked changes and
// submits; the next page says "Proposal … submitted". In English with
// JavaScript at 1366 px, in Russian without it at 390 px.
func TestEditInPlace(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	doc := e.Members.ID
	v, err := e.svc.GetVersion(e.as("chair"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	p6, p9 := provisionNumbered(t, v, "6."), provisionNumbered(t, v, "9.")
	india, err := e.svc.CreateProposal(e.as("IN"), doc, drafts.ProposalInput{Base: 1, Justification: "Consensus, always.",
		Operations: []drafts.Operation{{Op: "replace", Provision: p6.ID, Text: "All decisions shall be taken by consensus."}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, run := range runs {
		t.Run(fmt.Sprintf("%s-%d", run.lang, run.width), func(t *testing.T) {
			b.t = t
			b.setWidth(run.width)
			b.signIn("KZ")
			b.setLang(run.lang)
			b.noScript(!run.script)
			defer b.noScript(false)
			b.visit("/documents/" + doc)
			b.load("the editor at 6", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.inplace a[href$="provision=%s"]`, p6.ID))))
			if loc := b.location(); !strings.Contains(loc, "/proposals/new") {
				t.Fatalf("after Propose a change: at %s", loc)
			}
			// India's proposal to 6 is named, with a link, where 6 is written.
			b.mustContain("#e-"+p6.ID+" .others", map[string]string{"en": "India", "ru": "India"}[run.lang])
			if n := b.count(fmt.Sprintf(`#e-%s .others a[href$="/proposals/%d"]`, p6.ID, india.Number)); n != 1 {
				t.Errorf("India's proposal is not linked at 6 (%d links)", n)
			}
			word := fmt.Sprintf("unanimously-%d", i)
			b.set("#text-"+p6.ID, "All decisions shall continue to be taken "+word+".")
			b.set("#ins-"+p6.ID, "6 bis. The Chairmanship shall consult every Member State before a decision.")
			if run.script {
				b.click(fmt.Sprintf(`button[data-open=%q]`, p9.ID))
				b.wait("#del-" + p9.ID)
			} else {
				b.submit(fmt.Sprintf(`button[value="open:%s"]`, p9.ID))
				if got := b.value("#text-" + p6.ID); !strings.Contains(got, word) {
					t.Fatalf("opening 9 lost the change to 6: %q", got)
				}
			}
			b.click("#del-" + p9.ID)
			b.set("#justification", "Three changes, one proposal.")
			if run.script {
				b.click(`#editor button[value=preview]`)
				b.wait("#preview .preview")
			} else {
				b.submit(`#editor button[value=preview]`)
			}
			b.shot("the editor, three changes previewed")
			b.mustContain("#preview ins", word)
			b.mustContain("#preview", "6 bis")
			b.mustContain("#preview .chg.deleted", "Catalogue of Confidence Building Measures")
			if st := b.submit(`#editor button[value=submit]`); st != 200 {
				t.Fatalf("submitting: status %d: %s", st, excerpt(b.text("main")))
			}
			b.mustContain("#flash", map[string]string{"en": "submitted", "ru": "внесено"}[run.lang])
			b.mustContain("#flash", map[string]string{"en": "Proposal", "ru": "Предложение"}[run.lang])
			loc := b.location()
			id := loc[strings.LastIndex(loc, "/")+1:]
			pr, err := e.svc.GetProposal(e.as("KZ"), doc, id)
			if err != nil {
				t.Fatalf("the proposal at %s: %v", loc, err)
			}
			if len(pr.Operations) != 3 {
				t.Errorf("the proposal has %d operations, want 3 (insert, replace, delete): %+v", len(pr.Operations), pr.Operations)
			}
			b.back("back from the proposal")
			b.signOut()
		})
	}
}

// TestMergeDeskAtScale: a chair on a text of 300 provisions with 200 open
// proposals filters the desk to one section, selects its uncontested
// proposals, previews with a collision still open (marked), resolves it
// by starting from one delegation's text, previews, merges after the
// confirmation page, reads the result, and goes Back without the
// browser asking to send a form again.
func TestMergeDeskAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 400 proposals")
	}
	e := newEnv(t)
	b := newTab(t, e)
	for _, run := range []struct {
		lang  string
		width int
	}{{"en", 1366}, {"ru", 390}} {
		f := newDeskFixture(t, e, 200)
		t.Run(fmt.Sprintf("%s-%d", run.lang, run.width), func(t *testing.T) {
			b.t = t
			b.setWidth(run.width)
			b.signIn("chair")
			b.setLang(run.lang)
			deskWalk(t, b, f)
			b.signOut()
		})
	}
}

// deskWalk is one walk of the merge desk of f.
func deskWalk(t *testing.T, b *tab, f *deskFixture) {
	doc := f.doc.ID
	b.visit("/documents/" + doc + "/merges/new")
	// The section of the colliding paragraph.
	section := ""
	for _, p := range f.head.Provisions {
		if p.Kind == drafts.KindHeading {
			section = p.ID
		}
		if p.ID == f.Target.ID {
			break
		}
	}
	b.run(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.querySelector('#f-section'); s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, section)))
	shown, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('section.group')).filter(g => !g.hidden && !g.closest('.sec').hidden).map(g => g.closest('.sec').dataset.section)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) == 0 {
		t.Fatal("the section filter shows no group")
	}
	for _, s := range shown {
		if s != section {
			t.Fatalf("the filter to one section shows a group of section %s", s)
		}
	}
	b.click(fmt.Sprintf(`button[data-pick=%q]`, section))
	picked, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('input[name=proposals]:checked')).map(i => i.value + (i.dataset.unc === undefined ? ':contested' : '') + ':' + i.closest('.sec').dataset.section)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(picked) == 0 {
		t.Fatal("selecting the uncontested of the section selected nothing")
	}
	for _, p := range picked {
		if strings.Contains(p, ":contested") || !strings.HasSuffix(p, ":"+section) {
			t.Errorf("select all uncontested in the section picked %s", p)
		}
	}
	// The collision: each competing text as tracked changes against the
	// current one.
	col := "#col-" + f.Target.ID
	if n := b.count(col + " .side p.sidetext ins"); n < 2 {
		t.Errorf("the competing texts are not shown as tracked changes (%d insertions)", n)
	}
	for _, pr := range f.Colliding {
		b.click(fmt.Sprintf("#pick-%d", pr.Number))
	}
	// A preview with the collision still open marks it.
	b.click(`#desk button[value=preview]`)
	b.wait("#preview .preview")
	b.mustContain("#preview .open-collisions", strings.TrimSuffix(f.Target.Number, "."))
	// Start from the second delegation's text.
	want := f.Colliding[1].Operations[0].Text
	b.run(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`Array.from(document.querySelectorAll('%s .side')).find(s => s.textContent.includes('amended9')).querySelector('button[data-start]').id = 'start-here'`, col)))
	b.click("#start-here")
	if got := b.value("#res-" + f.Target.ID); got != want {
		t.Errorf("start from this text: the compromise is %q, want %q", excerpt(got), excerpt(want))
	}
	if checked, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('#mode-%s-text').checked`, f.Target.ID))); !checked {
		t.Error("starting from a text does not choose the compromise")
	}
	b.click(`#desk button[value=preview]`)
	b.wait("#preview .preview .diff")
	if n := b.count("#preview .open-collisions"); n != 0 {
		t.Error("the preview still marks the resolved collision")
	}
	b.mustContain(fmt.Sprintf(`#preview [data-provision=%q]`, f.Target.ID), "amended9")
	b.shot("the desk, a section picked, a collision resolved, previewed")
	b.set("#message", "Cluster merged")
	if st := b.submit(`#desk button[value=merge]`); st != 200 {
		t.Fatalf("Merge…: status %d: %s", st, excerpt(b.text("main")))
	}
	if loc := b.location(); !strings.Contains(loc, "/merges/confirm") {
		t.Fatalf("Merge… leads to %s, want the confirmation page", loc)
	}
	if st := b.submit(`main form button[value=confirm]`); st != 200 {
		t.Fatalf("merging: status %d: %s", st, excerpt(b.text("main")))
	}
	b.mustContain("#flash", map[string]string{"en": "Version 2 published", "ru": "Редакция 2 опубликована"}[b.lang])
	if loc := b.location(); !strings.Contains(loc, "/versions/2/diff") {
		t.Fatalf("after merging: at %s", loc)
	}
	b.back("Back after merging")
	b.mustContain("main", map[string]string{"en": "This merge is done", "ru": "Это включение выполнено"}[b.lang])
	d, err := f.e.svc.GetDocument(f.e.as("chair"), doc)
	if err != nil || d.Head != 2 {
		t.Fatalf("head %d after one merge and Back (%v)", d.Head, err)
	}
	_ = time.Second
}

// TestExpiredSessionKeepsText: a delegate writing a proposal when the
// session ends sends it, signs in again on the page that says so, and is
// back in the editor with the text typed, to send again.
func TestExpiredSessionKeepsText(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	doc := e.Members.ID
	para := e.firstParagraph(t)
	b.signIn("KZ")
	b.visit("/documents/" + doc + "/proposals/new?provision=" + para)
	typed := "Words typed over a long lunch, kept through signing in again."
	b.set("#text-"+para, typed)
	b.set("#justification", "Kept, not lost.")
	e.clock.Advance(13 * time.Hour)
	if st := b.submit(`#editor button[value=submit]`); st != 401 {
		t.Fatalf("sending after the session ended: status %d, want 401 (the sign-in page)", st)
	}
	b.mustContain(".notice", "what you typed is kept")
	b.set("#token", e.tokens["KZ"])
	if st := b.submit("main form button[type=submit]"); st != 200 {
		t.Fatalf("signing in again: status %d", st)
	}
	if loc := b.location(); !strings.Contains(loc, "/proposals/new?form=") {
		t.Fatalf("after signing in again: at %s, want the editor with the kept form", loc)
	}
	b.mustContain("#flash", "What you typed is back")
	if got := b.value("#text-" + para); got != typed {
		t.Errorf("the text typed is %q after signing in, want %q", got, typed)
	}
	if got := b.value("#justification"); got != "Kept, not lost." {
		t.Errorf("the justification is %q after signing in", got)
	}
	if st := b.submit(`#editor button[value=submit]`); st != 200 {
		t.Fatalf("sending again: status %d: %s", st, excerpt(b.text("main")))
	}
	b.mustContain("#flash", "submitted")
	page, err := e.svc.ListProposals(e.as("chair"), doc, drafts.ProposalFilter{}, listAll)
	if err != nil || len(page.Items) != 1 || page.Items[0].Operations[0].Text != typed {
		t.Fatalf("proposals after signing in again: %+v, %v", page, err)
	}
}
