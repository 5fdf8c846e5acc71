package render_test

import (
	"bytes"
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
		"mobili[-s-][+z+]{TR}e",
		"6. → 7.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("DiffText lacks %q", want)
		}
	}
	Golden(t, "diff.txt.golden", buf.Bytes())
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
		`<span class="op">Amendment</span> proposed by <span class="delegation">KZ</span>, <span class="delegation">KG</span>; co-sponsored by <span class="cosponsor">TJ</span>`,
		`<span class="op">Deletion</span> proposed by <span class="delegation">CN</span>`,
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
