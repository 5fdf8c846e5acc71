package render

import (
	"io"
	"strconv"
	"strings"

	"chancery/drafts"
)

// CompilationPDF writes the compilation of v as a PDF: each provision in
// document order, followed by every compiled proposal on it: what it does
// (amendment, insertion, deletion, move), the delegations that proposed
// it and its co-sponsors, its tracked changes (insertions underlined,
// deletions struck through) and the justifications given.
//
// It returns EINVALID naming the characters when a text holds some no
// font can show (or when the fallback font given to New is unusable),
// and EINTERNAL when the PDF library fails.
func (r *Renderer) CompilationPDF(w io.Writer, doc *drafts.Document, v *drafts.Version, c *drafts.Compilation) error {
	return r.pdf("CompilationPDF", doc != nil && v != nil, func() error { return r.compilationPDF(w, doc, v, c) })
}

func (r *Renderer) compilationPDF(w io.Writer, doc *drafts.Document, v *drafts.Version, c *drafts.Compilation) error {
	if c == nil {
		c = &drafts.Compilation{}
	}
	d := r.newPDF(doc, doc.Title)
	l := d.lab
	d.mastRight = l.Date(r.creationDate())
	np, nd := c.Counts()
	d.titleBlock(doc.Title, []string{
		l.Pick("Compilation of proposals on ", "Подборка предложений к ") + l.versionShort(v),
		l.Pick(plural(np, "open proposal", "open proposals")+" by "+plural(nd, "delegation", "delegations"),
			"открытых предложений: "+strconv.Itoa(np)+"; делегаций: "+strconv.Itoa(nd)),
	}, "")
	d.legend(false, true)
	d.positionsBlock(l.Pick("Positions on the text as a whole", "Позиции по тексту в целом"), c.WholeText)

	var all []drafts.Provision
	for _, e := range c.Entries {
		all = append(all, e.Provision)
	}
	g := d.gutters(all)
	for i := range c.Entries {
		e := &c.Entries[i]
		p := e.Provision
		if i == 0 && len(e.Proposals) == 0 && repeatsTitle(p, doc.Title) {
			continue // the title is printed above
		}
		var b *block
		if p.ID == "" {
			b = &block{spans: []span{span1(l.Pick("At the start of the text", "В начале текста"), labelStyle())}, size: smallSize, before: 8}
		} else {
			geo := g.geom(p.Kind, p.Number)
			base := plain(geo.face, geo.size)
			spans := d.notedSpans(p.Text, base)
			if p.Status == drafts.ProvisionBracketed {
				spans = bracket(spans, base)
			}
			b = geo.block(spans, markerSpans(p.Kind, p.Number, base))
		}
		if len(e.Proposals) > 0 || len(e.Positions) > 0 {
			b.keepNext = true
		}
		d.add(b)
		for j := range e.Proposals {
			d.proposal(v, c, e, &e.Proposals[j], g)
		}
		for j, p := range e.Positions {
			d.positionLine(p, j < len(e.Positions)-1)
		}
	}
	return d.finish(w)
}

// proposal writes one compiled proposal under its provision, indented,
// with a rule in the margin beside it, and the sub-amendments to it
// below, indented further.
func (d *pdfDoc) proposal(v *drafts.Version, c *drafts.Compilation, e *drafts.CompilationEntry, cp *drafts.CompiledProposal, g gutters) {
	x := g.para
	if x == 0 {
		x = 18
	}
	d.compiledChange(c, e, cp, x, d.opPhrase(v, e, cp))
	for i := range cp.SubAmendments {
		d.compiledChange(c, e, &cp.SubAmendments[i], x+14, d.lab.Pick("Sub-amendment", "Подпоправка"))
	}
}

// compiledChange writes a compiled proposal at x: what it does (op) and
// who proposed it, its tracked changes and its justifications.
func (d *pdfDoc) compiledChange(c *drafts.Compilation, e *drafts.CompilationEntry, cp *drafts.CompiledProposal, x float64, op string) {
	l := d.lab
	rule := &bar{x: marginLeft + x - 8, width: 0.8, color: colorGrey}
	by := plain(faceSansBold, smallSize)
	who := l.Pick(" — proposed by ", " — предлагает: ")
	if len(cp.Refs) > 0 {
		who = " — "
	}
	head := []span{
		span1(op, by),
		span1(who, plain(faceSans, smallSize)),
		span1(d.r.fonts.showable(c.Proposers(cp, d.lab.lang()), faceSansBold), by),
	}
	if len(cp.Cosponsors) > 0 {
		head = append(head,
			span1(l.Pick("; co-sponsored by ", "; соавторы: "), plain(faceSans, smallSize)),
			span1(d.r.fonts.showable(strings.Join(c.DelegationNames(cp.Cosponsors, d.lab.lang()), ", "), faceSansBold), by))
	}
	d.add(&block{spans: head, x: x, size: smallSize, before: 6, after: 2, keepNext: true, bar: rule})

	segs := proposalSegments(e, cp)
	tag := strings.Join(cp.Delegations, ", ")
	if len(segs) > 0 {
		base := plain(faceRegular, 10)
		spans := d.notedSegmentSpans(segs, base, func(drafts.Segment) string { return tag })
		d.add(&block{spans: spans, x: x, size: 10, leading: 1.4, bar: rule})
	}
	for i, j := range cp.Justifications {
		if strings.TrimSpace(j) == "" {
			continue
		}
		var spans []span
		if who := justificationBy(cp, i); who != "" {
			spans = append(spans, span1(who+": ", plain(faceSansBold, smallSize)))
		}
		// A justification in a script the fonts lack must not keep the
		// whole compilation from printing: such characters show as [U+…].
		spans = append(spans, span1(d.r.fonts.showable(j, faceSansItalic), style{face: faceSansItalic, size: smallSize, color: colorBlack}))
		d.add(&block{spans: spans, x: x, size: smallSize, before: 2, bar: rule})
	}
}

// opPhrase says what a compiled proposal does, in the document's language.
func (d *pdfDoc) opPhrase(v *drafts.Version, e *drafts.CompilationEntry, cp *drafts.CompiledProposal) string {
	l := d.lab
	switch cp.Op {
	case drafts.OpReplace:
		return l.Pick("Amendment", "Поправка")
	case drafts.OpInsert:
		if e.Provision.ID == "" {
			return l.Pick("Insertion at the start", "Вставка в начале")
		}
		return l.Pick("Insertion after ", "Вставка после ") + l.ref(e.Provision.Kind, e.Provision.Number, e.Provision.Text)
	case drafts.OpDelete:
		return l.Pick("Deletion", "Исключение")
	case drafts.OpMove:
		if cp.After == "" {
			return l.Pick("Move to the start", "Перемещение в начало")
		}
		if p, i := v.Provision(cp.After); i >= 0 {
			return l.Pick("Move after ", "Перемещение после ") + l.ref(p.Kind, p.Number, p.Text)
		}
		return l.Pick("Move", "Перемещение")
	}
	return cp.Op
}
