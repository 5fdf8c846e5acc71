package render

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"

	"chancery/drafts"
)

// Page geometry, in points (A4).
const (
	pageW        = 595.28
	pageH        = 841.89
	marginLeft   = 72.0
	marginRight  = 64.0
	otherTop     = 70.0 // content top on the other pages
	contentEnd   = pageH - 66
	footerRuleY  = pageH - 52
	barX         = marginLeft - 14 // change bars in the left margin
	textWidth    = pageW - marginLeft - marginRight
	bodySize     = 11.0
	bodyLeading  = 1.36
	smallSize    = 9.0
	headerSize   = 8.5
	tagSize      = 8.5
	numberMinGap = 8.0
)

// pagesAlias stands for the page count until the PDF is written: ASCII
// (gofpdf finds it in the UTF-16 text by converting it) and unlike
// anything a negotiated text would hold.
const pagesAlias = "{chancery:pages}"

// align is the alignment of a block's lines.
type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// bar is a vertical rule in the margin beside a block's lines.
type bar struct {
	x     float64
	width float64
	color rgb
}

// block is a paragraph for the page: text spans broken into lines at x
// (from the left margin) within width, an optional marker (a provision's
// number) at markerX on its first line, spacing before and after.
type block struct {
	spans    []span
	x, width float64
	marker   []span
	markerX  float64
	align    align
	size     float64 // the base size: line height and baseline
	leading  float64
	before   float64
	after    float64
	keepNext bool // keep on a page with the start of the next block
	bar      *bar
	refs     bool // some span refers to a footnote

	lay       *layout
	markerLay *layout
}

func (b *block) lineHeight() float64 { return b.size * b.leading }

// pdfDoc is one PDF being written: the gofpdf document, the fonts in use,
// and the page being filled.
type pdfDoc struct {
	r    *Renderer
	pdf  *gofpdf.Fpdf
	lab  labels
	miss missingRunes
	brk  breaker

	symbol    string
	forum     string
	mastRight string // under the symbol on the first page: a date
	mastLeft  string // under the forum on the first page: the body

	// notes are the footnotes made so far, numbered from 1; foot holds
	// the lines of those on this page, carry those that go on to the next.
	notes       []*footnote
	foot, carry []footLine
	// titleNotes are the notes on the title, printed by titleBlock.
	titleNotes []string

	y        float64
	atTop    bool
	firstTop float64 // content top on the first page, below the masthead
	chain    []*block
	rows     []*row // held as chain is, for a text in two columns (parallel.go)

	// added tells the faces registered with gofpdf so far.
	added [nFaces]bool

	// The state last set in gofpdf, to skip redundant calls.
	cur struct {
		fb    bool
		face  face
		size  float64
		text  rgb
		draw  rgb
		lineW float64
	}
}

// newPDF starts a PDF for doc with the given title (its metadata), the
// owning body under the forum's name.
func (r *Renderer) newPDF(doc *drafts.Document, title string) *pdfDoc {
	d := &pdfDoc{r: r, lab: labelsFor(doc.Language), symbol: doc.Symbol}
	d.mastLeft = d.lab.body(doc.Body)
	d.forum = r.forum
	if !r.forumSet {
		d.forum = d.lab.forum()
	}
	pdf := gofpdf.New("P", "pt", "A4", "")
	d.pdf = pdf
	pdf.SetCompression(true)
	pdf.AliasNbPages(pagesAlias)
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginLeft, otherTop, marginRight)
	created := r.creationDate()
	pdf.SetCreationDate(created)
	if r.deterministic {
		pdf.SetModificationDate(created)
		pdf.SetCatalogSort(true)
	}
	pdf.SetTitle(title, true)
	pdf.SetSubject(doc.Symbol, true)
	pdf.SetAuthor(d.forum, true)
	pdf.SetCreator("Chancery", true)
	pdf.SetProducer("Chancery", true)
	pdf.SetHeaderFunc(d.header)
	pdf.SetFooterFunc(d.footer)

	d.brk = breaker{fonts: r.fonts, miss: &d.miss, useFallback: d.addFallback}
	d.forget()
	return d
}

// forget clears what is known of gofpdf's font, colours and line width,
// so that the next text and line set them. The header and the footer
// start with it: gofpdf's AddPage changes them between the two, and
// restores them afterwards (so does newPage).
func (d *pdfDoc) forget() {
	d.cur.face = nFaces
	d.cur.text = noColor
	d.cur.draw = noColor
	d.cur.lineW = -1
}

