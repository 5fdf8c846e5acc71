package api_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chancery/drafts"
)

// langProblem is a problem+json body as the language tests read it.
type langProblem struct {
	Code   string              `json:"code"`
	Detail string              `json:"detail"`
	Errors []drafts.FieldError `json:"errors"`
}

// fieldsOf lists the fields a langProblem names.
func (p langProblem) fieldsOf() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// russianRoadMap creates the road map in English and adds its Russian
// text as the secretariat; it returns the document and its version 1.
func (e *testEnv) russianRoadMap() (string, version) {
	e.t.Helper()
	doc, v1 := e.document(corpus(e.t, "sample-draft-road-map.txt"), "members")
	var ru version
	e.mustJSON(http.StatusOK, &ru, "PUT", docPath(doc, "/languages/ru"), "secretariat", map[string]string{"text": corpus(e.t, "sample-draft-road-map.ru.txt")})
	if len(ru.Provisions) != len(v1.Provisions) || ru.Provisions[5].Translation != drafts.TranslationCurrent {
		e.t.Fatalf("the Russian version: %+v", ru.Provisions[5])
	}
	return doc, v1
}

// translationOf returns the provision with id in v.
func (v version) byID(t *testing.T, id string) drafts.Provision {
	t.Helper()
	for _, p := range v.Provisions {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no provision %s in version %d", id, v.Number)
	return drafts.Provision{}
}

// TestLanguagesEndToEnd, in English and Russian: the road map created in
// English, its Russian text added; a proposal changing paragraph 6 and
// inserting 6 bis merged; Russian paragraph 6 stale and 6 bis missing;
// adoption refused naming both; both translated; adoption opens and the
// text is adopted; the bilingual PDF has both languages with their
// numbers on one line; the Russian tracked diff shows the change.
func TestLanguagesEndToEnd(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.russianRoadMap()
	p6 := v1.provision(t, "All decisions shall continue")
	prop := e.propose(doc, "KZ", 1, replace(p6.ID, "All decisions shall continue to be taken by consensus of the Member States."),
		map[string]string{"op": "insert", "after": p6.ID, "text": "6 bis. Decisions on procedural matters may be taken by the Chair after consultations."})
	var merged version
	e.mustJSON(http.StatusCreated, &merged, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop}})
	bis := merged.provision(t, "Decisions on procedural matters")

	var ru2 version
	e.mustJSON(http.StatusOK, &ru2, "GET", docPath(doc, "/versions/2?language=ru"), "IN", nil)
	if p := ru2.byID(t, p6.ID); p.Translation != drafts.TranslationStale || p.Number != "6." || p.Original == nil || len(p.Original.Change) == 0 {
		t.Fatalf("Russian 6: %+v", p)
	}
	if p := ru2.byID(t, bis.ID); p.Translation != drafts.TranslationMissing || p.Number != "6-бис." || p.Text != "" {
		t.Fatalf("Russian 6 bis: %+v", p)
	}
	var d drafts.Document
	e.mustJSON(http.StatusOK, &d, "GET", docPath(doc), "IN", nil)
	if len(d.LanguageStates) != 2 || d.LanguageStates[1] != (drafts.LanguageState{Language: "ru", Current: len(merged.Provisions) - 2, Stale: 1, Missing: 1}) {
		t.Fatalf("languages: %+v", d.LanguageStates)
	}

	var refused langProblem
	e.do("POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "consensus"}).MustStatus(http.StatusConflict).JSON(&refused)
	if refused.Code != "languages_out_of_step" || !slicesEqual(refused.fieldsOf(), []string{"provisions." + p6.ID, "provisions." + bis.ID}) ||
		!strings.Contains(refused.Detail, "ru paragraph 6 (stale), ru paragraph 6 bis (missing)") {
		t.Fatalf("adoption while out of step: %+v", refused)
	}

	for id, text := range map[string]string{
		p6.ID:  "Все решения по-прежнему принимаются на основе консенсуса государств-членов.",
		bis.ID: "Решения по процедурным вопросам могут приниматься Председателем после консультаций.",
	} {
		var p drafts.Provision
		e.mustJSON(http.StatusOK, &p, "PUT", docPath(doc, "/versions/2/provisions/", id, "/translations/ru"), "secretariat", map[string]string{"text": text})
		if p.Translation != drafts.TranslationCurrent || p.Text != text {
			t.Fatalf("translated: %+v", p)
		}
	}
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "consensus"})
	for _, who := range []string{"KZ", "IN", "CN", "RU", "TR"} {
		e.mustJSON(http.StatusOK, nil, "POST", docPath(doc, "/adoption/consent"), who, nil)
	}
	e.mustJSON(http.StatusOK, nil, "POST", docPath(doc, "/adoption/close"), "chair", nil)

	// The bilingual PDF: both languages, each paragraph's numbers on one line.
	r := e.do("GET", docPath(doc, "/versions/2/pdf?language=en,ru"), "KZ", nil).MustStatus(http.StatusOK)
	if got := r.Header.Get("Content-Disposition"); !strings.Contains(got, "-v2-en-ru.pdf") {
		t.Errorf("Content-Disposition = %q", got)
	}
	layout := pdftotextLayout(t, r.Body)
	for _, pair := range [][2]string{{"6.", "6."}, {"6 bis.", "6-бис."}, {"7.", "7."}, {"20.", "20."}} {
		re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(pair[0]) + `\s+\S.*\s` + regexp.QuoteMeta(pair[1]) + `\s+\S`)
		if !re.MatchString(layout) {
			t.Errorf("no line with %q on the left and %q on the right:\n%s", pair[0], pair[1], layout)
		}
	}
	left, right := pdfColumns(t, r.Body)
	for _, want := range []string{"consensus of the Member States.", "Done in English and Russian, both texts being equally authentic."} {
		if !strings.Contains(left, want) {
			t.Errorf("the left column lacks %q:\n%s", want, left)
		}
	}
	for _, want := range []string{"консенсуса государств-членов.", "Совершено на английском и русском языках, причём оба текста являются равно аутентичными."} {
		if !strings.Contains(right, want) {
			t.Errorf("the right column lacks %q:\n%s", want, right)
		}
	}
	// The English PDF alone says it too, in both languages.
	en := pdftotextLayout(t, e.do("GET", docPath(doc, "/versions/2/pdf"), "KZ", nil).MustStatus(http.StatusOK).Body)
	if flat := strings.Join(strings.Fields(en), " "); !strings.Contains(flat, "both texts being equally authentic") || !strings.Contains(flat, "равно аутентичными") {
		t.Errorf("the English PDF lacks the equally authentic line:\n%s", en)
	}

	// The text in Russian as a Word file, and the compilation in Russian.
	word := e.do("GET", docPath(doc, "/versions/2?language=ru"), "KZ", nil, "Accept", wordType).MustStatus(http.StatusOK)
	if !strings.Contains(docxText(t, word.Body), "консенсуса государств-членов.") {
		t.Errorf("the Russian .docx lacks the Russian text")
	}
	var comp drafts.Compilation
	e.mustJSON(http.StatusOK, &comp, "GET", docPath(doc, "/compilation?language=ru"), "KZ", nil)
	if p := comp.Entries[10].Provision; p.Number != "5." || !strings.HasPrefix(p.Text, "Специальная") || p.Original == nil || !strings.HasPrefix(p.Original.Text, "The Special Working Group") {
		t.Errorf("the compilation in Russian: %+v", p)
	}

	// The Russian tracked diff shows the Russian change.
	text := e.do("GET", docPath(doc, "/versions/2/diff?language=ru"), "KZ", nil, "Accept", "text/plain").MustStatus(http.StatusOK).Body
	for _, want := range []string{"консенсуса[+ государств-членов+]{KZ}.", "[+6-бис. Решения по процедурным вопросам"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the Russian diff lacks %q:\n%s", want, text)
		}
	}
}

