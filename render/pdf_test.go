package render_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/render"
)

// provisionWords returns the words of a version's provisions as printed:
// markers but headings' "#", brackets around bracketed ones.
func provisionWords(v *drafts.Version) []string {
	var words []string
	for _, p := range v.Provisions {
		text := strings.ReplaceAll(p.Text, "\u00ad", "") // soft hyphens are not printed
		if p.Status == drafts.ProvisionBracketed {
			text = "[" + text + "]"
		}
		if p.Number != "" && !strings.HasPrefix(p.Number, "#") {
			words = append(words, p.Number)
		}
		words = append(words, Words(text)...)
	}
	return words
}

func mustAgreed(t *testing.T, r *render.Renderer, doc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.AgreedPDF(&buf, doc, v, round); err != nil {
		t.Fatalf("AgreedPDF: %v", err)
	}
	return buf.Bytes()
}

func TestAgreedPDF(t *testing.T) {
	r := MustRenderer(t)
	tests := []struct {
		name   string
		doc    *drafts.Document
		text   func(t *testing.T) string
		round  *drafts.AdoptionRound
		status map[int]string
		want   []string
	}{
		{
			name: "english", doc: FixtureDoc("en"),
			text:   func(t *testing.T) string { return MustCorpus(t, "sample-draft-road-map.txt") },
			round:  AdoptedRound(1),
			status: map[int]string{5: drafts.ProvisionBracketed},
			want: []string{"Conference on Interaction and Confidence Building Measures in Asia", "CICA/SWG/2024/R.1", "Special Working Group",
				"Version 1 of 11 March 2024", "Adopted by silence procedure; the silence period ended on 20 March 2024, 12:00 UTC.",
				"Page 1 of 2", "Page 2 of 2", "Text in square brackets is not yet agreed."},
		},
		{
			name: "russian", doc: FixtureDoc("ru"),
			text: func(t *testing.T) string { return MustCorpus(t, "sample-draft-road-map.ru.txt") },
			want: []string{"Совещание по взаимодействию и мерам доверия в Азии", "Специальная рабочая группа", "Версия 1 от 11 марта 2024 г.",
				"Проект, не принят.", "Страница 1 из 2", "Страница 2 из 2"},
		},
		{
			name: "russian small", doc: FixtureDoc("ru"),
			text: func(t *testing.T) string { return MustTestdata(t, "ru-small.txt") },
			want: []string{"Страница 1 из 1", "№ 5", "«Об органах Совещания»"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := MustVersion(t, tt.text(t), 1)
			for i, s := range tt.status {
				v.Provisions[i].Status = s
			}
			pdf := mustAgreed(t, r, tt.doc, v, tt.round)
			path := WritePDF(t, "agreed-"+strings.ReplaceAll(tt.name, " ", "-")+".pdf", pdf)
			CheckPDF(t, path)
			CheckLayout(t, path)
			text := PDFText(t, path, 0, 0)
			if missing := MissingWords(provisionWords(v), Words(text)); missing != nil {
				t.Errorf("the PDF's text lacks the provisions' words from %q on:\n%s", missing, text)
			}
			flat := strings.Join(Words(text), " ")
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("the PDF's text lacks %q", w)
				}
			}
			Golden(t, "agreed-"+strings.ReplaceAll(tt.name, " ", "-")+".pdftotext.golden", []byte(text))
		})
	}
}

func TestAgreedPDFDeterministic(t *testing.T) {
	f := MustRoadMap(t)
	a := mustAgreed(t, MustRenderer(t), f.Doc, f.V2, nil)
	b := mustAgreed(t, MustRenderer(t), f.Doc, f.V2, nil)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same text differ")
	}
}

