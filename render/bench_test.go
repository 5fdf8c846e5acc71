package render_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"

	"chancery/drafts"
	"chancery/render"
)

// benchPages is the length of the benchmarks' text, in A4 pages.
const benchPages = 100

// longFixture is a ~100-page text in two versions and their diff: every
// seventh paragraph amended, some inserted, deleted and moved.
func longFixture(tb testing.TB) (*drafts.Document, *drafts.Version, *drafts.Version, *drafts.Diff) {
	tb.Helper()
	v1 := MustVersion(tb, LongText(tb, benchPages), 1)
	v2 := MustVersion(tb, v1.Text(), 2)
	by := map[string]string{}
	moved := map[string]bool{}
	delegations := []string{"KZ", "RU", "CN", "IN", "TR", "MN"}
	var ps []drafts.Provision
	var held *drafts.Provision
	for i, p := range v2.Provisions {
		who := delegations[i%len(delegations)]
		switch {
		case p.Kind != drafts.KindParagraph:
		case i%7 == 0:
			p.Text = strings.Replace(p.Text, " shall ", " should, as a rule, ", 1) + " This applies mutatis mutandis."
			by[p.ID] = who
		case i%31 == 0:
			by[p.ID] = who // deleted
			continue
		case i%37 == 0 && held == nil:
			q := p
			held = &q
			moved[p.ID] = true
			by[p.ID] = who
			continue
		case i%29 == 0:
			id := "n" + strconv.Itoa(i)
			ps = append(ps, drafts.Provision{ID: id, Kind: drafts.KindParagraph, Number: "1.", Text: "The Member States shall exchange information on the implementation of this paragraph annually."})
			by[id] = who
		}
		ps = append(ps, p)
		if held != nil && i%37 == 5 {
			ps = append(ps, *held)
			held = nil
		}
	}
	renumber(ps)
	v2.Provisions = ps
	v2.Hash = drafts.HashText(v2.Text())
	return FixtureDoc("en"), v1, v2, MustDiff(tb, v1, v2, Edit{By: by, Moved: moved})
}

func BenchmarkAgreedPDF(b *testing.B) {
	doc, v, _, _ := longFixture(b)
	r := MustRenderer(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.AgreedPDF(&buf, doc, v, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportPages(b, buf.Bytes())
}

func BenchmarkChangesPDF(b *testing.B) {
	doc, v1, v2, d := longFixture(b)
	r := MustRenderer(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.ChangesPDF(&buf, doc, v1, v2, d); err != nil {
			b.Fatal(err)
		}
	}
	reportPages(b, buf.Bytes())
}

// BenchmarkFloorMultiCell is the floor the agreed text is measured
// against: gofpdf writing the same text with one font and no layout of
// ours, in one MultiCell.
func BenchmarkFloorMultiCell(b *testing.B) {
	_, v, _, _ := longFixture(b)
	text := v.Text()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		pdf := gofpdf.New("P", "pt", "A4", "")
		pdf.SetCompression(true)
		pdf.AddUTF8FontFromBytes("go", "", render.DocumentFont(0))
		pdf.SetMargins(72, 70, 64)
		pdf.SetAutoPageBreak(true, 66)
		pdf.AddPage()
		pdf.SetFont("go", "", 11)
		pdf.MultiCell(0, 15, text, "", "L", false)
		if err := pdf.Output(&buf); err != nil {
			b.Fatal(err)
		}
	}
	reportPages(b, buf.Bytes())
}

// reportPages reports the page count of the last PDF and pages per second.
func reportPages(b *testing.B, pdf []byte) {
	n := bytes.Count(pdf, []byte("/Type /Page\n"))
	if n == 0 {
		n = bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
	}
	b.ReportMetric(float64(n), "pages")
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/s, "pages/s")
	}
}
