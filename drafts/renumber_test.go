package drafts_test

import (
	"fmt"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/corpus"
)

// numbers lists the numbers of ps, "-" for none.
func numbers(ps []drafts.Provision) string {
	var out []string
	for _, p := range ps {
		n := p.Number
		if n == "" {
			n = "-"
		}
		out = append(out, n)
	}
	return strings.Join(out, "|")
}

func TestRenumber(t *testing.T) {
	tests := []struct {
		name, text string
		want       string
		changed    int
	}{
		{"bis and ter", "1. a\n\n2. b\n\n2 bis. c\n\n2 ter. d\n\n3. e", "1.|2.|3.|4.|5.", 3},
		{"Russian bis", "1. а\n\n1-бис. б\n\n2. в", "1.|2.|3.", 2},
		{"gap closes", "1. a\n\n3. b", "1.|2.", 1},
		{"already clean", "1. a\n\n2. b\n\n(a) x\n\n(c) y", "1.|2.|(a)|(c)", 0},
		{"decimals follow their parent", "1. a\n\n1.1 c\n\n1.1 bis d\n\n1.2.1. e\n\n1 bis. b\n\n2. f\n\n2.1 g", "1.|1.1|1.2|1.2.1.|2.|3.|3.1", 4},
		{"decimal bis", "1.1 a\n\n1.1 bis b\n\n1.2 c\n\n1.2.1 d", "1.1|1.2|1.3|1.3.1", 3},
		{"decimals without their parent", "# A\n\n3.1 a\n\n3.1 bis b\n\n# B\n\n4.1 c", "#|3.1|3.2|#|4.1", 1},
		{"paragraphs start again in each rule", "Rule 1. A\n\n1. a\n\n1 bis. b\n\nRule 2. B\n\n1. c\n\n2. d", "Rule 1.|1.|2.|Rule 2.|1.|2.", 1},
		{"paragraphs run on across headings", "# A\n\n1. a\n\n# B\n\n2. b\n\n2 bis. c\n\n3. d", "#|1.|#|2.|3.|4.", 2},
		{"rules run on across chapters", "Chapter I\nA\n\nRule 1. a\n\nRule 1 bis. b\n\nChapter II\nB\n\nRule 2. c", "Chapter I|Rule 1.|Rule 2.|Chapter II|Rule 3.", 2},
		{"a new Rule 2", "Rule 1. a\n\nRule 2. new\n\nRule 2. b\n\nRule 3. c", "Rule 1.|Rule 2.|Rule 3.|Rule 4.", 2},
		{"roman chapters", "Chapter I\na\n\nChapter I bis\nb\n\nChapter II\nc\n\nChapter IV\nd", "Chapter I|Chapter II|Chapter III|Chapter IV", 2},
		{"roman V after IV", "Chapter IV\na\n\nChapter IV bis\nb\n\nChapter V\nc", "Chapter IV|Chapter V|Chapter VI", 2},
		{"letters", "Annex A\na\n\nAnnex A bis\nb\n\nAnnex B\nc", "Annex A|Annex B|Annex C", 2},
		{"Cyrillic letters", "Приложение А\na\n\nПриложение А-бис\nb\n\nПриложение Б\nc", "Приложение А|Приложение Б|Приложение В", 2},
		{"words", "Part One\na\n\nPart Three\nb\n\nPart Four\nc", "Part One|Part Two|Part Three", 2},
		{"Russian ordinals keep their gender", "Часть первая\na\n\nЧасть третья\nb\n\nРаздел первый\nc\n\nРаздел третий\nd", "Часть первая|Часть вторая|Раздел первый|Раздел второй", 2},
		{"capitals stay", "PART ONE\na\n\nPART THREE\nb", "PART ONE|PART TWO", 1},
		{"punctuation stays", "Article 1: a\n\nArticle 1 bis: b\n\nArticle 2 — c", "Article 1:|Article 2:|Article 3", 2},
		{"keywords are separate sequences", "Rule 1. a\n\nArticle 4. b\n\nRule 3. c", "Rule 1.|Article 4.|Rule 2.", 1},
		{"deeper than MaxDepth stays", "1.1.1.1.1.1.1 a\n\n1.1.1.1.1.1.1 b", "1.1.1.1.1.1.1|1.1.1.1.1.1.1", 0},
		{"items and unnumbered stay", "Noting,\n\n1. a\n\n(a) x\n\n(a) y\n\nmore\n\n3. b", "-|1.|(a)|(a)|-|2.", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := mustParse(t, tt.text)
			for i := range ps {
				ps[i].ID = fmt.Sprint("p", i)
			}
			out, n := drafts.Renumber(ps)
			if got := numbers(out); got != tt.want {
				t.Fatalf("numbers %s, want %s", got, tt.want)
			}
			if n != tt.changed {
				t.Fatalf("%d changed, want %d", n, tt.changed)
			}
			for i := range out {
				if out[i].ID != ps[i].ID || out[i].Text != ps[i].Text || out[i].Kind != ps[i].Kind {
					t.Fatalf("provision %d changed more than its number: %+v → %+v", i, ps[i], out[i])
				}
			}
			if got := numbers(mustParse(t, drafts.PrintProvisions(out))); got != tt.want {
				t.Fatalf("the renumbered text reads back as %s", got)
			}
			if again, n := drafts.Renumber(out); n != 0 {
				t.Fatalf("renumbering twice changes %d more: %s", n, numbers(again))
			}
		})
	}
}

// TestRenumberFixtures: the fixtures written clean stay as they are; the
// drafts with bis numbers get a clean sequence, in both languages.
func TestRenumberFixtures(t *testing.T) {
	for _, name := range numberingFixtures {
		t.Run(name, func(t *testing.T) {
			ps := mustParse(t, corpus.Must(t, name))
			out, n := drafts.Renumber(ps)
			if !strings.HasPrefix(name, "draft-bis") {
				if n != 0 {
					t.Fatalf("a clean text changed: %s → %s", numbers(ps), numbers(out))
				}
				return
			}
			if got, want := numbers(out), "#|1.|2.|3.|4.|5.|6.|(a)|(b)|7.|8."; got != want && got != strings.NewReplacer("(a)", "(а)", "(b)", "(б)").Replace(want) {
				t.Fatalf("numbers %s, want %s", got, want)
			}
			d := diffing.New().Provisions(withIDs(ps), withIDs(out))
			for _, c := range d.Changes {
				if c.Modified || c.Moved || c.Kind == drafts.ChangeInserted || c.Kind == drafts.ChangeDeleted || len(c.Segments) > 0 {
					t.Fatalf("not a renumbering: %+v", c)
				}
			}
		})
	}
}

func withIDs(ps []drafts.Provision) []drafts.Provision {
	out := make([]drafts.Provision, len(ps))
	copy(out, ps)
	for i := range out {
		out[i].ID = fmt.Sprint("p", i)
	}
	return out
}
