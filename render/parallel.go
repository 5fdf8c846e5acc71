package render

import (
	"io"
	"math"

	"chancery/drafts"
	"chancery/internal/wording"
)

// A text in two languages printed as treaties are: two columns, the first
// language on the left, the second on the right, each provision a row
// whose two halves start on the same line with their numbers in the
// columns' margins; a row too long for the page goes on in both columns on
// the next one.

var _ drafts.ParallelRenderer = (*Renderer)(nil)

// Columns of a parallel text, in points from the left margin.
const (
	colGap = 20.0
	colW   = (textWidth - colGap) / 2
)

// colX is where column c starts, from the left margin.
func colX(c int) float64 { return float64(c) * (colW + colGap) }

// row is one provision (or a title, or a closing line) in both columns.
type row struct {
	cells    [2]*block
	keepNext bool // a heading: kept on a page with the next row's start
}

// ParallelPDF writes the clean text of a version in two languages side by
// side: the masthead in the first language; each language's title,
// version and adoption line at the head of its column; then the
// provisions, row by row; for an adopted text, the line saying that both
// texts are equally authentic, in each language. A missing translation
// prints as the version gives it (see drafts.Printable).
func (r *Renderer) ParallelPDF(w io.Writer, doc *drafts.Document, vs [2]*drafts.Version, round *drafts.AdoptionRound) error {
	ready := doc != nil && vs[0] != nil && vs[1] != nil && len(vs[0].Provisions) == len(vs[1].Provisions)
	return r.pdf("ParallelPDF", ready, func() error { return r.parallelPDF(w, doc, vs, round) })
}

func (r *Renderer) parallelPDF(w io.Writer, doc *drafts.Document, vs [2]*drafts.Version, round *drafts.AdoptionRound) error {
	d := r.newPDF(doc, doc.Title)
	if !vs[0].CreatedAt.IsZero() {
		d.mastRight = d.lab.Date(vs[0].CreatedAt)
	}
	var labs [2]labels
	for c, v := range vs {
		labs[c] = labelsFor(languageOf(v, doc))
	}
	skip := len(vs[0].Provisions) > 0 && repeatsTitle(vs[0].Provisions[0], doc.Title)
	d.parallelHead(doc, vs, labs, round, skip)
	var gs [2]gutters
	for c, v := range vs {
		gs[c] = d.gutters(v.Provisions)
	}
	for i := range vs[0].Provisions {
		if i == 0 && skip {
			continue
		}
		var rw row
		for c, v := range vs {
			p := v.Provisions[i]
			geo := gs[c].geom(p.Kind, p.Number)
			geo.x, geo.markerX = math.Min(geo.x, colW/3), math.Min(geo.markerX, colW/3)
			base := plain(geo.face, geo.size)
			spans := []span{span1(drafts.NoteBody(p.Text), base)} // notes are not printed side by side yet
			if p.Status == drafts.ProvisionBracketed {
				spans = bracket(spans, base)
			}
			rw.cells[c] = geo.block(spans, markerSpans(p.Kind, p.Number, base))
			rw.keepNext = rw.keepNext || geo.keepNext
		}
		d.addRow(&rw)
	}
	if doc.Adopted != 0 && doc.Adopted == vs[0].Number {
		var rw row
		for c := range vs {
			rw.cells[c] = &block{spans: []span{span1(labs[c].Authentic(doc.AllLanguages()), plain(faceItalic, bodySize))}, before: 18}
		}
		d.addRow(&rw)
	}
	d.flushRows()
	return d.finish(w)
}

// languageOf is the language v is read in, or the document's.
func languageOf(v *drafts.Version, doc *drafts.Document) string {
	if v.Language != "" {
		return v.Language
	}
	return doc.Language
}

// parallelHead writes the head of the text: the document's title across
// both columns, unless the text opens with it (skip: then each column
// has its own, the first provision); then in each column the language's
// name, the version and the adoption line.
func (d *pdfDoc) parallelHead(doc *drafts.Document, vs [2]*drafts.Version, labs [2]labels, round *drafts.AdoptionRound, skip bool) {
	if !skip && doc.Title != "" {
		d.add(&block{spans: []span{span1(doc.Title, plain(faceBold, 15))}, align: alignCenter, size: 15, leading: 1.25, after: 10})
	}
	lines := []func(c int) *block{
		func(c int) *block {
			name := wording.NativeName(languageOf(vs[c], doc))
			return &block{spans: []span{span1(name, plain(faceSansBold, smallSize))}, align: alignCenter, size: smallSize, after: 6}
		},
		func(c int) *block {
			if !skip {
				return &block{size: 1, align: alignCenter}
			}
			title := vs[c].Provisions[0].Text
			return &block{spans: []span{span1(title, plain(faceBold, 13))}, align: alignCenter, size: 13, after: 4}
		},
		func(c int) *block {
			return &block{spans: []span{span1(labs[c].version(vs[c]), plain(faceSans, smallSize))}, align: alignCenter, size: smallSize, after: 2}
		},
		func(c int) *block {
			return &block{spans: []span{span1(labs[c].Adoption(doc, vs[c], round), plain(faceSansItalic, smallSize))}, align: alignCenter, size: smallSize, after: 10}
		},
	}
	for _, line := range lines {
		rw := row{keepNext: true}
		for c := range rw.cells {
			rw.cells[c] = line(c)
		}
		d.addRow(&rw)
	}
}

