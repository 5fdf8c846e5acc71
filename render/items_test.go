package render_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/render"
)

func TestItemLevels(t *testing.T) {
	for _, tt := range []struct {
		name    string
		markers string // "1." a paragraph, "#" a heading, else items
		want    string
	}{
		{"roman under letters", "1. (a) (i) (ii) (iii) (b) (c)", "0 1 2 2 2 1 1"},
		{"the letter i after h", "1. (a) (b) (c) (d) (e) (f) (g) (h) (i) (j)", "0 1 1 1 1 1 1 1 1 1 1"},
		{"roman v and x", "1. (a) (i) (ii) (iii) (iv) (v) (vi) (vii) (viii) (ix) (x) (b)", "0 1 2 2 2 2 2 2 2 2 2 2 1"},
		{"three levels", "1. (a) (i) (1) (2) (ii) (b)", "0 1 2 3 3 2 1"},
		{"digits first", "1. (1) (2) (a) (b) (3)", "0 1 1 2 2 1"},
		{"a paragraph ends the lists", "1. (a) (i) 2. (i) (ii)", "0 1 2 0 1 1"},
		{"cyrillic", "1. (а) (б) (i) (в)", "0 1 1 2 1"},
		{"a list that starts late", "1. (c) (d) (i)", "0 1 1 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var kinds, markers []string
			for _, m := range strings.Fields(tt.markers) {
				switch {
				case strings.HasPrefix(m, "("):
					kinds = append(kinds, drafts.KindItem)
				case m == "#":
					kinds = append(kinds, drafts.KindHeading)
				default:
					kinds = append(kinds, drafts.KindParagraph)
				}
				markers = append(markers, m)
			}
			var got []string
			for _, l := range render.ItemLevels(kinds, markers) {
				got = append(got, strconv.Itoa(l))
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("levels %s, want %s", g, tt.want)
			}
		})
	}
}

// bboxWord is a word of pdftotext -bbox.
var bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>([^<]*)</word>`)

// TestItemsUnderItemsIndent prints (i) under (a): its marker stands one
// item gutter right of (a)'s, and (b) comes back under (a).
func TestItemsUnderItemsIndent(t *testing.T) {
	r := MustRenderer(t)
	v := MustVersion(t, "1. The Charter shall define:\n\n(a) the purposes;\n\n(i) first;\n\n(ii) second;\n\n(b) membership;\n\n(h) eighth;\n\n(i) ninth.\n", 1)
	var buf bytes.Buffer
	if err := r.AgreedPDF(&buf, FixtureDoc("en"), v, nil); err != nil {
		t.Fatal(err)
	}
	out := run(t, "pdftotext", "-bbox", WritePDF(t, "items.pdf", buf.Bytes()), "-")
	x := map[string][]float64{}
	for _, m := range bboxWord.FindAllStringSubmatch(out, -1) {
		f, _ := strconv.ParseFloat(m[1], 64)
		x[m[3]] = append(x[m[3]], f)
	}
	get := func(w string, i int) float64 {
		if len(x[w]) <= i {
			t.Fatalf("no %s #%d in the PDF:\n%s", w, i+1, out)
		}
		return x[w][i]
	}
	a, i1, ii, b, h, i2 := get("(a)", 0), get("(i)", 0), get("(ii)", 0), get("(b)", 0), get("(h)", 0), get("(i)", 1)
	if i1 < a+10 || ii < a+10 {
		t.Errorf("(i) at x=%.1f and (ii) at %.1f are not indented under (a) at %.1f", i1, ii, a)
	}
	for name, got := range map[string]float64{"(b)": b, "(h)": h, "(i) after (h)": i2} {
		if diff := got - a; diff > 1 || diff < -1 {
			t.Errorf("%s at x=%.1f, want at (a)'s %.1f", name, got, a)
		}
	}
}
