package diffing

import (
	"slices"
	"testing"

	dmp "github.com/sergi/go-diff/diffmatchpatch"

	"chancery/drafts"
)

// TestAppendSegmentsJoins: neighbours of one operation make one segment,
// cut from old or new, and empty spans are left out.
func TestAppendSegmentsJoins(t *testing.T) {
	old, new := "a b c d", "a x y d"
	spans := []span{
		{op: dmp.DiffEqual, text: "a"}, {op: dmp.DiffEqual, text: " "},
		{op: dmp.DiffDelete, text: "b "}, {op: dmp.DiffDelete, text: "c"},
		{op: dmp.DiffInsert, text: ""},
		{op: dmp.DiffInsert, text: "x "}, {op: dmp.DiffInsert, text: "y"},
		{op: dmp.DiffEqual, text: " d"},
	}
	got := appendSegments(nil, spans, old, new)
	want := []drafts.Segment{
		{Op: drafts.SegEqual, Text: "a "},
		{Op: drafts.SegDelete, Text: "b c"},
		{Op: drafts.SegInsert, Text: "x y"},
		{Op: drafts.SegEqual, Text: " d"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
