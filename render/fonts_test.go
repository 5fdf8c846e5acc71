package render_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"

	"chancery/render"
)

// The line breaker measures text with its own width tables, read with
// sfnt; they must agree with gofpdf's, or lines would overflow.
func TestWidthsAgreeWithGofpdf(t *testing.T) {
	r := MustRenderer(t)
	sample := "The Member States, guided by the principles — «Государства-члены» № 5, ёЁ; Ωμέγα 0123456789 ()[]{}&<>…’“” Қазақстан Việt Nam Co\u2011Chairs Azərbaycan Türkiye Тоҷикистон Монгол Улс Кыргызстан „“ \u00a0–→"
	for face := 0; face < 6; face++ {
		pdf := gofpdf.New("P", "pt", "A4", "")
		pdf.AddUTF8FontFromBytes("doc", "", render.DocumentFont(face))
		pdf.SetFont("doc", "", 1000) // widths in thousandths of an em
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

// TestForumScripts prints a line in each script and typographic character
// of the forum's member states with no configuration at all: every one
// comes back from pdftotext, the fonts are embedded, and the file stays
// small because only the glyphs used are embedded.
func TestForumScripts(t *testing.T) {
	lines := []string{
		"Latin Extended: Việt Nam, Türkiye, İstanbul, Azərbaycan, Şəki, Ağdam, Ñuñoa, Łódź.",
		"Cyrillic: Қазақстан, Кыргызстан, Тоҷикистон, Монгол Улс, Өвөрхангай, Үндэсний, Ғалым, Ұлы, Ңңҳ, Ёлка.",
		"Greek: Ελλάδα, Κύπρος, Αθήνα.",
		"Typography: Co\u2011Chairs, no\u00a0break, 2023–2024 — «Совещание» „Quote“ “Quote” № 5 ‘x’ … 3. → 4.",
	}
	var text strings.Builder
	for i, l := range lines {
		fmt.Fprintf(&text, "%d. %s\n\n", i+1, l)
	}
	r := MustRenderer(t)
	v := MustVersion(t, text.String(), 1)
	var buf bytes.Buffer
	if err := r.AgreedPDF(&buf, FixtureDoc("en"), v, nil); err != nil {
		t.Fatalf("AgreedPDF: %v", err)
	}
	path := WritePDF(t, "forum-scripts.pdf", buf.Bytes())
	CheckPDF(t, path)
	if fonts := run(t, "pdffonts", path); !strings.Contains(fonts, "notoserif") || !strings.Contains(fonts, "notosans") {
		t.Errorf("pdffonts does not list Noto Serif and Noto Sans:\n%s", fonts)
	}
	got := PDFText(t, path, 0, 0)
	for _, l := range lines {
		for _, w := range strings.Fields(strings.ReplaceAll(l, "\u00a0", " ")) {
			if !strings.Contains(got, w) {
				t.Errorf("pdftotext lacks %q:\n%s", w, got)
			}
		}
	}
	// Three faces of ~140 KB each are committed; a PDF embeds only the
	// glyphs it prints.
	if n := buf.Len(); n > 60_000 {
		t.Errorf("the PDF is %d bytes, want at most 60 KB (are the fonts subset?)", n)
	}
}

// TestTitleNotRepeated checks that a text whose first heading is its
// title prints the title once, and a different heading still prints.
func TestTitleNotRepeated(t *testing.T) {
	r := MustRenderer(t)
	doc := FixtureDoc("en")
	doc.Title = "Road Map for the Transformation"
	for _, tt := range []struct {
		name, text string
		want       int
	}{
		{"repeated", "# Road map for the transformation.\n\n1. Text.\n", 1},
		{"different", "# Road Map for the Transformation of CICA\n\n1. Text.\n", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := MustVersion(t, tt.text, 1)
			var buf bytes.Buffer
			if err := r.AgreedPDF(&buf, doc, v, nil); err != nil {
				t.Fatal(err)
			}
			text := strings.ToLower(PDFText(t, WritePDF(t, "title.pdf", buf.Bytes()), 0, 0))
			if got := strings.Count(text, "road map for the transformation"); got != tt.want {
				t.Errorf("the title is printed %d times, want %d:\n%s", got, tt.want, text)
			}
		})
	}
}
