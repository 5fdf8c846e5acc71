package render_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chancery/render"
)

// wordX returns the left edge of each word of a PDF page as pdftotext
// -bbox gives it, by word (the first occurrence of each).
func wordX(tb testing.TB, path string) map[string]float64 {
	tb.Helper()
	out := run(tb, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	xs := map[string]float64{}
	re := regexp.MustCompile(`<word xMin="([0-9.]+)"[^>]*>([^<]*)</word>`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		if _, seen := xs[m[2]]; !seen {
			xs[m[2]], _ = strconv.ParseFloat(m[1], 64)
		}
	}
	return xs
}

// TestNumberingPDF: each numbering fixture prints with every word, numbered
// headings with their numbers and titles, decimal paragraphs indented by
// depth and items under the paragraph they follow.
func TestNumberingPDF(t *testing.T) {
	r := MustRenderer(t)
	for _, name := range []string{"rules-of-procedure", "catalogue-decimal", "statement-preamble", "draft-bis"} {
		for _, lang := range []string{"en", "ru"} {
			file := name + ".txt"
			if lang == "ru" {
				file = name + ".ru.txt"
			}
			t.Run(file, func(t *testing.T) {
				v := MustVersion(t, MustCorpus(t, file), 1)
				var buf bytes.Buffer
				if err := r.AgreedPDF(&buf, FixtureDoc(lang), v, nil); err != nil {
					t.Fatal(err)
				}
				path := WritePDF(t, strings.TrimSuffix(file, ".txt")+".pdf", buf.Bytes())
				CheckPDF(t, path)
				// -layout: indented numbers would otherwise be read as columns.
				got := Words(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"))
				var want []string
				for _, p := range v.Provisions {
					if p.Number != "" && p.Number[0] != '#' {
						want = append(want, Words(p.Number)...)
					}
					want = append(want, Words(p.Text)...)
				}
				if missing := MissingWords(want, got); len(missing) > 0 {
					t.Fatalf("missing words: %q", missing)
				}
				if !strings.HasPrefix(name, "catalogue") {
					return
				}
				x := wordX(t, path)
				item := "(a)"
				if lang == "ru" {
					item = "(а)"
				}
				order := []string{"1.", "1.1", "1.1.1", item}
				for i := 1; i < len(order); i++ {
					a, b := x[order[i-1]], x[order[i]]
					if a == 0 || b <= a+10 {
						t.Errorf("%s at x=%.1f is not indented under %s at x=%.1f", order[i], b, order[i-1], a)
					}
				}
				if x["1.2.1."] != x["1.1.1"] || x["2.1"] != x["1.1"] {
					t.Errorf("same depth, different indents: %v", x)
				}
			})
		}
	}
}

func TestPreambleItalics(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Recognizing the contribution,", "*Recognizing*| the contribution,"},
		{"Deeply concerned by the conflicts,", "*Deeply concerned*| by the conflicts,"},
		{"руководствуясь целями,", "*руководствуясь*| целями,"},
		{"The Ministers of Foreign Affairs,", "The Ministers of Foreign Affairs,"},
	}
	for _, tt := range tests {
		runs, italic := render.PreambleRuns(tt.text)
		var got []string
		for i, r := range runs {
			if italic[i] {
				r = "*" + r + "*"
			}
			got = append(got, r)
		}
		if s := strings.Join(got, "|"); s != tt.want {
			t.Errorf("%q prints as %s, want %s", tt.text, s, tt.want)
		}
	}
}

// TestDiffHTMLDepth: the HTML of a diff of a catalogue marks decimal
// paragraphs and the items under them with their depth, for the page to
// indent them.
func TestDiffHTMLDepth(t *testing.T) {
	r := MustRenderer(t)
	from := MustVersion(t, MustCorpus(t, "catalogue-decimal.txt"), 1)
	to := MustVersion(t, MustCorpus(t, "catalogue-decimal.txt"), 2)
	var buf bytes.Buffer
	if err := r.DiffHTML(&buf, MustDiff(t, from, to, Edit{})); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{`class="provision paragraph unchanged depth-3" data-provision="p4"`, `class="provision item unchanged depth-4"`, `class="provision paragraph unchanged" data-provision="p2"`} {
		if !strings.Contains(html, want) {
			t.Errorf("no %s in\n%s", want, html)
		}
	}
}