// addFallback registers the fallback font, the first time a text needs it.
func (d *pdfDoc) addFallback() {
	d.pdf.AddUTF8FontFromBytes(familyFallback, "", d.r.fonts.fbTTF)
}

// span1 makes a span of text in a style, cleaned for printing.
func span1(text string, st style) span { return span{text: cleanText(text), st: st} }

// plain is the body text style at a size and face.
func plain(f face, size float64) style { return style{face: f, size: size, color: colorBlack} }

// finish ends the document and writes it to w, or returns EINVALID when a
// text held characters no font can show.
func (d *pdfDoc) finish(w io.Writer) error {
	d.flush()
	if d.pdf.PageNo() == 0 {
		d.newPage()
	}
	for len(d.carry) > 0 { // notes too long for the foot of their page
		d.newPage()
	}
	d.drawFoot()
	d.pdf.Close() // draws the last footer
	if err := d.miss.err(d.r.fonts.fallback != nil); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return internal(err, "writing the PDF")
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return internal(err, "writing the PDF")
	}
	return nil
}

// newPage ends the page, with its footnotes, and starts the next one.
func (d *pdfDoc) newPage() {
	if d.pdf.PageNo() > 0 {
		d.endFoot()
	}
	saved := d.cur
	d.pdf.AddPage() // runs the footer and the header, then restores the state
	d.cur = saved
	d.y = otherTop
	if d.pdf.PageNo() == 1 {
		d.y = d.firstTop
	}
	d.atTop = true
}

// header draws the running header: on the first page a masthead with the
// forum and the symbol, the body and a date; on the others a line.
func (d *pdfDoc) header() {
	d.forget()
	right := pageW - marginRight
	if d.pdf.PageNo() == 1 {
		// The forum (on up to three lines) and the body on the left, the
		// symbol and the date on the right.
		symSt := plain(faceSansBold, 12)
		symW := math.Min(d.measure(d.symbol, symSt), textWidth/2)
		d.textAt(d.symbol, symSt, right-symW, 34, symW, alignRight)
		d.textAt(d.mastRight, plain(faceSans, smallSize), right-textWidth/2, 51, textWidth/2, alignRight)
		forumSt := plain(faceSansBold, 10)
		if d.measure(d.forum, forumSt) > textWidth-symW-24 {
			forumSt.size = 9 // smaller rather than a word alone on a line
		}
		lay := d.brk.breakLines([]span{span1(d.forum, forumSt)}, textWidth-symW-24)
		y := 34.0
		for i := range lay.lines[:min(len(lay.lines), 3)] {
			d.drawLine(lay, i, marginLeft, y, forumSt.size, 13)
			y += 13
		}
		y = math.Max(y+4, 51)
		d.textAt(d.mastLeft, plain(faceSans, smallSize), marginLeft, y, textWidth-symW-24, alignLeft)
		y += 20
		d.rule(marginLeft, y, right, y, 0.8, colorBlack)
		d.firstTop = y + 26
		return
	}
	symW := math.Min(d.measure(d.symbol, plain(faceSansBold, headerSize)), textWidth/2)
	d.textAt(d.forum, style{face: faceSans, size: headerSize, color: colorGrey}, marginLeft, 38, right-marginLeft-symW-24, alignLeft)
	d.textAt(d.symbol, plain(faceSansBold, headerSize), right-symW, 38, symW, alignRight)
	d.rule(marginLeft, 52, right, 52, 0.4, colorRule)
}

// footer draws the symbol and "Page X of Y".
func (d *pdfDoc) footer() {
	d.forget()
	right := pageW - marginRight
	d.rule(marginLeft, footerRuleY, right, footerRuleY, 0.4, colorRule)
	st := plain(faceSans, headerSize)
	n := d.pdf.PageNo()
	page := d.lab.page(n, pagesAlias)
	// The alias is replaced by the page count when the file is written,
	// unknown yet: measure it as three digits at least, so that a count
	// with more digits than this page's number stays within the margin.
	w := d.measure(d.lab.page(n, strings.Repeat("0", max(3, len(strconv.Itoa(n))))), st)
	d.textAt(d.symbol, plain(faceSansBold, headerSize), marginLeft, footerRuleY+6, textWidth/2, alignLeft)
	d.drawSpans([]span{{text: page, st: st}}, right-w, footerRuleY+6, st.size, st.size*1.3)
}

// measure returns the width of a text on one line.
func (d *pdfDoc) measure(text string, st style) float64 {
	lay := d.brk.breakLines([]span{span1(text, st)}, math.Inf(1))
	return lay.lines[0].width
}

