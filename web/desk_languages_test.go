package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/internal/corpus"
)

// TestDeskMergesLanguageProposal: Kazakhstan writes its proposal to
// paragraph 6 in the Russian version; the merge desk lists it apart with
// its Russian words and a box for the English text. Previewing it without
// the English says what is missing; with it, the preview shows the
// English; merging through the confirmation page makes version 2 with
// the chair's English and Kazakhstan's Russian as the translation.
func TestDeskMergesLanguageProposal(t *testing.T) {
	e := newEnv(t)
	doc := e.Members.ID
	if _, err := e.svc.AddLanguage(e.as("secretariat"), doc, "ru", corpus.Must(t, "sample-draft-road-map.ru.txt")); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.GetVersion(e.as("chair"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	var six string
	for _, p := range v.Provisions {
		if p.Number == "6." {
			six = p.ID
		}
	}
	ru := "Все решения по-прежнему принимаются на основе консенсуса государств-членов."
	pr, err := e.svc.CreateProposal(e.as("KZ"), doc, drafts.ProposalInput{Base: 1, Language: "ru", Justification: "Ясность.",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: six, Text: ru}}})
	if err != nil {
		t.Fatal(err)
	}
	chair := newClient(t, e, "chair")
	path := "/documents/" + doc
	_, body := chair.get(path + "/merges/new")
	if !strings.Contains(body, "Proposals written in another language") || !strings.Contains(body, ru) || !strings.Contains(body, `name="tr.`+six+`"`) ||
		!strings.Contains(body, "Provision 6 — original (English)") {
		t.Fatal("the desk does not list the Russian proposal with a box for the English text")
	}
	step := func(form url.Values) string {
		t.Helper()
		st, body := chair.post(path+"/merges", form)
		if st != 200 || !strings.Contains(chair.last, "/merges/") {
			t.Fatalf("%s: %d at %s", form.Get("action"), st, chair.last)
		}
		return body
	}
	form := url.Values{"base": {"1"}, "proposals": {pr.ID}, "action": {"preview"}}
	if body = step(form); !strings.Contains(body, "the en text of paragraph 6 is needed") && !strings.Contains(body, "give in translations its text in en") {
		t.Errorf("a preview without the English does not say it is needed")
	}
	en := "All decisions shall continue to be taken by consensus of the Member States."
	form.Set("tr."+six, en)
	if body = step(form); !strings.Contains(body, "Nothing has been merged yet") || !strings.Contains(body, "of the Member States") {
		t.Fatalf("the preview with the English text does not show it")
	}
	formID := regexp.MustCompile(`name="form" value="([^"]+)"`).FindStringSubmatch(body)[1]
	form.Set("form", formID)
	form.Set("action", "merge")
	body = step(form)
	if !strings.Contains(chair.last, "/merges/confirm") || !strings.Contains(body, `name="tr.`+six+`" value="`+en+`"`) {
		t.Fatalf("the confirmation (%s) does not carry the English text", chair.last)
	}
	key := formKeyField.FindAllStringSubmatch(body, -1)
	confirm := url.Values{"confirm": {"yes"}, "action": {"confirm"}, "form": {formID}, "formkey": {key[len(key)-1][1]}, "proposals": {pr.ID}, "tr." + six: {en}}
	if st, body := chair.post(path+"/merges", confirm); st != 200 || !strings.Contains(body, "Version 2 published") {
		t.Fatalf("merging: %d at %s", st, chair.last)
	}
	v2, err := e.svc.GetVersion(e.as("chair"), doc, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p, i := v2.Provision(six); i < 0 || p.Text != en {
		t.Errorf("paragraph 6 of version 2 is %q, want the chair's English", p.Text)
	}
	v2ru, err := e.svc.GetVersionIn(e.as("chair"), doc, 2, "ru")
	if err != nil {
		t.Fatal(err)
	}
	if p, i := v2ru.Provision(six); i < 0 || !strings.Contains(p.Text, "государств-членов") {
		t.Errorf("the Russian of paragraph 6 in version 2 is %q, want Kazakhstan's words", p.Text)
	}
}
