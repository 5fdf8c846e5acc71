package docx_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
)

// notesOld and notesNew are two versions of a text with notes: in the new
// one, a note's words changed, a note went, a note came, a heading has one.
const notesOld = `# Cluster II. Decision-making

6. All decisions shall be taken by consensus.[^1] The Chair shall record them.[^2]
[^1]: The delegation of India reserves its position on this paragraph.
[^2]: In the language of the meeting.

7. A decision may be adopted by a silence procedure.[^1]
[^1]: Of not less than seventy-two hours.

8. Статья без изменений.[^1]
[^1]: Сноска на русском языке.
`

const notesNew = `# Cluster II. Decision-making[^1]
[^1]: As agreed at the second meeting.

6. All decisions shall be taken by consensus.[^1] The Chair shall record them.[^2]
[^1]: The delegation of India maintains its position on this paragraph.
[^2]: In the language of the meeting.

7. A decision may be adopted by a silence procedure.

8. Статья без изменений.[^1]
[^1]: Сноска на русском языке.
`

// TestFootnotesRoundTrip: a text with notes exported as .docx has real
// footnotes, and reads back as the same text, notes and all.
func TestFootnotesRoundTrip(t *testing.T) {
	w := docx.New()
	for _, text := range []string{notesOld, notesNew} {
		v := version(t, 1, text)
		data := exportText(t, w, testDocument("en"), v)
		fx := part(t, data, "word/footnotes.xml")
		if n := strings.Count(fx, `<w:footnote w:id="`); n != strings.Count(text, "\n[^") {
			t.Errorf("%d footnotes written, want %d", n, strings.Count(text, "\n[^"))
		}
		if n := strings.Count(part(t, data, "word/document.xml"), "<w:footnoteReference"); n != strings.Count(text, "\n[^") {
			t.Errorf("%d footnote references written", n)
		}
		f, err := w.ReadWord(data)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := f.Text(), canonical(t, text); got != want {
			t.Errorf("read back:\n%s\nwant:\n%s", got, want)
		}
		if f.Tracked {
			t.Error("tracked")
		}
	}
}

