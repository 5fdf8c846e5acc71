package render_test

import (
	"math"
	"testing"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// The line breaker measures text with its own width tables, read with
// sfnt; they must agree with gofpdf's, or lines would overflow.
func TestWidthsAgreeWithGofpdf(t *testing.T) {
	r := MustRenderer(t)
	sample := "The Member States, guided by the principles — «Государства-члены» № 5, ёЁ; Ωμέγα 0123456789 ()[]{}&<>…’“”"
	for face, ttf := range [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF} {
		pdf := gofpdf.New("P", "pt", "A4", "")
		pdf.AddUTF8FontFromBytes("go", "", ttf)
		pdf.SetFont("go", "", 1000) // widths in thousandths of an em
		for _, ru := range sample {
			want := int(math.Round(pdf.GetStringWidth(string(ru))))
			if got := r.Width(face, ru); got != want {
				t.Errorf("face %d, %q: width %d, gofpdf says %d", face, ru, got, want)
			}
		}
	}
	if got := r.Width(0, '中'); got != -1 {
		t.Errorf("width of 中 = %d, want -1 (no glyph)", got)
	}
}
