package render_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"chancery/drafts"
)

var bodyWordRE = regexp.MustCompile(`^(p\d+|Lorem|ipsum|aliqua\.|\d+\.)$`)

// notedText is a text of several pages whose every fifth paragraph (and
// one long paragraph) has a note; body words and note words do not share
// a word. Paragraph n holds the word pN, its note fnN.
func notedText(longNote int) string {
	var b strings.Builder
	b.WriteString("# Part One[^1]\n[^1]: Headnote fn0 omega.\n\n")
	for n := 1; n <= 70; n++ {
		fmt.Fprintf(&b, "%d. Lorem ipsum p%d dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.", n, n)
		switch {
		case n == longNote:
			b.WriteString("[^a]\n[^a]: fn" + fmt.Sprint(n) + strings.Repeat(" omega psi chi phi upsilon tau sigma rho", 60))
		case n%5 == 0:
			fmt.Fprintf(&b, "[^1] Ut enim ad minim veniam.[^2]\n[^1]: Сноска fn%d омега пси.\n[^2]: Second fn%db omega psi chi.", n, n)
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// TestAgreedPDFFootnotes: notes print at the foot of the page of their
// reference, below all of its text and above its footer, and come after
// that page's text in pdftotext's order; a note too long for its page
// goes on at the foot of the next, and nothing overlaps.
func TestAgreedPDFFootnotes(t *testing.T) {
	for _, longNote := range []int{0, 33} {
		t.Run(fmt.Sprintf("long note %d", longNote), func(t *testing.T) {
			v := MustVersion(t, notedText(longNote), 1)
			var buf bytes.Buffer
			if err := MustRenderer(t).AgreedPDF(&buf, FixtureDoc("en"), v, nil); err != nil {
				t.Fatal(err)
			}
			path := WritePDF(t, fmt.Sprintf("agreed-footnotes-%d.pdf", longNote), buf.Bytes())
			CheckPDF(t, path)
			CheckLayout(t, path)
			checkFootnotes(t, path, v, longNote)
		})
	}
}

func checkFootnotes(t *testing.T, path string, v *drafts.Version, longNote int) {
	t.Helper()
	words := bboxWords(t, path)
	at := map[string]wordBox{}
	lowestBody := map[int]float64{}
	for _, w := range words {
		at[w.text] = w
		if bodyWordRE.MatchString(w.text) {
			lowestBody[w.page] = max(lowestBody[w.page], w.yMax)
		}
	}
	notes := 0
	for n := 1; n <= 70; n++ {
		if n%5 != 0 && n != longNote {
			continue
		}
		p, ok := at[fmt.Sprintf("p%d", n)]
		fn, ok2 := at[fmt.Sprintf("fn%d", n)]
		if !ok || !ok2 {
			t.Fatalf("paragraph %d or its note is missing", n)
		}
		notes++
		if fn.page != p.page {
			t.Errorf("note of paragraph %d is on page %d, its paragraph on page %d", n, fn.page, p.page)
		}
		if fn.yMin < lowestBody[fn.page] {
			t.Errorf("note of paragraph %d (y %.1f) is not below the text of page %d (down to y %.1f)", n, fn.yMin, fn.page, lowestBody[fn.page])
		}
		if fn.yMax > 841.89-52 {
			t.Errorf("note of paragraph %d (y %.1f) runs into the footer", n, fn.yMax)
		}
		// In pdftotext's order, the page's text, then its notes.
		page := PDFText(t, path, p.page, p.page)
		if i, j := strings.Index(page, fmt.Sprintf("p%d ", n)), strings.Index(page, fmt.Sprintf("fn%d ", n)); i < 0 || j < i {
			t.Errorf("page %d: pdftotext gives the note of paragraph %d before its paragraph", p.page, n)
		}
		if i, j := strings.Index(page, "ipsum p70 "), strings.Index(page, fmt.Sprintf("fn%d ", n)); i >= 0 && j < i {
			t.Errorf("page %d: the note of paragraph %d comes before the end of the text", p.page, n)
		}
	}
	if notes < 14 {
		t.Fatalf("only %d notes checked", notes)
	}
	if h, ok := at["fn0"]; !ok || h.page != 1 {
		t.Errorf("the heading's note is missing or not on page 1: %+v", h)
	}
	text := PDFText(t, path, 0, 0)
	for _, w := range []string{"Сноска", "омега", "Second"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
	if strings.Contains(text, "[^") {
		t.Error("a note's marker is printed as text")
	}
	if longNote > 0 {
		// Every word of the long note is printed: 60 of each.
		if n := strings.Count(text, "upsilon"); n != 60 {
			t.Errorf("the long note's word is printed %d times, want 60", n)
		}
	}
}

// TestChangesPDFFootnotes: a changed note is a tracked change in its
// footnote; a new note is underlined, a deleted one struck through.
func TestChangesPDFFootnotes(t *testing.T) {
	from := MustVersion(t, "1. Decisions by consensus.[^1]\n[^1]: India reserves its position.\n\n2. Records kept.[^1]\n[^1]: Obsolete remark.\n\n3. Plain.\n", 1)
	to := MustVersion(t, "1. Decisions by consensus.[^1]\n[^1]: India maintains its position.\n\n2. Records kept.\n\n3. Plain.[^1]\n[^1]: Brand new remark.\n", 2)
	d := &drafts.Diff{}
	for i := range to.Provisions {
		o, n := from.Provisions[i], to.Provisions[i]
		c := drafts.Change{Kind: drafts.ChangeUnchanged, Provision: n.ID, ProvisionKind: n.Kind, Number: n.Number, OldNumber: o.Number, Text: n.Text, OldText: o.Text}
		if o.Text != n.Text {
			c.Kind, c.Modified, c.Segments = drafts.ChangeModified, true, WordSegments(o.Text, n.Text, "IN")
		}
		d.Changes = append(d.Changes, c)
	}
	var buf bytes.Buffer
	if err := MustRenderer(t).ChangesPDF(&buf, FixtureDoc("en"), from, to, d); err != nil {
		t.Fatal(err)
	}
	path := WritePDF(t, "changes-footnotes.pdf", buf.Bytes())
	CheckPDF(t, path)
	CheckLayout(t, path)
	text := strings.Join(Words(PDFText(t, path, 0, 0)), " ")
	for _, w := range []string{"India reserves maintains [IN] its position.", "Obsolete remark.", "Brand new remark."} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "[^") {
		t.Error("a note's marker is printed as text")
	}
}

// TestTitleNotes: notes added to a copy of a version to print it (as the
// positions of delegations are) are footnotes like the text's own.
func TestTitleNotes(t *testing.T) {
	v := MustVersion(t, "1. First.\n\n2. Second.[^1]\n[^1]: Own note.\n", 1)
	c := v.WithPrintNotes(drafts.PrintNotes{
		Title:      []string{"Kazakhstan: interpretative statement on the text as a whole."},
		Provisions: map[string][]string{"p2": {"India: reservation."}},
	})
	var buf bytes.Buffer
	if err := MustRenderer(t).AgreedPDF(&buf, FixtureDoc("en"), c, nil); err != nil {
		t.Fatal(err)
	}
	path := WritePDF(t, "title-notes.pdf", buf.Bytes())
	CheckLayout(t, path)
	text := strings.Join(Words(PDFText(t, path, 0, 0)), " ")
	for _, w := range []string{"Conference1", "Second.2,3", "1 Kazakhstan: interpretative statement on the text as a whole. 2 Own note. 3 India: reservation."} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}
}
