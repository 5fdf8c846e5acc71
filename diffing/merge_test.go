package diffing_test

import (
	"testing"

	"chancery/diffing"
)

func TestMerge3(t *testing.T) {
	const base = "The Member States agree to meet annually in Astana to review the Road Map."
	tests := []struct {
		name         string
		ours, theirs string
		want         string
		ok           bool
	}{
		{"disjoint edits in one paragraph merge",
			"The Member States agree to meet twice a year in Astana to review the Road Map.",
			"The Member States shall agree to meet annually in Astana to review the whole Road Map.",
			"The Member States shall agree to meet twice a year in Astana to review the whole Road Map.", true},
		{"edits of neighbouring words merge",
			"The Member States agree to meet annually in Almaty to review the Road Map.",
			"The Member States agree to convene annually in Astana to review the Road Map.",
			"The Member States agree to convene annually in Almaty to review the Road Map.", true},
		{"same words changed differently collide",
			"The Member States agree to meet twice a year in Astana to review the Road Map.",
			"The Member States agree to meet every two years in Astana to review the Road Map.",
			"", false},
		{"same change on both sides merges",
			"The Member States agree to meet biennially in Astana to review the Road Map.",
			"The Member States agree to meet biennially in Astana to review the Road Map, and its annexes.",
			"The Member States agree to meet biennially in Astana to review the Road Map, and its annexes.", true},
		{"insertion at the same point with different text collides",
			"The Member States agree to meet annually in Astana to review and update the Road Map.",
			"The Member States agree to meet annually in Astana to review and adopt the Road Map.",
			"", false},
		{"same insertion at the same point merges",
			"The Member States agree to meet annually in Astana to review and update the Road Map.",
			"The Member States hereby agree to meet annually in Astana to review and update the Road Map.",
			"The Member States hereby agree to meet annually in Astana to review and update the Road Map.", true},
		{"one side deletes a word the other edits",
			"The Member States agree to meet in Astana to review the Road Map.",
			"The Member States agree to meet yearly in Astana to review the Road Map.",
			"", false},
		{"deletion next to an edit collides",
			"The Member States agree to meet annually to review the Road Map.",
			"The Member States agree to meet annually in Almaty to review the Road Map.",
			"", false},
		{"one side unchanged",
			base,
			"The Member States agree to meet annually in Almaty.",
			"The Member States agree to meet annually in Almaty.", true},
		{"both sides equal", "A new text.", "A new text.", "A new text.", true},
		{"cyrillic",
			"The Member States agree to meet annually in Астана to review the Road Map.",
			"The Member States agree to meet annually in Astana to review the Дорожная карта.",
			"The Member States agree to meet annually in Астана to review the Дорожная карта.", true},
	}
	d := diffing.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := d.Merge3(base, tt.ours, tt.theirs)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Merge3 = %q, %v\nwant %q, %v", got, ok, tt.want, tt.ok)
			}
			// A merge does not depend on which side is ours.
			got2, ok2 := d.Merge3(base, tt.theirs, tt.ours)
			if got2 != got || ok2 != ok {
				t.Errorf("Merge3 with the sides swapped = %q, %v; want %q, %v", got2, ok2, got, ok)
			}
		})
	}
}

func FuzzMerge3(f *testing.F) {
	f.Add("The Member States agree.", "The Member States shall agree.", "The States agree!")
	f.Add("a b c d", "a x c d", "a b c y")
	f.Add("Совещание", "Совещание по", "")
	d := diffing.New()
	f.Fuzz(func(t *testing.T, base, ours, theirs string) {
		for _, c := range []struct{ b, o, t, want string }{
			{base, ours, base, ours},
			{base, base, theirs, theirs},
			{base, ours, ours, ours},
		} {
			if got, ok := d.Merge3(c.b, c.o, c.t); !ok || got != c.want {
				t.Fatalf("Merge3(%q, %q, %q) = %q, %v; want %q, true", c.b, c.o, c.t, got, ok, c.want)
			}
		}
		got, ok := d.Merge3(base, ours, theirs)
		if !ok {
			if got != "" {
				t.Fatalf("a collision gives %q, want \"\"", got)
			}
			return
		}
		// A clean merge keeps every change of each side: the diff from
		// the other side to the merge is the diff from base to this one.
		got2, ok2 := d.Merge3(base, theirs, ours)
		if !ok2 || got2 != got {
			t.Fatalf("Merge3 is not symmetric: %q, %v and %q, %v", got, ok, got2, ok2)
		}
	})
}