func TestChangesPDF(t *testing.T) {
	f := MustRoadMap(t)
	r := MustRenderer(t)
	var buf bytes.Buffer
	if err := r.ChangesPDF(&buf, f.Doc, f.V1, f.V2, f.Diff); err != nil {
		t.Fatalf("ChangesPDF: %v", err)
	}
	path := WritePDF(t, "changes.pdf", buf.Bytes())
	CheckPDF(t, path)
	CheckLayout(t, path)
	text := PDFText(t, path, 0, 0)
	flat := strings.Join(Words(text), " ")
	for _, want := range []string{
		// deleted and inserted words, with their delegations
		"shall prepare draft [KZ] the elements",
		"All decisions shall continue to [RU] be taken",
		"consensus. consensus, without a vote. [RU]",
		"mobilise mobilize [TR] voluntary",
		// structural changes in words
		"Inserted [RU]", "twice a year & report <in writing>",
		"Deleted [CN]", "The Catalogue of Confidence Building Measures shall be reviewed",
		"Moved from after 10; Renumbered 11. → 12. [IN]",
		"Renumbered 6. → 7. [RU]",
		"Tracked changes from version 1 (11 March 2024, ", "to version 2 (12 March 2024, ",
		"[The Secretariat shall consist",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the tracked changes lack %q", want)
		}
	}
	Golden(t, "changes.pdftotext.golden", []byte(text))
}

func TestCompilationPDF(t *testing.T) {
	f := MustRoadMap(t)
	r := MustRenderer(t)
	var buf bytes.Buffer
	if err := r.CompilationPDF(&buf, f.Doc, f.V1, f.Compilation); err != nil {
		t.Fatalf("CompilationPDF: %v", err)
	}
	path := WritePDF(t, "compilation.pdf", buf.Bytes())
	CheckPDF(t, path)
	CheckLayout(t, path)
	text := PDFText(t, path, 0, 0)
	flat := strings.Join(Words(text), " ")
	for _, want := range []string{
		"Amendment — Proposal 7 (Kazakhstan); Proposal 8 (Kyrgyzstan); co-sponsored by Tajikistan",
		"shall prepare draft [KZ, KG] the elements",
		"KZ: “Draft” says what the Committee does.",
		"Sub-amendment — Proposal 9 (India), amending Proposal 7",
		"shall draft and table [IN] the elements",
		"IN: Drafts are tabled.",
		"Deletion — Proposal 2 (China)",
		"Insertion after 6 — Proposal 3 (Russian Federation), made orally, recorded by the chair",
		"6bis. Decisions on procedural matters",
		"Move after 12 — Proposal 5 (India)",
		"6 open proposals by 5 delegations",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the compilation lacks %q", want)
		}
	}
	Golden(t, "compilation.pdftotext.golden", []byte(text))
}

func TestUnsupportedCharacters(t *testing.T) {
	r := MustRenderer(t)
	v := MustVersion(t, "1. The Conference (中文: 亚信会议) meets in Qatar (قطر).\n\n2. 😀 Done.\n", 1)
	for name, fn := range map[string]func() error{
		"agreed": func() error { return r.AgreedPDF(&bytes.Buffer{}, FixtureDoc("en"), v, nil) },
		"changes": func() error {
			d := &drafts.Diff{Changes: []drafts.Change{{Kind: drafts.ChangeInserted, Provision: "p1", ProvisionKind: "paragraph", Number: "1.", Text: v.Provisions[0].Text}}}
			return r.ChangesPDF(&bytes.Buffer{}, FixtureDoc("en"), v, v, d)
		},
		"compilation": func() error {
			return r.CompilationPDF(&bytes.Buffer{}, FixtureDoc("en"), v, &drafts.Compilation{Entries: []drafts.CompilationEntry{{Provision: v.Provisions[0]}}})
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := fn()
			var e *drafts.Error
			if !errors.As(err, &e) || e.Code != drafts.EINVALID {
				t.Fatalf("got %v, want an EINVALID error", err)
			}
			for _, want := range []string{"U+4E2D 中", "U+6587 文", "U+4E9A 亚", "U+0642 ق"} {
				if !strings.Contains(e.Message, want) {
					t.Errorf("the message %q does not name %q", e.Message, want)
				}
			}
			if name == "agreed" && !strings.Contains(e.Message, "U+1F600") {
				t.Errorf("the message %q does not name U+1F600", e.Message)
			}
		})
	}
}

