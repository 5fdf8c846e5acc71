package docx

import (
	"archive/zip"
	"chancery/internal/wording"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
)

const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	// revisionDate is the date of every tracked change written: the
	// versions' own dates are on their title lines.
	fileDate = "2000-01-01T00:00:00Z"
)

// doc builds one document.xml body.
type doc struct {
	b         strings.Builder
	bookmark  int // next bookmark id
	revision  int // next revision id
	lab       wording.Labels
	hasFooter bool
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// bookmarkName is the name of the bookmark carrying a provision id: Word
// allows letters, digits and underscores, and ids never hold an underscore.
func bookmarkName(id string) string {
	return drafts.WordBookmarkPrefix + strings.ReplaceAll(id, "-", "_")
}

// revision kinds of runs.
const (
	revNone = iota
	revIns
	revDel
	revMoveFrom
	revMoveTo
)

// run is a piece of a paragraph to write.
type run struct {
	text   string
	rev    int
	author string
	bold   bool
	italic bool
	under  bool
	strike bool
}

// para is a paragraph to write.
type para struct {
	style    string
	align    string
	id       string // provision id for the bookmark
	runs     []run
	mark     int // revision kind of the paragraph mark
	author   string
	keepNext bool
	move     string // the move range's name for a moved paragraph
	indent   int    // left indent in twips, beyond the style's
}

func (d *doc) revAttrs(author string) string {
	d.revision++
	if author == "" {
		author = "Chancery"
	}
	return fmt.Sprintf(` w:id="%d" w:author="%s" w:date="%s"`, d.revision, esc(author), fileDate)
}

// para writes one w:p.
func (d *doc) para(p para) {
	b := &d.b
	if p.move != "" && (p.mark == revMoveFrom || p.mark == revMoveTo) {
		kind := "moveFrom"
		if p.mark == revMoveTo {
			kind = "moveTo"
		}
		d.revision++
		fmt.Fprintf(b, `<w:%sRangeStart w:id="%d" w:name="%s" w:author="%s" w:date="%s"/>`, kind, d.revision, esc(p.move), esc(p.author), fileDate)
		defer fmt.Fprintf(b, `<w:%sRangeEnd w:id="%d"/>`, kind, d.revision)
	}
	b.WriteString("<w:p><w:pPr>")
	if p.style != "" {
		fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, p.style)
	}
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if p.indent > 0 {
		fmt.Fprintf(b, `<w:ind w:left="%d"/>`, p.indent)
	}
	if p.align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.align)
	}
	switch p.mark {
	case revIns:
		fmt.Fprintf(b, `<w:rPr><w:ins%s/></w:rPr>`, d.revAttrs(p.author))
	case revDel:
		fmt.Fprintf(b, `<w:rPr><w:del%s/></w:rPr>`, d.revAttrs(p.author))
	case revMoveFrom:
		fmt.Fprintf(b, `<w:rPr><w:moveFrom%s/></w:rPr>`, d.revAttrs(p.author))
	case revMoveTo:
		fmt.Fprintf(b, `<w:rPr><w:moveTo%s/></w:rPr>`, d.revAttrs(p.author))
	}
	b.WriteString("</w:pPr>")
	bm := -1
	if p.id != "" {
		bm = d.bookmark
		d.bookmark++
		fmt.Fprintf(b, `<w:bookmarkStart w:id="%d" w:name="%s"/>`, bm, esc(bookmarkName(p.id)))
	}
	for _, r := range p.runs {
		d.run(r)
	}
	if bm >= 0 {
		fmt.Fprintf(b, `<w:bookmarkEnd w:id="%d"/>`, bm)
	}
	b.WriteString("</w:p>")
}

