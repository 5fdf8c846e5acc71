package drafts_test

import (
	"fmt"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/corpus"
)

// translationPairs are the corpus texts written in English and Russian,
// provision for provision.
var translationPairs = []string{"sample-draft-road-map", "rules-of-procedure", "catalogue-decimal", "statement-preamble", "draft-bis"}

// parsedWithIDs parses a text and numbers its provisions p0, p1, ...
func parsedWithIDs(tb testing.TB, s string) []drafts.Provision {
	tb.Helper()
	ps := mustParse(tb, s)
	for i := range ps {
		ps[i].ID = fmt.Sprintf("p%d", i)
	}
	return ps
}

// TestNumberKeysOfTranslations: every provision of each English fixture
// has the key of the Russian provision in its place, and TranslateNumber
// writes the English number as the Russian text does (given that text's
// number to follow) or, on its own, as a number of the same key.
func TestNumberKeysOfTranslations(t *testing.T) {
	for _, name := range translationPairs {
		t.Run(name, func(t *testing.T) {
			en := mustParse(t, corpus.Must(t, name+".txt"))
			ru := mustParse(t, corpus.Must(t, name+".ru.txt"))
			if len(en) != len(ru) {
				t.Fatalf("%d English provisions, %d Russian", len(en), len(ru))
			}
			for i := range en {
				ke, kr := drafts.NumberKey(en[i].Kind, en[i].Number), drafts.NumberKey(ru[i].Kind, ru[i].Number)
				if ke != kr {
					t.Errorf("provision %d: %q is %s, %q is %s", i, en[i].Number, ke, ru[i].Number, kr)
				}
				if got := drafts.TranslateNumber(en[i].Kind, en[i].Number, "ru", ru[i].Number); got != ru[i].Number {
					t.Errorf("TranslateNumber(%q, like %q) = %q", en[i].Number, ru[i].Number, got)
				}
				alone := drafts.TranslateNumber(en[i].Kind, en[i].Number, "ru", "")
				if k := drafts.NumberKey(en[i].Kind, alone); k != ke {
					t.Errorf("TranslateNumber(%q) = %q, key %s, want %s", en[i].Number, alone, k, ke)
				}
				back := drafts.TranslateNumber(ru[i].Kind, ru[i].Number, "en", "")
				if k := drafts.NumberKey(ru[i].Kind, back); k != ke {
					t.Errorf("TranslateNumber(%q, en) = %q, key %s, want %s", ru[i].Number, back, k, ke)
				}
			}
		})
	}
}

func TestTranslateNumber(t *testing.T) {
	tests := []struct{ kind, number, lang, like, want string }{
		{"paragraph", "6 bis.", "ru", "", "6-бис."},
		{"paragraph", "6 ter.", "ru", "", "6-тер."},
		{"paragraph", "6-бис.", "en", "", "6 bis."},
		{"paragraph", "7.", "ru", "6-бис.", "7."},
		{"paragraph", "3.1", "ru", "", "3.1"},
		{"heading", "#", "ru", "", "#"},
		{"heading", "Rule 3.", "ru", "", "Правило 3."},
		{"heading", "Rule 4 bis.", "ru", "", "Правило 4-бис."},
		{"heading", "Chapter IV", "ru", "Глава III", "Глава IV"},
		{"heading", "Part Two", "ru", "", "Часть вторая"},
		{"heading", "Section One", "ru", "", "Раздел первый"},
		{"heading", "Часть третья", "en", "", "Part Three"},
		{"heading", "Annex B", "ru", "", "Приложение Б"},
		{"heading", "Annex C", "ru", "Приложение Б", "Приложение В"},
		{"item", "(d)", "ru", "(в)", "(г)"},
		{"item", "(d)", "ru", "(c)", "(d)"},
		{"item", "(d)", "ru", "", "(d)"},
		{"item", "(г)", "en", "", "(d)"},
		{"item", "(ii)", "ru", "(i)", "(ii)"},
		{"paragraph", "", "ru", "5.", ""},
	}
	for _, tt := range tests {
		if got := drafts.TranslateNumber(tt.kind, tt.number, tt.lang, tt.like); got != tt.want {
			t.Errorf("TranslateNumber(%s %q, %s, like %q) = %q, want %q", tt.kind, tt.number, tt.lang, tt.like, got, tt.want)
		}
	}
}

