package docx_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"chancery/docx"
	"chancery/drafts"
)

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// build makes a .docx of a body and, optionally, styles and numbering,
// as Word writes them.
func build(tb testing.TB, body, styles, numbering string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, s string) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(s))
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	if styles != "" {
		rels += `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
		add("word/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><w:styles `+wordNS+`>`+styles+`</w:styles>`)
	}
	if numbering != "" {
		rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>`
		add("word/numbering.xml", `<?xml version="1.0" encoding="UTF-8"?><w:numbering `+wordNS+`>`+numbering+`</w:numbering>`)
	}
	add("word/_rels/document.xml.rels", rels+`</Relationships>`)
	add("word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document `+wordNS+`><w:body>`+body+`<w:sectPr/></w:body></w:document>`)
	zw.Close()
	return buf.Bytes()
}

// p writes a paragraph of style st with numbering (num, lvl; num "" for none).
func p(st, num string, lvl int, text string) string {
	ppr := ""
	if st != "" {
		ppr += `<w:pStyle w:val="` + st + `"/>`
	}
	if num != "" {
		ppr += fmt.Sprintf(`<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%s"/></w:numPr>`, lvl, num)
	}
	return `<w:p><w:pPr>` + ppr + `</w:pPr><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

const wordStyles = `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Zagolovok2"><w:name w:val="heading 2"/><w:basedOn w:val="berschrift1"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Numbered"><w:name w:val="Numbered Paragraph"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>`

const wordNumbering = `<w:abstractNum w:abstractNumId="0">` +
	`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>` +
	`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>` +
	`<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3)"/></w:lvl></w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="russianLower"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>` +
	`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>` +
	`<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>` +
	`<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>` +
	`<w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>`