// addRow lays out a row's cells in their columns and places it, or holds
// it until the row it keeps with comes.
func (d *pdfDoc) addRow(rw *row) {
	for _, b := range rw.cells {
		if b.size == 0 {
			b.size = bodySize
		}
		if b.leading == 0 {
			b.leading = bodyLeading
		}
		b.width = colW - b.x
		b.lay = d.brk.breakLines(b.spans, b.width)
		if len(b.marker) > 0 {
			b.markerLay = d.brk.breakLines(b.marker, math.Inf(1))
		}
	}
	d.rows = append(d.rows, rw)
	if !rw.keepNext {
		d.flushRows()
	}
}

// flushRows places the rows held: on a new page if those kept together
// and the first lines of the last do not fit on this one.
func (d *pdfDoc) flushRows() {
	if len(d.rows) == 0 {
		return
	}
	if d.pdf.PageNo() == 0 {
		d.newPage()
	}
	if len(d.rows) > 1 && !d.atTop {
		y := d.y
		for _, rw := range d.rows[:len(d.rows)-1] {
			y += rowBefore(rw) + rowHeight(rw) + rowAfter(rw)
		}
		last := d.rows[len(d.rows)-1]
		y += rowBefore(last)
		for _, b := range last.cells {
			if n := len(b.lay.lines); n > 0 && linesHere(0, n, d.roomFor(y, b.lineHeight()), false) == 0 {
				y = math.Inf(1)
			}
		}
		if y > d.bottom() {
			d.newPage()
		}
	}
	for _, rw := range d.rows {
		d.placeRow(rw)
	}
	clear(d.rows)
	d.rows = d.rows[:0]
}

func rowBefore(rw *row) float64 { return math.Max(rw.cells[0].before, rw.cells[1].before) }
func rowAfter(rw *row) float64  { return math.Max(rw.cells[0].after, rw.cells[1].after) }

// rowHeight is the height of a row's lines, its taller column.
func rowHeight(rw *row) float64 {
	h := 0.0
	for _, b := range rw.cells {
		h = math.Max(h, float64(len(b.lay.lines))*b.lineHeight())
	}
	return h
}

// placeRow draws a row from the current position: both columns start on
// the same line (on a new page if either cannot start here without
// leaving its first line alone), and where the row does not fit, each
// column goes on at the top of the next page.
func (d *pdfDoc) placeRow(rw *row) {
	if !d.atTop {
		d.y += rowBefore(rw)
	}
	var at [2]int
	first := true
	for at[0] < len(rw.cells[0].lay.lines) || at[1] < len(rw.cells[1].lay.lines) {
		var k [2]int
		short := false
		for c, b := range rw.cells {
			n := len(b.lay.lines)
			k[c] = linesHere(at[c], n-at[c], d.roomFor(d.y, b.lineHeight()), d.atTop)
			short = short || (first && n > 0 && k[c] == 0)
		}
		if short && !d.atTop || k[0]+k[1] == 0 {
			d.newPage()
			continue
		}
		h := 0.0
		for c, b := range rw.cells {
			for j := 0; j < k[c]; j++ {
				d.drawCellLine(b, at[c]+j, colX(c), d.y+float64(j)*b.lineHeight())
			}
			h = math.Max(h, float64(k[c])*b.lineHeight())
			at[c] += k[c]
		}
		if rw.cells[0].align == alignLeft {
			gx := marginLeft + colW + colGap/2
			d.rule(gx, d.y, gx, d.y+h, 0.3, colorRule)
		}
		d.y += h
		d.atTop, first = false, false
		if at[0] < len(rw.cells[0].lay.lines) || at[1] < len(rw.cells[1].lay.lines) {
			d.newPage()
		}
	}
	d.y += rowAfter(rw)
}

// drawCellLine draws line i of a block in the column starting at x (from
// the left margin), its top at y.
func (d *pdfDoc) drawCellLine(b *block, i int, x, y float64) {
	lh := b.lineHeight()
	left := marginLeft + x + b.x
	ln := b.lay.lines[i]
	switch b.align {
	case alignCenter:
		left += (b.width - ln.width) / 2
	case alignRight:
		left += b.width - ln.width
	}
	if i == 0 && b.markerLay != nil {
		d.drawLine(b.markerLay, 0, marginLeft+x+b.markerX, y, b.size, lh)
	}
	d.drawLine(b.lay, i, left, y, b.size, lh)
}