// run writes one run, inside its revision element if it has one.
func (d *doc) run(r run) {
	if r.text == "" {
		return
	}
	b := &d.b
	wrap := ""
	switch r.rev {
	case revIns:
		wrap = "ins"
	case revDel:
		wrap = "del"
	case revMoveFrom:
		wrap = "moveFrom"
	case revMoveTo:
		wrap = "moveTo"
	}
	if wrap != "" {
		fmt.Fprintf(b, `<w:%s%s>`, wrap, d.revAttrs(r.author))
	}
	b.WriteString("<w:r>")
	if r.bold || r.italic || r.under || r.strike {
		b.WriteString("<w:rPr>")
		if r.bold {
			b.WriteString("<w:b/>")
		}
		if r.italic {
			b.WriteString("<w:i/>")
		}
		if r.strike {
			b.WriteString("<w:strike/>")
		}
		if r.under {
			b.WriteString(`<w:u w:val="single"/>`)
		}
		b.WriteString("</w:rPr>")
	}
	textTag := "w:t"
	if r.rev == revDel {
		textTag = "w:delText"
	}
	// Tabs and line breaks are elements of their own.
	first := true
	for _, line := range strings.Split(r.text, "\n") {
		if !first {
			b.WriteString("<w:br/>")
		}
		first = false
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString("<w:tab/>")
			}
			if part != "" {
				fmt.Fprintf(b, `<%s xml:space="preserve">%s</%s>`, textTag, esc(part), textTag)
			}
		}
	}
	b.WriteString("</w:r>")
	if wrap != "" {
		fmt.Fprintf(b, `</w:%s>`, wrap)
	}
}

// provisionStyle is the paragraph style of a provision.
func provisionStyle(p drafts.Provision) string {
	switch p.Kind {
	case drafts.KindHeading:
		level := strconv.Itoa(min(max(drafts.HeadingLevel(p.Number), 1), 6))
		if strings.HasPrefix(p.Number, "#") && numberedHeading(p.Text) {
			// "# Раздел I": a # heading whose words read as a numbered
			// heading; its style says to keep the #.
			return styleMarkedHeading + level
		}
		return "Heading" + level
	case drafts.KindItem:
		return "ChanceryItem"
	}
	return "ChanceryParagraph"
}

// provisionIndent indents a decimal paragraph under its parent: 3.2.1
// under 3.2 under 3. (as the PDF does).
func provisionIndent(p drafts.Provision) int {
	if p.Kind != drafts.KindParagraph {
		return 0
	}
	if d := min(drafts.NumberDepth(p.Number), drafts.MaxDepth); d > 1 {
		return 567 * (d - 1)
	}
	return 0
}

// provisionText is what a provision's paragraph shows: its markup, a
// "#" heading without its "#" marker (the style says it is a heading); a
// numbered heading ("Rule 3. Consensus", "Chapter III" and its title on
// the next line) keeps its number, which is part of what it says.
func provisionText(p drafts.Provision) string {
	if p.Kind == drafts.KindHeading && strings.HasPrefix(p.Number, "#") {
		return p.Text
	}
	return p.Markup()
}

// header writes the symbol, title and note lines.
func (d *doc) header(dc *drafts.Document, notes ...string) {
	if dc.Symbol != "" {
		d.para(para{style: styleSymbol, align: "right", runs: []run{{text: dc.Symbol}}})
	}
	if dc.Title != "" {
		d.para(para{style: "Title", runs: []run{{text: dc.Title}}})
	}
	for _, n := range notes {
		if n != "" {
			d.para(para{style: styleNote, runs: []run{{text: n}}})
		}
	}
}

// TextWord implements drafts.WordWriter.
func (w *Word) TextWord(out io.Writer, dc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) error {
	d := &doc{lab: wording.For(dc.Language)}
	d.header(dc, d.lab.VersionDate(v), d.lab.Adoption(dc, v, round))
	var nest drafts.Nesting // items under their paragraph, 3.2.1 under 3.2
	for _, p := range v.Provisions {
		indent := 0
		if depth := nest.Depth(p.Kind, p.Number); depth > 1 {
			indent = 567 * (depth - 1)
		}
		d.para(para{style: provisionStyle(p), id: p.ID, runs: []run{{text: provisionText(p)}}, keepNext: p.Kind == drafts.KindHeading, indent: indent})
	}
	return d.write(out, dc, true)
}

