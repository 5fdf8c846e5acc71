package render

import "math"

// add lays out a block and places it, or holds it until the block it keeps
// with comes.
func (d *pdfDoc) add(b *block) {
	if b.size == 0 {
		b.size = bodySize
	}
	if b.leading == 0 {
		b.leading = bodyLeading
	}
	if b.width == 0 {
		b.width = textWidth - b.x
	}
	b.lay = d.brk.breakLines(b.spans, b.width)
	for _, sp := range b.spans {
		if sp.note > 0 {
			b.refs = true
			break
		}
	}
	if len(b.marker) > 0 {
		b.markerLay = d.brk.breakLines(b.marker, math.Inf(1))
	}
	d.chain = append(d.chain, b)
	if !b.keepNext {
		d.flush()
	}
}

// flush places the blocks held: on a new page if the kept-together ones
// and the first lines of the last do not fit on this one.
func (d *pdfDoc) flush() {
	if len(d.chain) == 0 {
		return
	}
	if d.pdf.PageNo() == 0 {
		d.newPage()
	}
	if len(d.chain) > 1 && !d.atTop {
		// Would the last block start on this page, after the others?
		y := d.y
		last := d.chain[len(d.chain)-1]
		for _, b := range d.chain[:len(d.chain)-1] {
			y += b.before + float64(len(b.lay.lines))*b.lineHeight() + b.after
		}
		y += last.before
		if y > d.bottom() || linesHere(0, len(last.lay.lines), d.roomFor(y, last.lineHeight()), false) == 0 {
			d.newPage()
		}
	}
	for _, b := range d.chain {
		d.place(b)
	}
	clear(d.chain)
	d.chain = d.chain[:0]
}

// place draws a block's lines from the current position, breaking pages
// where needed, without leaving its first line alone at the bottom of a
// page or its last line alone at the top of the next.
func (d *pdfDoc) place(b *block) {
	if !d.atTop {
		d.y += b.before
	}
	lh := b.lineHeight()
	n := len(b.lay.lines)
	for i := 0; i < n; {
		fit := d.roomFor(d.y, lh)
		if b.refs {
			fit = d.fitWithNotes(b, i)
		}
		k := linesHere(i, n-i, fit, d.atTop)
		for j := 0; j < k; j++ {
			d.drawBlockLine(b, i+j)
			if b.refs {
				d.takeNotes(b, i+j, d.y+lh)
			}
			d.y += lh
			d.atTop = false
		}
		i += k
		if i < n {
			d.newPage()
		}
	}
	d.y += b.after
}

// roomFor is how many lines of height lh fit between y and the page's
// end, above the notes at its foot.
func (d *pdfDoc) roomFor(y, lh float64) int { return max(0, int((d.bottom()-y+0.01)/lh)) }

// linesHere is how many of the rem lines of a block, from line i on, go
// on a page with room for fit lines: all if they fit, else as many as
// fit but never a first line alone at the bottom of a page nor a last
// line alone at the top of the next; at least one at the top of a page.
func linesHere(i, rem, fit int, atTop bool) int {
	k := min(fit, rem)
	if k == rem {
		return k
	}
	if rem-k == 1 && k >= 2 {
		k--
	}
	if i == 0 && k == 1 {
		k = 0
	}
	if k <= 0 && atTop {
		k = max(fit, 1) // taller than a page: cut it anyway
	}
	return k
}

func (d *pdfDoc) drawBlockLine(b *block, i int) {
	lh := b.lineHeight()
	x := marginLeft + b.x
	ln := b.lay.lines[i]
	switch b.align {
	case alignCenter:
		x += (b.width - ln.width) / 2
	case alignRight:
		x += b.width - ln.width
	}
	if i == 0 && b.markerLay != nil {
		d.drawLine(b.markerLay, 0, marginLeft+b.markerX, d.y, b.size, lh)
	}
	d.drawLine(b.lay, i, x, d.y, b.size, lh)
	if b.bar != nil {
		d.rule(b.bar.x, d.y, b.bar.x, d.y+lh, b.bar.width, b.bar.color)
	}
}
