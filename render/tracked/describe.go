// Package tracked writes a diff's tracked changes as plain text and as HTML,
// and holds how changes are named and described, which the PDF writer of
// package render shares. It links no PDF or font library: chancery diff,
// which needs nothing else of render, starts without initialising them.
package tracked

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"chancery/drafts"
)

// ExcerptRunes is how much of an unnumbered provision's text names it.
const ExcerptRunes = 40

// Excerpt returns the start of s, at most n runes, with "…" if cut.
func Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(drafts.NoteBody(s)), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for j := range s {
		if count == n {
			i = j
			break
		}
		count++
	}
	return strings.TrimRight(s[:i], " ") + "…"
}

// Numbered reports whether a provision's marker is a number such as "3."
// or "(a)" (not "#" nor empty).
func Numbered(number string) bool {
	return number != "" && !strings.HasPrefix(number, "#")
}

// ShortNumber is a marker without its final period: "3." → "3".
func ShortNumber(number string) string {
	if len(number) > 1 {
		return strings.TrimSuffix(number, ".")
	}
	return number
}

// provisionName names a provision in a sentence, in English:
// `provision 7`, `item (a)`, `heading "Cluster II…"`, `paragraph "The…"`.
func provisionName(kind, number, text string) string {
	switch {
	case Numbered(number) && kind == drafts.KindItem:
		return "item " + number
	case drafts.IsNumberedHeading(number):
		return ShortNumber(number)
	case Numbered(number):
		return "provision " + ShortNumber(number)
	case kind == drafts.KindHeading:
		return `heading "` + Excerpt(text, ExcerptRunes) + `"`
	default:
		return `paragraph "` + Excerpt(text, ExcerptRunes) + `"`
	}
}

// ProvisionRef refers to a provision after a preposition: `3`, `(a)`,
// `heading "Cluster II…"`; the empty id is "the start".
func ProvisionRef(kind, number, text string) string {
	if Numbered(number) {
		return ShortNumber(number)
	}
	return provisionName(kind, number, text)
}

// diffRef names the provision with id in the new text of d, for
// "moved after ..." lines.
func diffRef(d *drafts.Diff, id string) string {
	if id == "" {
		return "the start"
	}
	for _, c := range d.Changes {
		if c.Provision == id && c.Kind != drafts.ChangeDeleted {
			return ProvisionRef(c.ProvisionKind, c.Number, c.Text)
		}
	}
	return "provision " + id
}

// ChangeDelegations returns the delegations of a change: its own list, or
// else those named on its segments, in order of appearance.
func ChangeDelegations(c *drafts.Change) []string {
	if len(c.Delegations) > 0 {
		return c.Delegations
	}
	var out []string
	for _, s := range c.Segments {
		if s.Delegation != "" && !slices.Contains(out, s.Delegation) {
			out = append(out, s.Delegation)
		}
	}
	return out
}

// SegmentTag is the attribution shown after a changed segment: its own
// delegation, or the change's delegations.
func SegmentTag(s drafts.Segment, c *drafts.Change) string {
	if s.Delegation != "" {
		return s.Delegation
	}
	return strings.Join(c.Delegations, ", ")
}

// SegmentRun is a run of segments: an equal one, or consecutive inserted
// and deleted ones with the same attribution.
type SegmentRun struct {
	Segs    []drafts.Segment
	Changed bool
	Tag     string
}

// SegmentRuns groups segments for attribution: one tag after each run of
// changes by the same delegations.
func SegmentRuns(segs []drafts.Segment, tag func(drafts.Segment) string) []SegmentRun {
	var runs []SegmentRun
	for i := 0; i < len(segs); {
		s := segs[i]
		if s.Op == drafts.SegEqual {
			runs = append(runs, SegmentRun{Segs: segs[i : i+1]})
			i++
			continue
		}
		t := tag(s)
		j := i + 1
		for j < len(segs) && segs[j].Op != drafts.SegEqual && tag(segs[j]) == t {
			j++
		}
		runs = append(runs, SegmentRun{Segs: segs[i:j], Changed: true, Tag: t})
		i = j
	}
	return runs
}

