package render_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"chancery/drafts"
)

func TestDiffText(t *testing.T) {
	f := MustRoadMap(t)
	r := MustRenderer(t)
	var buf bytes.Buffer
	if err := r.DiffText(&buf, f.Diff); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"[-prepare-][+draft+]{KZ}",
		"++ inserted provision 6 after 5 ++ {RU}",
		"-- deleted provision 9 -- {CN}",
		"== provision 12 moved after 11 == {IN}",
		"[-mobilise-][+mobilize+]{TR} voluntary",
		"6. → 7.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("DiffText lacks %q", want)
		}
	}
	Golden(t, "diff.txt.golden", buf.Bytes())
}

// TestDiffTextReadsBack checks that the escaped markup of the plain-text
// diff reads back to the old and new texts, whatever markup characters the
// texts hold, and that a changed word is shown whole.
func TestDiffTextReadsBack(t *testing.T) {
	r := MustRenderer(t)
	tests := []struct {
		name     string
		segs     []drafts.Segment
		want     string // the line written, after the number
		old, new string
	}{
		{"gains square brackets",
			[]drafts.Segment{{Op: "equal", Text: "the "}, {Op: "insert", Text: "["}, {Op: "equal", Text: "text"}, {Op: "insert", Text: "]"}, {Op: "equal", Text: ";"}},
			`the [+\[+]text[+\]+];`, "the text;", "the [text];"},
		{"markup in the text",
			[]drafts.Segment{{Op: "equal", Text: "a [+b+] {c} \\ "}, {Op: "delete", Text: "[-x-]"}, {Op: "insert", Text: "+]{KZ}"}, {Op: "equal", Text: " [bracketed]"}},
			`a \[+b+] \{c\} \\ [-\[-x-\]-][++\]\{KZ\}+] [bracketed]`, "a [+b+] {c} \\ [-x-] [bracketed]", "a [+b+] {c} \\ +]{KZ} [bracketed]"},
		{"letters inside a word shown as the whole word",
			[]drafts.Segment{{Op: "equal", Text: "принцип"}, {Op: "delete", Text: "у"}, {Op: "insert", Text: "ам"}, {Op: "equal", Text: " равенства"}},
			`[-принципу-][+принципам+] равенства`, "принципу равенства", "принципам равенства"},
		{"structural look-alike at the start",
			[]drafts.Segment{{Op: "equal", Text: "++ not a line "}, {Op: "insert", Text: "x"}},
			`\++ not a line [+x+]`, "++ not a line ", "++ not a line x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			number := "1."
			if strings.HasPrefix(tt.want, `\`) {
				number = ""
			}
			d := &drafts.Diff{Changes: []drafts.Change{{Kind: drafts.ChangeModified, Modified: true, Provision: "p1",
				ProvisionKind: drafts.KindParagraph, Number: number, OldText: tt.old, Text: tt.new, Segments: tt.segs}}}
			var buf bytes.Buffer
			if err := r.DiffText(&buf, d); err != nil {
				t.Fatal(err)
			}
			line := strings.TrimSuffix(buf.String(), "\n")
			if number != "" {
				line = strings.TrimPrefix(line, number+" ")
			}
			if line != tt.want {
				t.Errorf("wrote\n%s\nwant\n%s", line, tt.want)
			}
			old, new, err := readDiffLine(line)
			if err != nil {
				t.Fatal(err)
			}
			if old != tt.old || new != tt.new {
				t.Errorf("reads back as\nold %q\nnew %q\nwant\nold %q\nnew %q", old, new, tt.old, tt.new)
			}
		})
	}
}

// readDiffLine reads a provision line of the plain-text diff, as
// docs/diff-format.md describes it, back into the old and new texts:
// "\x" is x, "[+...+]" inserted, "[-...-]" deleted, "{...}" a tag.
func readDiffLine(line string) (old, new string, err error) {
	var o, n strings.Builder
	mode := byte(0) // '+' or '-' inside a change
	for i := 0; i < len(line); i++ {
		c := line[i]
		next := byte(0)
		if i+1 < len(line) {
			next = line[i+1]
		}
		switch {
		case c == '\\':
			if next == 0 {
				return "", "", fmt.Errorf("a lone backslash at the end")
			}
			i++
			if mode != '+' {
				o.WriteByte(next)
			}
			if mode != '-' {
				n.WriteByte(next)
			}
			continue
		case mode == 0 && c == '[' && (next == '+' || next == '-'):
			mode = next
			i++
			continue
		case mode != 0 && c == mode && next == ']':
			mode = 0
			i++
			continue
		case mode != 0 && (c == '[' || c == ']' || c == '{' || c == '}'):
			return "", "", fmt.Errorf("a bare %c inside a change at %d", c, i)
		case mode == 0 && c == '{':
			j := strings.IndexByte(line[i:], '}')
			if j < 0 {
				return "", "", fmt.Errorf("an unclosed tag at %d", i)
			}
			i += j
			continue
		case mode == 0 && c == '}':
			return "", "", fmt.Errorf("a bare } at %d", i)
		}
		if mode != '+' {
			o.WriteByte(c)
		}
		if mode != '-' {
			n.WriteByte(c)
		}
	}
	if mode != 0 {
		return "", "", fmt.Errorf("an unclosed change")
	}
	return o.String(), n.String(), nil
}

func TestDiffTextEdgeCases(t *testing.T) {
	r := MustRenderer(t)
	tests := []struct {
		name string
		diff *drafts.Diff
		want string
	}{
		{"no changes", &drafts.Diff{Changes: []drafts.Change{{Kind: drafts.ChangeUnchanged, Provision: "p1", ProvisionKind: drafts.KindParagraph, Number: "1.", Text: "Same."}}}, "(no changes)\n"},
		{"coarse", &drafts.Diff{Coarse: true, Changes: []drafts.Change{{Kind: drafts.ChangeModified, Modified: true, Provision: "p1", ProvisionKind: drafts.KindParagraph, Number: "1.", OldText: "Old.", Text: "New.", Delegations: []string{"KZ"}}}},
			"(coarse diff: the word diff hit its limit; some changes are whole-text replacements)\n\n1. [-Old.-][+New.+]{KZ}\n"},
		{"heading moved to the start", &drafts.Diff{Changes: []drafts.Change{{Kind: drafts.ChangeMoved, Moved: true, Provision: "h1", ProvisionKind: drafts.KindHeading, Number: "#", Text: "Cluster II. Decision-making"}}},
			"== heading \"Cluster II. Decision-making\" moved to the start ==\n# Cluster II. Decision-making\n"},
		{"renumbered item", &drafts.Diff{Changes: []drafts.Change{{Kind: drafts.ChangeRenumbered, Renumbered: true, Provision: "i1", ProvisionKind: drafts.KindItem, OldNumber: "(b)", Number: "(c)", Text: "membership;"}}},
			"(b) → (c) membership;\n"},
		{"unnumbered paragraph deleted", &drafts.Diff{Changes: []drafts.Change{{Kind: drafts.ChangeDeleted, Provision: "x", ProvisionKind: drafts.KindParagraph, OldText: "A long unnumbered paragraph that goes on and on for a while."}}},
			"-- deleted paragraph \"A long unnumbered paragraph that goes on…\" --\n[-A long unnumbered paragraph that goes on and on for a while.-]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.DiffText(&buf, tt.diff); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDiffHTML(t *testing.T) {
	f := MustRoadMap(t)
	r := MustRenderer(t)
	var buf bytes.Buffer
	if err := r.DiffHTML(&buf, f.Diff); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		`<del data-delegation="KZ" title="Proposed by KZ">prepare</del><ins data-delegation="KZ" title="Proposed by KZ">draft</ins><sup class="delegation" title="Proposed by KZ">KZ</sup>`,
		`meet at least twice a year &amp; report &lt;in writing&gt; to the Committee.`,
		`class="provision paragraph inserted"`,
		`class="provision paragraph deleted"`,
		`class="provision paragraph moved renumbered"`,
		`<del class="number-old">6.</del> → <ins class="number-new">7.</ins>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("DiffHTML lacks %q", want)
		}
	}
	if strings.Contains(got, "<in writing>") {
		t.Error("DiffHTML did not escape the text")
	}
	Golden(t, "diff.html.golden", buf.Bytes())
}

func TestCompilationHTML(t *testing.T) {
	f := MustRoadMap(t)
	r := MustRenderer(t)
	var buf bytes.Buffer
	if err := r.CompilationHTML(&buf, f.Doc, f.V1, f.Compilation); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		`<span class="op">Amendment</span> — <span class="proposal-name">Proposal 7 (Kazakhstan); Proposal 8 (Kyrgyzstan)</span>; co-sponsored by <span class="cosponsor">Tajikistan</span>`,
		`<span class="op">Deletion</span> — <span class="proposal-name">Proposal 2 (China)</span>`,
		`<div class="proposal sub-amendment" data-proposals="P-9" data-delegations="IN"><p class="proposal-by"><span class="op">Sub-amendment</span> — <span class="proposal-name">Proposal 9 (India), amending Proposal 7</span></p>`,
		`draft <ins data-delegation="IN" title="Proposed by IN">and table </ins>the`,
		`<span class="proposal-name">Proposal 3 (Russian Federation), made orally, recorded by the chair</span>`,
		`<span class="op">Move after 12</span>`,
		`<span class="op">Insertion after 6</span>`,
		`<del data-delegation="KZ, KG" title="Proposed by KZ, KG">prepare</del>`,
		`<p class="justification"><span class="delegation">KZ</span>: “Draft” says what the Committee does.</p>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CompilationHTML lacks %q", want)
		}
	}
	Golden(t, "compilation.html.golden", buf.Bytes())
}
