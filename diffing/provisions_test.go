package diffing_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"chancery/bench/diff/gendoc"
	"chancery/diffing"
	"chancery/drafts"
)

// MustParse parses a text and gives its provisions the ids p1, p2, ...
func MustParse(tb testing.TB, s string) []drafts.Provision {
	tb.Helper()
	t, err := drafts.ParseText(s, drafts.Limits{})
	if err != nil {
		tb.Fatalf("ParseText: %v", err)
	}
	for i := range t.Provisions {
		t.Provisions[i].ID = fmt.Sprintf("p%d", i+1)
	}
	return t.Provisions
}

// withIDs parses a text whose provisions are prefixed "id|".
func withIDs(tb testing.TB, s string) []drafts.Provision {
	tb.Helper()
	var ids []string
	var b strings.Builder
	for i, block := range strings.Split(s, "\n\n") {
		id, markup, ok := strings.Cut(block, "|")
		if !ok {
			tb.Fatalf("block %d has no id: %q", i, block)
		}
		ids = append(ids, id)
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(markup)
	}
	b.WriteString("\n")
	ps := MustParse(tb, b.String())
	for i := range ps {
		ps[i].ID = ids[i]
	}
	return ps
}

// summary shows a diff's changes one a line: kind, id, flags, after, number
// change, and rendered segments.
func summary(d *drafts.Diff) string {
	var b strings.Builder
	for _, c := range d.Changes {
		fmt.Fprintf(&b, "%s %s", c.Kind, c.Provision)
		for _, f := range []struct {
			on   bool
			name string
		}{{c.Moved, "moved"}, {c.Renumbered, "renumbered"}, {c.Modified, "modified"}} {
			if f.on && f.name != c.Kind {
				b.WriteString(" +" + f.name)
			}
		}
		if c.Kind == drafts.ChangeInserted || c.Moved {
			fmt.Fprintf(&b, " after=%q", c.After)
		}
		if c.Renumbered {
			fmt.Fprintf(&b, " %q→%q", c.OldNumber, c.Number)
		}
		if len(c.Segments) > 0 {
			b.WriteString(" " + render(c.Segments))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestProvisions(t *testing.T) {
	base := "a|1. The Member States agree.\n\nb|2. Decisions by consensus.\n\nc|3. The Secretariat reports.\n\nd|4. Review every four years."
	tests := []struct {
		name, old, new, want string
	}{
		{"unchanged", base, base,
			"unchanged a\nunchanged b\nunchanged c\nunchanged d\n"},
		{"modified", base,
			"a|1. The Member States agree.\n\nb|2. Decisions by consensus only.\n\nc|3. The Secretariat reports.\n\nd|4. Review every four years.",
			"unchanged a\nmodified b Decisions by consensus{+ only+}.\nunchanged c\nunchanged d\n"},
		{"inserted and renumbered", base,
			"a|1. The Member States agree.\n\nx|2. A new paragraph.\n\nb|3. Decisions by consensus.\n\nc|4. The Secretariat reports.\n\nd|5. Review every four years.",
			"unchanged a\ninserted x after=\"a\"\nrenumbered b \"2.\"→\"3.\"\nrenumbered c \"3.\"→\"4.\"\nrenumbered d \"4.\"→\"5.\"\n"},
		{"inserted first", base,
			"x|# Heading\n\na|1. The Member States agree.\n\nb|2. Decisions by consensus.\n\nc|3. The Secretariat reports.\n\nd|4. Review every four years.",
			"inserted x after=\"\"\nunchanged a\nunchanged b\nunchanged c\nunchanged d\n"},
		{"deleted where it stood", base,
			"a|1. The Member States agree.\n\nc|2. The Secretariat reports.\n\nd|3. Review every four years.",
			"unchanged a\ndeleted b\nrenumbered c \"3.\"→\"2.\"\nrenumbered d \"4.\"→\"3.\"\n"},
		{"deleted last", base,
			"a|1. The Member States agree.\n\nb|2. Decisions by consensus.\n\nc|3. The Secretariat reports.",
			"unchanged a\nunchanged b\nunchanged c\ndeleted d\n"},
		{"one move down is one move", base,
			"b|2. Decisions by consensus.\n\nc|3. The Secretariat reports.\n\nd|4. Review every four years.\n\na|1. The Member States agree.",
			"unchanged b\nunchanged c\nunchanged d\nmoved a after=\"d\"\n"},
		{"one move up is one move", base,
			"d|4. Review every four years.\n\na|1. The Member States agree.\n\nb|2. Decisions by consensus.\n\nc|3. The Secretariat reports.",
			"moved d after=\"\"\nunchanged a\nunchanged b\nunchanged c\n"},
		{"moved, renumbered and modified", base,
			"a|1. The Member States agree.\n\nc|2. The Secretariat reports.\n\nd|3. Review every four years.\n\nb|4. Decisions by consensus, as a rule.",
			"unchanged a\nrenumbered c \"3.\"→\"2.\"\nrenumbered d \"4.\"→\"3.\"\nmoved b +renumbered +modified after=\"d\" \"2.\"→\"4.\" Decisions by consensus{+, as a rule+}.\n"},
		{"all replaced", "a|1. One.", "b|1. Two.",
			"inserted b after=\"\"\ndeleted a\n"},
	}
	d := diffing.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := withIDs(t, tt.old), withIDs(t, tt.new)
			diff := d.Provisions(old, new)
			if got, want := summary(diff), tt.want; got != want {
				t.Errorf("changes:\n%s\nwant:\n%s", got, want)
			}
			if diff.Coarse {
				t.Errorf("Coarse = true, want false")
			}
			checkOperations(t, old, new, diff)
		})
	}
}

