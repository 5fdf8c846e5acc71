package drafts

import "strings"

// NoteDiff is how one note of a provision changed in a word diff of the
// provision's text.
type NoteDiff struct {
	Label string
	// Segments diff the note's old text (equal and deleted segments) to
	// its new one (equal and inserted).
	Segments []Segment
	// Old and New say whether the note is in the old and the new text: a
	// note only in the new one was inserted, only in the old one deleted.
	Old, New bool
}

// SplitNoteSegments splits the word diff of a provision's text (segs,
// whose equal and deleted segments make the old text, equal and inserted
// ones the new text) into the diff of its body, which keeps the notes'
// markers, and the diff of each note's text: the new text's notes in
// their order, then the notes only the old text had. Segments keep their
// attribution. A text without notes on either side is its body.
func SplitNoteSegments(segs []Segment) (body []Segment, notes []NoteDiff) {
	var ob, nb strings.Builder
	for _, s := range segs {
		if s.Op != SegInsert {
			ob.WriteString(s.Text)
		}
		if s.Op != SegDelete {
			nb.WriteString(s.Text)
		}
	}
	oldR, newR := noteRegions(ob.String()), noteRegions(nb.String())
	if len(oldR) == 1 && len(newR) == 1 {
		return segs, nil
	}
	byLabel := map[string]*NoteDiff{}
	var order []string
	note := func(label string) *NoteDiff {
		if byLabel[label] == nil {
			byLabel[label] = &NoteDiff{Label: label}
			order = append(order, label)
		}
		return byLabel[label]
	}
	for _, r := range newR {
		if r.kind == regionNote {
			note(r.label).New = true
		}
	}
	for _, r := range oldR {
		if r.kind == regionNote {
			note(r.label).Old = true
		}
	}
	emit := func(r region, s Segment) {
		switch r.kind {
		case regionBody:
			body = appendSegment(body, s)
		case regionNote:
			n := note(r.label)
			n.Segments = appendSegment(n.Segments, s)
		}
	}
	o, n := 0, 0
	for _, s := range segs {
		for text := s.Text; text != ""; {
			var piece string
			switch s.Op {
			case SegInsert:
				r := regionAt(newR, n)
				piece = text[:min(len(text), r.end-n)]
				emit(r, Segment{Op: SegInsert, Text: piece, Delegation: s.Delegation, Proposal: s.Proposal})
				n += len(piece)
			case SegDelete:
				r := regionAt(oldR, o)
				piece = text[:min(len(text), r.end-o)]
				emit(r, Segment{Op: SegDelete, Text: piece, Delegation: s.Delegation, Proposal: s.Proposal})
				o += len(piece)
			default:
				ro, rn := regionAt(oldR, o), regionAt(newR, n)
				piece = text[:min(len(text), ro.end-o, rn.end-n)]
				if ro.same(rn) {
					emit(rn, Segment{Op: SegEqual, Text: piece})
				} else { // the same words moved between the body and a note
					emit(ro, Segment{Op: SegDelete, Text: piece, Delegation: s.Delegation, Proposal: s.Proposal})
					emit(rn, Segment{Op: SegInsert, Text: piece, Delegation: s.Delegation, Proposal: s.Proposal})
				}
				o, n = o+len(piece), n+len(piece)
			}
			text = text[len(piece):]
		}
	}
	for _, l := range order {
		notes = append(notes, *byLabel[l])
	}
	return body, notes
}

// Op says what happened to the note: SegInsert for a new note, SegDelete
// for a removed one, SegEqual for a note of both texts (changed or not).
func (n NoteDiff) Op() string {
	switch {
	case !n.Old:
		return SegInsert
	case !n.New:
		return SegDelete
	}
	return SegEqual
}

// NoteBinder hands the note diffs of a provision out to the markers that
// refer to them, each once, and then the ones no marker took.
type NoteBinder struct {
	notes []NoteDiff
	taken map[string]bool
}

