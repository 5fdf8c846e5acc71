package render_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

// stateFixture is the state of play of the road map's version 2 in lang:
// some provisions agreed, ad ref or bracketed, an open proposal, and the
// positions of Kazakhstan and India.
func stateFixture(t *testing.T, lang string) (*drafts.Document, *drafts.StateOfPlay) {
	t.Helper()
	name := "sample-draft-road-map.txt"
	if lang == "ru" {
		name = "sample-draft-road-map.ru.txt"
	}
	v := MustVersion(t, MustCorpus(t, name), 2)
	v1 := MustVersion(t, v.Text(), 1)
	for i := range v.Provisions {
		switch {
		case i < 6:
			v.Provisions[i].Status = drafts.ProvisionAgreed
		case i == 7:
			v.Provisions[i].Status = drafts.ProvisionAgreedAdRef
		case i == 11:
			v.Provisions[i].Status = drafts.ProvisionBracketed
		}
	}
	p11 := v.Provisions[11].ID
	at := time.Date(2024, 3, 13, 9, 0, 0, 0, time.UTC)
	positions := []*drafts.Position{
		{ID: "x1", Delegation: "KZ", DelegationName: "Kazakhstan", Provision: p11, Kind: drafts.PositionReservation, Text: "Consensus must remain the rule.", Since: 1, State: drafts.PositionOpen, CreatedAt: at},
		{ID: "x2", Delegation: "IN", DelegationName: "India", Provision: p11, Kind: drafts.PositionCannotJoin, Text: "Too short.", Since: 1, State: drafts.PositionOpen, CreatedAt: at},
		{ID: "x3", Delegation: "IN", DelegationName: "India", Kind: drafts.PositionStatement, Text: "A political commitment.", Since: 1, State: drafts.PositionOpen, CreatedAt: at},
	}
	for _, p := range positions {
		p.TextHash, _ = drafts.PositionTextHash(v, p.Provision)
	}
	open := []*drafts.Proposal{{ID: "q1", Delegation: "KZ", Base: 2, UpdatedAt: at,
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p11, Text: "Other words."}}}}
	hist := []drafts.HistoryPoint{{Version: 1, Created: v1.CreatedAt, Tally: drafts.TallyOf(v1.Provisions)}}
	doc := FixtureDoc(lang)
	return doc, drafts.BuildStateOfPlay(v, open, drafts.PositionsIn(v, positions, ""), hist)
}

// TestStateOfPlayPDF: the print has the chart (its words and counts, and
// the bars drawn: filled, hatched under a clip, outlined), what keeps the
// text from adoption, and every provision with its proposals and
// positions; in English and Russian.
func TestStateOfPlayPDF(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			doc, st := stateFixture(t, lang)
			var buf bytes.Buffer
			if err := MustRenderer(t).StateOfPlayPDF(&buf, doc, st); err != nil {
				t.Fatal(err)
			}
			path := WritePDF(t, "state-"+lang+".pdf", buf.Bytes())
			CheckPDF(t, path)
			CheckLayout(t, path)
			flat := strings.Join(Words(PDFText(t, path, 0, 0)), " ")
			want := map[string][]string{
				"en": {"Agreement by section", "Agreed share, version by version", "Whole text",
					"Not yet agreed:", "India cannot join consensus on", "Open proposals: q1 (KZ)",
					"Kazakhstan: reservation — Consensus must remain the rule.", "India: interpretative statement — A political commitment.",
					"Cluster I. Institutional framework 50% · 3 agreed · 1 ad ref · 0 bracketed · 4 pending", "v1", "v2"},
				"ru": {"Согласование по разделам", "Доля согласованного по редакциям", "Весь текст", "Ещё не согласовано:",
					"Kazakhstan: оговорка — Consensus must remain the rule.", "ред. 2"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(flat, w) {
					t.Errorf("the state of play lacks %q", w)
				}
			}
			// The bars are drawn: decompressed, the page has filled and
			// outlined rectangles, and clipped hatching.
			qdf := filepath.Join(t.TempDir(), "qdf.pdf")
			run(t, "qpdf", "--qdf", "--object-streams=disable", path, qdf)
			raw, err := os.ReadFile(qdf)
			if err != nil {
				t.Fatal(err)
			}
			filled := len(regexp.MustCompile(`re f\b`).FindAll(raw, -1))
			outlined := len(regexp.MustCompile(`re S\b`).FindAll(raw, -1))
			clipped := len(regexp.MustCompile(`re W n\b`).FindAll(raw, -1))
			// Each bar with agreed provisions has a filled part, each
			// with ad ref or bracketed ones a hatched part, and every
			// part is outlined; so are the legend's swatches.
			wantFilled, wantClipped, wantOutlined := 1, 2, 4
			for _, tl := range append([]drafts.Tally{st.Overall}, sectionTallies(st)...) {
				wantOutlined++
				if tl.Agreed > 0 {
					wantFilled++
				}
				if tl.AgreedAdRef > 0 || tl.Bracketed > 0 {
					wantClipped++
				}
			}
			if filled < wantFilled || outlined < wantOutlined || clipped < wantClipped {
				t.Errorf("the chart's bars: %d filled, %d outlined, %d hatched rectangles; want at least %d, %d, %d",
					filled, outlined, clipped, wantFilled, wantOutlined, wantClipped)
			}
		})
	}
}

// TestCompilationShowsPositions: the compilation prints the positions
// under their provision and those on the whole text at the start.
func TestCompilationShowsPositions(t *testing.T) {
	f := MustRoadMap(t)
	comp := MustCompilation(t, f.V1)
	comp.Entries[4].Positions = []*drafts.Position{{Delegation: "KZ", DelegationName: "Kazakhstan", Kind: drafts.PositionAdRef, Standing: drafts.StandingEarlierText}}
	comp.WholeText = []*drafts.Position{{Delegation: "IN", DelegationName: "India", Kind: drafts.PositionStatement, Text: "A political commitment."}}
	var buf bytes.Buffer
	if err := MustRenderer(t).CompilationPDF(&buf, f.Doc, f.V1, comp); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(Words(PDFText(t, WritePDF(t, "compilation-positions.pdf", buf.Bytes()), 0, 0)), " ")
	for _, w := range []string{"Kazakhstan: ad ref (awaiting instructions) (on an earlier text)", "Positions on the text as a whole India: interpretative statement — A political commitment."} {
		if !strings.Contains(flat, w) {
			t.Errorf("the compilation lacks %q", w)
		}
	}
	var html bytes.Buffer
	if err := MustRenderer(t).CompilationHTML(&html, f.Doc, f.V1, comp); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), `data-delegation="KZ">Kazakhstan: ad ref`) {
		t.Errorf("the HTML compilation lacks Kazakhstan's position")
	}
}

func sectionTallies(st *drafts.StateOfPlay) []drafts.Tally {
	var out []drafts.Tally
	for _, s := range st.Sections {
		out = append(out, s.Tally)
	}
	return out
}
