package render

import (
	"chancery/drafts"
	"chancery/render/tracked"
)

// Width returns the advance of r in thousandths of an em in the face
// (as DocumentFont numbers them) as the line breaker measures it, or -1 when
// the document font has no glyph for it.
func (r *Renderer) Width(face int, ru rune) int {
	m := r.fonts.main[face]
	if !m.has(ru) {
		return -1
	}
	return m.width(ru)
}

// DocumentFont returns the TrueType bytes of a document font: Noto Serif
// regular, bold, italic (0-2), Noto Sans regular, bold, italic (3-5).
func DocumentFont(face int) []byte { return loadedFonts().mainTTF[face] }

func loadedFonts() *fontSet {
	fs, _ := loadFonts(nil)
	return fs
}

// MarkedSpan is a span of a tracked-changes line as the PDF draws it.
type MarkedSpan struct {
	Text string
	// Mark is "" for plain text, "underline", "strike", or "strike-mark"
	// (a struck punctuation mark, with a second stroke through it).
	Mark string
	Bold bool
}

// SegmentSpans returns the spans the PDF draws for tracked segments.
func SegmentSpans(segs []drafts.Segment) []MarkedSpan {
	var out []MarkedSpan
	for _, s := range segmentSpans(tracked.WholeWords(segs), plain(faceRegular, bodySize), func(drafts.Segment) string { return "" }) {
		m := MarkedSpan{Text: s.text, Bold: s.st.face == faceBold}
		switch s.st.deco {
		case decoUnderline:
			m.Mark = "underline"
		case decoStrike:
			m.Mark = "strike"
		case decoStrikeMark:
			m.Mark = "strike-mark"
		}
		out = append(out, m)
	}
	return out
}

// ItemLevels returns the level itemNesting gives each provision of a text
// in order (kinds[i], markers[i]); 0 for a provision that is not an item.
func ItemLevels(kinds, markers []string) []int {
	var n itemNesting
	out := make([]int, len(kinds))
	for i, k := range kinds {
		if k != drafts.KindItem {
			n.reset()
			continue
		}
		out[i] = n.level(markers[i])
	}
	return out
}

// PreambleRuns returns the runs a preambular paragraph's text is printed
// in, each with whether it is in italics.
func PreambleRuns(text string) (runs []string, italic []bool) {
	for _, s := range italicOpening([]span{span1(text, plain(faceRegular, bodySize))}) {
		runs = append(runs, s.text)
		italic = append(italic, s.st.face == faceItalic)
	}
	return runs, italic
}
