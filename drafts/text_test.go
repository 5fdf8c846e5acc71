package drafts_test

import (
	"chancery/internal/corpus"
	"strings"
	"testing"

	"chancery/drafts"
)

func corpusFiles(tb testing.TB) map[string]string {
	tb.Helper()
	return corpus.All()
}

func TestRoundTripCorpus(t *testing.T) {
	for name, text := range corpusFiles(t) {
		t.Run(name, func(t *testing.T) {
			parsed, err := drafts.ParseText(text, drafts.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := parsed.Print(); got != text {
				t.Fatalf("round trip differs:\n got %q\nwant %q", head(got), head(text))
			}
		})
	}
}

func head(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func TestParseKinds(t *testing.T) {
	text := "# Title\n\n1. First.\n\n(a) item;\n\n(iv) roman;\n\n12.3. Sub-numbered.\n\nPlain paragraph\nwith two lines.\n\n(б) кириллица\n"
	parsed, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ kind, number, text string }{
		{"heading", "#", "Title"},
		{"paragraph", "1.", "First."},
		{"item", "(a)", "item;"},
		{"item", "(iv)", "roman;"},
		{"paragraph", "12.3.", "Sub-numbered."},
		{"paragraph", "", "Plain paragraph\nwith two lines."},
		{"item", "(б)", "кириллица"},
	}
	if len(parsed.Provisions) != len(want) {
		t.Fatalf("%d provisions, want %d", len(parsed.Provisions), len(want))
	}
	for i, w := range want {
		p := parsed.Provisions[i]
		if p.Kind != w.kind || p.Number != w.number || p.Text != w.text {
			t.Errorf("provision %d = %q %q %q, want %q %q %q", i, p.Kind, p.Number, p.Text, w.kind, w.number, w.text)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, text string
		code       string
		where      string
	}{
		{"invalid UTF-8", "1. ok\n\n2. bad \xff byte", drafts.EINVALID, "line 3, column 8"},
		{"NUL", "1. a\x00b", drafts.EINVALID, "line 1, column 5"},
		{"control", "1. a\x07b", drafts.EINVALID, "U+0007"},
		{"right-to-left override", "1. pay \u202eSU 001\u202c now", drafts.EINVALID, "U+202E"},
		{"isolate", "1. a\u2066b\u2069", drafts.EINVALID, "U+2066"},
		{"empty", "\n  \n", drafts.EINVALID, "empty"},
		{"too large", strings.Repeat("a", 101), drafts.EINVALID, "limit is 100"},
		{"too many provisions", "1. a\n\n2. b\n\n3. c", drafts.EINVALID, "line 5, column 1: text has more than 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := drafts.ParseText(tt.text, drafts.Limits{MaxBytes: 100, MaxProvisions: 2})
			if got := drafts.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q, want %q (%v)", got, tt.code, err)
			}
			if !strings.Contains(drafts.ErrorMessage(err), tt.where) {
				t.Fatalf("message %q does not say %q", drafts.ErrorMessage(err), tt.where)
			}
		})
	}
}