// ChangesWord implements drafts.WordWriter: insertions and deletions are
// Word revisions by the delegations that proposed them (the chair where
// no proposal is known), moved provisions are Word moves, so that Accept
// All gives the new version and Reject All the old one.
func (w *Word) ChangesWord(out io.Writer, dc *drafts.Document, from, to *drafts.Version, diff *drafts.Diff) error {
	d := &doc{lab: wording.For(dc.Language)}
	d.header(dc, d.lab.Pick("Changes from ", "Изменения: ")+d.lab.VersionDate(from)+d.lab.Pick(" to ", " → ")+d.lab.VersionDate(to))
	chair := d.lab.Pick("Chair", "Председатель")
	author := func(c drafts.Change) string {
		if len(c.Delegations) == 0 {
			return chair
		}
		return strings.Join(c.Delegations, ", ")
	}
	type entry struct {
		p  para
		id string // provision id, for placing moves
	}
	var entries []entry
	oldPrev := map[string]string{} // provision → the one before it in the old text
	prev := ""
	for _, p := range from.Provisions {
		oldPrev[p.ID] = prev
		prev = p.ID
	}
	oldProv := map[string]drafts.Provision{}
	for _, p := range from.Provisions {
		oldProv[p.ID] = p
	}
	moves := 0
	var moved []drafts.Change
	for _, c := range diff.Changes {
		a := author(c)
		np := drafts.Provision{Kind: c.ProvisionKind, Number: c.Number, Text: c.Text}
		op := oldProv[c.Provision]
		switch c.Kind {
		case drafts.ChangeInserted:
			entries = append(entries, entry{para{style: provisionStyle(np), indent: provisionIndent(np), id: c.Provision, mark: revIns, author: a,
				runs: []run{{text: provisionText(np), rev: revIns, author: a}}}, c.Provision})
		case drafts.ChangeDeleted:
			entries = append(entries, entry{para{style: provisionStyle(op), indent: provisionIndent(op), id: c.Provision, mark: revDel, author: a,
				runs: []run{{text: provisionText(op), rev: revDel, author: a}}}, c.Provision})
		default:
			p := para{style: provisionStyle(np), id: c.Provision, keepNext: np.Kind == drafts.KindHeading, indent: provisionIndent(np)}
			if c.Moved {
				moves++
				p.move, p.mark, p.author = fmt.Sprintf("move%d", moves), revMoveTo, a
				moved = append(moved, c)
			}
			p.runs = changedRuns(op, np, c, a, c.Moved)
			entries = append(entries, entry{p, c.Provision})
		}
	}
	// A moved provision also shows where it was, as a move away, placed
	// after what preceded it in the old text.
	for k, c := range moved {
		op := oldProv[c.Provision]
		a := author(c)
		from := para{style: provisionStyle(op), indent: provisionIndent(op), mark: revMoveFrom, author: a, move: fmt.Sprintf("move%d", k+1),
			runs: []run{{text: provisionText(op), rev: revMoveFrom, author: a}}}
		at := 0
		if before := oldPrev[c.Provision]; before != "" {
			for i := len(entries) - 1; i >= 0; i-- {
				if entries[i].id == before {
					at = i + 1
					break
				}
			}
		}
		entries = append(entries[:at], append([]entry{{from, "from:" + c.Provision}}, entries[at:]...)...)
		// What followed the provision in the old text now follows its
		// old place: later moves anchor on the moved-away paragraph.
		for i := range entries {
			if entries[i].id == "from:"+c.Provision {
				entries[i].id = c.Provision + "#old"
			}
		}
		for id, b := range oldPrev {
			if b == c.Provision {
				oldPrev[id] = c.Provision + "#old"
			}
		}
	}
	for _, e := range entries {
		d.para(e.p)
	}
	return d.write(out, dc, false)
}

// changedRuns writes a kept provision: its words as the diff's segments,
// inserted and deleted ones as revisions, a changed number as a deleted
// and an inserted one. A moved provision's unchanged words are part of the
// move.
func changedRuns(old, np drafts.Provision, c drafts.Change, author string, moved bool) []run {
	base := revNone
	if moved {
		base = revMoveTo
	}
	var runs []run
	if np.Kind != drafts.KindHeading || old.Kind != drafts.KindHeading {
		oldMark, newMark := "", ""
		if old.Kind != drafts.KindHeading && old.Number != "" {
			oldMark = old.Number + " "
		}
		if np.Kind != drafts.KindHeading && np.Number != "" {
			newMark = np.Number + " "
		}
		switch {
		case oldMark == newMark:
			runs = append(runs, run{text: newMark, rev: base, author: author})
		case moved: // the old number is in the moved-away copy
			runs = append(runs, run{text: newMark, rev: revIns, author: author})
		default:
			runs = append(runs, run{text: oldMark, rev: revDel, author: author}, run{text: newMark, rev: revIns, author: author})
		}
	}
	if !c.Modified || len(c.Segments) == 0 {
		return append(runs, run{text: np.Text, rev: base, author: author})
	}
	for _, s := range c.Segments {
		r := run{text: s.Text, rev: base, author: author}
		seg := author
		if s.Delegation != "" {
			seg = s.Delegation
		}
		switch s.Op {
		case drafts.SegInsert:
			r.rev, r.author = revIns, seg
		case drafts.SegDelete:
			if moved { // the deleted words are in the moved-away copy
				continue
			}
			r.rev, r.author = revDel, seg
		}
		runs = append(runs, r)
	}
	return runs
}

