package docx_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/corpus"
)

// version parses markup into a version whose provisions have ids p1, p2...
func version(tb testing.TB, n int, text string) *drafts.Version {
	tb.Helper()
	t, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	for i := range t.Provisions {
		t.Provisions[i].ID = fmt.Sprintf("p%d", i+1)
	}
	return &drafts.Version{Number: n, Lead: t.Lead, Provisions: t.Provisions, CreatedAt: time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC)}
}

// canonical prints the provisions of text with one blank line between them.
func canonical(tb testing.TB, text string) string {
	tb.Helper()
	t, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	var parts []string
	for _, p := range t.Provisions {
		parts = append(parts, p.Markup())
	}
	return strings.Join(parts, "\n\n") + "\n"
}

func testDocument(lang string) *drafts.Document {
	return &drafts.Document{ID: "d1", Symbol: "CICA/SWG/2024/R.1", Title: "Draft road map", Kind: "road-map", Body: "SWG", Language: lang, Visibility: "members"}
}

func exportText(tb testing.TB, w *docx.Word, d *drafts.Document, v *drafts.Version) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := w.TextWord(&buf, d, v, nil); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestRoundTripCorpus: every text of the corpus, exported and read back,
// is the same text, provision by provision, with its ids.
func TestRoundTripCorpus(t *testing.T) {
	w := docx.New()
	for name, text := range corpus.All() {
		t.Run(name, func(t *testing.T) {
			lang := "en"
			if strings.Contains(name, ".ru.") {
				lang = "ru"
			}
			v := version(t, 1, text)
			f, err := w.ReadWord(exportText(t, w, testDocument(lang), v))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := f.Text(), canonical(t, text); got != want {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Errorf("text differs at byte %d:\n got %q\nwant %q", i, clip(got[max(i-40, 0):]), clip(want[max(i-40, 0):]))
			}
			if f.Tracked {
				t.Error("a clean export reads as tracked")
			}
			if got, want := f.Title, "Draft road map"; got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
			if len(f.Original) != len(v.Provisions) {
				t.Fatalf("%d paragraphs, want %d", len(f.Original), len(v.Provisions))
			}
			for i, p := range f.Original {
				if p.ID != v.Provisions[i].ID {
					t.Errorf("paragraph %d has id %q, want %q", i+1, p.ID, v.Provisions[i].ID)
				}
			}
		})
	}
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}

// TestTextExport: the clean text carries its symbol, title, version and
// adoption line, page X of Y in the footer, the text's language, and
// Track Changes on, so that a delegation's edits come back as revisions.
func TestTextExport(t *testing.T) {
	at := time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"CICA/SWG/2024/R.1", "Draft road map", "Version 1 of 12 March 2024", "Adopted by consensus on 2 April 2024.<", `w:name="chy_p1"`}},
		{"ru", []string{"Версия 1 от 12 марта 2024 г.", "Принято консенсусом 2 апреля 2024 г.<"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			d := testDocument(tt.lang)
			d.Adopted, d.AdoptedBy, d.AdoptedAt = 1, drafts.ProcedureConsensus, &at
			data := exportText(t, docx.New(), d, version(t, 1, "1. One.\n\n2. Two.\n"))
			body := part(t, data, "word/document.xml")
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("document.xml lacks %q", w)
				}
			}
			if footer := part(t, data, "word/footer1.xml"); !strings.Contains(footer, `w:instr=" PAGE "`) || !strings.Contains(footer, `w:instr=" NUMPAGES "`) {
				t.Errorf("footer without page X of Y: %s", footer)
			}
			if settings := part(t, data, "word/settings.xml"); !strings.Contains(settings, "<w:trackRevisions/>") {
				t.Errorf("Track Changes not on: %s", settings)
			}
			if styles := part(t, data, "word/styles.xml"); !strings.Contains(styles, `<w:lang w:val="`+tt.lang+`"/>`) {
				t.Errorf("language not %s", tt.lang)
			}
		})
	}
}

// TestRoundTripHeadings: # headings, numbered headings, a # heading whose
// words read as a numbered one, decimal and bis numbers, a preamble.
func TestRoundTripHeadings(t *testing.T) {
	const text = "The Ministers,\n\nRecognizing the work done,\n\n# Раздел I\n\nChapter III\nSessions\n\nRule 3. Consensus\n\nRule 12\n\n1. One.\n\n1 bis. One bis.\n\n3.1 Decimal.\n\n3.2.1 Deeper.\n\n(a) Item.\n"
	w := docx.New()
	v := version(t, 1, text)
	f, err := w.ReadWord(exportText(t, w, testDocument("en"), v))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Text(); got != text {
		t.Errorf("got:\n%q\nwant:\n%q", got, text)
	}
	back, err := drafts.ParseText(f.Text(), drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range back.Provisions {
		if q := v.Provisions[i]; p.Kind != q.Kind || p.Number != q.Number || p.Text != q.Text {
			t.Errorf("provision %d: %s %q %q, want %s %q %q", i+1, p.Kind, p.Number, p.Text, q.Kind, q.Number, q.Text)
		}
	}
}