// TestReadWordNumbering: a Word document's automatic numbering, heading
// styles (whatever their ids), typed numbers and the title make the same
// provisions as the markup.
func TestReadWordNumbering(t *testing.T) {
	body := p("Titel", "", 0, "Draft road map") +
		p("berschrift1", "", 0, "Cluster I. Institutional framework") +
		p("ListParagraph", "1", 0, "The Member States agree.") +
		p("ListParagraph", "1", 1, "the purposes;") +
		p("ListParagraph", "1", 2, "first sub-item;") +
		p("ListParagraph", "1", 1, "the organs.") +
		p("", "", 0, "") + // an empty paragraph: spacing, not a provision
		p("Zagolovok2", "", 0, "Meetings") +
		p("berschrift1", "", 0, "Rule 4. Quorum") + // numbered in words: a heading as it reads
		p("Numbered", "", 0, "Numbered by its style.") +
		p("ListParagraph", "1", 1, "again from a.") +
		p("", "", 0, "12.\tTyped with a tab.") +
		p("", "2", 0, "A bullet is no number.") +
		p("", "3", 0, "русский пункт") +
		p("", "4", 0, "Restarted at ten.") +
		`<w:p><w:r><w:t>A field: page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>text box</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r><w:r><w:tab/><w:t>after a tab</w:t><w:br/><w:t>second line</w:t></w:r></w:p>`
	want := `# Cluster I. Institutional framework

1. The Member States agree.

(a) the purposes;

(i) first sub-item;

(b) the organs.

## Meetings

Rule 4. Quorum

2. Numbered by its style.

(a) again from a.

12. Typed with a tab.

A bullet is no number.

(а) русский пункт

10. Restarted at ten.

A field: page 7	after a tab
second line
`
	f, err := docx.New().ReadWord(build(t, body, wordStyles, wordNumbering))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Text(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if f.Title != "Draft road map" {
		t.Errorf("title %q", f.Title)
	}
	if f.Tracked {
		t.Error("tracked")
	}
	tx, err := drafts.ParseText(f.Text(), drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for _, p := range tx.Provisions {
		kinds = append(kinds, p.Kind)
	}
	if got, want := strings.Join(kinds, " "), "heading paragraph item item item heading heading paragraph item paragraph paragraph item paragraph paragraph"; got != want {
		t.Errorf("kinds %s, want %s", got, want)
	}
}

// Word's own ways of tracking: a new paragraph typed by pressing Enter at
// the end of one (the old paragraph's mark is the inserted one), words
// deleted and inserted, a paragraph moved (moveFrom/moveTo ranges), a
// and a paragraph inserted then deleted by another reviewer.
func TestReadWordTracked(t *testing.T) {
	const rev = ` w:id="1" w:author="KZ" w:date="2026-01-01T00:00:00Z"`
	bm := func(id string) string {
		return `<w:bookmarkStart w:id="9` + id + `" w:name="chy_` + id + `"/><w:bookmarkEnd w:id="9` + id + `"/>`
	}
	body := `<w:p>` + bm("a") + `<w:r><w:t>1. First.</w:t></w:r></w:p>` +
		// Enter at the end of paragraph 2 and a new paragraph typed.
		`<w:p><w:pPr><w:rPr><w:ins` + rev + `/></w:rPr></w:pPr>` + bm("b") + `<w:r><w:t>2. Second.</w:t></w:r></w:p>` +
		`<w:p><w:ins` + rev + `><w:r><w:t>3. Inserted.</w:t></w:r></w:ins></w:p>` +
		// Words changed.
		`<w:p>` + bm("c") + `<w:r><w:t xml:space="preserve">3. Third </w:t></w:r><w:del` + rev + `><w:r><w:delText>old</w:delText></w:r></w:del><w:ins` + rev + `><w:r><w:t>new</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> words.</w:t></w:r></w:p>` +
		// Paragraph d moves after e.
		`<w:moveFromRangeStart w:id="20" w:name="move1"` + rev[len(` w:id="1"`):] + `/><w:p><w:pPr><w:rPr><w:moveFrom` + rev + `/></w:rPr></w:pPr>` + bm("d") + `<w:moveFrom` + rev + `><w:r><w:t>4. Moving.</w:t></w:r></w:moveFrom></w:p><w:moveFromRangeEnd w:id="20"/>` +
		`<w:p>` + bm("e") + `<w:r><w:t>5. Staying.</w:t></w:r></w:p>` +
		`<w:moveToRangeStart w:id="21" w:name="move1"` + rev[len(` w:id="1"`):] + `/><w:p><w:pPr><w:rPr><w:moveTo` + rev + `/></w:rPr></w:pPr><w:moveTo` + rev + `><w:r><w:t>4. Moving.</w:t></w:r></w:moveTo></w:p><w:moveToRangeEnd w:id="21"/>` +
		// Inserted then deleted by another: in neither text.
		`<w:p>` + bm("f") + `<w:r><w:t xml:space="preserve">6. Last</w:t></w:r><w:ins` + rev + `><w:del` + rev + `><w:r><w:delText> never</w:delText></w:r></w:del></w:ins><w:r><w:t>.</w:t></w:r></w:p>`
	f, err := docx.New().ReadWord(build(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Tracked {
		t.Error("not tracked")
	}
	wantOld := "1. First.\n\n2. Second.\n\n3. Third old words.\n\n4. Moving.\n\n5. Staying.\n\n6. Last.\n"
	wantNew := "1. First.\n\n2. Second.\n\n3. Inserted.\n\n3. Third new words.\n\n5. Staying.\n\n4. Moving.\n\n6. Last.\n"
	if got := f.OriginalText(); got != wantOld {
		t.Errorf("original:\n%s\nwant:\n%s", got, wantOld)
	}
	if got := f.Text(); got != wantNew {
		t.Errorf("edited:\n%s\nwant:\n%s", got, wantNew)
	}
	base := version(t, 1, wantOld)
	for i, id := range []string{"a", "b", "c", "d", "e", "f"} {
		base.Provisions[i].ID = id
	}
	ops, err := f.Operations(base.Provisions, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range ops {
		got = append(got, o.Op+" "+o.Provision+" after "+o.After+" "+o.Text)
	}
	want := []string{
		"replace c after  Third new words.",
		"move d after e ",
		"insert  after b 3. Inserted.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