// docxText is the text of a .docx's main part, its tags removed.
func docxText(t *testing.T, docx []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(b), "")
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

// pdftotextLayout returns the text of a PDF laid out as on the page.
func pdftotextLayout(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is not installed (./test.sh installs poppler-utils)")
		}
		t.Skip("pdftotext is not installed; run ./test.sh")
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// pdfColumns returns the words of the left and the right column of a
// PDF printed in two (render's geometry: A4, margins 72 and 64 points, a
// gutter of 20), each column's text on one line.
func pdfColumns(t *testing.T, pdf []byte) (string, string) {
	t.Helper()
	pdftotextLayout(t, pdf) // skips or fails without pdftotext
	path := filepath.Join(t.TempDir(), "columns.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	colW := 219 // (595.28 - 72 - 64 - 20) / 2, the width of a column
	var cols [2]string
	for c, x := range []int{40, 72 + colW + 10} {
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-x", strconv.Itoa(x), "-y", "0", "-W", strconv.Itoa(colW+30), "-H", "842", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		cols[c] = strings.Join(strings.Fields(string(out)), " ")
	}
	return cols[0], cols[1]
}

// TestLanguageNotAlignedIsRefused: a Russian text with a provision less
// and a number that differs is a 422 naming each provision, and nothing
// is stored: the document has no Russian version, its trail no event.
func TestLanguageNotAlignedIsRefused(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	var before struct {
		Items []drafts.Event `json:"items"`
	}
	e.mustJSON(http.StatusOK, &before, "GET", docPath(doc, "/events"), "KZ", nil)
	ru := strings.Replace(corpus(t, "sample-draft-road-map.ru.txt"), "\n\n5. Специальная рабочая группа", "\n\n5 bis. Специальная рабочая группа", 1)
	ru = strings.Replace(ru, "(d) правосубъектность, привилегии и иммунитеты организации.\n\n", "", 1)
	var p langProblem
	e.do("PUT", docPath(doc, "/languages/ru"), "secretariat", map[string]string{"text": ru}).MustStatus(http.StatusUnprocessableEntity).JSON(&p)
	d := v1.provision(t, "legal personality")
	five := v1.provision(t, "shall submit a draft of the Charter")
	if !slicesEqual(p.fieldsOf(), []string{"provisions." + d.ID, "provisions." + five.ID}) ||
		!strings.Contains(p.Errors[0].Message, "sub-paragraph (d) of paragraph 4") || !strings.Contains(p.Errors[1].Message, "paragraph 5: the translation has paragraph 5 bis here") {
		t.Fatalf("422: %+v", p)
	}
	e.do("GET", docPath(doc, "/versions/1?language=ru"), "KZ", nil).MustStatus(http.StatusNotFound)
	var after struct {
		Items []drafts.Event `json:"items"`
	}
	e.mustJSON(http.StatusOK, &after, "GET", docPath(doc, "/events"), "KZ", nil)
	if len(after.Items) != len(before.Items) {
		t.Errorf("%d events before, %d after", len(before.Items), len(after.Items))
	}
	objs, _, err := e.store.List(t.Context(), "texts/"+doc+"/translations/", "", 10)
	if err != nil || len(objs) != 0 {
		t.Errorf("stored translations: %v %v", objs, err)
	}
	e.do("PUT", docPath(doc, "/languages/ru"), "KZ", map[string]string{"text": ru}).MustStatus(http.StatusForbidden)

	// A .docx is read as the text: the same 422 for the same text; the
	// whole translation in Word is the Russian version.
	var fromWord langProblem
	e.do("PUT", docPath(doc, "/languages/ru"), "chair", wordFile(t, ru), "Content-Type", wordType).MustStatus(http.StatusUnprocessableEntity).JSON(&fromWord)
	if !slicesEqual(fromWord.fieldsOf(), p.fieldsOf()) {
		t.Errorf("the .docx's 422 names %v, the text's %v", fromWord.fieldsOf(), p.fieldsOf())
	}
	var v version
	e.mustJSON(http.StatusOK, &v, "PUT", docPath(doc, "/languages/ru"), "chair", wordFile(t, corpus(t, "sample-draft-road-map.ru.txt")), "Content-Type", wordType)
	if p := v.byID(t, five.ID); p.Number != "5." || !strings.HasPrefix(p.Text, "Специальная рабочая группа") || p.Translation != drafts.TranslationCurrent {
		t.Errorf("paragraph 5 from Word: %+v", p)
	}
}

// TestLanguagesOnTwoReplicas: on MinIO, a translation sent to one replica
// is current on the other at once, in the version, the document's counts
// and the secretariat's reading.
func TestLanguagesOnTwoReplicas(t *testing.T) {
	store := backends()["minio"](t)
	a, b := newEnv(t, store), newEnv(t, store)
	a.forum()
	b.tokens = a.tokens
	doc, v1 := a.russianRoadMap()
	p6 := v1.provision(t, "All decisions shall continue")
	a.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1,
		"text": strings.Replace(v1.Text, "continue to be taken by consensus.", "continue to be taken by consensus of the Member States.", 1), "message": "6"})
	var ru version
	b.mustJSON(http.StatusOK, &ru, "GET", docPath(doc, "/versions/2?language=ru"), "KZ", nil)
	if ru.byID(t, p6.ID).Translation != drafts.TranslationStale {
		t.Fatalf("replica b before: %+v", ru.byID(t, p6.ID))
	}
	a.mustJSON(http.StatusOK, nil, "PUT", docPath(doc, "/versions/2/provisions/", p6.ID, "/translations/ru"), "secretariat",
		map[string]string{"text": "Все решения по-прежнему принимаются на основе консенсуса государств-членов."})
	b.mustJSON(http.StatusOK, &ru, "GET", docPath(doc, "/versions/2?language=ru"), "KZ", nil)
	if p := ru.byID(t, p6.ID); p.Translation != drafts.TranslationCurrent || !strings.HasSuffix(p.Text, "государств-членов.") {
		t.Fatalf("replica b after: %+v", p)
	}
	var d drafts.Document
	b.mustJSON(http.StatusOK, &d, "GET", docPath(doc), "KZ", nil)
	if d.LanguageStates[1].Stale != 0 || d.LanguageStates[1].Missing != 0 {
		t.Errorf("replica b's counts: %+v", d.LanguageStates)
	}
	// And the other way: a whole text sent to b replaces the Russian version a reads.
	b.mustJSON(http.StatusOK, nil, "PUT", docPath(doc, "/languages/ru"), "chair", map[string]string{"text": strings.Replace(corpus(t, "sample-draft-road-map.ru.txt"), "консенсуса.", "консенсуса (исправлено).", 1)})
	a.mustJSON(http.StatusOK, &ru, "GET", docPath(doc, "/versions/2?language=ru"), "KZ", nil)
	if p := ru.byID(t, p6.ID); !strings.HasSuffix(p.Text, "(исправлено).") {
		t.Fatalf("replica a after b's whole text: %+v", p)
	}
	b.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "consensus"})
}
