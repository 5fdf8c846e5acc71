package drafts

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Notes (footnotes) live in a provision's text, so that versions, diffs,
// proposals, merges and the round trip of the text keep them like any
// other words:
//
//	6. All decisions shall be taken by consensus.[^1]
//	[^1]: The delegation of India reserves its position.
//
// A marker "[^label]" in the provision's words stands where the note's
// number is printed; a line of the same provision beginning "[^label]: "
// holds the note's text. Labels are local to their provision: printing
// numbers the notes of a whole text 1, 2, 3 in order. See
// docs/text-format.md, "Notes".

// Note is a footnote of a provision.
type Note struct {
	// Label is the note's label as written ("1" in "[^1]").
	Label string `json:"label"`
	// Text is the note's text, its lines joined by "\n".
	Text string `json:"text"`
	// At is where the note's reference stands in the body of the text it
	// was split from (NotedText.Body), as a byte offset.
	At int `json:"-"`
}

// NotedText is a provision's text split into its body and its notes.
type NotedText struct {
	// Body is the text without its notes' lines and markers.
	Body string
	// Notes are in the order of their references in Body.
	Notes []Note
}

// maxNoteLabel bounds a note label, in characters.
const maxNoteLabel = 16

// noteMarkerAt returns the label and length of a note marker "[^label]"
// at the start of s, or "", 0. A label is 1 to 16 letters, digits, '-'
// or '_'.
func noteMarkerAt(s string) (string, int) {
	if len(s) < 4 || s[0] != '[' || s[1] != '^' {
		return "", 0
	}
	n := 0
	for i := 2; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ']' {
			if n == 0 {
				return "", 0
			}
			return s[2:i], i + 1
		}
		if n++; n > maxNoteLabel || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			return "", 0
		}
		i += size
	}
	return "", 0
}

// NoteMarkerLen returns the length of a note marker "[^label]" at the
// start of s, 0 if there is none there. The word diff keeps a marker whole.
func NoteMarkerLen(s string) int {
	_, n := noteMarkerAt(s)
	return n
}

// noteLineAt returns the label of a note's line "[^label]: text" starting
// s, and the length of "[^label]: ", or "", 0.
func noteLineAt(s string) (string, int) {
	label, n := noteMarkerAt(s)
	if n == 0 || !strings.HasPrefix(s[n:], ": ") {
		return "", 0
	}
	return label, n + 2
}

// notesStart returns the offset of the line break before the first note
// line of a provision's text (never its first line), or len(text).
func notesStart(text string) int {
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		if _, n := noteLineAt(text[i:]); n > 0 {
			end := i - 1
			if end > 0 && text[end-1] == '\r' {
				end--
			}
			return end
		}
	}
	return len(text)
}

// HasNotes reports whether a provision's text has notes.
func HasNotes(text string) bool { return notesStart(text) < len(text) }

// SplitNotes splits a provision's text into its body and its notes. Each
// note line binds to the first marker of its label in the body not bound
// yet; a note without a marker is referred to at the end of the body. A
// marker without a note line is ordinary text and stays in the body.
func SplitNotes(text string) NotedText {
	start := notesStart(text)
	if start == len(text) {
		return NotedText{Body: text}
	}
	defs := parseNoteLines(text[start:])
	body := text[:start]
	// Bind markers to notes, in the body's order.
	var b strings.Builder
	var notes []Note
	bound := make([]bool, len(defs))
	for i := 0; i < len(body); {
		label, n := noteMarkerAt(body[i:])
		if n > 0 {
			if k := firstUnbound(defs, bound, label); k >= 0 {
				bound[k] = true
				notes = append(notes, Note{Label: label, Text: defs[k].Text, At: b.Len()})
				i += n
				continue
			}
		}
		b.WriteByte(body[i])
		i++
	}
	out := NotedText{Body: b.String()}
	for k, d := range defs {
		if !bound[k] {
			notes = append(notes, Note{Label: d.Label, Text: d.Text, At: len(out.Body)})
		}
	}
	out.Notes = notes
	return out
}

func firstUnbound(defs []Note, bound []bool, label string) int {
	for k, d := range defs {
		if !bound[k] && d.Label == label {
			return k
		}
	}
	return -1
}

// parseNoteLines reads the notes part of a text (from the line break
// before its first note line): each note line starts a note, other lines
// go on with the note before them.
func parseNoteLines(s string) []Note {
	var notes []Note
	for _, line := range strings.Split(s, "\n")[1:] {
		line = strings.TrimSuffix(line, "\r")
		if label, n := noteLineAt(line); n > 0 {
			notes = append(notes, Note{Label: label, Text: line[n:]})
			continue
		}
		if k := len(notes) - 1; k >= 0 {
			notes[k].Text += "\n" + line
		}
	}
	return notes
}

// NoteBody returns a provision's text without its notes: what it says in
// the text itself.
func NoteBody(text string) string { return SplitNotes(text).Body }

// AddNotes returns text with notes added after its own, each referred to
// at the end of its body, with labels its own notes do not use. A note's
// white space is folded into single spaces (a note added this way is one
// line); empty notes are left out.
func AddNotes(text string, notes ...string) string {
	if len(notes) == 0 {
		return text
	}
	start := notesStart(text)
	body, tail := text[:start], text[start:]
	used := map[string]bool{}
	next := 1
	for _, d := range parseNoteLines(tail) {
		used[d.Label] = true
		if n, err := strconv.Atoi(d.Label); err == nil && n >= next {
			next = n + 1
		}
	}
	var markers, lines strings.Builder
	for _, n := range notes {
		n = strings.Join(strings.Fields(n), " ")
		if n == "" {
			continue
		}
		for used[strconv.Itoa(next)] {
			next++
		}
		label := strconv.Itoa(next)
		used[label] = true
		markers.WriteString("[^" + label + "]")
		lines.WriteString("\n[^" + label + "]: " + n)
	}
	return body + markers.String() + tail + lines.String()
}

// PrintNotes are notes added to a version only to print it, such as the
// positions of delegations printed as footnotes of the adopted text: on
// the title (the text as a whole) and on provisions, by id.
type PrintNotes struct {
	Title      []string
	Provisions map[string][]string
}

// WithPrintNotes returns a copy of v whose provisions carry the notes n
// gives them after their own (see AddNotes) and whose TitleNotes are
// n.Title after its own. v is not changed. Renderers print them all as
// footnotes; the copy is for printing, never for storing.
func (v *Version) WithPrintNotes(n PrintNotes) *Version {
	c := *v
	c.Provisions = make([]Provision, len(v.Provisions))
	copy(c.Provisions, v.Provisions)
	for i, p := range c.Provisions {
		if extra := n.Provisions[p.ID]; len(extra) > 0 {
			c.Provisions[i].Text = AddNotes(p.Text, extra...)
		}
	}
	c.TitleNotes = append(append([]string(nil), v.TitleNotes...), n.Title...)
	return &c
}
