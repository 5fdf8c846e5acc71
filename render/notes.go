package render

import (
	"math"
	"strconv"

	"chancery/drafts"
)

// Footnotes. A provision's notes (see drafts.SplitNotes) print at the foot
// of the page where their reference falls, under a short rule, numbered
// 1, 2, 3 through the PDF; the reference is a raised number after the
// word it follows. A note too long for the room left on its page goes on
// at the foot of the next.

const (
	noteSize    = 8.5
	noteLeading = 1.4
	noteIndent  = 12.0 // the note's text from the left margin; its number before it
	noteGap     = 9.0  // the space over the notes, where their rule is
	noteRuleW   = textWidth / 3
)

// footnote is a note to print at the foot of a page.
type footnote struct {
	num    int
	lay    *layout // its text
	marker *layout // its number
	placed bool    // its reference is on a page already
}

func (fn *footnote) lineHeight() float64 { return noteSize * noteLeading }

// footLine is line i of a footnote at the foot of a page.
type footLine struct {
	note *footnote
	i    int
}

// noteStyle is the style of a note's text that a reference in style st
// refers to: small and regular, inserted or deleted like the reference.
func noteStyle(st style) style {
	return style{face: faceRegular, size: noteSize, deco: st.deco, color: st.color}
}

// refStyle is the style of a reference to a note in text of style st.
func refStyle(st style) style {
	st.rise = 0.33 * st.size
	st.size *= 0.62
	if st.deco == decoStrikeMark {
		st.deco, st.face = decoStrike, faceRegular
	}
	return st
}

// newNote makes footnote number len(d.notes)+1 of spans and returns the
// span that refers to it, in the style of text of style st.
func (d *pdfDoc) newNote(spans []span, st style) span {
	num := len(d.notes) + 1
	fn := &footnote{num: num}
	fn.lay = d.brk.breakLines(spans, textWidth-noteIndent)
	label := strconv.Itoa(num)
	fn.marker = d.brk.breakLines([]span{{text: label, st: plain(faceRegular, noteSize)}}, math.Inf(1))
	d.notes = append(d.notes, fn)
	return span{text: label, st: refStyle(st), note: int32(num)}
}

// notedSpans makes the spans of a provision's text in style st: its body,
// and for each note a reference where it stands, its text a footnote.
func (d *pdfDoc) notedSpans(text string, st style) []span {
	if !drafts.HasNotes(text) {
		return []span{span1(text, st)}
	}
	nt := drafts.SplitNotes(text)
	var out []span
	at := 0
	for _, n := range nt.Notes {
		if n.At > at {
			out = append(out, span1(nt.Body[at:n.At], st))
			at = n.At
		}
		out = appendRef(out, d.newNote([]span{span1(n.Text, noteStyle(st))}, st))
	}
	if at < len(nt.Body) {
		out = append(out, span1(nt.Body[at:], st))
	}
	return out
}

// titleSpans are the spans of the title, with a reference to each of the
// title's notes.
func (d *pdfDoc) titleSpans(title string, st style) []span {
	spans := []span{span1(title, st)}
	for _, n := range d.titleNotes {
		spans = appendRef(spans, d.newNote([]span{span1(n, noteStyle(plain(faceRegular, noteSize)))}, st))
	}
	return spans
}

// notedSegmentSpans makes the spans of a provision's tracked changes
// (see segmentSpans), its notes' markers as references to footnotes that
// show the changes of each note.
func (d *pdfDoc) notedSegmentSpans(segs []drafts.Segment, base style, tag func(drafts.Segment) string) []span {
	body, notes := drafts.SplitNoteSegments(segs)
	spans := segmentSpans(body, base, tag)
	if len(notes) == 0 {
		return spans
	}
	nb := drafts.BindNotes(notes)
	noteRef := func(nd drafts.NoteDiff, st style) span {
		return d.newNote(segmentSpans(nd.Segments, noteStyle(plain(faceRegular, noteSize)), tag), st)
	}
	var out []span
	for _, sp := range spans {
		drafts.CutAtMarkers(sp.text, nb.Free,
			func(text string) { out = append(out, span{text: text, st: sp.st, note: sp.note}) },
			func(label string) { nd, _ := nb.Take(label); out = appendRef(out, noteRef(nd, sp.st)) })
	}
	for _, nd := range nb.Rest() { // notes without a marker: at the end
		st := base
		switch nd.Op() {
		case drafts.SegInsert:
			st = insertedStyle(base)
		case drafts.SegDelete:
			st = deletedStyle(base)
		}
		out = appendRef(out, noteRef(nd, st))
	}
	return out
}