// BindNotes returns a binder of notes (see SplitNoteSegments).
func BindNotes(notes []NoteDiff) *NoteBinder {
	return &NoteBinder{notes: notes, taken: map[string]bool{}}
}

// Free reports whether a note of the label is there and not taken yet.
func (b *NoteBinder) Free(label string) bool {
	if b.taken[label] {
		return false
	}
	for _, n := range b.notes {
		if n.Label == label {
			return true
		}
	}
	return false
}

// Take returns the note of the label, taken from now on; false if none
// is free.
func (b *NoteBinder) Take(label string) (NoteDiff, bool) {
	if !b.Free(label) {
		return NoteDiff{}, false
	}
	b.taken[label] = true
	for _, n := range b.notes {
		if n.Label == label {
			return n, true
		}
	}
	return NoteDiff{}, false
}

// Rest returns the notes not taken, in order, and takes them.
func (b *NoteBinder) Rest() []NoteDiff {
	var out []NoteDiff
	for _, n := range b.notes {
		if !b.taken[n.Label] {
			b.taken[n.Label] = true
			out = append(out, n)
		}
	}
	return out
}

// CutAtMarkers cuts s at the note markers "[^label]" whose label bind
// accepts: it calls text with each piece of s between them (never empty)
// and marker with each such label, in order. Renderers use it to turn
// the markers of a diff's segments into references to notes.
func CutAtMarkers(s string, bind func(label string) bool, text func(string), marker func(label string)) {
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		label, n := noteMarkerAt(s[i:])
		if n == 0 || !bind(label) {
			continue
		}
		if i > 0 {
			text(s[:i])
		}
		marker(label)
		s, i = s[i+n:], -1
	}
	if s != "" {
		text(s)
	}
}

// appendSegment appends s to segs, joined to the last segment when it has
// the same operation and attribution.
func appendSegment(segs []Segment, s Segment) []Segment {
	if s.Text == "" {
		return segs
	}
	if k := len(segs) - 1; k >= 0 && segs[k].Op == s.Op && segs[k].Delegation == s.Delegation && segs[k].Proposal == s.Proposal {
		segs[k].Text += s.Text
		return segs
	}
	return append(segs, s)
}

// Kinds of region of a provision's text.
const (
	regionBody = iota
	regionSep  // the line break and "[^label]: " before a note's text
	regionNote // a note's text
)

// region is a part of a provision's text: text[start:end] is of a kind,
// a note's of its label.
type region struct {
	kind       int
	label      string
	start, end int
}

func (r region) same(o region) bool { return r.kind == o.kind && r.label == o.label }

// noteRegions cuts a provision's text into its body and, for each note
// line, the line's start and the note's text (which runs on over the lines
// that follow it up to the next note line).
func noteRegions(text string) []region {
	start := notesStart(text)
	out := []region{{kind: regionBody, end: start}}
	for i := start; i < len(text); {
		// text[i:] starts with the line break ("\r\n" or "\n") before a note line.
		j := i + strings.IndexByte(text[i:], '\n') + 1
		label, n := noteLineAt(text[j:])
		out = append(out, region{kind: regionSep, label: label, start: i, end: j + n})
		end := j + n
		for end < len(text) {
			k := strings.IndexByte(text[end:], '\n')
			if k < 0 {
				end = len(text)
				break
			}
			next := end + k + 1
			if _, m := noteLineAt(text[next:]); m > 0 {
				end += k
				if end > j+n && text[end-1] == '\r' {
					end--
				}
				break
			}
			end = next
		}
		out = append(out, region{kind: regionNote, label: label, start: j + n, end: end})
		i = end
	}
	return out
}

// regionAt returns the region holding offset at (the last one past the end).
func regionAt(rs []region, at int) region {
	for _, r := range rs {
		if at < r.end {
			return r
		}
	}
	r := rs[len(rs)-1]
	r.end = at + 1<<30 // text past the end of the regions: a diff of another text
	return r
}