// ModifiedSegments returns the segments of a change's text: its own, or
// for a change without them, the old text deleted and the new inserted.
func ModifiedSegments(c *drafts.Change) []drafts.Segment {
	if len(c.Segments) > 0 {
		return WholeWords(c.Segments)
	}
	if c.OldText == c.Text || c.OldText == "" {
		return []drafts.Segment{{Op: drafts.SegEqual, Text: c.Text}}
	}
	return []drafts.Segment{
		{Op: drafts.SegDelete, Text: c.OldText},
		{Op: drafts.SegInsert, Text: c.Text},
	}
}

// Facets says what a change did to its provision besides its kind, or as
// its kind: moved it, gave it another number, changed its words.
type Facets struct{ Moved, Renumbered, Modified bool }

// FacetsOf returns what change c did to its provision.
func FacetsOf(c *drafts.Change) Facets {
	return Facets{
		Moved:      c.Moved || c.Kind == drafts.ChangeMoved,
		Renumbered: (c.Renumbered || c.Kind == drafts.ChangeRenumbered) && OldNumber(c) != c.Number,
		Modified:   c.Modified || c.Kind == drafts.ChangeModified,
	}
}

// OldNumber is the number a provision had in the old text.
func OldNumber(c *drafts.Change) string {
	if c.OldNumber != "" {
		return c.OldNumber
	}
	return c.Number
}

// WholeWords returns segments in which every change covers whole words, as
// people read tracked changes on paper and on screen: a change that begins
// or ends inside a word (the character detail of a diff, such as
// "organi[-s-][+z+]ation" or "decision[+s+]") takes in the rest of the
// word, in both its deleted and its inserted text, so that the old word is
// struck whole and the new one underlined whole ("[-organisation-]
// [+organization+]"). A word is a run of letters, digits and combining
// marks. Changes that meet equal text only at spaces or punctuation are
// left as they are, so no word that did not change is ever marked. The
// segments given are not modified.
func WholeWords(segs []drafts.Segment) []drafts.Segment {
	items := wordItems(segs)
	items, moved := widenToWords(items)
	if !moved {
		return segs
	}
	return itemSegments(items, len(segs))
}

// wordItems groups segments into items that alternate between equal texts
// and changes.
func wordItems(segs []drafts.Segment) []wordItem {
	var items []wordItem
	for _, s := range segs {
		if s.Op == drafts.SegEqual {
			items = append(items, wordItem{eq: true, text: s.Text})
			continue
		}
		if n := len(items); n == 0 || items[n-1].eq {
			items = append(items, wordItem{})
		}
		it := &items[len(items)-1]
		if s.Op == drafts.SegDelete {
			it.del = append(it.del, s)
		} else {
			it.ins = append(it.ins, s)
		}
	}
	return items
}

// widenToWords moves into the changes around each equal text the parts of
// words they begin or end inside of, and reports whether it moved any.
func widenToWords(items []wordItem) ([]wordItem, bool) {
	moved := false
	for i := 0; i < len(items); i++ {
		it := &items[i]
		if !it.eq {
			continue
		}
		text := it.text
		var prev, next *wordItem
		if i > 0 {
			prev = &items[i-1]
		}
		if i+1 < len(items) {
			next = &items[i+1]
		}
		// The word the equal text starts with belongs to the change
		// before it if that change ends inside the word, and the word it
		// ends with to the change after it if that one starts inside it.
		head, tail := 0, len(text)
		if prev != nil && prev.endsInWord() {
			head = wordPrefix(text)
		}
		if next != nil && next.startsInWord() {
			tail = len(text) - wordSuffix(text)
		}
		if head == 0 && tail == len(text) {
			continue
		}
		moved = true
		if prev != nil && next != nil && head == len(text) && tail == 0 {
			// A single word between two changes makes them one change.
			prev.appendText(text)
			prev.del = append(prev.side(drafts.SegDelete), next.del...)
			prev.ins = append(prev.side(drafts.SegInsert), next.ins...)
			items = append(items[:i], items[i+2:]...)
			i -= 2
			continue
		}
		if head > tail {
			head = tail
		}
		if head > 0 {
			prev.appendText(text[:head])
		}
		if tail < len(text) {
			next.prependText(text[tail:])
		}
		it.text = text[head:tail]
	}
	return items, moved
}