// textAt draws a text on one line at (x, y) within width, cut with "…"
// if it is wider.
func (d *pdfDoc) textAt(text string, st style, x, y, width float64, al align) {
	if text == "" {
		return
	}
	text = cleanText(text)
	if d.measure(text, st) > width {
		rs := []rune(text)
		for len(rs) > 1 && d.measure(string(rs)+"…", st) > width {
			rs = rs[:len(rs)-1]
		}
		text = string(rs) + "…"
	}
	lay := d.brk.breakLines([]span{{text: text, st: st}}, math.Inf(1))
	lh := st.size * 1.3
	ln := lay.lines[0]
	switch al {
	case alignCenter:
		x += (width - ln.width) / 2
	case alignRight:
		x += width - ln.width
	}
	d.drawLine(lay, 0, x, y, st.size, lh)
}

// drawSpans draws spans on one line at (x, y).
func (d *pdfDoc) drawSpans(spans []span, x, y, size, lh float64) {
	lay := d.brk.breakLines(spans, math.Inf(1))
	d.drawLine(lay, 0, x, y, size, lh)
}

// rule draws a line.
func (d *pdfDoc) rule(x1, y1, x2, y2, width float64, c rgb) {
	d.setDraw(c, width)
	d.pdf.Line(x1, y1, x2, y2)
}

func (d *pdfDoc) setFont(fb bool, f face, size float64) {
	if d.cur.fb == fb && d.cur.face == f && d.cur.size == size {
		return
	}
	d.cur.fb, d.cur.face, d.cur.size = fb, f, size
	if fb {
		d.pdf.SetFont(familyFallback, "", size)
		return
	}
	if !d.added[f] {
		// Registered at first use, so that a face a PDF does not use is
		// not embedded in it.
		d.pdf.AddUTF8FontFromBytes(f.family(), f.gofpdfStyle(), d.r.fonts.mainTTF[f])
		d.added[f] = true
	}
	d.pdf.SetFont(f.family(), f.gofpdfStyle(), size)
}

func (d *pdfDoc) setText(c rgb) {
	if d.cur.text == c {
		return
	}
	d.cur.text = c
	d.pdf.SetTextColor(c.parts())
}

func (d *pdfDoc) setDraw(c rgb, width float64) {
	if d.cur.draw != c {
		d.cur.draw = c
		d.pdf.SetDrawColor(c.parts())
	}
	if d.cur.lineW != width {
		d.cur.lineW = width
		d.pdf.SetLineWidth(width)
	}
}

// drawLine draws line i of a layout with its left at x and its top at y;
// size is the base font size that sets the baseline.
func (d *pdfDoc) drawLine(lay *layout, i int, x, y, size, lh float64) {
	ln := lay.lines[i]
	baseline := y + lh/2 + 0.3*size
	atoms := lay.atoms[ln.start:ln.end]
	for j := range atoms {
		a := &atoms[j]
		st := &lay.spans[a.span].st
		d.setFont(a.fb, st.face, st.size)
		d.setText(st.color)
		d.pdf.Text(x+a.x, baseline-st.rise, lay.text(a))
	}
	// Underlines and strike-throughs, one line over each run of atoms
	// with the same decoration.
	for j := 0; j < len(atoms); {
		st := lay.spans[atoms[j].span].st
		if st.deco == decoNone {
			j++
			continue
		}
		x1 := atoms[j].x
		x2 := x1 + atoms[j].w
		k := j + 1
		for k < len(atoms) {
			nst := lay.spans[atoms[k].span].st
			if nst.deco != st.deco || nst.color != st.color || nst.size != st.size || math.Abs(atoms[k].x-x2) > 0.01 {
				break
			}
			x2 = atoms[k].x + atoms[k].w
			k++
		}
		switch st.deco {
		case decoUnderline:
			ly := baseline + 0.13*st.size
			d.rule(x+x1, ly, x+x2, ly, 0.06*st.size, st.color)
		case decoStrike:
			ly := baseline - 0.29*st.size
			d.rule(x+x1, ly, x+x2, ly, 0.07*st.size, st.color)
		case decoStrikeMark:
			ly := baseline - 0.29*st.size
			d.rule(x+x1, ly, x+x2, ly, 0.07*st.size, st.color)
			ext := 0.12 * st.size
			ly = baseline - 0.07*st.size
			d.rule(x+x1-ext, ly, x+x2+ext, ly, 0.08*st.size, st.color)
		}
		j = k
	}
}
