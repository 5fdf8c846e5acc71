package drafts

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Provision kinds.
const (
	KindHeading   = "heading"   // "# Cluster I. Institutional framework"
	KindParagraph = "paragraph" // "1. The Member States ..." or an unnumbered paragraph
	KindItem      = "item"      // "(a) the purposes and principles ..."
)

// (KindPreamble, the fourth kind, is with the numbering styles.)

// Default limits of a text; a Limits of the service overrides them.
const (
	DefaultMaxTextBytes  = 2 << 20
	DefaultMaxProvisions = 20000
)

// Provision is one heading, paragraph, preambular paragraph or sub-item of
// a text.
//
// Its ID is stable: it survives edits, moves and renumbering. Number is the
// marker as written ("12.", "3.2.1", "6 bis.", "(a)", "#", "Rule 3.",
// "Chapter III", or "" for an unnumbered paragraph), Text the words after
// the marker and its single space (see Markup for numbered headings). Gap is the exact run
// of line breaks (and blank lines) that follows the provision in the text:
// "\n\n" between provisions, the text's own ending after the last one.
type Provision struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Number string `json:"number"`
	Text   string `json:"text"`
	Gap    string `json:"gap,omitempty"`
	Status string `json:"status,omitempty"`
	// Translation, on a version read in a language, is the provision's
	// state there (TranslationOriginal, ...Current, ...Stale,
	// ...Missing); Original, beside a stale or missing one, the provision
	// in the original language. Neither is stored.
	Translation string        `json:"translation,omitempty"`
	Original    *OriginalText `json:"original,omitempty"`
}

// Markup returns the provision as written: marker, space, text (no gap).
func (p Provision) Markup() string { return Markup(p.Number, p.Text) }

// Text is a parsed text: the provisions in order, and any blank lines before
// the first one (Lead), so that Print(Parse(s)) == s for every valid s.
type Text struct {
	Lead       string      `json:"lead,omitempty"`
	Provisions []Provision `json:"provisions"`
}

// Limits bounds the size of a text.
type Limits struct {
	MaxBytes      int
	MaxProvisions int
}

func (l Limits) orDefault() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxTextBytes
	}
	if l.MaxProvisions <= 0 {
		l.MaxProvisions = DefaultMaxProvisions
	}
	return l
}

// ParseText checks s and splits it into provisions, without ids. Blocks of
// non-blank lines are provisions; a line holding only white space of any
// kind (see IsBlank) is blank. The first line's marker gives the kind.
// An empty text (only blank lines) is EINVALID.
func ParseText(s string, lim Limits) (*Text, error) {
	lim = lim.orDefault()
	if err := CheckText(s, lim); err != nil {
		return nil, err
	}
	// Room for as many provisions as there are blank lines, the common
	// gap (growing the slice from nothing allocates it twice over), up to
	// a few thousand: a text of blank lines alone has none.
	t := &Text{Provisions: make([]Provision, 0, min(strings.Count(s, "\n\n")+1, lim.MaxProvisions+1, 4096))}
	pos := 0
	// Lead: leading blank lines.
	for pos < len(s) {
		end := lineEnd(s, pos)
		if !isBlank(s[pos:end]) {
			break
		}
		pos = nextLine(s, end)
	}
	t.Lead = s[:pos]
	for pos < len(s) {
		// A block: non-blank lines.
		start := pos
		end := lineEnd(s, pos)
		for end < len(s) {
			next := end + 1
			e := lineEnd(s, next)
			if next >= len(s) || isBlank(s[next:e]) {
				break
			}
			end = e
		}
		body := s[start:end]
		// The "\r" of a CRLF line break belongs to the gap; a "\r" at the
		// very end of the text stays in the provision.
		if strings.HasSuffix(body, "\r") && end < len(s) {
			body = body[:len(body)-1]
			end--
		}
		// The gap: the line break and any blank lines up to the next block.
		g := end
		if g < len(s) && s[g] == '\r' {
			g++
		}
		for g < len(s) { // s[g] == '\n'
			g++
			le := lineEnd(s, g)
			if !isBlank(s[g:le]) {
				break
			}
			g = le
		}
		p := classify(body)
		p.Gap = s[end:g]
		t.Provisions = append(t.Provisions, p)
		if len(t.Provisions) > lim.MaxProvisions {
			line := 1 + strings.Count(s[:pos], "\n")
			return nil, textError(line, 1, fmt.Sprintf("text has more than %d provisions", lim.MaxProvisions))
		}
		pos = g
	}
	if len(t.Provisions) == 0 {
		return nil, textError(1, 1, "text is empty")
	}
	markPreamble(t.Provisions)
	return t, nil
}

// lineEnd returns the index of the "\n" ending the line at pos, or len(s).
func lineEnd(s string, pos int) int {
	if i := strings.IndexByte(s[pos:], '\n'); i >= 0 {
		return pos + i
	}
	return len(s)
}

func nextLine(s string, end int) int {
	if end < len(s) {
		return end + 1
	}
	return end
}

// isBlank reports whether a line is blank: white space of any kind only
// (see IsBlank), without a line break.
func isBlank(line string) bool {
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ' || c == '\t' || c == '\r':
		case c < utf8.RuneSelf:
			return false
		default:
			return IsBlank(line[i:])
		}
	}
	return true
}