// TestProvisionsFields checks the old and new numbers and texts a change
// carries.
func TestProvisionsFields(t *testing.T) {
	old := withIDs(t, "a|1. Alpha beta.\n\nb|(a) gamma;\n\nc|2. Delta.")
	new := withIDs(t, "a|1. Alpha beta gamma.\n\nb|(b) gamma;")
	diff := diffing.New().Provisions(old, new)
	want := []drafts.Change{
		{Kind: drafts.ChangeModified, Provision: "a", ProvisionKind: drafts.KindParagraph, Number: "1.",
			OldText: "Alpha beta.", Text: "Alpha beta gamma.", Modified: true,
			Segments: []drafts.Segment{{Op: "equal", Text: "Alpha beta"}, {Op: "insert", Text: " gamma"}, {Op: "equal", Text: "."}}},
		{Kind: drafts.ChangeRenumbered, Provision: "b", ProvisionKind: drafts.KindItem, OldNumber: "(a)", Number: "(b)",
			Text: "gamma;", Renumbered: true},
		{Kind: drafts.ChangeDeleted, Provision: "c", ProvisionKind: drafts.KindParagraph, OldNumber: "2.", OldText: "Delta."},
	}
	got, _ := json.MarshalIndent(diff.Changes, "", "  ")
	exp, _ := json.MarshalIndent(want, "", "  ")
	if string(got) != string(exp) {
		t.Errorf("changes:\n%s\nwant:\n%s", got, exp)
	}
}

// checkOperations checks that the diff's operations make new from old.
func checkOperations(tb testing.TB, old, new []drafts.Provision, diff *drafts.Diff) {
	tb.Helper()
	n := 0
	got, err := drafts.ApplyOperations(old, diff.Operations(), func() string { n++; return fmt.Sprintf("new%d", n) }, drafts.Limits{})
	if err != nil {
		tb.Fatalf("ApplyOperations: %v\nchanges:\n%s", err, summary(diff))
	}
	if g, w := drafts.PrintProvisions(got), drafts.PrintProvisions(new); g != w {
		tb.Fatalf("operations give:\n%s\nwant:\n%s\nchanges:\n%s", g, w, summary(diff))
	}
	gotIDs, wantIDs := ids(got), ids(new)
	if !slices.Equal(gotIDs, wantIDs) {
		tb.Fatalf("operations give ids %v, want %v", gotIDs, wantIDs)
	}
}

func ids(ps []drafts.Provision) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// canonicalGaps sets every gap but the last to a blank line, and the last
// to ending.
func canonicalGaps(ps []drafts.Provision, ending string) {
	for i := range ps {
		ps[i].Gap = "\n\n"
	}
	if len(ps) > 0 {
		ps[len(ps)-1].Gap = ending
	}
}