// appendRef appends a reference to a note, after a raised comma if it
// follows another reference ("consensus.²,³").
func appendRef(spans []span, ref span) []span {
	if n := len(spans); n > 0 && spans[n-1].note > 0 {
		spans = append(spans, span{text: ",", st: ref.st})
	}
	return append(spans, ref)
}

// bottom is where the text of the page must end: above its notes.
func (d *pdfDoc) bottom() float64 { return contentEnd - footHeight(d.foot) }

// footHeight is the height of footnote lines at the foot of a page.
func footHeight(lines []footLine) float64 {
	if len(lines) == 0 {
		return 0
	}
	return noteGap + float64(len(lines))*noteSize*noteLeading
}

// lineNotes returns the footnotes line i of b refers to and that are on
// no page yet.
func (d *pdfDoc) lineNotes(b *block, i int) []*footnote {
	var out []*footnote
	ln := b.lay.lines[i]
	for _, a := range b.lay.atoms[ln.start:ln.end] {
		if k := b.lay.spans[a.span].note; k > 0 && !d.notes[k-1].placed && (len(out) == 0 || out[len(out)-1] != d.notes[k-1]) {
			out = append(out, d.notes[k-1])
		}
	}
	return out
}

// fitWithNotes is how many lines of b, from line i, fit on this page with
// the footnotes they refer to.
func (d *pdfDoc) fitWithNotes(b *block, i int) int {
	lh := b.lineHeight()
	y, lines, k := d.y, len(d.foot), 0
	for j := i; j < len(b.lay.lines); j++ {
		for _, fn := range d.lineNotes(b, j) {
			lines += len(fn.lay.lines)
		}
		foot := 0.0
		if lines > 0 {
			foot = noteGap + float64(lines)*noteSize*noteLeading
		}
		if y+lh > contentEnd-foot+0.01 {
			break
		}
		y += lh
		k++
	}
	return k
}

// takeNotes puts at the foot of the page the footnotes line i of b
// refers to, the line ending at y; the lines of a note that do not fit
// above y go on at the foot of the next page.
func (d *pdfDoc) takeNotes(b *block, i int, y float64) {
	for _, fn := range d.lineNotes(b, i) {
		fn.placed = true
		for j := range fn.lay.lines {
			l := footLine{note: fn, i: j}
			if len(d.carry) == 0 && contentEnd-footHeight(append(d.foot, l)) >= y-0.01 {
				d.foot = append(d.foot, l)
			} else {
				d.carry = append(d.carry, l)
			}
		}
	}
}

// endFoot draws the footnotes of the page and takes the lines carried
// over to the foot of the next, as many as leave room for some text.
func (d *pdfDoc) endFoot() {
	d.drawFoot()
	d.foot = d.foot[:0]
	if len(d.carry) == 0 {
		return
	}
	room := contentEnd - otherTop - 6*bodySize*bodyLeading
	n := 1
	for n < len(d.carry) && footHeight(d.carry[:n+1]) <= room {
		n++
	}
	d.foot = append(d.foot, d.carry[:n]...)
	d.carry = append([]footLine(nil), d.carry[n:]...)
}

// drawFoot draws the page's footnotes above its footer, under a rule.
func (d *pdfDoc) drawFoot() {
	if len(d.foot) == 0 {
		return
	}
	y := contentEnd - footHeight(d.foot)
	d.rule(marginLeft, y+noteGap/2, marginLeft+noteRuleW, y+noteGap/2, 0.5, colorBlack)
	y += noteGap
	lh := noteSize * noteLeading
	for _, l := range d.foot {
		if l.i == 0 { // the number just before the text, so that it reads with it
			d.drawLine(l.note.marker, 0, marginLeft+noteIndent-l.note.marker.lines[0].width-1.5, y, noteSize, lh)
		}
		d.drawLine(l.note.lay, l.i, marginLeft+noteIndent, y, noteSize, lh)
		y += lh
	}
}
