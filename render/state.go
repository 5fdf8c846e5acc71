package render

import (
	"io"
	"strings"

	"chancery/drafts"
	"chancery/render/tracked"
)

// StateOfPlayPDF writes a state of play as a PDF for the chair to
// circulate: the title, version and date, the share agreed, what keeps
// the text from adoption; the chart (the same bars as StateOfPlaySVG,
// drawn in the PDF: agreed solid, ad ref hatched, bracketed
// cross-hatched, pending white, every count in words); then section by
// section every provision with its status, its open proposals and the
// positions of delegations.
//
// It returns EINVALID naming the characters when a text holds some no
// font can show, and EINTERNAL when the PDF library fails.
func (r *Renderer) StateOfPlayPDF(w io.Writer, doc *drafts.Document, s *drafts.StateOfPlay) error {
	return r.pdf("StateOfPlayPDF", doc != nil && s != nil, func() error { return r.stateOfPlayPDF(w, doc, s) })
}

func (r *Renderer) stateOfPlayPDF(w io.Writer, doc *drafts.Document, s *drafts.StateOfPlay) error {
	d := r.newPDF(doc, doc.Title)
	l := d.lab
	d.mastRight = l.Date(s.AsOf)
	d.titleBlock(doc.Title, []string{l.Pick("State of play", "Ход согласования"), stateSummary(l, s)}, "")
	if len(s.NotAgreed) > 0 {
		d.add(&block{spans: []span{span1(notAgreedLine(l, s.NotAgreed), plain(faceSansBold, 10))}, size: 10, after: 8})
	}
	c := newChart(doc, s)
	d.drawSectionChart(c)
	d.drawHistoryChart(c)
	d.heading(l.Pick("Provision by provision", "По положениям"))
	d.positionsBlock(l.Pick("Positions on the text as a whole", "Позиции по тексту в целом"), s.WholeText)
	d.positionsBlock(l.Pick("Positions on provisions no longer in the text", "Позиции по положениям, которых больше нет в тексте"), s.Removed)
	section := "\x00"
	for i := range s.Items {
		it := &s.Items[i]
		if it.Section != section {
			section = it.Section
			d.sectionLine(c, section)
		}
		d.stateItem(it)
	}
	return d.finish(w)
}

// heading writes a heading of the print's own, in sans bold.
func (d *pdfDoc) heading(text string) {
	d.add(&block{spans: []span{span1(text, plain(faceSansBold, 12))}, size: 12, before: 14, after: 4, keepNext: true})
}

// sectionLine writes the name of a section and its counts.
func (d *pdfDoc) sectionLine(c *chart, id string) {
	for _, row := range c.rows[1:] {
		if row.id == id {
			d.add(&block{spans: []span{
				span1(row.title, plain(faceSansBold, 10)),
				span1("  "+stateCounts(d.lab, row.t), plain(faceSans, smallSize)),
			}, size: 10, before: 10, after: 2, keepNext: true})
			return
		}
	}
}

// stateItem writes one provision: its number, status and words, then its
// open proposals and the positions on it, smaller and indented.
func (d *pdfDoc) stateItem(it *drafts.ProvisionState) {
	l := d.lab
	st := plain(faceRegular, 9.5)
	var spans []span
	if tracked.Numbered(it.Number) {
		spans = append(spans, span1(it.Number+" ", plain(faceBold, 9.5)))
	}
	spans = append(spans, span1("["+l.Status(it.Status)+"] ", plain(faceSansItalic, 8.5)), span1(tracked.Excerpt(it.Text, 220), st))
	more := len(it.Proposals) > 0 || len(it.Positions) > 0
	d.add(&block{spans: spans, size: 9.5, before: 4, keepNext: more})
	if len(it.Proposals) > 0 {
		var refs []string
		for _, p := range it.Proposals {
			refs = append(refs, p.ID+" ("+strings.Join(append([]string{p.Delegation}, p.Cosponsors...), ", ")+")")
		}
		d.add(&block{spans: []span{
			span1(l.Pick("Open proposals: ", "Открытые предложения: "), plain(faceSansBold, 8.5)),
			span1(strings.Join(refs, "; "), plain(faceSans, 8.5)),
		}, x: 18, size: 8.5, before: 1, keepNext: len(it.Positions) > 0})
	}
	for i, p := range it.Positions {
		d.positionLine(p, i < len(it.Positions)-1)
	}
}

// positionsBlock writes positions under a heading, if there are any.
func (d *pdfDoc) positionsBlock(heading string, ps []*drafts.Position) {
	if len(ps) == 0 {
		return
	}
	d.add(&block{spans: []span{span1(heading, plain(faceSansBold, 10))}, size: 10, before: 8, after: 2, keepNext: true})
	for i, p := range ps {
		d.positionLine(p, i < len(ps)-1)
	}
}

// positionLine writes one position, indented, with a rule in the margin.
func (d *pdfDoc) positionLine(p *drafts.Position, keepNext bool) {
	line := d.lab.PositionLine(p)
	name, rest, _ := strings.Cut(line, ": ")
	d.add(&block{spans: []span{
		span1(name+": ", plain(faceSansBold, 8.5)),
		span1(d.r.fonts.showable(rest, faceSans), plain(faceSans, 8.5)),
	}, x: 18, size: 8.5, before: 1, keepNext: keepNext, bar: &bar{x: marginLeft + 12, width: 0.8, color: colorGrey}})
}