// randomEdit returns a copy of old with random edits: word replacements,
// insertions and deletions inside provisions, inserted, deleted and moved
// provisions, and renumbering. Its gaps are canonical, ending as old does.
func randomEdit(r *rand.Rand, old []drafts.Provision, next *int) []drafts.Provision {
	new := slices.Clone(old)
	for k := 1 + r.IntN(6); k > 0; k-- {
		switch r.IntN(6) {
		case 0, 1: // edit words
			if len(new) > 0 {
				i := r.IntN(len(new))
				if t := editWords(r, new[i].Text, 1+r.IntN(4)); t != "" && reparses(new[i].Number, t) {
					new[i].Text = t
				}
			}
		case 2: // insert
			*next++
			p := drafts.Provision{ID: fmt.Sprintf("x%d", *next), Kind: drafts.KindParagraph,
				Number: fmt.Sprintf("%d.", r.IntN(50)), Text: fmt.Sprintf("A new paragraph number %d.", *next)}
			if r.IntN(3) == 0 {
				p.Kind, p.Number = drafts.KindItem, "(z)"
			}
			at := r.IntN(len(new) + 1)
			new = slices.Insert(new, at, p)
		case 3: // delete
			if len(new) > 1 {
				i := r.IntN(len(new))
				new = slices.Delete(new, i, i+1)
			}
		case 4: // move
			if len(new) > 1 {
				i := r.IntN(len(new))
				p := new[i]
				new = slices.Delete(new, i, i+1)
				new = slices.Insert(new, r.IntN(len(new)+1), p)
			}
		case 5: // renumber the numbered paragraphs from some point on
			from, n := r.IntN(len(new)), 1+r.IntN(40)
			for i := from; i < len(new); i++ {
				if new[i].Kind == drafts.KindParagraph && new[i].Number != "" {
					new[i].Number = fmt.Sprintf("%d.", n)
					n++
				}
			}
		}
	}
	ending := ""
	if len(old) > 0 {
		ending = old[len(old)-1].Gap
	}
	canonicalGaps(new, ending)
	return new
}

// TestProvisionsOperations is the property that a diff's operations make
// its new text from its old one, over random edits of every corpus text.
func TestProvisionsOperations(t *testing.T) {
	d := diffing.New()
	r := rand.New(rand.NewPCG(11, 13))
	for name, text := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			old := MustParse(t, text)
			// Operations cannot change the gap after a provision kept in
			// place (see the package's report on drafts): start from
			// canonical gaps.
			canonicalGaps(old, old[len(old)-1].Gap)
			next := 0
			for k := 0; k < 200; k++ {
				new := randomEdit(r, old, &next)
				diff := d.Provisions(old, new)
				checkOperations(t, old, new, diff)
				checkChanges(t, old, new, diff)
			}
		})
	}
}

// checkChanges checks a diff against the ids of both lists: every provision
// of new once in order, every deleted provision of old once, flags that
// agree with the texts and numbers, and word segments for modified ones.
func checkChanges(tb testing.TB, old, new []drafts.Provision, diff *drafts.Diff) {
	tb.Helper()
	oldBy := map[string]drafts.Provision{}
	for _, p := range old {
		oldBy[p.ID] = p
	}
	var order []string
	deleted := 0
	for _, c := range diff.Changes {
		o, inOld := oldBy[c.Provision]
		switch {
		case c.Kind == drafts.ChangeDeleted:
			deleted++
			if !inOld {
				tb.Fatalf("deleted %s is not in old", c.Provision)
			}
			continue
		case c.Kind == drafts.ChangeInserted:
			if inOld {
				tb.Fatalf("inserted %s is in old", c.Provision)
			}
		default:
			if !inOld {
				tb.Fatalf("%s %s is not in old", c.Kind, c.Provision)
			}
			if got, want := c.Modified, o.Text != c.Text; got != want {
				tb.Fatalf("%s: Modified = %v, want %v", c.Provision, got, want)
			}
			if got, want := c.Renumbered, o.Number != c.Number; got != want {
				tb.Fatalf("%s: Renumbered = %v, want %v", c.Provision, got, want)
			}
			if c.Modified {
				checkSegments(tb, c.Segments, o.Text, c.Text)
			} else if len(c.Segments) > 0 {
				tb.Fatalf("%s: segments without a change of text", c.Provision)
			}
		}
		order = append(order, c.Provision)
	}
	if got, want := order, ids(new); !slices.Equal(got, want) {
		tb.Fatalf("changes in order %v, want %v", got, want)
	}
	inNew := map[string]bool{}
	for _, p := range new {
		inNew[p.ID] = true
	}
	want := 0
	for _, p := range old {
		if !inNew[p.ID] {
			want++
		}
	}
	if got := deleted; got != want {
		tb.Fatalf("%d deleted, want %d", got, want)
	}
}

