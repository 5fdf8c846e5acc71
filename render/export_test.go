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