// IsBlank reports whether s holds nothing but white space of any kind:
// spaces, tabs and line breaks, no-break and other Unicode spaces (U+00A0,
// U+2007, U+202F, U+3000 ...) and the zero-width characters (U+200B-U+200D,
// U+2060, U+FEFF, U+180E). A paragraph of such characters only is no
// provision: it would show as an empty one.
func IsBlank(s string) bool {
	for _, r := range s {
		if !IsBlankRune(r) {
			return false
		}
	}
	return true
}

// IsBlankRune reports whether r is white space or a zero-width character.
func IsBlankRune(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e':
		return true
	}
	return unicode.IsSpace(r)
}

// classify finds the marker of a provision's markup.
func classify(body string) Provision {
	if n := headingMarker(body); n > 0 {
		return Provision{Kind: KindHeading, Number: body[:n], Text: body[n+1:]}
	}
	if n, t := wordHeading(body); n > 0 {
		return Provision{Kind: KindHeading, Number: body[:n], Text: body[t:]}
	}
	if _, n := paragraphMarker(body, nil); n > 0 {
		return Provision{Kind: KindParagraph, Number: body[:n], Text: body[n+1:]}
	}
	if n := itemMarker(body); n > 0 {
		return Provision{Kind: KindItem, Number: body[:n], Text: body[n+1:]}
	}
	return Provision{Kind: KindParagraph, Text: body}
}

// headingMarker returns the length of a "#".."######" marker followed by a space.
func headingMarker(s string) int {
	n := 0
	for n < len(s) && n < 7 && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(s) || s[n] != ' ' {
		return 0
	}
	return n
}

// itemMarker returns the length of "(a)", "(iv)", "(12)" or "(б)" followed by a space.
func itemMarker(s string) int {
	if len(s) < 4 || s[0] != '(' {
		return 0
	}
	i, n := 1, 0
	for i < len(s) && n <= 5 {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ')' {
			break
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return 0
		}
		i, n = i+size, n+1
	}
	if n == 0 || n > 5 || i+1 >= len(s) || s[i] != ')' || s[i+1] != ' ' {
		return 0
	}
	return i + 1
}

// Print writes the text back: Print(ParseText(s)) == s.
func (t *Text) Print() string {
	var b strings.Builder
	b.WriteString(t.Lead)
	for _, p := range t.Provisions {
		b.WriteString(p.Markup())
		b.WriteString(p.Gap)
	}
	return b.String()
}

// PrintProvisions prints provisions as a text with no lead.
func PrintProvisions(ps []Provision) string {
	t := Text{Provisions: ps}
	return t.Print()
}

// ParseProvisions parses markup for new provisions (the text of an insert
// operation, or a replacement that may carry its own marker).
func ParseProvisions(s string, lim Limits) ([]Provision, error) {
	t, err := ParseText(s, lim)
	if err != nil {
		return nil, err
	}
	return t.Provisions, nil
}

// FixGaps restores the separators of a provision list after operations
// moved, inserted or removed provisions: every provision but the last is
// followed by at least one blank line, and the last one ends as the text
// did (ending).
func FixGaps(ps []Provision, ending string) {
	for i := range ps {
		if i == len(ps)-1 {
			ps[i].Gap = ending
			continue
		}
		if strings.Count(ps[i].Gap, "\n") < 2 {
			if strings.Contains(ps[i].Gap, "\r") {
				ps[i].Gap = "\r\n\r\n"
			} else {
				ps[i].Gap = "\n\n"
			}
		}
	}
}

// CheckNote checks a short free text (a justification, reason, comment or
// message): at most max bytes, valid UTF-8 without control characters other
// than tab and line breaks, and not blank when required.
func CheckNote(field, s string, max int, required bool) error {
	fail := func(msg string) error {
		return &Error{Code: EINVALID, Message: field + ": " + msg, Fields: []FieldError{{Field: field, Message: msg}}}
	}
	if required && IsBlank(s) {
		return fail("required")
	}
	if len(s) > max {
		return fail(fmt.Sprintf("at most %d bytes", max))
	}
	if err := CheckText(s, Limits{MaxBytes: max + 1}); err != nil {
		return fail(strings.TrimPrefix(ErrorMessage(err), "text: "))
	}
	return nil
}

// CheckName checks a name or a title (of a user, a delegation, a
// document): required, at most max bytes, one line of valid UTF-8 with no
// control character (NUL, BEL, ESC, a line break, a tab...) and no
// direction control. It returns the problem as a FieldError of field, or
// nil.
func CheckName(field, s string, max int) *FieldError {
	fail := func(msg string) *FieldError { return &FieldError{Field: field, Message: msg} }
	if strings.TrimSpace(s) == "" {
		return fail(fmt.Sprintf("required, at most %d bytes", max))
	}
	if len(s) > max {
		return fail(fmt.Sprintf("at most %d bytes (this one has %d)", max, len(s)))
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return fail(fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", s[i]))
			}
		case unicode.IsControl(r):
			return fail(fmt.Sprintf("control character %s at character %d; a name is one line of printable characters", controlName(r), utf8.RuneCountInString(s[:i])+1))
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return fail(fmt.Sprintf("direction control character U+%04X at character %d", r, utf8.RuneCountInString(s[:i])+1))
		}
	}
	return nil
}

// controlName names a control character for people: "U+0007 (BEL)".
func controlName(r rune) string {
	names := map[rune]string{0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 10: "LF", 11: "VT", 12: "FF", 13: "CR", 27: "ESC", 0x7f: "DEL"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}