func TestProvisionsGolden(t *testing.T) {
	text := corpus(t)["sample-draft-road-map.txt"]
	if text == "" {
		t.Fatal("no sample draft in the corpus")
	}
	old := MustParse(t, text)
	new := slices.Clone(old)
	// Edit paragraph 6 (p13), insert a paragraph after p13 and renumber,
	// move the Secretariat cluster's heading first, delete item (d).
	new[12].Text = "All decisions shall continue to be taken by consensus of the Member States."
	ins := drafts.Provision{ID: "new1", Kind: drafts.KindParagraph, Number: "7.", Text: "Decisions on procedural matters may be taken by the Chairmanship."}
	new = slices.Insert(new, 13, ins)
	n := 8
	for i := 14; i < len(new); i++ {
		if new[i].Kind == drafts.KindParagraph && new[i].Number != "" {
			new[i].Number = fmt.Sprintf("%d.", n)
			n++
		}
	}
	new = slices.Delete(new, 9, 10)
	p := new[len(new)-3]
	new = slices.Delete(new, len(new)-3, len(new)-2)
	new = slices.Insert(new, 1, p)
	canonicalGaps(new, old[len(old)-1].Gap)
	diff := diffing.New().Provisions(old, new)
	checkOperations(t, old, new, diff)
	out, err := json.MarshalIndent(diff, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "provisions.golden", summary(diff)+"\n"+string(out)+"\n")
}

// TestProvisionsUnchangedCostsNothing checks that equal provisions are not
// word-diffed: even with no time at all, a diff with no change of text is
// not coarse.
func TestProvisionsUnchangedCostsNothing(t *testing.T) {
	text := corpus(t)["sample-draft-road-map.txt"]
	if text == "" {
		t.Fatal("no sample draft in the corpus")
	}
	old := MustParse(t, text)
	new := slices.Clone(old)
	new[0], new[1] = new[1], new[0]
	d := diffing.New()
	d.DiffTimeout = 1 // 1ns
	diff := d.Provisions(old, new)
	if diff.Coarse {
		t.Errorf("Coarse = true for a diff without word changes")
	}
	// A change of text with no time left is coarse.
	old[5].Text, new[5].Text = scramble(200, 1), scramble(200, 2)
	if diff := d.Provisions(old, new); !diff.Coarse {
		t.Errorf("Coarse = false for a word diff with 1ns")
	}
}

