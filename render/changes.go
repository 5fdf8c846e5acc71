package render

import (
	"io"
	"strings"

	"chancery/drafts"
	"chancery/render/tracked"
)

// Styles of tracked changes: words, not colour alone, carry the meaning.
func insertedStyle(base style) style {
	base.deco, base.color = decoUnderline, colorInserted
	return base
}

func deletedStyle(base style) style {
	base.deco, base.color = decoStrike, colorDeleted
	return base
}

func tagStyle() style { return style{face: faceSansItalic, size: tagSize, color: colorGrey} }

func labelStyle() style { return style{face: faceSansItalic, size: smallSize, color: colorBlack} }

// changeBar marks a changed provision in the left margin.
func changeBar() *bar { return &bar{x: barX, width: 1.4, color: colorBlack} }

// ChangesPDF writes the tracked changes from one version to another as a
// PDF: the whole new text with deleted provisions where they stood;
// inserted words underlined, deleted words struck through, each run of
// changes followed by the delegation that proposed it in italics ("[KZ]");
// inserted, deleted, moved and renumbered provisions labelled in words
// ("Inserted", "Deleted", "Moved from after 3", "Renumbered 3. → 4.")
// and every provision whose words or place changed marked by a bar in
// the margin; notes are footnotes, with their own changes marked. Colour
// is added but never needed.
//
// It returns EINVALID naming the characters when a text holds some no
// font can show (or when the fallback font given to New is unusable),
// and EINTERNAL when the PDF library fails.
func (r *Renderer) ChangesPDF(w io.Writer, doc *drafts.Document, from, to *drafts.Version, diff *drafts.Diff) error {
	return r.pdf("ChangesPDF", doc != nil && from != nil && to != nil, func() error { return r.changesPDF(w, doc, from, to, diff) })
}

func (r *Renderer) changesPDF(w io.Writer, doc *drafts.Document, from, to *drafts.Version, diff *drafts.Diff) error {
	if diff == nil {
		diff = &drafts.Diff{}
	}
	d := r.newPDF(doc, doc.Title)
	l := d.lab
	if !to.CreatedAt.IsZero() {
		d.mastRight = l.Date(to.CreatedAt)
	}
	d.titleBlock(doc.Title, []string{
		l.Pick("Tracked changes from ", "Изменения от ") + l.versionShort(from) + l.Pick(" to ", " к ") + l.versionShort(to),
	}, "")
	d.legend(diff.Coarse, false)

	status := map[string]string{}
	for _, p := range from.Provisions {
		status[p.ID] = p.Status
	}
	for _, p := range to.Provisions {
		status[p.ID] = p.Status
	}
	g := d.gutters(from.Provisions, to.Provisions)
	for i := range diff.Changes {
		c := &diff.Changes[i]
		if i == 0 && c.Kind == drafts.ChangeUnchanged &&
			repeatsTitle(drafts.Provision{Kind: c.ProvisionKind, Text: c.Text, Status: status[c.Provision]}, doc.Title) {
			continue // the title is printed above
		}
		d.change(c, from, g, status[c.Provision] == drafts.ProvisionBracketed)
	}
	return d.finish(w)
}

// legend explains the marks of a tracked-changes text.
func (d *pdfDoc) legend(coarse, compilation bool) {
	l := d.lab
	st := plain(faceSans, smallSize)
	spans := []span{
		span1(l.Pick("Inserted text is ", "Вставленный текст "), st),
		span1(l.Pick("underlined", "подчёркнут"), insertedStyle(st)),
		span1(l.Pick(", deleted text is ", ", исключённый текст "), st),
		span1(l.Pick("struck through", "зачёркнут"), deletedStyle(st)),
		span1(l.Pick("; ", "; "), st),
		span1("[KZ]", tagStyle()),
	}
	if compilation {
		spans = append(spans, span1(l.Pick(" names the delegations that proposed a change; a rule in the margin marks each proposal.",
			" — делегации, предложившие изменение; черта на полях отмечает каждое предложение."), st))
	} else {
		spans = append(spans, span1(l.Pick(" names the delegation that proposed a change; a bar in the margin marks a changed provision.",
			" — делегация, предложившая изменение; черта на полях отмечает изменённое положение."), st))
	}
	d.add(&block{spans: spans, size: smallSize, leading: 1.4, after: 4})
	if coarse {
		d.add(&block{spans: []span{span1(l.Pick(
			"Some changes are shown as whole-text replacements: the word comparison reached its limit.",
			"Некоторые изменения показаны как замена всего текста: пословное сравнение достигло предела."), labelStyle())},
			size: smallSize, after: 4})
	}
}

