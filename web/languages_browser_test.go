package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chancery/drafts"
	"chancery/internal/corpus"
)

// withRussian gives the members' document its Russian version and a
// chair's version 2 that amends paragraph 6 and inserts 6 bis: Russian 6
// is stale, 6 bis missing. It returns their ids.
func (e *env) withRussian(t *testing.T) (string, string) {
	t.Helper()
	doc := e.Members.ID
	if _, err := e.svc.AddLanguage(e.as("secretariat"), doc, "ru", corpus.Must(t, "sample-draft-road-map.ru.txt")); err != nil {
		t.Fatal(err)
	}
	v1, err := e.svc.GetVersion(e.as("chair"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(v1.Text(), "6. All decisions shall continue to be taken by consensus.",
		"6. All decisions shall continue to be taken by consensus of the Member States.\n\n6 bis. Decisions on procedural matters may be taken by the Chair after consultations.", 1)
	v2, err := e.svc.CreateVersion(e.as("chair"), doc, 1, text, "Paragraph 6")
	if err != nil {
		t.Fatal(err)
	}
	var six, bis string
	for _, p := range v2.Provisions {
		switch p.Number {
		case "6.":
			six = p.ID
		case "6 bis.":
			bis = p.ID
		}
	}
	return six, bis
}

// TestLanguagesInTheBrowser: in both interface languages, the text side
// by side marks Russian paragraph 6 stale (in words and a symbol, with the
// original's change beside it) and 6 bis missing; the secretariat's list
// of what needs translating takes both translations through its forms,
// and then says every language is in step; every page is axe-clean.
func TestLanguagesInTheBrowser(t *testing.T) {
	e := newEnv(t)
	six, bis := e.withRussian(t)
	b := newTab(t, e)
	d := "/documents/" + e.Members.ID
	b.signIn("secretariat")
	words := map[string][3]string{
		"en": {"Stale", "Missing", "Every language version is in step with its original."},
		"ru": {"Устарел", "Отсутствует", "Все языковые версии соответствуют оригиналу."},
	}
	texts := map[string]string{six: "Все решения по-прежнему принимаются на основе консенсуса государств-членов.",
		bis: "Решения по процедурным вопросам могут приниматься Председателем после консультаций."}
	for _, lang := range []string{"en", "ru"} {
		b.lang = lang
		b.run(chromedp.Navigate(b.e.URL + "/lang?to=" + lang + "&next=/documents"))
		if st := b.visit(d + "/versions/2?language=en,ru"); st != 200 {
			t.Fatalf("side by side: %d: %s", st, b.text("main"))
		}
		if n := b.count("table.langs tbody tr"); n != 34 { // the road map's 33 provisions and 6 bis
			t.Errorf("%s: %d rows side by side, want 34", lang, n)
		}
		b.mustContain("#p-"+six+" td:last-child .trmark", words[lang][0])
		b.mustContain("#p-"+six+" td:first-child .original ins", "of the Member States")
		b.mustContain("#p-"+bis+" td:last-child .trmark", words[lang][1])
		b.mustContain("#p-"+bis+" td:last-child .num", "6-бис.")
		b.visit(d + "/versions/2?language=ru")
		b.mustContain("#p-"+six+" .original", "Member States")
		b.visit(d + "/languages")
		b.mustContain("table.list", "Русский")
		b.visit(d)
		b.mustContain(".textlangs", "Русский")
	}
	// The work list, its forms one after the other, in both languages.
	for i, lang := range []string{"en", "ru"} {
		b.lang = lang
		b.run(chromedp.Navigate(b.e.URL + "/lang?to=" + lang + "&next=/documents"))
		b.visit("/translations")
		id := []string{six, bis}[i]
		if n := b.count("ul.work > li"); n != 2-i {
			t.Fatalf("%s: %d provisions to translate, want %d", lang, n, 2-i)
		}
		b.set("#tr-"+id, texts[id])
		if st := b.submit(`#p-` + id + ` form.translate button`); st != 200 {
			t.Fatalf("sending a translation: %d: %s", st, b.text("main"))
		}
		if got := b.location(); !strings.Contains(got, "/translations") {
			t.Fatalf("after sending a translation: at %s", got)
		}
	}
	b.mustContain("main", words["ru"][2])
	ru, err := e.svc.GetVersionIn(e.as("KZ"), e.Members.ID, 2, "ru")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ru.Provisions {
		if p.Translation != drafts.TranslationCurrent {
			t.Errorf("after the forms, Russian %s is %s", p.Number, p.Translation)
		}
	}
	// The whole text, as the chair, through the languages page: a text
	// that does not align names what does not match, and keeps the text.
	b.signOut()
	b.signIn("chair")
	b.visit(d + "/languages")
	b.set("#lang", "ru")
	b.set("#text", "1. Один пункт.\n")
	if st := b.submit(`form[action$="/languages"] button`); st != 422 {
		t.Fatalf("a text that does not align: %d", st)
	}
	b.mustContain(".error", "paragraph 2")
	typed, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#text").value`))
	if err != nil || !strings.Contains(typed, "Один пункт") {
		t.Errorf("the text typed is lost: %q (%v)", typed, err)
	}
}
