package render

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// rgb is a colour, 0xRRGGBB.
type rgb uint32

// Colours. Black carries the meaning; the others only add to underline,
// strike-through and words.
const (
	colorBlack    rgb = 0x000000
	colorGrey     rgb = 0x505050
	colorRule     rgb = 0x808080
	colorInserted rgb = 0x003C96
	colorDeleted  rgb = 0xA00000
	noColor       rgb = 0xFFFFFFFF // none known
)

// parts returns the red, green and blue components, 0-255.
func (c rgb) parts() (r, g, b int) { return int(c >> 16 & 0xFF), int(c >> 8 & 0xFF), int(c & 0xFF) }

// deco is a line drawn with text.
type deco uint8

const (
	decoNone deco = iota
	decoUnderline
	decoStrike
	// decoStrikeMark strikes through punctuation: at mid-height, and again
	// lower through the glyph, a little wider than it, so that a deleted
	// full stop or comma shows as deleted.
	decoStrikeMark
)

// style is how a run of text looks.
type style struct {
	face  face
	size  float64 // points
	deco  deco
	color rgb
	rise  float64 // points above the baseline: a note's reference
}

// span is a run of text in one style; note, if not 0, is the number of
// the footnote the span refers to.
type span struct {
	text string
	st   style
	note int32
}

// atom is a piece of a laid-out line: text[lo:hi] of one span, in one
// font, at x (relative to the line's start) and w wide.
type atom struct {
	span   int32
	lo, hi int32
	fb     bool // printed in the fallback font
	x, w   float64
}

// lineRef is a line of a layout: atoms[start:end].
type lineRef struct {
	start, end int32
	width      float64
}

// layout is a text broken into lines of at most maxW points.
type layout struct {
	spans []span
	atoms []atom
	lines []lineRef
}

// text returns the text of an atom.
func (l *layout) text(a *atom) string { return l.spans[a.span].text[a.lo:a.hi] }

// cleanText prepares a text for printing: NFC-normalised (so that a
// letter and a combining accent become the one precomposed character the
// fonts have), tabs as spaces, carriage returns and other control
// characters but the line feed dropped.
func cleanText(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' || c >= 0x7F {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7F }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r < 0x20 && r != '\n' || r == 0x7F:
			return -1
		}
		return r
	}, s)
}

// piece is a run of a box or of glue while breaking lines.
type piece struct {
	span   int32
	lo, hi int32
	fb     bool
	units  int // width in thousandths of an em
}

// breaker breaks spans into lines: boxes (words, which may be made of
// several spans, as in "organi[z]ation") separated by glue (spaces), put
// on a line while they fit, a word longer than a line cut where it must.
type breaker struct {
	fonts *fontSet
	miss  *missingRunes
	// useFallback is called the first time a piece needs the fallback font.
	useFallback func()
	maxW        float64

	l         *layout
	lineStart int32
	lineW     float64
	box       []piece
	glue      []piece
}

// breakLines lays out spans in lines of at most maxW points.
func (b *breaker) breakLines(spans []span, maxW float64) *layout {
	b.l = &layout{spans: spans}
	b.maxW = maxW
	b.lineStart, b.lineW = 0, 0
	b.box, b.glue = b.box[:0], b.glue[:0]
	for si := range spans {
		sp := &spans[si]
		s := sp.text
		main := b.fonts.main[sp.st.face]
		for i := 0; i < len(s); {
			r, size := rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
			switch {
			case r == ' ':
				b.endBox()
				b.addPiece(&b.glue, int32(si), i, size, false, main.width(' '))
			case r == '\n':
				b.endBox()
				b.glue = b.glue[:0]
				b.endLine()
			case r == '\u00ad':
				// A soft hyphen is not printed (breaking there is not
				// supported: words too long for a line are cut anyway).
				// Nothing to add: the next rune starts a new piece.
			default:
				fb := false
				units := 0
				switch {
				case main.has(r):
					units = main.width(r)
				case b.fonts.fallback != nil && b.fonts.fallback.has(r):
					fb = true
					units = b.fonts.fallback.width(r)
					if b.useFallback != nil {
						b.useFallback()
						b.useFallback = nil
					}
				case invisible(r):
					i += size
					continue // left out; the next rune starts a new piece
				default:
					// Never handed to gofpdf (which cannot even hold a rune
					// beyond U+FFFF): the document fails with EINVALID.
					b.miss.add(r)
					i += size
					continue
				}
				b.addPiece(&b.box, int32(si), i, size, fb, units)
			}
			i += size
		}
	}
	b.endBox()
	if b.lineStart < int32(len(b.l.atoms)) || len(b.l.lines) == 0 {
		b.endLine()
	}
	return b.l
}

