package web_test

import (
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