// CompilationWord implements drafts.WordWriter: each provision, then the
// proposals on it, the proposed words underlined and the removed ones
// struck through (formatting, not revisions: a compilation is read, not
// accepted), with the delegations and their justifications.
func (w *Word) CompilationWord(out io.Writer, dc *drafts.Document, v *drafts.Version, c *drafts.Compilation) error {
	d := &doc{lab: wording.For(dc.Language)}
	d.header(dc, d.lab.Pick("Compilation of proposals on ", "Сборник предложений к ")+strings.ToLower(d.lab.VersionDate(v)[:1])+d.lab.VersionDate(v)[1:])
	opName := map[string]string{
		drafts.OpReplace: d.lab.Pick("amend", "изменить"),
		drafts.OpInsert:  d.lab.Pick("insert after", "вставить после"),
		drafts.OpDelete:  d.lab.Pick("delete", "исключить"),
		drafts.OpMove:    d.lab.Pick("move", "перенести"),
	}
	for _, e := range c.Entries {
		if e.Provision.ID != "" {
			d.para(para{style: provisionStyle(e.Provision), runs: []run{{text: provisionText(e.Provision)}}, keepNext: len(e.Proposals) > 0})
		} else if len(e.Proposals) > 0 {
			d.para(para{style: styleNote, runs: []run{{text: d.lab.Pick("At the start of the text", "В начале текста"), italic: true}}})
		}
		for _, p := range e.Proposals {
			who := strings.Join(p.Delegations, ", ")
			if len(p.Cosponsors) > 0 {
				who += d.lab.Pick(" (co-sponsored by ", " (соавторы: ") + strings.Join(p.Cosponsors, ", ") + ")"
			}
			d.para(para{style: "ChanceryProposal", keepNext: true, runs: []run{{text: who + ": ", bold: true}, {text: opName[p.Op], italic: true}}})
			var runs []run
			switch {
			case len(p.Segments) > 0:
				for _, s := range p.Segments {
					runs = append(runs, run{text: s.Text, under: s.Op == drafts.SegInsert, strike: s.Op == drafts.SegDelete})
				}
			case p.Op == drafts.OpDelete:
				runs = []run{{text: provisionText(e.Provision), strike: true}}
			case p.Op == drafts.OpInsert:
				runs = []run{{text: p.Text, under: true}}
			case p.Text != "":
				runs = []run{{text: p.Text}}
			}
			if len(runs) > 0 {
				d.para(para{style: "ChanceryProposal", runs: runs})
			}
			for _, j := range p.Justifications {
				if strings.TrimSpace(j) != "" {
					d.para(para{style: "ChanceryProposal", runs: []run{{text: j, italic: true}}})
				}
			}
		}
	}
	return d.write(out, dc, false)
}

// write packs the document with its styles, footer and properties.
func (d *doc) write(out io.Writer, dc *drafts.Document, track bool) error {
	zw := zip.NewWriter(out)
	lang := dc.Language
	if lang == "" {
		lang = "en"
	}
	files := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreXML(dc)},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/document.xml", d.documentXML()},
		{"word/styles.xml", stylesXML(lang)},
		{"word/settings.xml", settingsXML(track, lang)},
		{"word/footer1.xml", d.footerXML(dc)},
	}
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

func settingsXML(track bool, lang string) string {
	t := ""
	if track {
		// Delegations edit with Track Changes on from the start: their
		// changes come back as revisions, and so as a proposal.
		t = `<w:trackRevisions/>`
	}
	return xml.Header + `<w:settings xmlns:w="` + nsW + `">` + t + `<w:defaultTabStop w:val="709"/><w:themeFontLang w:val="` + esc(lang) + `"/></w:settings>`
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
		`</w:styles>`
}