// TestAlignTranslation: the full Russian road map aligns with the English
// one; the Russian text as it was before (no item (d), no paragraph 5,
// stopping after Cluster II) is refused, naming each provision.
func TestAlignTranslation(t *testing.T) {
	en := parsedWithIDs(t, corpus.Must(t, "sample-draft-road-map.txt"))
	ruText := corpus.Must(t, "sample-draft-road-map.ru.txt")
	ru, err := drafts.ParseText(ruText, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	set, err := drafts.AlignTranslation(en, ru)
	if err != nil {
		t.Fatalf("the full translation does not align: %v", err)
	}
	if len(set) != len(en) || set[en[5].ID].Text != ru.Provisions[5].Text || set[en[5].ID].State != drafts.TranslationCurrent {
		t.Fatalf("set = %+v", set[en[5].ID])
	}

	// Item (d) and paragraph 5 left out, paragraph 6 numbered 5.
	cut := strings.Split(ruText, "\n\n")
	var short []string
	for _, block := range cut {
		switch {
		case strings.HasPrefix(block, "(d) "), strings.HasPrefix(block, "5. "):
			continue
		case strings.HasPrefix(block, "6. "):
			block = "5. " + block[3:]
		}
		short = append(short, block)
	}
	bad, err := drafts.ParseText(strings.Join(short, "\n\n"), drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = drafts.AlignTranslation(en, bad)
	e := drafts.AsError(err)
	if e == nil || e.Code != drafts.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	var msgs []string
	for _, f := range e.Fields {
		msgs = append(msgs, f.Field+" line "+fmt.Sprint(f.Line)+": "+f.Message)
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{
		"provisions." + en[9].ID + " line 19: sub-paragraph (d) of paragraph 4: the translation has no provision for it",
		"provisions." + en[10].ID + " line 19: paragraph 5: the translation has no provision for it",
		"provisions." + en[12].ID + " line 21: paragraph 6: the translation has paragraph 5 here (line 21)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if len(e.Fields) != 3 {
		t.Errorf("%d errors, want 3:\n%s", len(e.Fields), got)
	}

	// A provision the original lacks is named by its line.
	extra, _ := drafts.ParseText(ruText+"\n21. Лишний пункт.\n", drafts.Limits{})
	_, err = drafts.AlignTranslation(en, extra)
	if e := drafts.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "text" || !strings.Contains(e.Fields[0].Message, "paragraph 21 of the translation has no provision in the original") {
		t.Fatalf("extra provision: %v %+v", err, e)
	}
}

// TestCarryOver: untouched provisions stay current, changed ones go
// stale with what they translated, new ones are missing and numbered in
// the language, given texts are current, renumbering renumbers.
func TestCarryOver(t *testing.T) {
	from := parsedWithIDs(t, "# Cluster II\n\n6. All decisions by consensus.\n\n7. Silence.\n\n(a) one;\n\n(b) two.")
	prev := map[string]drafts.Translation{
		"p0": {Number: "#", Text: "Блок II", State: drafts.TranslationCurrent},
		"p1": {Number: "6.", Text: "Все решения консенсусом.", State: drafts.TranslationCurrent},
		"p2": {Number: "7.", Text: "Молчание.", State: drafts.TranslationCurrent},
		"p3": {Number: "(а)", Text: "первое;", State: drafts.TranslationCurrent},
		"p4": {Number: "(б)", Text: "второе.", State: drafts.TranslationStale, Source: "two"},
	}
	to := []drafts.Provision{
		from[0],
		{ID: "p1", Kind: "paragraph", Number: "6.", Text: "All decisions shall be taken by consensus."},
		{ID: "n1", Kind: "paragraph", Number: "6 bis.", Text: "New."},
		{ID: "p2", Kind: "paragraph", Number: "8.", Text: "Silence."},
		from[3],
		{ID: "n2", Kind: "item", Number: "(b)", Text: "inserted;"},
		{ID: "p4", Kind: "item", Number: "(c)", Text: "two."},
		{ID: "n3", Kind: "paragraph", Number: "9.", Text: "Given in Russian."},
	}
	got := drafts.CarryOver("ru", prev, from, to, map[string]string{"n3": "9. Дано по-русски."})
	want := map[string]drafts.Translation{
		"p0": prev["p0"],
		"p1": {Number: "6.", Text: "Все решения консенсусом.", State: drafts.TranslationStale, Source: "All decisions by consensus."},
		"n1": {Number: "6-бис.", State: drafts.TranslationMissing},
		"p2": {Number: "8.", Text: "Молчание.", State: drafts.TranslationCurrent},
		"p3": prev["p3"],
		"n2": {Number: "(б)", State: drafts.TranslationMissing},
		"p4": {Number: "(в)", Text: "второе.", State: drafts.TranslationStale, Source: "two"},
		"n3": {Number: "9.", Text: "Дано по-русски.", State: drafts.TranslationCurrent},
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %+v, want %+v", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d translations, want %d", len(got), len(want))
	}

	// The original changed back to what a stale translation translated: current again.
	back := drafts.CarryOver("ru", got, to, []drafts.Provision{{ID: "p1", Kind: "paragraph", Number: "6.", Text: "All decisions by consensus."}}, nil)
	if w := (drafts.Translation{Number: "6.", Text: "Все решения консенсусом.", State: drafts.TranslationCurrent}); back["p1"] != w {
		t.Errorf("reverted: %+v, want %+v", back["p1"], w)
	}
}

// TestTranslateVersion: a version read in a language has that language's
// numbers and texts, each provision its state, and the original beside a
// stale or missing one, a stale one with the original's change.
func TestTranslateVersion(t *testing.T) {
	v := &drafts.Version{Number: 2, Provisions: []drafts.Provision{
		{ID: "a", Kind: "paragraph", Number: "6.", Text: "All decisions shall be taken by consensus.", Status: "agreed"},
		{ID: "b", Kind: "paragraph", Number: "6 bis.", Text: "New."},
		{ID: "c", Kind: "paragraph", Number: "7.", Text: "Silence."},
	}}
	set := map[string]drafts.Translation{
		"a": {Number: "6.", Text: "Все решения.", State: drafts.TranslationStale, Source: "All decisions by consensus."},
		"b": {Number: "6-бис.", State: drafts.TranslationMissing},
		"c": {Number: "7.", Text: "Молчание.", State: drafts.TranslationCurrent},
	}
	ru := drafts.TranslateVersion(diffing.New(), v, "en", "ru", set)
	if ru.Language != "ru" || v.Provisions[0].Text != "All decisions shall be taken by consensus." {
		t.Fatalf("language %q, or the original changed", ru.Language)
	}
	a, b, c := ru.Provisions[0], ru.Provisions[1], ru.Provisions[2]
	if a.Text != "Все решения." || a.Translation != "stale" || a.Status != "agreed" || a.Original == nil || a.Original.Text != v.Provisions[0].Text {
		t.Errorf("stale: %+v", a)
	}
	var ins []string
	for _, s := range a.Original.Change {
		if s.Op == drafts.SegInsert {
			ins = append(ins, strings.TrimSpace(s.Text))
		}
	}
	if strings.Join(ins, " ") != "shall be taken" {
		t.Errorf("the original's change inserts %q, want \"shall be taken\"", ins)
	}
	if b.Number != "6-бис." || b.Text != "" || b.Translation != "missing" || b.Original == nil || b.Original.Text != "New." {
		t.Errorf("missing: %+v", b)
	}
	if c.Translation != "current" || c.Original != nil {
		t.Errorf("current: %+v", c)
	}
	if st := drafts.CountTranslations("ru", v, set); st.Current != 1 || st.Stale != 1 || st.Missing != 1 || st.InStep() {
		t.Errorf("counts %+v", st)
	}
	p := drafts.Printable(ru)
	if !strings.Contains(p.Provisions[1].Text, "перевод ещё не представлен") || !strings.HasSuffix(p.Provisions[1].Text, "New.") || ru.Provisions[1].Text != "" {
		t.Errorf("printable missing provision: %q", p.Provisions[1].Text)
	}
	if got := p.Provisions[0].Text; got != "[перевод подлежит обновлению] Все решения." {
		t.Errorf("printable stale provision: %q", got)
	}
	w := drafts.Whole(ru)
	if w.Provisions[0].Text != "Все решения." || w.Provisions[1].Text != p.Provisions[1].Text || w.Provisions[2].Text != "Молчание." {
		t.Errorf("whole: %q", []string{w.Provisions[0].Text, w.Provisions[1].Text, w.Provisions[2].Text})
	}
}