// itemSegments returns the segments of items (about n of them), joining
// neighbours of one op and attribution and leaving out empty ones.
func itemSegments(items []wordItem, n int) []drafts.Segment {
	out := make([]drafts.Segment, 0, n)
	add := func(s drafts.Segment) {
		if s.Text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == s.Op && out[n-1].Delegation == s.Delegation && out[n-1].Proposal == s.Proposal {
			out[n-1].Text += s.Text
			return
		}
		out = append(out, s)
	}
	for _, it := range items {
		if it.eq {
			add(drafts.Segment{Op: drafts.SegEqual, Text: it.text})
			continue
		}
		for _, s := range it.del {
			add(s)
		}
		for _, s := range it.ins {
			add(s)
		}
	}
	return out
}

// wordItem is an equal text, or a change: its deleted and inserted
// segments, for WholeWords.
type wordItem struct {
	eq       bool
	text     string
	del, ins []drafts.Segment
}

// side returns a change's segments of one op, with one made (empty, with
// the attribution of the other op's first) if there were none.
func (it *wordItem) side(op string) []drafts.Segment {
	list, other := &it.del, it.ins
	if op == drafts.SegInsert {
		list, other = &it.ins, it.del
	}
	if len(*list) == 0 {
		*list = []drafts.Segment{{Op: op, Delegation: other[0].Delegation, Proposal: other[0].Proposal}}
	}
	return *list
}

// appendText adds equal text at the end of both sides of a change.
func (it *wordItem) appendText(text string) {
	d, n := it.side(drafts.SegDelete), it.side(drafts.SegInsert)
	d[len(d)-1].Text += text
	n[len(n)-1].Text += text
}

// prependText adds equal text at the start of both sides of a change.
func (it *wordItem) prependText(text string) {
	d, n := it.side(drafts.SegDelete), it.side(drafts.SegInsert)
	d[0].Text = text + d[0].Text
	n[0].Text = text + n[0].Text
}

// endsInWord reports whether a change's deleted or inserted text ends with
// a word character.
func (it *wordItem) endsInWord() bool {
	return (len(it.del) > 0 && lastIsWord(it.del[len(it.del)-1].Text)) ||
		(len(it.ins) > 0 && lastIsWord(it.ins[len(it.ins)-1].Text))
}

// startsInWord reports whether a change's deleted or inserted text starts
// with a word character.
func (it *wordItem) startsInWord() bool {
	return (len(it.del) > 0 && firstIsWord(it.del[0].Text)) || (len(it.ins) > 0 && firstIsWord(it.ins[0].Text))
}

// IsWordChar reports whether r is part of a word: a letter, a digit or a
// combining mark.
func IsWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) }

func firstIsWord(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return n > 0 && IsWordChar(r)
}

func lastIsWord(s string) bool {
	r, n := utf8.DecodeLastRuneInString(s)
	return n > 0 && IsWordChar(r)
}

// wordPrefix is the length in bytes of the word characters s starts with.
func wordPrefix(s string) int {
	for i, r := range s {
		if !IsWordChar(r) {
			return i
		}
	}
	return len(s)
}

// wordSuffix is the length in bytes of the word characters s ends with.
func wordSuffix(s string) int {
	n := len(s)
	for n > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:n])
		if !IsWordChar(r) {
			break
		}
		n -= size
	}
	return len(s) - n
}