// FuzzRoundTrip: every accepted text prints back byte for byte, and
// printing is stable under a second parse.
func FuzzRoundTrip(f *testing.F) {
	for _, text := range corpusFiles(f) {
		f.Add(text)
	}
	for _, s := range []string{"", "\n", "1. a\r\n\r\n2. b\r\n", "\n\n# h\n\n\n(a) x  \n \n", "1.  two spaces", "(a)", "#", "# ", "1.\n", "\t\n1. x\n\t\n",
		"Rule 3. Consensus\n\nRule 4\r\nQuorum\n\nRule 5", "Chapter III\nSessions", "Rule 3. \nx", "Rule 3 ", "Part One", "Часть первая\n\nСтатья 5-бис. Текст",
		"3.1 x\n\n3.2.1 y\n\n1.1.1. z", "6 bis. a\n\n6-бис. b", "Recognizing x,\n\n1. y", "Article 5 of the Charter",
		"1. a[^1]\n[^1]: n\n\n\u00a0\n\n2. b\n\u200b\n3. c", "Rule 3. Consensus[^н]\r\n[^н]: x\r\nmore"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parsed, err := drafts.ParseText(s, drafts.Limits{})
		if err != nil {
			if drafts.ErrorCode(err) == drafts.EINTERNAL {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		if got := parsed.Print(); got != s {
			t.Fatalf("round trip:\n got %q\nwant %q", got, s)
		}
		again, err := drafts.ParseText(parsed.Print(), drafts.Limits{})
		if err != nil || len(again.Provisions) != len(parsed.Provisions) {
			t.Fatalf("second parse: %v", err)
		}
		checkAsBefore(t, parsed.Provisions)
		for _, p := range parsed.Provisions {
			if got := drafts.Markup(p.Number, p.Text); got != p.Markup() {
				t.Fatalf("Markup(%q, %q) = %q", p.Number, p.Text, got)
			}
		}
		// Renumbering changes numbers only, into numbers the parser reads back.
		renumbered, _ := drafts.Renumber(parsed.Provisions)
		back, err := drafts.ParseText(parsed.Lead+drafts.PrintProvisions(renumbered), drafts.Limits{})
		if err != nil || len(back.Provisions) != len(renumbered) {
			t.Fatalf("renumbered text: %v", err)
		}
		for i, p := range back.Provisions {
			if p.Number != renumbered[i].Number || p.Text != parsed.Provisions[i].Text || p.Kind != parsed.Provisions[i].Kind {
				t.Fatalf("renumbered provision %d reads back as %q %q %q, want %q %q %q", i, p.Kind, p.Number, p.Text, parsed.Provisions[i].Kind, renumbered[i].Number, parsed.Provisions[i].Text)
			}
		}
	})
}

func TestApplyOperations(t *testing.T) {
	parsed, err := drafts.ParseText("1. One.\n\n2. Two.\n\n3. Three.\n", drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ps := parsed.Provisions
	for i := range ps {
		ps[i].ID = string(rune('a' + i))
	}
	n := 0
	newID := func() string { n++; return "new" + string(rune('0'+n)) }
	tests := []struct {
		name string
		ops  []drafts.Operation
		want string
	}{
		{"replace", []drafts.Operation{{Op: "replace", Provision: "b", Text: "Deux."}}, "1. One.\n\n2. Deux.\n\n3. Three.\n"},
		{"replace with number", []drafts.Operation{{Op: "replace", Provision: "b", Text: "Two.", Number: ptr("(b)")}}, "1. One.\n\n(b) Two.\n\n3. Three.\n"},
		{"remove number", []drafts.Operation{{Op: "replace", Provision: "b", Text: "Two.", Number: ptr("")}}, "1. One.\n\nTwo.\n\n3. Three.\n"},
		{"insert at start", []drafts.Operation{{Op: "insert", Text: "# Preamble"}}, "# Preamble\n\n1. One.\n\n2. Two.\n\n3. Three.\n"},
		{"insert at end", []drafts.Operation{{Op: "insert", After: "c", Text: "4. Four."}}, "1. One.\n\n2. Two.\n\n3. Three.\n\n4. Four.\n"},
		{"insert two", []drafts.Operation{{Op: "insert", After: "a", Text: "(a) x;\n\n(b) y."}}, "1. One.\n\n(a) x;\n\n(b) y.\n\n2. Two.\n\n3. Three.\n"},
		{"delete last", []drafts.Operation{{Op: "delete", Provision: "c"}}, "1. One.\n\n2. Two.\n"},
		{"move first to end", []drafts.Operation{{Op: "move", Provision: "a", After: "c"}}, "2. Two.\n\n3. Three.\n\n1. One.\n"},
		{"move last to start", []drafts.Operation{{Op: "move", Provision: "c"}}, "3. Three.\n\n1. One.\n\n2. Two.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := drafts.ApplyOperations(ps, tt.ops, newID, drafts.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := drafts.PrintProvisions(out); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("errors name the operation", func(t *testing.T) {
		_, err := drafts.ApplyOperations(ps, []drafts.Operation{{Op: "replace", Provision: "a", Text: "x"}, {Op: "delete", Provision: "zz"}}, newID, drafts.Limits{})
		if drafts.ErrorCode(err) != drafts.EINVALID || !strings.Contains(drafts.ErrorMessage(err), "operation 2") {
			t.Fatalf("err = %v", err)
		}
		_, err = drafts.ApplyOperations(ps, []drafts.Operation{{Op: "delete", Provision: "a"}, {Op: "delete", Provision: "b"}, {Op: "delete", Provision: "c"}}, newID, drafts.Limits{})
		if drafts.ErrorCode(err) != drafts.EINVALID {
			t.Fatalf("deleting everything: err = %v", err)
		}
	})
	if got := drafts.PrintProvisions(ps); got != "1. One.\n\n2. Two.\n\n3. Three.\n" {
		t.Fatalf("ApplyOperations changed its input: %q", got)
	}
}

func ptr(s string) *string { return &s }

// TestCheckName: names and titles are one line of printable characters
// in any script; control characters (NUL, BEL, ESC, line breaks, tabs,
// DEL), direction overrides and invalid UTF-8 are refused, naming the
// field and the character.
func TestCheckName(t *testing.T) {
	for _, ok := range []string{"Kazakhstan", "Казахстан", "مصر\u200f", "Road map (rev. 2)", "中华人民共和国"} {
		if fe := drafts.CheckName("name", ok, 200); fe != nil {
			t.Errorf("CheckName(%q) = %+v, want nil", ok, fe)
		}
	}
	for s, want := range map[string]string{
		"Zed\x00land":            "U+0000 (NUL)",
		"Zed\x07land":            "U+0007 (BEL)",
		"Zed\x1b[31m":            "U+001B (ESC)",
		"two\nlines":             "U+000A (LF)",
		"tab\there":              "U+0009 (TAB)",
		"del\x7f":                "U+007F (DEL)",
		"c1\u0085":               "U+0085",
		"evil\u202Etxt.exe":      "direction control character U+202E",
		"bad\xffutf":             "invalid UTF-8",
		"":                       "required",
		"   ":                    "required",
		strings.Repeat("a", 201): "at most 200 bytes",
	} {
		fe := drafts.CheckName("name", s, 200)
		if fe == nil || fe.Field != "name" || !strings.Contains(fe.Message, want) {
			t.Errorf("CheckName(%q) = %+v, want the field named and %q", s, fe, want)
		}
	}
}
