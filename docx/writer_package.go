package docx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"chancery/drafts"
)

// write packs the document with its styles, footer and properties.
func (d *doc) write(out io.Writer, dc *drafts.Document, track bool) error {
	zw := zip.NewWriter(out)
	lang := dc.Language
	if lang == "" {
		lang = "en"
	}
	types, rels := contentTypes, documentRels
	files := []struct{ name, body string }{
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreXML(dc)},
		{"word/document.xml", d.documentXML()},
		{"word/styles.xml", stylesXML(lang)},
		{"word/settings.xml", settingsXML(track, lang, d.noteID > 0)},
		{"word/footer1.xml", d.footerXML(dc)},
	}
	if d.noteID > 0 {
		files = append(files, struct{ name, body string }{"word/footnotes.xml", d.footnotesXML()})
		types = strings.Replace(types, `</Types>`, `<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>`, 1)
		rels = strings.Replace(rels, `</Relationships>`, `<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>`, 1)
	}
	files = append(files, struct{ name, body string }{"[Content_Types].xml", types}, struct{ name, body string }{"word/_rels/document.xml.rels", rels})
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

func (d *doc) documentXML() string {
	return xml.Header + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>` + d.b.String() +
		`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>`
}

func (d *doc) footerXML(dc *drafts.Document) string {
	field := func(instr, shown string) string {
		return `<w:fldSimple w:instr=" ` + instr + ` "><w:r><w:t>` + shown + `</w:t></w:r></w:fldSimple>`
	}
	sym := ""
	if dc.Symbol != "" {
		sym = `<w:r><w:t xml:space="preserve">` + esc(dc.Symbol) + ` · </w:t></w:r>`
	}
	return xml.Header + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>` + sym +
		`<w:r><w:t xml:space="preserve">` + d.lab.Pick("Page ", "Страница ") + `</w:t></w:r>` + field("PAGE", "1") +
		`<w:r><w:t xml:space="preserve">` + d.lab.Pick(" of ", " из ") + `</w:t></w:r>` + field("NUMPAGES", "1") + `</w:p></w:ftr>`
}

func coreXML(dc *drafts.Document) string {
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		`<dc:title>` + esc(dc.Title) + `</dc:title><dc:subject>` + esc(dc.Symbol) + `</dc:subject><dc:language>` + esc(dc.Language) + `</dc:language></cp:coreProperties>`
}

func settingsXML(track bool, lang string, notes bool) string {
	t := ""
	if track {
		// Delegations edit with Track Changes on from the start: their
		// changes come back as revisions, and so as a proposal.
		t = `<w:trackRevisions/>`
	}
	t += `<w:defaultTabStop w:val="709"/>`
	if notes {
		t += `<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>`
	}
	return xml.Header + `<w:settings xmlns:w="` + nsW + `">` + t + `<w:themeFontLang w:val="` + esc(lang) + `"/></w:settings>`
}

const contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="` + mainContentType + `"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRels = xml.Header + `<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rId1" Type="` + relOfficeDocument + `" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const documentRels = xml.Header + `<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`</Relationships>`

// stylesXML defines the styles: a serif text font with Cyrillic, headings,
// the provisions' hanging paragraphs and Chancery's note lines.
func stylesXML(lang string) string {
	heading := func(n int, size int) string {
		return fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Heading%d"><w:name w:val="heading %d"/><w:basedOn w:val="Normal"/><w:next w:val="ChanceryParagraph"/><w:qFormat/>`+
			`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="%d"/></w:pPr><w:rPr><w:b/><w:sz w:val="%d"/></w:rPr></w:style>`, n, n, n-1, size)
	}
	var hs strings.Builder
	for n := 1; n <= 6; n++ {
		hs.WriteString(heading(n, max(32-4*n, 22)))
		fmt.Fprintf(&hs, `<w:style w:type="paragraph" w:customStyle="1" w:styleId="%s%d"><w:name w:val="Chancery Marked Heading %d"/><w:basedOn w:val="Heading%d"/><w:next w:val="ChanceryParagraph"/></w:style>`, styleMarkedHeading, n, n, n)
	}
	return xml.Header + `<w:styles xmlns:w="` + nsW + `">` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif" w:cs="Liberation Serif" w:eastAsia="Liberation Serif"/>` +
		`<w:sz w:val="24"/><w:lang w:val="` + esc(lang) + `"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="ChanceryParagraph"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + styleSymbol + `"><w:name w:val="Chancery Symbol"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="right"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + styleNote + `"><w:name w:val="Chancery Note"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:i/><w:sz w:val="20"/></w:rPr></w:style>` +
		hs.String() +
		`<w:style w:type="paragraph" w:customStyle="1" w:styleId="ChanceryParagraph"><w:name w:val="Chancery Paragraph"/><w:basedOn w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:customStyle="1" w:styleId="ChanceryItem"><w:name w:val="Chancery Item"/><w:basedOn w:val="ChanceryParagraph"/><w:pPr><w:ind w:left="709"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:customStyle="1" w:styleId="ChanceryProposal"><w:name w:val="Chancery Proposal"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="567"/><w:spacing w:after="80"/></w:pPr><w:rPr><w:sz w:val="22"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style>` +
		noteStyles + `</w:styles>`
}
