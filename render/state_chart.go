package render

import (
	"math"
	"strconv"

	"chancery/drafts"
	"chancery/render/tracked"
)

// The chart of a state of play drawn in a PDF: the bars of
// StateOfPlaySVG, with gofpdf's rectangles and lines.

// Colours of the chart's parts (also in StateOfPlaySVG); the hatching and
// the words carry the meaning, the colours only add to them.
const (
	colorAgreed    rgb = 0x1F4E2C
	colorBracketed rgb = 0x7A1010
)

// figure reserves height points of the page for a drawing (on a new page
// if it does not fit on this one) and draws it with its top at the
// current position.
func (d *pdfDoc) figure(height float64, draw func(top float64)) {
	d.flush()
	if d.pdf.PageNo() == 0 {
		d.newPage()
	}
	if !d.atTop && d.y+height > contentEnd {
		d.newPage()
	}
	draw(d.y)
	d.y += height
	d.atTop = false
}

// drawSectionChart draws the bar of the whole text and of each section,
// under a heading and the legend; a page may break between bars.
func (d *pdfDoc) drawSectionChart(c *chart) {
	l := d.lab
	d.figure(40, func(top float64) {
		d.textAt(l.Pick("Agreement by section", "Согласование по разделам"), plain(faceSansBold, 12), marginLeft, top+4, textWidth, alignLeft)
		x := marginLeft
		st := plain(faceSans, 8.5)
		for _, part := range chartStatuses {
			d.swatch(x, top+24, 16, 9, part.status)
			label := l.Status(part.status)
			d.textAt(label, st, x+20, top+23, textWidth, alignLeft)
			x += 20 + d.measure(label, st) + 16
		}
	})
	for _, row := range c.rows {
		d.figure(26, func(top float64) { d.chartRow(row, top) })
	}
}

// chartRow draws one bar: its title above, its counts in words beside it.
func (d *pdfDoc) chartRow(row chartRow, top float64) {
	const barW, barH = 200.0, 9.0
	face := faceSans
	if row.class == "overall" {
		face = faceSansBold
	}
	d.textAt(tracked.Excerpt(row.title, 90), plain(face, 8.5), marginLeft, top, textWidth, alignLeft)
	t := row.t
	x, y := marginLeft, top+12
	if t.Provisions == 0 {
		d.swatch(x, y, barW, barH, drafts.ProvisionPending)
	}
	for i, n := range []int{t.Agreed, t.AgreedAdRef, t.Bracketed, t.Pending} {
		if n == 0 || t.Provisions == 0 {
			continue
		}
		w := barW * float64(n) / float64(t.Provisions)
		d.swatch(x, y, w, barH, chartStatuses[i].status)
		x += w
	}
	d.textAt(stateCounts(d.lab, t), plain(faceSans, 8), marginLeft+barW+8, y-0.7, textWidth-barW-8, alignLeft)
}

// drawHistoryChart draws the agreed share of every version: a column
// each, agreed solid under ad ref hatched, its share written above.
func (d *pdfDoc) drawHistoryChart(c *chart) {
	const plotH = 90.0
	l := d.lab
	hist := c.s.History
	d.figure(24+plotH+30, func(top float64) {
		d.textAt(l.Pick("Agreed share, version by version", "Доля согласованного по редакциям"), plain(faceSansBold, 12), marginLeft, top+4, textWidth, alignLeft)
		plotX := marginLeft + 30
		plotW := textWidth - 30
		base := top + 30 + plotH
		small := plain(faceSans, 7.5)
		for _, pct := range []float64{0, 0.5, 1} {
			y := base - pct*plotH
			d.rule(plotX, y, plotX+plotW, y, 0.4, colorRule)
			d.textAt(percent(pct), small, marginLeft, y-5, 28, alignLeft)
		}
		slot := plotW / math.Max(float64(len(hist)), 1)
		barW := math.Min(28, slot*0.7)
		every := max(int(math.Ceil(24/slot)), 1)
		for i, h := range hist {
			t := h.Tally
			x := plotX + float64(i)*slot + (slot-barW)/2
			y := base
			for j, n := range []int{t.Agreed, t.AgreedAdRef} {
				if n == 0 || t.Provisions == 0 {
					continue
				}
				hgt := plotH * float64(n) / float64(t.Provisions)
				y -= hgt
				d.swatch(x, y, barW, hgt, chartStatuses[j].status)
			}
			if i%every == 0 || i == len(hist)-1 {
				d.textAt(percent(t.AgreedShare), small, x-10, y-11, barW+20, alignCenter)
				d.textAt(l.Pick("v", "ред. ")+strconv.Itoa(h.Version), small, x-10, base+2, barW+20, alignCenter)
			}
		}
	})
}

// swatch draws one part of a bar: agreed solid, ad ref hatched, bracketed
// cross-hatched, pending white; each outlined.
func (d *pdfDoc) swatch(x, y, w, h float64, status string) {
	if w <= 0 || h <= 0 {
		return
	}
	switch status {
	case drafts.ProvisionAgreed:
		d.pdf.SetFillColor(colorAgreed.parts())
		d.pdf.Rect(x, y, w, h, "F")
	case drafts.ProvisionAgreedAdRef:
		d.hatch(x, y, w, h, colorAgreed, false)
	case drafts.ProvisionBracketed:
		d.hatch(x, y, w, h, colorBracketed, true)
	}
	d.setDraw(colorBlack, 0.5)
	d.pdf.Rect(x, y, w, h, "D")
}

// hatch draws diagonal lines across a rectangle, both ways when cross.
func (d *pdfDoc) hatch(x, y, w, h float64, c rgb, cross bool) {
	const step = 3.0
	d.pdf.ClipRect(x, y, w, h, false)
	width := 0.9
	if cross {
		width = 0.5
	}
	for k := 0.0; k <= w+h; k += step {
		d.rule(x+k-h, y+h, x+k, y, width, c)
		if cross {
			d.rule(x+k-h, y, x+k, y+h, width, c)
		}
	}
	d.pdf.ClipEnd()
	d.forget() // the clip's end restored the colours and widths before it
}