func FuzzProvisions(f *testing.F) {
	f.Add("# A\n\n1. One two.\n\n2. Three.\n", "# A\n\n1. Three.\n\n2. One two three.\n\n(a) New.\n")
	f.Add("1. a\n\n2. b\n\n3. c", "3. c\n\n1. a\n\nb")
	f.Add("Word.\n", "# Word\n\nWord.\n")
	d := diffing.New()
	f.Fuzz(func(t *testing.T, oldText, newText string) {
		ot, err := drafts.ParseText(oldText, drafts.Limits{})
		if err != nil {
			return
		}
		nt, err := drafts.ParseText(newText, drafts.Limits{})
		if err != nil {
			return
		}
		old, new := ot.Provisions, nt.Provisions
		if ending := old[len(old)-1].Gap; strings.Contains(ending, "\r") ||
			(strings.Count(ending, "\n") >= 2 && ending != "\n\n") {
			// Operations say nothing of gaps, and when the last provision
			// stops being the last, ApplyOperations keeps its ending if it
			// has two line breaks or more, and makes it "\r\n\r\n" if it
			// has a carriage return: such an ending cannot become "\n\n".
			return
		}
		for i := range old {
			old[i].ID = fmt.Sprintf("p%d", i+1)
		}
		canonicalGaps(old, old[len(old)-1].Gap)
		match := d.Align(old, new)
		checkAlignment(t, match, len(old))
		for i, j := range match {
			if j >= 0 {
				new[i].ID = old[j].ID
			} else {
				new[i].ID = fmt.Sprintf("x%d", i)
			}
		}
		canonicalGaps(new, old[len(old)-1].Gap)
		diff := d.Provisions(old, new)
		checkChanges(t, old, new, diff)
		for _, c := range diff.Changes {
			if c.Kind == drafts.ChangeInserted && !reparses(c.Number, c.Text) {
				return // an insert operation cannot make it: see TestOperationsInsertCR
			}
		}
		checkOperations(t, old, new, diff)
	})
}

// reparses reports whether the markup of a provision parses back to it.
func reparses(number, text string) bool {
	p := drafts.Provision{Number: number, Text: text}
	ps, err := drafts.ParseProvisions(p.Markup(), drafts.Limits{})
	return err == nil && len(ps) == 1 && ps[0].Number == number && ps[0].Text == text
}

// TestOperationsInsertCR: a provision whose text ends with a carriage
// return (the text "1\r\r") can be inserted: its markup parses back to it.
func TestOperationsInsertCR(t *testing.T) {
	old := MustParse(t, "0")
	new := MustParse(t, "1\r\r")
	new[0].ID = "x"
	canonicalGaps(new, old[0].Gap)
	diff := diffing.New().Provisions(old, new)
	if got, want := summary(diff), "inserted x after=\"\"\ndeleted p1\n"; got != want {
		t.Fatalf("changes:\n%s\nwant:\n%s", got, want)
	}
	if !reparses(new[0].Number, new[0].Text) {
		t.Fatalf("the markup %q parses to another provision, so no insert operation makes it", new[0].Markup())
	}
	checkOperations(t, old, new, diff)
}

// TestOperationsRemoveNumber: the operations of a diff that takes the
// number off a paragraph ("1. a" → "a") make its new text.
func TestOperationsRemoveNumber(t *testing.T) {
	old := withIDs(t, "a|1. Alpha.")
	new := withIDs(t, "a|Alpha.")
	diff := diffing.New().Provisions(old, new)
	if got, want := summary(diff), "renumbered a \"1.\"→\"\"\n"; got != want {
		t.Fatalf("changes:\n%s\nwant:\n%s", got, want)
	}
	got, err := drafts.ApplyOperations(old, diff.Operations(), func() string { return "n" }, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if g := drafts.PrintProvisions(got); g == "1. Alpha.\n" {
		t.Fatalf("ApplyOperations(%q, %+v) prints %q, want %q", "1. Alpha.", diff.Operations(), g, "Alpha.\n")
	}
	checkOperations(t, old, new, diff)
}

// TestProvisionsManyModified diffs a generated text with 400 modified
// provisions, enough for the word diffs to run on several goroutines, and
// checks each against Words and the operations against the new text.
func TestProvisionsManyModified(t *testing.T) {
	o, e := gendoc.Pair(4000, 3)
	old, new := MustParse(t, o), MustParse(t, e)
	d := diffing.New()
	diff := d.Provisions(old, new)
	if diff.Coarse {
		t.Fatal("coarse diff")
	}
	modified := 0
	for _, c := range diff.Changes {
		if !c.Modified {
			continue
		}
		modified++
		segs, _ := d.Words(c.OldText, c.Text)
		if got, want := render(c.Segments), render(segs); got != want {
			t.Fatalf("%s: segments %s, want %s", c.Provision, got, want)
		}
	}
	if got, want := modified, 400; got != want {
		t.Errorf("%d modified provisions, want %d", got, want)
	}
	checkChanges(t, old, new, diff)
	checkOperations(t, old, new, diff)
}
