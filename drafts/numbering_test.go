package drafts_test

import (
	"fmt"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/internal/corpus"
)

// numberingFixtures are the corpus texts written for the numbering styles.
var numberingFixtures = []string{
	"rules-of-procedure.txt", "rules-of-procedure.ru.txt",
	"catalogue-decimal.txt", "catalogue-decimal.ru.txt",
	"statement-preamble.txt", "statement-preamble.ru.txt",
	"draft-bis.txt", "draft-bis.ru.txt",
}

type parsed struct{ kind, number, text string }

func mustParse(tb testing.TB, s string) []drafts.Provision {
	tb.Helper()
	t, err := drafts.ParseText(s, drafts.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	if got := t.Print(); got != s {
		tb.Fatalf("round trip:\n got %q\nwant %q", got, s)
	}
	return t.Provisions
}

func TestParseNumberingStyles(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []parsed
	}{
		{"rule with a title", "Rule 3. Consensus", []parsed{{"heading", "Rule 3.", "Consensus"}}},
		{"rule alone", "Rule 12", []parsed{{"heading", "Rule 12", ""}}},
		{"rule with a period alone", "Rule 12.", []parsed{{"heading", "Rule 12.", ""}}},
		{"title on the next line", "Chapter III\nSessions", []parsed{{"heading", "Chapter III", "\nSessions"}}},
		{"title on the next line, CRLF", "Chapter III\r\nSessions", []parsed{{"heading", "Chapter III", "\r\nSessions"}}},
		{"title after a dash", "Rule 6 — Records", []parsed{{"heading", "Rule 6", "— Records"}}},
		{"title after a colon", "Article 5: Scope", []parsed{{"heading", "Article 5:", "Scope"}}},
		{"article bis", "Article 5 bis. Observers", []parsed{{"heading", "Article 5 bis.", "Observers"}}},
		{"section roman", "Section II", []parsed{{"heading", "Section II", ""}}},
		{"part in words", "Part One", []parsed{{"heading", "Part One", ""}}},
		{"part ordinal in capitals", "PART FIRST. GENERAL", []parsed{{"heading", "PART FIRST.", "GENERAL"}}},
		{"annex letter", "Annex A\nList of measures", []parsed{{"heading", "Annex A", "\nList of measures"}}},
		{"capitals", "RULE 7. QUORUM", []parsed{{"heading", "RULE 7.", "QUORUM"}}},
		{"Russian rule", "Правило 12. Кворум", []parsed{{"heading", "Правило 12.", "Кворум"}}},
		{"Russian article", "Статья 5", []parsed{{"heading", "Статья 5", ""}}},
		{"Russian section", "Раздел II\nОбщие положения", []parsed{{"heading", "Раздел II", "\nОбщие положения"}}},
		{"Russian chapter", "Глава III. Языки", []parsed{{"heading", "Глава III.", "Языки"}}},
		{"Russian part", "Часть первая", []parsed{{"heading", "Часть первая", ""}}},
		{"Russian annex", "Приложение I\nФорма", []parsed{{"heading", "Приложение I", "\nФорма"}}},
		{"Russian article bis", "Статья 5-бис. Наблюдатели", []parsed{{"heading", "Статья 5-бис.", "Наблюдатели"}}},
		{"decimal", "3.1 Exchange of information", []parsed{{"paragraph", "3.1", "Exchange of information"}}},
		{"decimal three parts", "3.2.1 The Member States", []parsed{{"paragraph", "3.2.1", "The Member States"}}},
		{"decimal with period", "1.1.1. The Member States", []parsed{{"paragraph", "1.1.1.", "The Member States"}}},
		{"bis", "6 bis. The Secretariat", []parsed{{"paragraph", "6 bis.", "The Secretariat"}}},
		{"ter", "6 ter. The Secretariat", []parsed{{"paragraph", "6 ter.", "The Secretariat"}}},
		{"quater", "6 quater. The Secretariat", []parsed{{"paragraph", "6 quater.", "The Secretariat"}}},
		{"Russian bis", "6-бис. Секретариат", []parsed{{"paragraph", "6-бис.", "Секретариат"}}},
		{"decimal bis", "3.1 bis The Member States", []parsed{{"paragraph", "3.1 bis", "The Member States"}}},
		{"preamble", "The Ministers,\n\nRecognizing the role,\n\n1. Welcome.", []parsed{
			{"preamble", "", "The Ministers,"}, {"preamble", "", "Recognizing the role,"}, {"paragraph", "1.", "Welcome."}}},
		{"preamble before a part", "# Treaty\n\nThe Parties,\n\nPart I\n\nArticle 1. Scope\n\nThis Treaty applies.", []parsed{
			{"heading", "#", "Treaty"}, {"preamble", "", "The Parties,"}, {"heading", "Part I", ""},
			{"heading", "Article 1.", "Scope"}, {"paragraph", "", "This Treaty applies."}}},
		// What stays as it was.
		{"a sentence naming an article", "Article 5 of the Charter applies.", []parsed{{"paragraph", "", "Article 5 of the Charter applies."}}},
		{"a rule in a sentence", "Rules 3 and 4 apply.", []parsed{{"paragraph", "", "Rules 3 and 4 apply."}}},
		{"keyword without number", "Part of the text.", []parsed{{"paragraph", "", "Part of the text."}}},
		{"trailing space after the number", "Rule 3 ", []parsed{{"paragraph", "", "Rule 3 "}}},
		{"space then a line break", "Rule 3. \nConsensus", []parsed{{"paragraph", "", "Rule 3. \nConsensus"}}},
		{"lower-case keyword", "rule 3. Consensus", []parsed{{"paragraph", "", "rule 3. Consensus"}}},
		{"not a roman number", "Chapter IIII", []parsed{{"paragraph", "", "Chapter IIII"}}},
		{"a single number needs its period", "3 The Member States", []parsed{{"paragraph", "", "3 The Member States"}}},
		{"bis needs its period", "6 bis The Secretariat", []parsed{{"paragraph", "", "6 bis The Secretariat"}}},
		{"bis glued to a word", "6 bisque.", []parsed{{"paragraph", "", "6 bisque."}}},
		{"unnumbered only: no preamble", "The Ministers met.\n\nThey agreed.", []parsed{{"paragraph", "", "The Ministers met."}, {"paragraph", "", "They agreed."}}},
		{"items do not end a preamble", "Noting:\n\n(a) x;\n\n1. y", []parsed{{"preamble", "", "Noting:"}, {"item", "(a)", "x;"}, {"paragraph", "1.", "y"}}},
		{"unnumbered after the first number", "1. One.\n\nMore words.", []parsed{{"paragraph", "1.", "One."}, {"paragraph", "", "More words."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := mustParse(t, tt.text)
			var got []parsed
			for _, p := range ps {
				got = append(got, parsed{p.Kind, p.Number, p.Text})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestParseFixtures: each fixture parses to the numbers and kinds its
// style has, in English and in Russian alike.
func TestParseFixtures(t *testing.T) {
	tests := []struct {
		name string
		want string // "kind number" of each provision, "|" between
	}{
		{"rules-of-procedure", "heading #|heading Chapter I|heading Rule 1.|paragraph |heading Rule 2.|paragraph 1.|paragraph 2.|" +
			"heading Chapter II|heading Rule 3.|paragraph 1.|paragraph 2.|heading Rule 4.|paragraph 1.|paragraph 2.|item (a)|item (b)|item (c)|" +
			"heading Chapter III|heading Rule 5|paragraph |heading Rule 6|paragraph |heading Annex I|paragraph "},
		{"catalogue-decimal", "heading #|paragraph 1.|paragraph 1.1|paragraph 1.1.1|paragraph 1.1.2|paragraph 1.2|paragraph 1.2.1.|paragraph 1.2.2.|item (a)|item (b)|" +
			"paragraph 2.|paragraph 2.1|paragraph 2.2|paragraph 3.|paragraph 3.1"},
		{"statement-preamble", "heading #|preamble |preamble |preamble |preamble |preamble |preamble |paragraph 1.|paragraph 2."},
		{"draft-bis", "heading #|paragraph 1.|paragraph 2.|paragraph 2 bis.|paragraph 3.|paragraph 4.|paragraph 4 bis.|item (a)|item (b)|paragraph 4 ter.|paragraph 5."},
	}
	ru := strings.NewReplacer("Chapter", "Глава", "Rule", "Правило", "Annex", "Приложение", "(a)", "(а)", "(b)", "(б)", "(c)", "(в)", " bis", "-бис", " ter", "-тер")
	for _, tt := range tests {
		for _, lang := range []string{"", ".ru"} {
			name := tt.name + lang + ".txt"
			t.Run(name, func(t *testing.T) {
				var got []string
				for _, p := range mustParse(t, corpus.Must(t, name)) {
					got = append(got, p.Kind+" "+p.Number)
				}
				want := tt.want
				if lang != "" {
					want = ru.Replace(want)
				}
				if g := strings.Join(got, "|"); g != want {
					t.Fatalf("got  %s\nwant %s", g, want)
				}
			})
		}
	}
}

func TestMarkup(t *testing.T) {
	tests := []struct{ number, text, want string }{
		{"", "Plain.", "Plain."},
		{"1.", "One.", "1. One."},
		{"1.", "", "1. "},
		{"#", "", "# "},
		{"Rule 3.", "Consensus", "Rule 3. Consensus"},
		{"Rule 3", "", "Rule 3"},
		{"Chapter I", "\nSessions", "Chapter I\nSessions"},
		{"Chapter I", "\r\nSessions", "Chapter I\r\nSessions"},
		{"1.", "\nfoo", "1. \nfoo"},
	}
	for _, tt := range tests {
		if got := drafts.Markup(tt.number, tt.text); got != tt.want {
			t.Errorf("Markup(%q, %q) = %q, want %q", tt.number, tt.text, got, tt.want)
		}
	}
}

func TestDepthsAndLevels(t *testing.T) {
	levels := map[string]int{"#": 1, "###": 3, "Part One": 1, "Annex I": 1, "Chapter III": 2, "Глава III": 2, "Section 2.": 3, "Rule 4.": 4, "Статья 5-бис": 4, "1.": 0, "": 0}
	for n, want := range levels {
		if got := drafts.HeadingLevel(n); got != want {
			t.Errorf("HeadingLevel(%q) = %d, want %d", n, got, want)
		}
	}
	depths := map[string]int{"3.": 1, "6 bis.": 1, "3.1": 2, "3.2.1": 3, "1.1.1.": 3, "3.1 bis": 2, "(a)": 0, "": 0, "Rule 3.": 0}
	for n, want := range depths {
		if got := drafts.NumberDepth(n); got != want {
			t.Errorf("NumberDepth(%q) = %d, want %d", n, got, want)
		}
	}
	var nest drafts.Nesting
	var got []int
	for _, p := range mustParse(t, corpus.Must(t, "catalogue-decimal.txt")) {
		got = append(got, nest.Depth(p.Kind, p.Number))
	}
	if want := "[0 1 2 3 3 2 3 3 4 4 1 2 2 1 2]"; fmt.Sprint(got) != want {
		t.Fatalf("depths %v, want %s", got, want)
	}
	deep := strings.Repeat("1.", 1000) + " x\n\n(a) y"
	got = nil
	for _, p := range mustParse(t, deep) {
		got = append(got, nest.Depth(p.Kind, p.Number))
	}
	if want := fmt.Sprint([]int{drafts.MaxDepth, drafts.MaxDepth + 1}); fmt.Sprint(got) != want {
		t.Fatalf("depths of a 1000-part number and its item: %v, want %s", got, want)
	}
}

func TestOpeningWords(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Recognizing the contribution,", "Recognizing"},
		{"Guided by the purposes,", "Guided"},
		{"Deeply concerned by the conflicts,", "Deeply concerned"},
		{"Bearing in mind the decisions,", "Bearing in mind"},
		{"Mindful of the role,", "Mindful"},
		{"Aware of the risks,", "Aware"},
		{"The Ministers of Foreign Affairs,", ""},
		{"Have agreed as follows:", ""},
		{"признавая вклад Совещания,", "признавая"},
		{"руководствуясь целями,", "руководствуясь"},
		{"будучи глубоко обеспокоены,", "будучи глубоко обеспокоены"},
		{"будучи убеждены в том,", "будучи убеждены"},
		{"Министры иностранных дел,", ""},
		{"договорились о следующем:", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := tt.text[:drafts.OpeningWords(tt.text)]; got != tt.want {
			t.Errorf("OpeningWords(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// legacyClassify is the parser's marker rule before numbered headings,
// decimal numbers without a final period, bis numbers and preambles.
func legacyClassify(body string) parsed {
	if n := legacyHeading(body); n > 0 {
		return parsed{"heading", body[:n], body[n+1:]}
	}
	if n := legacyNumber(body); n > 0 {
		return parsed{"paragraph", body[:n], body[n+1:]}
	}
	if p := mustItem(body); p.kind != "" {
		return p
	}
	return parsed{"paragraph", "", body}
}

func legacyHeading(s string) int {
	n := 0
	for n < len(s) && n < 7 && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(s) || s[n] != ' ' {
		return 0
	}
	return n
}

func legacyNumber(s string) int {
	i := 0
	for i < len(s) {
		d := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && d < 4 {
			i, d = i+1, d+1
		}
		if d == 0 || i >= len(s) || s[i] != '.' {
			return 0
		}
		i++
		if i < len(s) && s[i] == ' ' {
			return i
		}
	}
	return 0
}

// mustItem classifies an item with the parser itself (items did not change).
func mustItem(body string) parsed {
	t, err := drafts.ParseText(body, drafts.Limits{})
	if err != nil || len(t.Provisions) != 1 || t.Provisions[0].Kind != drafts.KindItem {
		return parsed{}
	}
	return parsed{"item", t.Provisions[0].Number, t.Provisions[0].Text}
}

// newStyle reports whether a provision uses one of the numbering styles
// the legacy rule did not know.
func newStyle(p drafts.Provision) bool {
	return p.Kind == drafts.KindPreamble || drafts.HeadingLevel(p.Number) > 0 && !strings.HasPrefix(p.Number, "#") ||
		p.Kind == drafts.KindParagraph && p.Number != "" && legacyNumber(p.Number+" ") != len(p.Number)
}

// checkAsBefore fails when a provision that uses none of the new styles
// parses otherwise than it did before them.
func checkAsBefore(t *testing.T, ps []drafts.Provision) {
	t.Helper()
	for i, p := range ps {
		if newStyle(p) {
			continue
		}
		body := p.Markup()
		if got, want := (parsed{p.Kind, p.Number, p.Text}), legacyClassify(body); got != want {
			t.Fatalf("provision %d %q parses as %q, before as %q", i, body, got, want)
		}
	}
}

// TestPlainTextsParseAsBefore: the texts that use none of the numbering
// styles (the press releases and the road maps) parse exactly as before.
func TestPlainTextsParseAsBefore(t *testing.T) {
	for name, text := range corpus.All() {
		t.Run(name, func(t *testing.T) {
			ps := mustParse(t, text)
			fixture := false
			for _, f := range numberingFixtures {
				fixture = fixture || f == name
			}
			for _, p := range ps {
				if newStyle(p) && !fixture {
					t.Fatalf("%q uses a numbering style: %+v", name, p)
				}
			}
			checkAsBefore(t, ps)
		})
	}
}

func TestApplyOperationsKeepsKinds(t *testing.T) {
	ps := mustParse(t, "The Ministers,\n\nNoting the report,\n\nThey met.")
	for i := range ps {
		ps[i].ID = fmt.Sprint("p", i)
	}
	if ps[0].Kind != drafts.KindParagraph {
		t.Fatalf("no numbered paragraph, yet kind %q", ps[0].Kind)
	}
	n := 0
	newID := func() string { n++; return fmt.Sprint("n", n) }
	tests := []struct {
		name  string
		ops   []drafts.Operation
		kinds string
	}{
		{"a numbered paragraph makes a preamble", []drafts.Operation{{Op: "replace", Provision: "p2", Text: "They met.", Number: ptr("1.")}}, "[preamble preamble paragraph]"},
		{"an inserted article does too", []drafts.Operation{{Op: "insert", After: "p1", Text: "Article 1. Scope"}}, "[preamble preamble heading paragraph]"},
		{"a heading gets its kind", []drafts.Operation{{Op: "replace", Provision: "p0", Text: "\nSessions", Number: ptr("Chapter I")}}, "[heading paragraph paragraph]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := drafts.ApplyOperations(ps, tt.ops, newID, drafts.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, p := range out {
				kinds = append(kinds, p.Kind)
			}
			if got := fmt.Sprint(kinds); got != tt.kinds {
				t.Fatalf("kinds %s, want %s", got, tt.kinds)
			}
			again := mustParse(t, drafts.PrintProvisions(out))
			for i := range out {
				if again[i].Kind != out[i].Kind || again[i].Number != out[i].Number {
					t.Fatalf("provision %d: %q %q after the operations, %q %q parsed", i, out[i].Kind, out[i].Number, again[i].Kind, again[i].Number)
				}
			}
		})
	}
	t.Run("a heading may be its number alone", func(t *testing.T) {
		rules := mustParse(t, "Rule 5\n\nText.")
		rules[0].ID, rules[1].ID = "r", "t"
		out, err := drafts.ApplyOperations(rules, []drafts.Operation{{Op: "replace", Provision: "r", Text: "", Number: ptr("Rule 6")}}, newID, drafts.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if got := drafts.PrintProvisions(out); got != "Rule 6\n\nText." {
			t.Fatalf("got %q", got)
		}
		if _, err := drafts.ApplyOperations(ps, []drafts.Operation{{Op: "replace", Provision: "p1", Text: ""}}, newID, drafts.Limits{}); drafts.ErrorCode(err) != drafts.EINVALID {
			t.Fatalf("a paragraph emptied: %v", err)
		}
	})
	t.Run("a heading number needs a title it can print with", func(t *testing.T) {
		_, err := drafts.ApplyOperations(ps, []drafts.Operation{{Op: "replace", Provision: "p0", Text: "Sessions", Number: ptr("Chapter I x")}}, newID, drafts.Limits{})
		if drafts.ErrorCode(err) != drafts.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
}
