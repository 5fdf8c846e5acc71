package render_test

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chancery/drafts"
)

// roadMapPair is the corpus road map in English and Russian as one
// version read in each language: the same ids, provision for provision.
func roadMapPair(tb testing.TB) [2]*drafts.Version {
	tb.Helper()
	en := MustVersion(tb, MustCorpus(tb, "sample-draft-road-map.txt"), 2)
	ru := MustVersion(tb, MustCorpus(tb, "sample-draft-road-map.ru.txt"), 2)
	if len(en.Provisions) != len(ru.Provisions) {
		tb.Fatalf("%d English provisions, %d Russian", len(en.Provisions), len(ru.Provisions))
	}
	en.Language, ru.Language = "en", "ru"
	ru.Hash = en.Hash
	return [2]*drafts.Version{en, ru}
}

func mustParallel(tb testing.TB, doc *drafts.Document, vs [2]*drafts.Version, round *drafts.AdoptionRound) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := MustRenderer(tb).ParallelPDF(&buf, doc, vs, round); err != nil {
		tb.Fatalf("ParallelPDF: %v", err)
	}
	return buf.Bytes()
}

// numberBoxes returns, by page, the words of a PDF that are paragraph
// numbers ("6.") printed in the margin of the left or the right column,
// with their tops: [column][number] → (page, top).
func numberBoxes(tb testing.TB, path string) [2]map[string][2]float64 {
	tb.Helper()
	out := run(tb, "pdftotext", "-bbox", path, "-")
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(\d+\.)</word>`)
	var found [2]map[string][2]float64
	found[0], found[1] = map[string][2]float64{}, map[string][2]float64{}
	page := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "<page ") {
			page++
			continue
		}
		m := re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		const colW = (595.28 - 72 - 64 - 20) / 2
		switch {
		case x < 72+colW/3:
			found[0][m[3]] = [2]float64{float64(page), y}
		case x >= 72+colW+20-0.5 && x < 72+colW+20+colW/3:
			found[1][m[3]] = [2]float64{float64(page), y}
		}
	}
	return found
}

// TestParallelPDF: the road map in English and Russian side by side has
// every word of both texts, each paragraph's two numbers on one line of
// one page, no word outside the margins or over another, each column's
// title and adoption line, and, adopted, the line on the equally
// authentic texts in both languages.
func TestParallelPDF(t *testing.T) {
	vs := roadMapPair(t)
	doc := FixtureDoc("en")
	doc.LanguageVersions = []string{"ru"}
	doc.Adopted, doc.State = 2, drafts.StateAdopted
	pdf := mustParallel(t, doc, vs, AdoptedRound(2))
	path := WritePDF(t, "parallel-en-ru.pdf", pdf)
	CheckPDF(t, path)
	CheckLayout(t, path)
	text := PDFText(t, path, 0, 0)
	for c, v := range vs {
		var want []string
		for i, p := range v.Provisions {
			if i > 0 { // the first is the title, printed at the head of the column
				want = append(want, Words(p.Text)...)
			}
		}
		// pdftotext reads the columns line by line, mixing them: check
		// that every word is there, in any order.
		have := map[string]int{}
		for _, w := range Words(text) {
			have[w]++
		}
		for _, w := range want {
			if have[w] == 0 {
				t.Errorf("column %d: the PDF lacks %q", c, w)
				break
			}
		}
	}
	flat := strings.Join(Words(text), " ")
	for _, want := range []string{"English", "Русский", "Draft Road Map for the Transformation of the Conference",
		"Проект дорожной карты трансформации Совещания", "Version 2 of 12 March 2024", "Версия 2 от 12 марта 2024 г.",
		"Done in English and Russian, both texts being equally authentic.",
		"Совершено на английском и русском языках, причём оба текста являются равно аутентичными."} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	boxes := numberBoxes(t, path)
	for n := 1; n <= 20; n++ {
		num := fmt.Sprintf("%d.", n)
		l, okL := boxes[0][num]
		r, okR := boxes[1][num]
		if !okL || !okR {
			t.Errorf("paragraph %s: left %v, right %v: not in both columns' margins", num, okL, okR)
			continue
		}
		if l[0] != r[0] || math.Abs(l[1]-r[1]) > 0.5 {
			t.Errorf("paragraph %s: left on page %v at %.1f, right on page %v at %.1f", num, l[0], l[1], r[0], r[1])
		}
	}
}

// TestParallelPDFPageBreaks: a long text in two columns, one column's
// provisions much longer than the other's, runs over pages with every
// paragraph's numbers still on one line and no word over another.
func TestParallelPDFPageBreaks(t *testing.T) {
	vs := longPair(t, 6)
	for i := range vs[1].Provisions {
		if p := &vs[1].Provisions[i]; p.Kind == drafts.KindParagraph && i%5 == 0 {
			p.Text = strings.Repeat(p.Text+" ", 6) // a translation far longer than its original
		}
	}
	doc := FixtureDoc("en")
	doc.LanguageVersions = []string{"ru"}
	path := WritePDF(t, "parallel-long.pdf", mustParallel(t, doc, vs, nil))
	CheckPDF(t, path)
	CheckLayout(t, path)
	if n := PDFPages(t, path); n < 12 {
		t.Errorf("%d pages, want at least 12 for 6 pages of text in half the width", n)
	}
	boxes := numberBoxes(t, path)
	checked := 0
	for num, l := range boxes[0] {
		r, ok := boxes[1][num]
		if !ok {
			continue
		}
		checked++
		if l[0] != r[0] || math.Abs(l[1]-r[1]) > 0.5 {
			t.Errorf("paragraph %s: left on page %v at %.1f, right on page %v at %.1f", num, l[0], l[1], r[0], r[1])
		}
	}
	if checked < 50 {
		t.Errorf("only %d paragraphs found in both columns", checked)
	}
}

// longPair is LongText in English and in Russian (the corpus road map in
// each, repeated under numbered parts), one version read in each
// language, provision for provision.
func longPair(tb testing.TB, pages int) [2]*drafts.Version {
	tb.Helper()
	var out [2]*drafts.Version
	for c, name := range []string{"sample-draft-road-map.txt", "sample-draft-road-map.ru.txt"} {
		base := MustVersion(tb, MustCorpus(tb, name), 1)
		var ps []drafts.Provision
		for part := 1; len(ps) < pages*20; part++ {
			for i, p := range base.Provisions {
				if i == 0 {
					p.Text = []string{"Part ", "Часть "}[c] + strconv.Itoa(part)
				}
				p.Gap = "\n\n"
				ps = append(ps, p)
			}
		}
		renumber(ps)
		v := MustVersion(tb, drafts.PrintProvisions(ps), 1)
		v.Language = []string{"en", "ru"}[c]
		out[c] = v
	}
	return out
}

// BenchmarkParallelPDF prints the ~100-page text of BenchmarkAgreedPDF in
// English and Russian side by side, to compare with one language
// (BenchmarkAgreedPDF, BenchmarkAgreedPDFRussian).
func BenchmarkParallelPDF(b *testing.B) {
	vs := longPair(b, benchPages)
	doc := FixtureDoc("en")
	doc.LanguageVersions = []string{"ru"}
	r := MustRenderer(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.ParallelPDF(&buf, doc, vs, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportPages(b, buf.Bytes())
}

// BenchmarkAgreedPDFEnglish and BenchmarkAgreedPDFRussian print each
// language of BenchmarkParallelPDF's text alone.
func BenchmarkAgreedPDFEnglish(b *testing.B) { benchAgreedIn(b, 0) }
func BenchmarkAgreedPDFRussian(b *testing.B) { benchAgreedIn(b, 1) }

func benchAgreedIn(b *testing.B, c int) {
	vs := longPair(b, benchPages)
	doc := FixtureDoc(vs[c].Language)
	r := MustRenderer(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.AgreedPDF(&buf, doc, vs[c], nil); err != nil {
			b.Fatal(err)
		}
	}
	reportPages(b, buf.Bytes())
}
