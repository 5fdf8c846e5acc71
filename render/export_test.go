package render

// Width returns the advance of r in thousandths of an em in the face
// (0 regular, 1 bold, 2 italic) as the line breaker measures it, or -1 when
// the Go font has no glyph for it.
func (r *Renderer) Width(face int, ru rune) int {
	m := r.fonts.main[face]
	if !m.has(ru) {
		return -1
	}
	return m.width(ru)
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
