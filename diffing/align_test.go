package diffing_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"chancery/bench/diff/gendoc"
	"chancery/diffing"
	"chancery/drafts"
)

// checkAlignment checks that an alignment is in range and matches no base
// provision twice.
func checkAlignment(tb testing.TB, match []int, nbase int) {
	tb.Helper()
	seen := map[int]bool{}
	for i, j := range match {
		if j < -1 || j >= nbase {
			tb.Fatalf("edited %d matches base %d, out of range", i, j)
		}
		if j >= 0 && seen[j] {
			tb.Fatalf("base %d matched twice", j)
		}
		seen[j] = true
	}
}

func TestAlign(t *testing.T) {
	base := "1. The Member States agree on the following Road Map.\n\n" +
		"2. The transformation shall be carried out in eight clusters.\n\n" +
		"(a) the purposes and principles of the organization;\n\n" +
		"(b) membership, observer status and partnership;\n\n" +
		"3. All decisions shall continue to be taken by consensus.\n\n" +
		"4. The Secretariat shall maintain the list of coordinating countries.\n"
	tests := []struct {
		name   string
		edited string
		want   []int
	}{
		{"same", base, []int{0, 1, 2, 3, 4, 5}},
		{"renumbering after an insertion keeps ids",
			"1. The Member States agree on the following Road Map.\n\n" +
				"2. A brand-new paragraph on the budget of the Secretariat.\n\n" +
				"3. The transformation shall be carried out in eight clusters.\n\n" +
				"(a) the purposes and principles of the organization;\n\n" +
				"(b) membership, observer status and partnership;\n\n" +
				"4. All decisions shall continue to be taken by consensus.\n\n" +
				"5. The Secretariat shall maintain the list of coordinating countries.\n",
			[]int{0, -1, 1, 2, 3, 4, 5}},
		{"an edited paragraph keeps its id",
			"1. The Member States agree on the following Road Map.\n\n" +
				"2. The transformation shall be carried out in nine clusters.\n\n" +
				"(a) the purposes and principles of the organization;\n\n" +
				"(b) membership, observer status and partnership;\n\n" +
				"3. All decisions shall continue to be taken by consensus.\n\n" +
				"4. The Secretariat shall maintain the list of coordinating countries.\n",
			[]int{0, 1, 2, 3, 4, 5}},
		{"a moved paragraph keeps its id",
			"1. The Secretariat shall maintain the list of coordinating countries.\n\n" +
				"2. The Member States agree on the following Road Map.\n\n" +
				"3. The transformation shall be carried out in eight clusters.\n\n" +
				"(a) the purposes and principles of the organization;\n\n" +
				"(b) membership, observer status and partnership;\n\n" +
				"4. All decisions shall continue to be taken by consensus.\n",
			[]int{5, 0, 1, 2, 3, 4}},
		{"a moved and edited paragraph keeps its id",
			"1. The Secretariat shall maintain and publish the list of coordinating countries.\n\n" +
				"2. The Member States agree on the following Road Map.\n\n" +
				"3. The transformation shall be carried out in eight clusters.\n\n" +
				"(a) the purposes and principles of the organization;\n\n" +
				"(b) membership, observer status and partnership;\n\n" +
				"4. All decisions shall continue to be taken by consensus.\n",
			[]int{5, 0, 1, 2, 3, 4}},
		{"a rewritten paragraph is new",
			"1. The Member States agree on the following Road Map.\n\n" +
				"2. Nothing in this Road Map affects the rights of observers.\n\n" +
				"(a) the purposes and principles of the organization;\n\n" +
				"(b) membership, observer status and partnership;\n\n" +
				"3. All decisions shall continue to be taken by consensus.\n\n" +
				"4. The Secretariat shall maintain the list of coordinating countries.\n",
			[]int{0, -1, 2, 3, 4, 5}},
		{"items relettered after a deletion",
			"1. The Member States agree on the following Road Map.\n\n" +
				"2. The transformation shall be carried out in eight clusters.\n\n" +
				"(a) membership, observer status and partnerships;\n\n" +
				"3. All decisions shall continue to be taken by consensus.\n\n" +
				"4. The Secretariat shall maintain the list of coordinating countries.\n",
			[]int{0, 1, 3, 4, 5}},
		{"repeated provisions in order",
			"1. The Member States agree on the following Road Map.\n\n" +
				"4. The Secretariat shall maintain the list of coordinating countries.\n\n" +
				"4. The Secretariat shall maintain the list of coordinating countries.\n",
			[]int{0, 5, -1}},
	}
	d := diffing.New()
	b := MustParse(t, base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustParse(t, tt.edited)
			got := d.Align(b, e)
			checkAlignment(t, got, len(b))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Align = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAlignSimilarInPlace checks that of two similar base provisions the
// one in the edited provision's place is chosen.
func TestAlignSimilarInPlace(t *testing.T) {
	base := MustParse(t, "# One\n\n(a) the report of the Secretariat on the budget;\n\n# Two\n\n(a) the report of the Secretariat on the staff;\n")
	edited := MustParse(t, "# One\n\n(a) the report of the Secretariat on the budget and staff;\n\n# Two\n\n(a) the annual report of the Secretariat on the staff;\n")
	if got, want := diffing.New().Align(base, edited), []int{0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("Align = %v, want %v", got, want)
	}
}

// TestAlignSample aligns the sample road map with a few edits: a new
// paragraph and the renumbering after it, an edited paragraph, a moved
// item, a deleted item, and an edited heading.
func TestAlignSample(t *testing.T) {
	text := corpus(t)["sample-draft-road-map.txt"]
	if text == "" {
		t.Fatal("no sample draft in the corpus")
	}
	base := MustParse(t, text)
	edited := slices.Clone(base)
	// p4 "# Cluster I. Institutional framework" → edited heading.
	edited[3].Text = "Cluster I. Institutional and legal framework"
	// p13 "6. All decisions ..." edited.
	edited[12].Text = strings.Replace(edited[12].Text, "continue to be taken", "be taken", 1)
	// A new paragraph after p13, and the paragraphs after it renumbered.
	edited = slices.Insert(edited, 13, drafts.Provision{Kind: drafts.KindParagraph, Number: "7.",
		Text: "The Chairmanship may convene extraordinary meetings at the request of a third of the Member States."})
	n := 8
	for i := 14; i < len(edited); i++ {
		if edited[i].Kind == drafts.KindParagraph && edited[i].Number != "" {
			edited[i].Number = fmt.Sprintf("%d.", n)
			n++
		}
	}
	// Item (d) p10 goes before item (a) p7; item (c) p9 is deleted.
	d10 := edited[9]
	edited = slices.Delete(edited, 8, 10)
	edited = slices.Insert(edited, 6, d10)
	canonicalGaps(edited, "\n")
	printed := drafts.PrintProvisions(edited)
	reparsed, err := drafts.ParseText(printed, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := diffing.New().Align(base, reparsed.Provisions)
	checkAlignment(t, got, len(base))
	var want []int
	for _, p := range edited {
		j := -1
		if p.ID != "" {
			fmt.Sscanf(p.ID, "p%d", &j)
			j--
		}
		want = append(want, j)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Align =\n%v\nwant\n%v", got, want)
	}
}

// TestAlignCorpus checks, over random edits of every corpus text, that the
// provisions the edits kept with the same text keep their ids, and that
// every match is either of the same text or of a similar one.
func TestAlignCorpus(t *testing.T) {
	d := diffing.New()
	for name, text := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			base := MustParse(t, text)
			r := newRand(name)
			next := 0
			for k := 0; k < 100; k++ {
				edited := randomEdit(r, base, &next)
				got := d.Align(base, edited)
				checkAlignment(t, got, len(base))
				byID := map[string]int{}
				for j, p := range base {
					byID[p.ID] = j
				}
				texts := map[string]int{}
				for _, p := range edited {
					texts[p.Text]++
				}
				for i, p := range edited {
					j, inBase := byID[p.ID]
					if inBase && base[j].Text == p.Text && texts[p.Text] == 1 && got[i] != j {
						t.Fatalf("edit %d: %s (%q) matched base %d, want %d", k, p.ID, p.Text, got[i], j)
					}
				}
			}
		})
	}
}

// TestAlignManyEdited aligns a text of 2,000 provisions every one of which
// is edited, enough for the word sets to be made on several goroutines.
func TestAlignManyEdited(t *testing.T) {
	o, _ := gendoc.Pair(2000, 5)
	base := MustParse(t, o)
	edited := slices.Clone(base)
	for i := range edited {
		edited[i].Text += fmt.Sprintf(" (edit %d)", i)
	}
	// Two provisions swap places too.
	edited[10], edited[1500] = edited[1500], edited[10]
	got := diffing.New().Align(base, edited)
	checkAlignment(t, got, len(base))
	for i, j := range got {
		want := i
		switch i {
		case 10:
			want = 1500
		case 1500:
			want = 10
		}
		if j != want {
			t.Fatalf("edited %d matches base %d, want %d", i, j, want)
		}
	}
}