// change writes one provision of a tracked-changes text: its label, if
// any, then its number and text with the changes marked.
func (d *pdfDoc) change(c *drafts.Change, from *drafts.Version, g gutters, bracketed bool) {
	l := d.lab
	number := c.Number
	if c.Kind == drafts.ChangeDeleted {
		number = tracked.OldNumber(c)
	}
	geo := g.geom(c.ProvisionKind, number)
	base := plain(geo.face, geo.size)
	f := tracked.FacetsOf(c)
	moved, renumbered, modified := f.Moved, f.Renumbered, f.Modified

	var label []string
	var spans, marker []span
	switch c.Kind {
	case drafts.ChangeUnchanged:
		spans = d.notedSpans(c.Text, base)
		marker = markerSpans(c.ProvisionKind, c.Number, base)
	case drafts.ChangeInserted:
		label = append(label, l.Pick("Inserted", "Вставлено"))
		spans = d.notedSpans(c.Text, insertedStyle(base))
		marker = markerSpans(c.ProvisionKind, c.Number, insertedStyle(base))
	case drafts.ChangeDeleted:
		label = append(label, l.Pick("Deleted", "Исключено"))
		spans = d.notedSpans(c.OldText, deletedStyle(base))
		marker = markerSpans(c.ProvisionKind, tracked.OldNumber(c), deletedStyle(base))
	default:
		if moved {
			label = append(label, d.movedFrom(c, from))
		}
		if renumbered {
			label = append(label, l.Pick("Renumbered ", "Перенумеровано ")+tracked.OldNumber(c)+" → "+c.Number)
		}
		if modified {
			spans = d.notedSegmentSpans(tracked.ModifiedSegments(c), base, func(s drafts.Segment) string { return tracked.SegmentTag(s, c) })
		} else {
			spans = d.notedSpans(c.Text, base)
		}
		marker = markerSpans(c.ProvisionKind, c.Number, base)
	}
	if bracketed {
		spans = bracket(spans, base)
	}
	// Renumbering alone is said by the label; the bar marks changes of
	// the text or of its place.
	changed := c.Kind != drafts.ChangeUnchanged && (modified || moved || c.Kind == drafts.ChangeInserted || c.Kind == drafts.ChangeDeleted)
	if len(label) > 0 {
		ls := []span{span1(strings.Join(label, "; "), labelStyle())}
		if dl := tracked.ChangeDelegations(c); len(dl) > 0 {
			ls = append(ls, span1(" ["+strings.Join(dl, ", ")+"]", tagStyle()))
		}
		lb := &block{spans: ls, x: geo.markerX, size: smallSize, before: geo.before + 2, after: 1, keepNext: true}
		if changed {
			lb.bar = changeBar()
		}
		d.add(lb)
		geo.before = 0
	}
	b := geo.block(spans, marker)
	if changed {
		b.bar = changeBar()
	}
	d.add(b)
}

// movedFrom says where a moved provision stood: "Moved from after 3".
func (d *pdfDoc) movedFrom(c *drafts.Change, from *drafts.Version) string {
	l := d.lab
	_, i := from.Provision(c.Provision)
	switch {
	case i < 0:
		return l.Pick("Moved", "Перемещено")
	case i == 0:
		return l.Pick("Moved from the start", "Перемещено из начала текста")
	}
	p := from.Provisions[i-1]
	return l.Pick("Moved from after ", "Перемещено; ранее после ") + l.ref(p.Kind, p.Number, p.Text)
}

