package render

import (
	_ "embed" // the document fonts
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"chancery/drafts"
)

// face is a font and style: Noto Serif, for the text, or Noto Sans, for
// the page headers and footers, labels, tags and notes around it; each
// regular, bold or italic.
type face uint8

const (
	faceRegular face = iota
	faceBold
	faceItalic
	faceSans
	faceSansBold
	faceSansItalic
	nFaces
)

// sans returns the Noto Sans face of the same style.
func sans(f face) face {
	if f < faceSans {
		return f + faceSans
	}
	return f
}

// Font family names registered with gofpdf.
const (
	familySerif    = "NotoSerif"
	familySans     = "NotoSans"
	familyFallback = "fallback"
)

// The document fonts: Noto Serif and Noto Sans in three faces each, subset
// to Latin (with its extended letters: Vietnamese, Turkish,
// Azerbaijani...), Greek, Cyrillic (with its supplement: Kazakh, Kyrgyz,
// Tajik, Mongolian...), punctuation (no-break space and hyphen, dashes,
// quotes), letterlike symbols (№) and arrows. fonts/subset.py makes them
// from Debian's fonts-noto-core, and fonts/OFL.txt is their licence (SIL
// Open Font License 1.1). Each PDF embeds only the glyphs it uses.
var (
	//go:embed fonts/NotoSerif-Regular.ttf
	notoSerifRegular []byte
	//go:embed fonts/NotoSerif-Bold.ttf
	notoSerifBold []byte
	//go:embed fonts/NotoSerif-Italic.ttf
	notoSerifItalic []byte
	//go:embed fonts/NotoSans-Regular.ttf
	notoSansRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	notoSansBold []byte
	//go:embed fonts/NotoSans-Italic.ttf
	notoSansItalic []byte
)

// family is the gofpdf family name of a face.
func (f face) family() string {
	if f >= faceSans {
		return familySans
	}
	return familySerif
}

// gofpdfStyle is the gofpdf style string of a face.
func (f face) gofpdfStyle() string {
	switch f {
	case faceBold, faceSansBold:
		return "B"
	case faceItalic, faceSansItalic:
		return "I"
	}
	return ""
}

// missingGlyph marks a rune a font has no glyph for.
const missingGlyph = 0xFFFF

// fontMetrics holds, for every rune of the Basic Multilingual Plane, the
// advance width in thousandths of an em, rounded as gofpdf rounds it, or
// missingGlyph. gofpdf itself handles only that plane: it indexes its width
// table by rune up to U+FFFF and writes text as UCS-2.
type fontMetrics struct {
	widths []uint16
}

// has reports whether the font can show r.
func (m *fontMetrics) has(r rune) bool {
	return r >= 0 && r < 0x10000 && m.widths[r] != missingGlyph
}

// width returns r's advance in thousandths of an em; r must be covered.
func (m *fontMetrics) width(r rune) int { return int(m.widths[r]) }

// parseMetrics reads a TrueType font's character map with sfnt and records
// the advance of every glyph it maps a BMP rune to.
func parseMetrics(ttf []byte) (*fontMetrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	upem := f.UnitsPerEm()
	scale := 1000 / float64(upem)
	m := &fontMetrics{widths: make([]uint16, 0x10000)}
	for r := range m.widths {
		m.widths[r] = missingGlyph
		if r < 0x20 || (r >= 0xD800 && r < 0xE000) {
			continue // controls and surrogates are never printed
		}
		gi, err := f.GlyphIndex(&buf, rune(r))
		if err != nil || gi == 0 {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, gi, fixed.Int26_6(upem)<<6, font.HintingNone)
		if err != nil {
			continue
		}
		w := math.Round(scale * float64(adv) / 64)
		if w < 0 || w >= missingGlyph {
			continue
		}
		m.widths[r] = uint16(w)
	}
	return m, nil
}

// fontSet is the text fonts of a Renderer: the document fonts in six
// faces and an optional fallback font used for every face.
type fontSet struct {
	mainTTF  [nFaces][]byte
	main     [nFaces]*fontMetrics
	fallback *fontMetrics
	fbTTF    []byte
}

