package docx

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"chancery/drafts"
	"chancery/internal/wording"
)

const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	// fileDate is the date of every tracked change written: the
	// versions' own dates are on their title lines.
	fileDate = "2000-01-01T00:00:00Z"
)

// doc builds one document.xml body, and its footnotes.
type doc struct {
	b         strings.Builder
	bookmark  int // next bookmark id
	revision  int // next revision id
	lab       wording.Labels
	hasFooter bool
	// notes holds the footnotes written (see footnote), noteID the last
	// one's id; into, when set, is where paragraphs and runs are written
	// instead of b.
	notes  strings.Builder
	noteID int
	into   *strings.Builder
	// titleNotes are notes on the title (see drafts.Version.TitleNotes).
	titleNotes []string
}

// out is where paragraphs and runs are written.
func (d *doc) out() *strings.Builder {
	if d.into != nil {
		return d.into
	}
	return &d.b
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
	note   int // if not 0, the run is the reference to this footnote
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
	indent   int    // left indent in twips, in place of the style's (0: the style's)
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
	b := d.out()
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
	if r.text == "" && r.note == 0 {
		return
	}
	b := d.out()
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
	if r.note != 0 {
		footnoteRun(b, r.note)
		if wrap != "" {
			fmt.Fprintf(b, `</w:%s>`, wrap)
		}
		return
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
		runs := []run{{text: dc.Title}}
		for _, n := range d.titleNotes {
			runs = append(runs, run{note: d.footnote([]run{{text: n}})})
		}
		d.para(para{style: "Title", runs: runs})
	}
	for _, n := range notes {
		if n != "" {
			d.para(para{style: styleNote, runs: []run{{text: n}}})
		}
	}
}

// TextWord implements drafts.WordWriter: notes of the provisions (and
// v.TitleNotes, on the title) are footnotes.
func (w *Word) TextWord(out io.Writer, dc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) error {
	d := &doc{lab: wording.For(dc.Language), titleNotes: v.TitleNotes}
	d.header(dc, d.lab.VersionDate(v), d.lab.Adoption(dc, v, round))
	var nest drafts.Nesting // items under their paragraph, 3.2.1 under 3.2
	for _, p := range v.Provisions {
		indent := 0
		if depth := nest.Depth(p.Kind, p.Number); depth > 1 {
			indent = 567 * (depth - 1)
		}
		d.para(para{style: provisionStyle(p), id: p.ID, runs: d.notedRuns(provisionText(p), run{}), keepNext: p.Kind == drafts.KindHeading, indent: indent})
	}
	return d.write(out, dc, true)
}
