package render

// Width returns the advance of r in thousandths of an em in the face
// (0 regular, 1 bold, 2 italic) as the line breaker measures it, or -1 when
// the document font has no glyph for it.
func (r *Renderer) Width(face int, ru rune) int {
	m := r.fonts.main[face]
	if !m.has(ru) {
		return -1
	}
	return m.width(ru)
}

// DocumentFont returns the TrueType bytes of the document font in a face
// (0 regular, 1 bold, 2 italic).
func DocumentFont(face int) []byte { return loadedFonts().mainTTF[face] }

func loadedFonts() *fontSet {
	fs, _ := loadFonts(nil)
	return fs
}