// loadFonts parses the document fonts and the fallback font, if any.
func loadFonts(fallback []byte) (*fontSet, error) {
	fs := &fontSet{mainTTF: [nFaces][]byte{notoSerifRegular, notoSerifBold, notoSerifItalic, notoSansRegular, notoSansBold, notoSansItalic}}
	for i, ttf := range fs.mainTTF {
		m, err := parseMetrics(ttf)
		if err != nil {
			return fs, internal(err, "parsing the document fonts")
		}
		fs.main[i] = m
	}
	if len(fallback) > 0 {
		m, err := parseMetrics(fallback)
		if err == nil {
			err = checkGofpdf(fallback)
		}
		if err != nil {
			return fs, &drafts.Error{Code: drafts.EINVALID, Message: "render: the fallback font is not a TrueType font the PDF library can embed: " + err.Error(), Err: err}
		}
		fs.fallback = m
		fs.fbTTF = fallback
	}
	return fs, nil
}

// invisible reports whether r is a formatting character that may be left
// out when no font has a glyph for it (zero-width spaces and joiners,
// byte-order marks, directional marks).
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r)
}

// showable returns s with each character the fonts cannot show written
// as "[U+4E2D]". It is for side texts, such as a justification in a
// compilation, that should not stop a whole document from printing; the
// text of provisions is never altered this way.
func (fs *fontSet) showable(s string, f face) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\n' || r == '\u00ad' || invisible(r),
			fs.main[f].has(r), fs.fallback != nil && fs.fallback.has(r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "[U+%04X]", r)
		}
	}
	return b.String()
}

// missingRunes collects the characters of a text that no font can show, in
// the order they first appear.
type missingRunes struct {
	seen  map[rune]bool
	order []rune
}

func (m *missingRunes) add(r rune) {
	if m.seen == nil {
		m.seen = map[rune]bool{}
	}
	if !m.seen[r] {
		m.seen[r] = true
		m.order = append(m.order, r)
	}
}

// maxNamed is how many missing characters an error names.
const maxNamed = 10

// err returns nil, or EINVALID naming the characters, e.g.
// "U+4E2D 中, U+6587 文".
func (m *missingRunes) err(hasFallback bool) error {
	if len(m.order) == 0 {
		return nil
	}
	var names []string
	for i, r := range m.order {
		if i == maxNamed {
			names = append(names, fmt.Sprintf("and %d more", len(m.order)-maxNamed))
			break
		}
		names = append(names, runeName(r))
	}
	what := "the PDF fonts"
	if !hasFallback {
		what = "the PDF fonts (Noto Serif and Noto Sans: Latin, Greek, Cyrillic; no fallback font is configured)"
	}
	return &drafts.Error{
		Code:    drafts.EINVALID,
		Message: fmt.Sprintf("the text holds characters %s cannot show: %s", what, strings.Join(names, ", ")),
	}
}

// runeName writes a character as "U+4E2D 中", leaving out the glyph of a
// character that would not show in a message.
func runeName(r rune) string {
	if r > 0xFFFF {
		if unicode.IsGraphic(r) {
			return fmt.Sprintf("U+%04X %c (beyond U+FFFF)", r, r)
		}
		return fmt.Sprintf("U+%04X (beyond U+FFFF)", r)
	}
	if unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return fmt.Sprintf("U+%04X %c", r, r)
	}
	return fmt.Sprintf("U+%04X", r)
}

// checkGofpdf makes sure gofpdf can load a font: its parser takes only
// TrueType outlines (not CFF) and reports failures on standard output
// rather than as an error, so try it and select the font.
func checkGofpdf(ttf []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the PDF library failed on it: %v", p)
		}
	}()
	pdf := gofpdf.New("P", "pt", "A4", "")
	pdf.AddUTF8FontFromBytes(familyFallback, "", ttf)
	pdf.SetFont(familyFallback, "", 10)
	return pdf.Error()
}
