package web_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/web"
)

// TestOneLine: the desk shows a change with a few words of context each
// side, "…" where words are left out, and escapes the text.
func TestOneLine(t *testing.T) {
	eq := func(s string) drafts.Segment { return drafts.Segment{Op: drafts.SegEqual, Text: s} }
	ins := func(s string) drafts.Segment { return drafts.Segment{Op: drafts.SegInsert, Text: s} }
	del := func(s string) drafts.Segment { return drafts.Segment{Op: drafts.SegDelete, Text: s} }
	for _, tc := range []struct {
		name string
		segs []drafts.Segment
		want string
	}{
		{"short", []drafts.Segment{eq("All "), del("decisions"), ins("resolutions"), eq(" shall")}, "All <del>decisions</del><ins>resolutions</ins> shall"},
		{"long sides", []drafts.Segment{eq("one two three four five six seven "), del("eight"), ins("8"), eq(" nine ten eleven twelve thirteen fourteen")},
			"… four five six seven <del>eight</del><ins>8</ins> nine ten eleven twelve …"},
		{"long middle", []drafts.Segment{del("A"), eq(" a b c d e f g h i j "), ins("B")}, "<del>A</del> a b c d … g h i j <ins>B</ins>"},
		{"escaped", []drafts.Segment{eq("x < y "), ins("& z")}, "x &lt; y <ins>&amp; z</ins>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(web.SegsHTML(web.OneLine(tc.segs, 4))); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestDeskRowsAsTheTemplate: the desk's rows, made in Go for speed, are
// the markup the template wrote, escaped alike, in English and Russian.
func TestDeskRowsAsTheTemplate(t *testing.T) {
	for _, l := range []string{"en", "ru"} {
		if got, want := web.DeskRows(l); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", l, got, want)
		}
	}
}

// TestDeskGroupAsTheTemplate: the desk's groups and collisions, made in
// Go for speed, are the markup the templates wrote, escaped alike, in
// English and Russian.
func TestDeskGroupAsTheTemplate(t *testing.T) {
	for _, l := range []string{"en", "ru"} {
		got, want := web.DeskGroups(l)
		if got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", l, got, want)
		}
		for _, s := range []string{"<section", "<fieldset class=\"collision\"", "data-delete=\"1\"", "&#43;", "<ins>new"} {
			if !strings.Contains(got, s) {
				t.Errorf("%s: no %q in the groups", l, s)
			}
		}
	}
}

// TestOneLineAsFields: oneLine reads a few words from each end of a
// segment; it shortens as splitting the whole segment into fields did
// (oneLineByFields), on random texts of words and spaces of every kind,
// and bytes that are not UTF-8.
func TestOneLineAsFields(t *testing.T) {
	pieces := []string{"a", "word", "слово", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u0085", "\xe2", "\x80", "\xe2\x80", "…", "<b>"}
	rnd := rand.New(rand.NewPCG(23, 1))
	text := func() string {
		var b strings.Builder
		for range rnd.IntN(40) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		return b.String()
	}
	ops := []string{drafts.SegEqual, drafts.SegInsert, drafts.SegDelete}
	for i := 0; i < 20000; i++ {
		segs := make([]drafts.Segment, 1+rnd.IntN(5))
		for j := range segs {
			segs[j] = drafts.Segment{Op: ops[rnd.IntN(3)], Text: text()}
		}
		n := 1 + rnd.IntN(5)
		got, want := web.OneLine(segs, n), oneLineByFields(segs, n)
		if len(got) != len(want) {
			t.Fatalf("%q, %d: got %q, want %q", segs, n, got, want)
		}
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("%q, %d: got %q, want %q", segs, n, got, want)
			}
		}
	}
}

// oneLineByFields is how oneLine shortened a change at first: every
// unchanged segment split into fields whole.
func oneLineByFields(segs []drafts.Segment, n int) []drafts.Segment {
	out := make([]drafts.Segment, 0, len(segs))
	for i, s := range segs {
		if s.Op != drafts.SegEqual {
			out = append(out, s)
			continue
		}
		w := strings.Fields(s.Text)
		first, last := i == 0, i == len(segs)-1
		text := strings.Join(w, " ")
		switch {
		case first && last:
			text = s.Text
		case first && len(w) > n:
			text = "… " + strings.Join(w[len(w)-n:], " ")
		case last && len(w) > n:
			text = strings.Join(w[:n], " ") + " …"
		case !first && !last && len(w) > 2*n:
			text = strings.Join(w[:n], " ") + " … " + strings.Join(w[len(w)-n:], " ")
		}
		if !first && strings.HasPrefix(s.Text, " ") {
			text = " " + text
		}
		if !last && strings.HasSuffix(s.Text, " ") {
			text += " "
		}
		out = append(out, drafts.Segment{Op: drafts.SegEqual, Text: text})
	}
	return out
}