// TestFootnotesChanges: in the tracked-changes export, a changed note is
// a tracked change inside its footnote and a new or removed note an
// inserted or deleted reference: the file reads back as both versions.
func TestFootnotesChanges(t *testing.T) {
	from, to := version(t, 1, notesOld), version(t, 2, notesNew)
	d := diffing.New()
	diff := d.Provisions(from.Provisions, to.Provisions)
	for i := range diff.Changes {
		diff.Changes[i].Delegations = []string{"India"}
	}
	w := docx.New()
	var buf bytes.Buffer
	if err := w.ChangesWord(&buf, testDocument("en"), from, to, diff); err != nil {
		t.Fatal(err)
	}
	fx := part(t, buf.Bytes(), "word/footnotes.xml")
	for _, want := range []string{"<w:del ", "<w:delText xml:space=\"preserve\">reserves</w:delText>", "<w:ins ", "maintains"} {
		if !strings.Contains(fx, want) {
			t.Errorf("footnotes.xml lacks %q", want)
		}
	}
	f, err := w.ReadWord(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.OriginalText(), canonical(t, notesOld); got != want {
		t.Errorf("changes rejected:\n%s\nwant:\n%s", got, want)
	}
	if got, want := f.Text(), canonical(t, notesNew); got != want {
		t.Errorf("changes accepted:\n%s\nwant:\n%s", got, want)
	}
	ops, err := f.Operations(from.Provisions, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range ops {
		got = append(got, o.Op+" "+o.Provision)
	}
	if strings.Join(got, ", ") != "replace p1, replace p2, replace p3" {
		t.Errorf("operations %v", got)
	}
}

// wordFootnotes builds a .docx with footnotes and endnotes as Word writes
// them (separators, footnoteRef, a tracked change in a note).
func wordFootnotes(tb testing.TB) []byte {
	tb.Helper()
	const rev = ` w:id="%d" w:author="India" w:date="2025-05-01T10:00:00Z"`
	ref := func(kind string, id int) string {
		return fmt.Sprintf(`<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:%sReference w:id="%d"/></w:r>`, kind, id)
	}
	body := `<w:p><w:r><w:t xml:space="preserve">1. All decisions shall be taken by consensus.</w:t></w:r>` + ref("footnote", 1) +
		`<w:r><w:t xml:space="preserve"> Records are kept.</w:t></w:r>` + ref("endnote", 1) + `</w:p>` +
		`<w:p><w:r><w:t xml:space="preserve">2. Решения принимаются консенсусом.</w:t></w:r>` + ref("footnote", 2) + `</w:p>`
	notes := func(kind string, ns ...string) string {
		s := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:%ss %s>`, kind, wordNS) +
			fmt.Sprintf(`<w:%s w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:%s>`, kind, kind) +
			fmt.Sprintf(`<w:%s w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:%s>`, kind, kind)
		for i, n := range ns {
			s += fmt.Sprintf(`<w:%s w:id="%d"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:%sRef/></w:r>%s</w:p></w:%s>`, kind, i+1, kind, n, kind)
		}
		return s + fmt.Sprintf(`</w:%ss>`, kind)
	}
	data := build(tb, body, "", "")
	rels := part(tb, data, "word/_rels/document.xml.rels")
	rels = strings.Replace(rels, "</Relationships>", `<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>`+
		`<Relationship Id="rIdEn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/></Relationships>`, 1)
	return rewrite(tb, data, map[string]string{"word/_rels/document.xml.rels": rels}, map[string]string{
		"word/footnotes.xml": notes("footnote",
			`<w:r><w:t xml:space="preserve"> India </w:t></w:r><w:del`+fmt.Sprintf(rev, 1)+`><w:r><w:delText>reserves</w:delText></w:r></w:del><w:ins`+fmt.Sprintf(rev, 2)+`><w:r><w:t>maintains</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> its position.</w:t></w:r>`,
			`<w:r><w:t xml:space="preserve"> Сноска.</w:t></w:r></w:p><w:p><w:r><w:t>Второй абзац сноски.</w:t></w:r>`),
		"word/endnotes.xml": notes("endnote", `<w:r><w:t xml:space="preserve"> An endnote.</w:t></w:r>`),
	})
}

// TestReadWordFootnotes: footnotes and endnotes of a file Word made are
// notes of the provisions they are in, a tracked change in one a change
// of the text.
func TestReadWordFootnotes(t *testing.T) {
	f, err := docx.New().ReadWord(wordFootnotes(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "1. All decisions shall be taken by consensus.[^1] Records are kept.[^2]\n[^1]: India maintains its position.\n[^2]: An endnote.\n\n" +
		"2. Решения принимаются консенсусом.[^1]\n[^1]: Сноска.\nВторой абзац сноски.\n"
	if got := f.Text(); got != want {
		t.Errorf("changes accepted:\n%q\nwant:\n%q", got, want)
	}
	if got := f.OriginalText(); got != strings.Replace(want, "maintains", "reserves", 1) {
		t.Errorf("changes rejected:\n%q", got)
	}
	if !f.Tracked || fmt.Sprint(f.Authors) != "[India]" {
		t.Errorf("tracked %v, authors %v", f.Tracked, f.Authors)
	}
}

// TestLibreOfficeFootnotes: LibreOffice reads our footnotes as footnotes
// (text:note in its own format), and a file it saves with them reads
// back with the same notes.
func TestLibreOfficeFootnotes(t *testing.T) {
	soffice(t)
	dir := t.TempDir()
	v := version(t, 1, notesOld)
	path := filepath.Join(dir, "notes.docx")
	if err := os.WriteFile(path, exportText(t, docx.New(), testDocument("en"), v), 0o644); err != nil {
		t.Fatal(err)
	}
	convert(t, "fodt", dir, path)
	fodt, err := os.ReadFile(filepath.Join(dir, "notes.fodt"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(fodt, []byte(`<text:note text:id=`)); n != 4 {
		t.Errorf("LibreOffice found %d footnotes, want 4", n)
	}
	for _, w := range []string{"reserves its position on this paragraph", "Сноска на русском языке"} {
		if !bytes.Contains(fodt, []byte(w)) {
			t.Errorf("LibreOffice's file lacks %q", w)
		}
	}
	out := t.TempDir()
	convert(t, "docx:MS Word 2007 XML", out, filepath.Join(dir, "notes.fodt"))
	data, err := os.ReadFile(filepath.Join(out, "notes.docx"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := docx.New().ReadWord(data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Text(), canonical(t, notesOld); got != want {
		t.Errorf("LibreOffice's .docx reads:\n%s\nwant:\n%s", got, want)
	}
}