// fallbackFont returns DejaVu Sans Condensed, shipped with gofpdf in the
// module cache, which covers Armenian and Georgian (the Go fonts do not).
func fallbackFont(t *testing.T) []byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/jung-kurt/gofpdf").Output()
	if err == nil {
		data, err2 := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "font", "DejaVuSansCondensed.ttf"))
		if err2 == nil {
			return data
		}
		err = err2
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no fallback font: %v", err)
	}
	t.Skipf("no fallback font: %v", err)
	return nil
}

func TestFallbackFont(t *testing.T) {
	r := MustRenderer(t, render.WithFallbackFont(fallbackFont(t)))
	v := MustVersion(t, "# Delegations\n\n1. The delegation of Armenia (Հայաստան) and of Georgia (საქართველო) took part.\n\n2. Chinese (中文) is still missing.\n", 1)
	err := r.AgreedPDF(&bytes.Buffer{}, FixtureDoc("en"), v, nil)
	if e := drafts.AsError(err); e == nil || e.Code != drafts.EINVALID || !strings.Contains(e.Message, "U+4E2D 中") || strings.Contains(e.Message, "Հ") {
		t.Fatalf("got %v, want EINVALID naming only the Chinese characters", err)
	}
	v.Provisions = v.Provisions[:2]
	pdf := mustAgreed(t, r, FixtureDoc("en"), v, nil)
	path := WritePDF(t, "agreed-fallback.pdf", pdf)
	CheckPDF(t, path)
	CheckLayout(t, path)
	if fonts := run(t, "pdffonts", path); !strings.Contains(fonts, "fallback") {
		t.Errorf("the fallback font is not in the PDF:\n%s", fonts)
	}
	text := PDFText(t, path, 0, 0)
	for _, want := range []string{"Հայաստան", "საქართველო", "Armenia"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}

func TestBadFallbackFont(t *testing.T) {
	r := render.New(render.WithFallbackFont([]byte("not a font")))
	if !drafts.IsCode(r.Err(), drafts.EINVALID) {
		t.Fatalf("Err() = %v, want EINVALID", r.Err())
	}
	v := MustVersion(t, "1. Text.\n", 1)
	if err := r.AgreedPDF(&bytes.Buffer{}, FixtureDoc("en"), v, nil); !drafts.IsCode(err, drafts.EINVALID) {
		t.Fatalf("AgreedPDF: %v, want EINVALID", err)
	}
}

func TestLongText(t *testing.T) {
	pages := 300
	if testing.Short() {
		pages = 40
	}
	r := MustRenderer(t)
	v := MustVersion(t, LongText(t, pages), 1)
	pdf := mustAgreed(t, r, FixtureDoc("en"), v, nil)
	path := WritePDF(t, "agreed-long.pdf", pdf)
	CheckPDF(t, path)
	n := PDFPages(t, path)
	if n < pages*9/10 {
		t.Fatalf("%d pages, want about %d", n, pages)
	}
	text := PDFText(t, path, 0, 0)
	for _, p := range []int{1, n / 2, n} {
		if want := fmt.Sprintf("Page %d of %d", p, n); !strings.Contains(text, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
	if missing := MissingWords(provisionWords(v), Words(text)); missing != nil {
		t.Errorf("the PDF's text lacks the provisions' words from %q on", missing)
	}
	// No page ends with a heading: the last line above the footer is never
	// a heading's text.
	pagesText := strings.Split(text, "\f")
	heading := regexp.MustCompile(`^(Part \d+|Cluster [IVX]+\. .*)$`)
	for i, pt := range pagesText[:n] {
		lines := strings.Split(strings.TrimSpace(pt), "\n")
		var body []string
		for _, l := range lines {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "Page ") || l == "CICA/SWG/2024/R.1" {
				continue
			}
			body = append(body, l)
		}
		if len(body) > 0 && heading.MatchString(body[len(body)-1]) {
			t.Errorf("page %d ends with the heading %q", i+1, body[len(body)-1])
		}
	}
}

func TestAgreedPDFEdgeCases(t *testing.T) {
	r := MustRenderer(t)
	long := "https://www.s-cica.org/" + strings.Repeat("confidence-building-measures/", 12) + "index.html"
	v := &drafts.Version{Number: 3, Provisions: []drafts.Provision{
		{ID: "a", Kind: drafts.KindParagraph, Number: "1.", Text: "A provision on two lines:\nthe second\tafter a tab\r."},
		{ID: "b", Kind: drafts.KindParagraph, Number: "2.", Text: "Decomposed: Кии\u0306 and cafe\u0301; zero\u200bwidth; no\u00a0break."},
		{ID: "c", Kind: drafts.KindParagraph, Number: "3.", Text: "See " + long + " for the list."},
		{ID: "d", Kind: drafts.KindItem, Number: "(iv)", Text: "An item with a long marker.", Status: drafts.ProvisionBracketed},
		{ID: "e", Kind: drafts.KindHeading, Number: "###", Text: "A third-level heading at the end"},
	}}
	doc := FixtureDoc("en")
	doc.Title = ""
	doc.Symbol = ""
	pdf := mustAgreed(t, r, doc, v, nil)
	path := WritePDF(t, "agreed-edge.pdf", pdf)
	CheckPDF(t, path)
	CheckLayout(t, path)
	text := PDFText(t, path, 0, 0)
	flat := strings.Join(Words(text), " ")
	for _, want := range []string{
		"A provision on two lines: the second after a tab.",
		"Decomposed: Кий and café; zerowidth; no break.",
		"(iv) [An item with a long marker.]",
		"A third-level heading at the end",
		"Version 3 · text hash",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	// pdftotext joins a line ending in '-' to the next without the '-'.
	if noHyphen := func(s string) string { return strings.ReplaceAll(s, "-", "") }; !strings.Contains(noHyphen(strings.Join(Words(text), "")), noHyphen(long)) {
		t.Errorf("the long word is not all there:\n%s", text)
	}
}

// TestChangeMarks checks how changes are drawn: a changed word whole, the
// old struck and the new underlined, with a space between; no underline
// or strike on the space before a change; a deleted full stop bold with
// its second stroke.
func TestChangeMarks(t *testing.T) {
	seg := func(op, text string) drafts.Segment { return drafts.Segment{Op: op, Text: text} }
	show := func(spans []render.MarkedSpan) string {
		var b strings.Builder
		for _, s := range spans {
			switch s.Mark {
			case "underline":
				b.WriteString("_" + s.Text + "_")
			case "strike":
				b.WriteString("~" + s.Text + "~")
			case "strike-mark":
				b.WriteString("~~" + s.Text + "~~")
			default:
				b.WriteString(s.Text)
			}
			if s.Bold && s.Mark != "" {
				b.WriteString("(bold)")
			}
		}
		return b.String()
	}
	for _, tt := range []struct {
		name string
		segs []drafts.Segment
		want string
	}{
		{"letters inside a word", []drafts.Segment{seg("equal", "по принцип"), seg("delete", "у"), seg("insert", "ам"), seg("equal", " равенства")},
			"по ~принципу~ _принципам_ равенства"},
		{"insertion after a space", []drafts.Segment{seg("equal", "The Member States"), seg("insert", " again"), seg("equal", " reaffirm")},
			"The Member States _again_ reaffirm"},
		{"insertion with its space after", []drafts.Segment{seg("equal", "shall "), seg("insert", "promptly "), seg("equal", "meet")},
			"shall _promptly_ meet"},
		{"deleted full stop", []drafts.Segment{seg("equal", "principles"), seg("delete", "."), seg("equal", " They")},
			"principles~~.~~(bold) They"},
		{"replaced comma", []drafts.Segment{seg("equal", "States"), seg("delete", ","), seg("insert", ";"), seg("equal", " the")},
			"States~~,~~(bold)_;_ the"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(render.SegmentSpans(tt.segs)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
