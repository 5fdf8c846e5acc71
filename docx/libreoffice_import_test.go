package docx_test

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/corpus"
)

// markedUpFodt writes a corpus text as LibreOffice keeps a document that
// two delegations marked up with Track Changes: Kazakhstan adds words to
// one paragraph, India removes a word from another and adds a paragraph
// after it; the text has a footnote and, between two provisions, a
// paragraph of no-break spaces. It returns the file and the provisions'
// markup with the changes rejected.
func markedUpFodt(tb testing.TB, text string) (fodt string, original []string, kz, in int) {
	tb.Helper()
	t, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	kz, in = -1, -1
	for i, p := range t.Provisions {
		if p.Kind == drafts.KindParagraph && p.Number != "" && strings.Count(p.Text, " ") > 3 {
			if kz < 0 {
				kz = i
			} else if in < 0 && i > kz+1 {
				in = i
			}
		}
	}
	change := func(id, kind, who string, body string) string {
		return `<text:changed-region text:id="` + id + `"><text:` + kind + `><office:change-info><dc:creator>` + who +
			`</dc:creator><dc:date>2026-05-04T10:00:00</dc:date></office:change-info>` + body + `</text:` + kind + `></text:changed-region>`
	}
	var body strings.Builder
	for i, p := range t.Provisions {
		markup := p.Markup()
		if p.Kind == drafts.KindHeading && strings.HasPrefix(p.Number, "#") {
			fmt.Fprintf(&body, `<text:h text:style-name="Heading_20_1" text:outline-level="1">%s</text:h>`, esc(p.Text))
			original = append(original, markup)
			continue
		}
		switch i {
		case kz: // words added before the final full stop, and a footnote
			cut := len(markup) - 1
			fmt.Fprintf(&body, `<text:p text:style-name="Standard">%s<text:change-start text:change-id="k1"/>, в том числе в цифровой форме<text:change-end text:change-id="k1"/>%s<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Standard">См. Алматинский акт.</text:p></text:note-body></text:note></text:p>`,
				esc(markup[:cut]), esc(markup[cut:]))
			original = append(original, markup+"[^1]\n[^1]: См. Алматинский акт.")
			body.WriteString(`<text:p text:style-name="Standard">` + "\u00a0\u00a0" + `</text:p>`)
		case in: // its second word removed, and a paragraph added after it
			words := strings.SplitN(markup, " ", 3)
			fmt.Fprintf(&body, `<text:p text:style-name="Standard">%s <text:change text:change-id="i1"/>%s<text:change-start text:change-id="i2"/></text:p>`, esc(words[0]), esc(words[2]))
			fmt.Fprintf(&body, `<text:p text:style-name="Standard">%s bis. Каждое государство-член ежегодно представляет доклад.<text:change-end text:change-id="i2"/></text:p>`, strings.TrimSuffix(p.Number, "."))
			original = append(original, markup)
		default:
			fmt.Fprintf(&body, `<text:p text:style-name="Standard">%s</text:p>`, esc(markup))
			original = append(original, markup)
		}
	}
	inWords := strings.SplitN(t.Provisions[in].Markup(), " ", 3)
	fodt = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles><style:style style:name="Standard" style:family="paragraph"/><style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1"/></office:styles>
<office:body><office:text><text:tracked-changes text:track-changes="true">` +
		change("k1", "insertion", "Kazakhstan", "") +
		change("i1", "deletion", "India", `<text:p>`+esc(inWords[1])+` </text:p>`) +
		change("i2", "insertion", "India", "") +
		`</text:tracked-changes>` + body.String() + `</office:text></office:body></office:document>`
	return fodt, original, kz, in
}

// TestLibreOfficeMarkedUp: a corpus text in Russian that Kazakhstan and
// India marked up, saved as .docx by LibreOffice, reads as the text with
// its footnote and without the paragraph of no-break spaces, and gives
// each delegation's changes apart; with a template recorded as Word
// records it, it reads the same. (-update keeps LibreOffice's file as
// testdata/marked-up-libreoffice.docx.)
func TestLibreOfficeMarkedUp(t *testing.T) {
	soffice(t)
	fodt, original, kz, in := markedUpFodt(t, corpus.Must(t, "sample-draft-road-map.ru.txt"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "marked.fodt"), []byte(fodt), 0o644); err != nil {
		t.Fatal(err)
	}
	convert(t, "docx:MS Word 2007 XML", dir, filepath.Join(dir, "marked.fodt"))
	data, err := os.ReadFile(filepath.Join(dir, "marked.docx"))
	if err != nil {
		t.Fatal(err)
	}
	if *update { // kept for FuzzReadWord's seeds
		if err := os.WriteFile(filepath.Join("testdata", "marked-up-libreoffice.docx"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkMarkedUp(t, data, original, kz, in)
}

// TestLibreOfficeMarkedUpFile: the same on the file LibreOffice saved,
// kept in testdata (no LibreOffice needed).
func TestLibreOfficeMarkedUpFile(t *testing.T) {
	_, original, kz, in := markedUpFodt(t, corpus.Must(t, "sample-draft-road-map.ru.txt"))
	data, err := os.ReadFile(filepath.Join("testdata", "marked-up-libreoffice.docx"))
	if err != nil {
		t.Fatal(err)
	}
	checkMarkedUp(t, data, original, kz, in)
}

// checkMarkedUp reads a marked-up file, as saved and with a template
// recorded as Word records it: its text with the changes rejected is
// original, and Kazakhstan's and India's changes are apart.
func checkMarkedUp(t *testing.T, data []byte, original []string, kz, in int) {
	t.Helper()
	templated := rewrite(t, data, nil, map[string]string{"word/_rels/settings.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\Users\aida\AppData\Roaming\Microsoft\Templates\Normal.dotm" TargetMode="External"/></Relationships>`})
	for name, file := range map[string][]byte{"as saved": data, "with a template": templated} {
		t.Run(name, func(t *testing.T) {
			w := docx.New()
			f, err := w.ReadWord(file)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := f.OriginalText(), strings.Join(original, "\n\n")+"\n"; got != want {
				t.Fatalf("changes rejected:\n%s\nwant:\n%s", got, want)
			}
			views, err := drafts.PlanWordImport(f.Authors, []*drafts.Delegation{{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember}, {ID: "IN", Name: "India", Status: drafts.StatusMember}}, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			f, err = w.ReadWordViews(file, views)
			if err != nil {
				t.Fatal(err)
			}
			base := version(t, 1, f.OriginalText())
			kzOps, err := f.ViewOperations("KZ", base.Provisions, drafts.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(kzOps) != 1 || kzOps[0].Op != drafts.OpReplace || kzOps[0].Provision != base.Provisions[kz].ID ||
				!strings.Contains(kzOps[0].Text, ", в том числе в цифровой форме.[^1]\n[^1]: См. Алматинский акт.") {
				t.Errorf("Kazakhstan's operations: %+v", kzOps)
			}
			inOps, err := f.ViewOperations("IN", base.Provisions, drafts.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(inOps) != 2 || inOps[0].Provision != base.Provisions[in].ID || inOps[1].Op != drafts.OpInsert || inOps[1].After != base.Provisions[in].ID ||
				!strings.Contains(inOps[1].Text, "bis. Каждое государство-член ежегодно представляет доклад.") {
				t.Errorf("India's operations: %+v", inOps)
			}
		})
	}
}