// addPiece extends the last piece of list with s[i:i+size], or starts one.
func (b *breaker) addPiece(list *[]piece, si int32, i, size int, fb bool, units int) {
	if n := len(*list); n > 0 {
		p := &(*list)[n-1]
		if p.span == si && p.hi == int32(i) && p.fb == fb {
			p.hi += int32(size)
			p.units += units
			return
		}
	}
	*list = append(*list, piece{span: si, lo: int32(i), hi: int32(i + size), fb: fb, units: units})
}

func (b *breaker) width(p *piece) float64 {
	return float64(p.units) * b.l.spans[p.span].st.size / 1000
}

// endBox puts the current word on the line, or on a new one.
func (b *breaker) endBox() {
	if len(b.box) == 0 {
		return
	}
	var bw, gw float64
	for i := range b.box {
		bw += b.width(&b.box[i])
	}
	for i := range b.glue {
		gw += b.width(&b.glue[i])
	}
	const eps = 0.001
	if int32(len(b.l.atoms)) > b.lineStart {
		if b.lineW+gw+bw <= b.maxW+eps {
			for i := range b.glue {
				b.put(&b.glue[i])
			}
			for i := range b.box {
				b.put(&b.box[i])
			}
			b.box, b.glue = b.box[:0], b.glue[:0]
			return
		}
		b.endLine()
	}
	b.glue = b.glue[:0]
	if bw <= b.maxW+eps {
		for i := range b.box {
			b.put(&b.box[i])
		}
	} else {
		b.cutBox()
	}
	b.box = b.box[:0]
}

// cutBox puts a word longer than a line on lines of its own, cut after
// the last '/' or '-' that fits (as in a long address), or else between
// any two characters.
func (b *breaker) cutBox() {
	for i := range b.box {
		p := b.box[i]
		sp := &b.l.spans[p.span]
		m := b.fonts.main[sp.st.face]
		if p.fb {
			m = b.fonts.fallback
		}
		scale := sp.st.size / 1000
		start := p.lo
		units := 0
		cut, cutUnits := int32(-1), 0 // after the last '/' or '-' on this line
		for j := int(p.lo); j < int(p.hi); {
			r, size := utf8.DecodeRuneInString(sp.text[j:])
			u := 0
			if m.has(r) {
				u = m.width(r)
			}
			if b.lineW+float64(units+u)*scale > b.maxW && (units > 0 || int32(len(b.l.atoms)) > b.lineStart) {
				switch {
				case cut > start:
					b.put(&piece{span: p.span, lo: start, hi: cut, fb: p.fb, units: cutUnits})
					start, units = cut, units-cutUnits
				case units > 0:
					b.put(&piece{span: p.span, lo: start, hi: int32(j), fb: p.fb, units: units})
					start, units = int32(j), 0
				}
				cut = -1
				b.endLine()
			}
			units += u
			j += size
			if r == '/' || r == '-' || r == '\u2010' || r == '\u2013' || r == '\u2014' {
				cut, cutUnits = int32(j), units
			}
		}
		if int32(p.hi) > start {
			b.put(&piece{span: p.span, lo: start, hi: p.hi, fb: p.fb, units: units})
		}
	}
}

// put appends a piece to the current line, merging it with the last atom
// when it continues it.
func (b *breaker) put(p *piece) {
	w := b.width(p)
	atoms := b.l.atoms
	if n := int32(len(atoms)); n > b.lineStart {
		a := &atoms[n-1]
		if a.span == p.span && a.hi == p.lo && a.fb == p.fb {
			a.hi = p.hi
			a.w += w
			b.lineW += w
			return
		}
	}
	b.l.atoms = append(b.l.atoms, atom{span: p.span, lo: p.lo, hi: p.hi, fb: p.fb, x: b.lineW, w: w})
	b.lineW += w
}

func (b *breaker) endLine() {
	b.l.lines = append(b.l.lines, lineRef{start: b.lineStart, end: int32(len(b.l.atoms)), width: b.lineW})
	b.lineStart = int32(len(b.l.atoms))
	b.lineW = 0
}