// segmentSpans makes spans of tracked segments: insertions underlined,
// deletions struck through, and after each run of changes a tag naming
// who proposed it. A tag never cuts a word: after a change inside a word
// ("organi[s→z]ation") it waits for the word's end.
func segmentSpans(segs []drafts.Segment, base style, tag func(drafts.Segment) string) []span {
	sw := &spanWriter{base: base}
	runs := tracked.SegmentRuns(segs, tag)
	for ri, run := range runs {
		if !run.Changed {
			sw.equal(run.Segs[0].Text)
			continue
		}
		sw.emitTag()
		trail := sw.changes(run.Segs)
		sw.pending = run.Tag
		midWord := trail == "" && ri+1 < len(runs) && !startsWithSpace(runs[ri+1].Segs[0].Text)
		if !midWord {
			sw.emitTag()
		}
		if trail != "" {
			sw.out = append(sw.out, span1(trail, base))
		}
	}
	sw.emitTag()
	return sw.out
}

// spanWriter makes the spans of segmentSpans.
type spanWriter struct {
	base    style
	out     []span
	pending string // the tag of the last run of changes, not yet written
}

// emitTag writes the pending tag, if any.
func (sw *spanWriter) emitTag() {
	if sw.pending != "" {
		// A no-break space keeps the tag with the word it follows.
		sw.out = append(sw.out, span1("\u00a0["+sw.pending+"]", tagStyle()))
		sw.pending = ""
	}
}

// equal writes unchanged text; a pending tag goes after its first word,
// which ends the word a change was inside.
func (sw *spanWriter) equal(text string) {
	if sw.pending != "" {
		i := strings.IndexAny(text, " \n\t")
		if i < 0 {
			sw.out = append(sw.out, span1(text, sw.base))
			return
		}
		sw.out = append(sw.out, span1(text[:i], sw.base))
		sw.emitTag()
		text = text[i:]
	}
	sw.out = append(sw.out, span1(text, sw.base))
}

// changes writes a run of changed segments, without the white space it
// starts with (written plain) and ends with (returned as trail): the
// underline starts and stops at the words.
func (sw *spanWriter) changes(segs []drafts.Segment) (trail string) {
	base := sw.base
	// Changes are whole words (see tracked.WholeWords): a struck word and the
	// underlined one that replaces it ("shall [-prepare-][+draft+] the",
	// "[-organisation-][+organization+].") get a space between them.
	// A changed punctuation mark, such as a comma in place of a
	// semicolon, is not a word and gets none.
	wholeWords := true
	for _, s := range segs {
		if !hasWordChar(s.Text) {
			wholeWords = false
		}
	}
	prevOp := ""
	for si, s := range segs {
		text := s.Text
		if si == 0 {
			trimmed := strings.TrimLeft(text, " \n\t")
			if lead := text[:len(text)-len(trimmed)]; lead != "" {
				sw.out = append(sw.out, span1(lead, base))
			}
			text = trimmed
		}
		if si == len(segs)-1 {
			trimmed := strings.TrimRight(text, " \n\t")
			trail = text[len(trimmed):]
			text = trimmed
		}
		if text == "" {
			continue
		}
		if wholeWords && prevOp != "" && prevOp != s.Op && !startsWithSpace(text) && !endsWithSpace(sw.out[len(sw.out)-1].text) {
			sw.out = append(sw.out, span{text: " ", st: base})
		}
		prevOp = s.Op
		switch s.Op {
		case drafts.SegInsert:
			sw.out = append(sw.out, span1(text, insertedStyle(base)))
		case drafts.SegDelete:
			sw.out = append(sw.out, span1(text, changedDeletedStyle(base, text)))
		}
	}
	return trail
}

// changedDeletedStyle is the style of deleted text: struck through, and a
// struck full stop or comma, which would look like a kept one, bold, with
// a second stroke through it at the baseline.
func changedDeletedStyle(base style, text string) style {
	st := deletedStyle(base)
	if !hasWordChar(text) {
		st.face, st.deco = faceBold, decoStrikeMark
	}
	return st
}

func endsWithSpace(s string) bool {
	return s == "" || s[len(s)-1] == ' ' || s[len(s)-1] == '\n' || s[len(s)-1] == '\t'
}

func startsWithSpace(s string) bool {
	return s == "" || s[0] == ' ' || s[0] == '\n' || s[0] == '\t'
}

// hasWordChar reports whether s holds a letter or a digit.
func hasWordChar(s string) bool {
	return strings.IndexFunc(s, tracked.IsWordChar) >= 0
}
