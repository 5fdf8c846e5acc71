package drafts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The numbering styles of the forum's texts, besides "12." and "(a)":
//
//   - numbered headings: a word of the list below, a space and a number
//     ("Rule 12", "Article 5 bis", "Chapter III", "Part One", "Annex A",
//     "Часть первая"), then "." or ":" or nothing, then the end of the
//     provision, a line break (the title on the next line), or a space and
//     the title ("Rule 3. Consensus"). Without "." or ":" a title on the
//     same line must begin with a dash ("Rule 3 — Consensus"), so that a
//     sentence such as "Article 5 of the Charter applies." stays a
//     paragraph;
//   - decimal numbers: "3.1 ", "3.2.1 ", "1.1.1. ": the depth is the number
//     of parts; a single number needs its period ("3. ");
//   - the numbers negotiators add while a text is open: "6 bis.", "6 ter.",
//     "6 quater.", "3.1 bis", "Rule 6 bis", "6-бис." in Russian texts;
//   - preambular paragraphs: the unnumbered paragraphs before the first
//     numbered paragraph or numbered heading (KindPreamble).

// KindPreamble is an unnumbered paragraph before the first numbered
// paragraph or numbered heading of a text ("Recognizing …,").
const KindPreamble = "preamble"

// headingWords are the words of numbered headings, as written and in
// capitals, with their level: a part or an annex holds chapters, a chapter
// sections, a section articles or rules. The capitals are written out so
// that reading a heading makes no string.
var headingWords = []struct {
	word, upper string
	level       int
}{
	{"Part", "PART", 1}, {"Annex", "ANNEX", 1}, {"Appendix", "APPENDIX", 1}, {"Chapter", "CHAPTER", 2},
	{"Section", "SECTION", 3}, {"Article", "ARTICLE", 4}, {"Rule", "RULE", 4},
	{"Часть", "ЧАСТЬ", 1}, {"Приложение", "ПРИЛОЖЕНИЕ", 1}, {"Глава", "ГЛАВА", 2},
	{"Раздел", "РАЗДЕЛ", 3}, {"Статья", "СТАТЬЯ", 4}, {"Правило", "ПРАВИЛО", 4},
}

// suffixes are the words that number a provision put between two others:
// "6 bis" comes after 6, "6 ter" after 6 bis.
var suffixes = []string{"bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies", "бис", "тер", "кватер"}

// number is a provision's number taken apart: a numbered heading
// ("Rule 6 bis.") or a paragraph's decimal number ("3.2.1 ").
type number struct {
	keyword string // "Rule" as written; "" for a paragraph number
	level   int    // the keyword's level
	parts   []int  // the values: [3 2 1] for 3.2.1
	style   int
	wcase   int
	token   string // the number as written, without suffix
	suffix  string // " bis", "-бис" as written, or ""
	punct   string // "." or ":" after the number, or ""
}

// scanWordHeading reads a numbered heading's number at the start of s and
// returns it with its length in bytes (0 if s does not start with one).
// It does not look at what follows.
func scanWordHeading(s string) (number, int) {
	if len(s) < 6 {
		return number{}, 0
	}
	switch s[0] {
	case 'P', 'A', 'C', 'S', 'R', 0xd0: // Latin capitals, or the first byte of Cyrillic А-П
	default:
		return number{}, 0
	}
	var n number
	i := 0
	for _, hw := range headingWords {
		w := hw.word
		if strings.HasPrefix(s, w) {
			i = len(w)
		} else if strings.HasPrefix(s, hw.upper) {
			i = len(hw.upper)
		} else {
			continue
		}
		n.keyword, n.level = s[:i], hw.level
		break
	}
	if i == 0 || i >= len(s) || s[i] != ' ' {
		return number{}, 0
	}
	i++
	start := i
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r >= '0' && r <= '9':
		parts, end := scanDecimal(s, i)
		if end == i {
			return number{}, 0
		}
		n.parts, n.style, i = parts, styleArabic, end
	case unicode.IsLetter(r):
		end := i + size
		for end < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[end:])
			if !unicode.IsLetter(r2) {
				break
			}
			end += sz
		}
		if !n.readLetters(s[i:end]) {
			return number{}, 0
		}
		i = end
	default:
		return number{}, 0
	}
	n.token = s[start:i]
	if n.style <= styleLetter {
		if l := scanSuffix(s, i); l > 0 {
			n.suffix = s[i : i+l]
			i += l
		}
	}
	if i < len(s) && (s[i] == '.' || s[i] == ':') {
		n.punct = s[i : i+1]
		i++
	}
	return n, i
}

// readLetters reads a numbered heading's number written in letters: a
// roman number ("III", "I"), a capital letter ("A", "Б"), or a number in
// words ("One", "первая"). It reports false for other words.
func (n *number) readLetters(tok string) bool {
	r, size := utf8.DecodeRuneInString(tok)
	if v, ok := parseRoman(tok); ok && (len(tok) > 1 || tok == "I") {
		n.parts, n.style = []int{v}, styleRoman
		return true
	}
	if len(tok) == size && unicode.IsUpper(r) {
		v := letterValue(r)
		if v == 0 {
			return false
		}
		n.parts, n.style = []int{v}, styleLetter
		return true
	}
	if w, ok := numberWords()[strings.ToLower(tok)]; ok {
		c, ok := wordCase(tok)
		if !ok {
			return false
		}
		n.parts, n.style, n.wcase = []int{w[0]}, w[1], c
		return true
	}
	return false
}

// wordHeading returns the length of the number of a numbered heading at
// the start of body and where its text starts, or 0, 0.
func wordHeading(body string) (n, text int) {
	num, i := scanWordHeading(body)
	if i == 0 {
		return 0, 0
	}
	switch {
	case i == len(body):
		return i, i
	case body[i] == '\n' || strings.HasPrefix(body[i:], "\r\n"):
		return i, i // the title on the next line: Text starts with the line break
	case body[i] != ' ' || i+1 == len(body):
		return 0, 0
	}
	rest := body[i+1:]
	if rest[0] == '\n' || strings.HasPrefix(rest, "\r\n") {
		return 0, 0 // "Rule 3. " then a line break would not print back
	}
	if num.punct == "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if r != '—' && r != '–' && r != '-' {
			return 0, 0 // "Article 5 of the Charter …" is a sentence
		}
	}
	return i, i + 1
}

// isWordNumber reports whether number is the whole number of a numbered
// heading ("Rule 3.", "Chapter III").
func isWordNumber(number string) bool {
	_, n := scanWordHeading(number)
	return n > 0 && n == len(number)
}

// scanDecimal reads "3", "3.1", "3.2.1" at s[i:] (parts of 1 to 4 digits,
// a period followed by a digit continuing the number) and returns the
// values and the end.
func scanDecimal(s string, i int) ([]int, int) {
	var parts []int
	n, end := readDecimal(s, i, &parts)
	if n == 0 {
		return nil, end
	}
	return parts, end
}

// readDecimal reads a decimal number at s[i:] as scanDecimal does, and
// returns its number of parts (0 if none) and the end; it appends the
// values to *parts unless parts is nil, so that a caller that needs only
// the length allocates nothing.
func readDecimal(s string, i int, parts *[]int) (n, end int) {
	for {
		v, d := 0, 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && d < 4 {
			v = v*10 + int(s[i]-'0')
			i, d = i+1, d+1
		}
		if d == 0 {
			return 0, i
		}
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			return 0, i // more than 4 digits
		}
		n++
		if parts != nil {
			*parts = append(*parts, v)
		}
		if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
			i++
			continue
		}
		return n, i
	}
}

// scanSuffix returns the length of " bis", "-бис" (a suffix word after a
// space or a hyphen, not followed by a letter) at s[i:], or 0.
func scanSuffix(s string, i int) int {
	if i >= len(s) || (s[i] != ' ' && s[i] != '-') {
		return 0
	}
	rest := s[i+1:]
	for _, w := range suffixes {
		if strings.HasPrefix(rest, w) {
			after := rest[len(w):]
			if r, _ := utf8.DecodeRuneInString(after); after != "" && unicode.IsLetter(r) {
				continue
			}
			return 1 + len(w)
		}
	}
	return 0
}

// paragraphNumber reads a paragraph's number at the start of s, "12. ",
// "3.1. ", "3.1 ", "6 bis. ", "3.1-бис ", and returns it with the length of
// the marker (0 if none). A single number needs its period.
func paragraphNumber(s string) (number, int) {
	var parts []int
	n, i := paragraphMarker(s, &parts)
	if i == 0 {
		return number{}, 0
	}
	n.parts = parts
	return n, i
}

// paragraphMarker reads a paragraph's number as paragraphNumber does but
// leaves its parts out of it: it appends them to *parts unless parts is
// nil, as parsing a text, which needs only the length, does.
func paragraphMarker(s string, parts *[]int) (number, int) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return number{}, 0
	}
	np, i := readDecimal(s, 0, parts)
	if np == 0 {
		return number{}, 0
	}
	n := number{token: s[:i]}
	if l := scanSuffix(s, i); l > 0 {
		n.suffix = s[i : i+l]
		i += l
	}
	if i < len(s) && s[i] == '.' {
		n.punct = "."
		i++
	} else if np == 1 {
		return number{}, 0
	}
	if i >= len(s) || s[i] != ' ' {
		return number{}, 0
	}
	return n, i
}

// Markup returns a provision as written from its number and text: the
// number, a space and the text; a numbered heading's number alone when it
// has no text, or directly followed by a text that begins with a line break.
func Markup(number, text string) string {
	if number == "" {
		return text
	}
	if (text == "" || text[0] == '\n' || strings.HasPrefix(text, "\r\n")) && isWordNumber(number) {
		return number + text
	}
	return number + " " + text
}

// HeadingLevel returns the level of a heading's number: 1 for "#", 2 for
// "##"; for a numbered heading, 1 for a part or an annex, 2 for a chapter,
// 3 for a section, 4 for an article or a rule; 0 for other numbers.
func HeadingLevel(number string) int {
	if n := headingMarker(number + " "); n > 0 && n == len(number) {
		return n
	}
	if num, n := scanWordHeading(number); n > 0 && n == len(number) {
		return num.level
	}
	return 0
}

// IsNumberedHeading reports whether number is the number of a numbered
// heading written in words ("Rule 3.", "Глава III"), which is printed
// with its heading's text rather than in the margin.
func IsNumberedHeading(number string) bool { return isWordNumber(number) }

// NumberDepth returns the depth of a paragraph's number: 1 for "3." or
// "6 bis.", 2 for "3.1", 3 for "3.2.1"; 0 for no number or another kind.
func NumberDepth(number string) int {
	if n, l := paragraphNumber(number + " "); l > 0 && l == len(number) {
		return len(n.parts)
	}
	return 0
}

// MaxDepth is the deepest level Nesting reports and Renumber renumbers: a
// decimal number of more parts (1.1.1.1.1.1.1) is printed at this depth
// and keeps its number.
const MaxDepth = 6

// Nesting follows a text's provisions in order and tells how deep each is:
// headings 0; paragraphs (and preambular paragraphs) 1, or the depth of
// their decimal number (at most MaxDepth); items one deeper than the
// paragraph they follow. The zero value is ready at the start of a text.
type Nesting struct {
	para int
}

// Depth returns the depth of the next provision.
func (n *Nesting) Depth(kind, number string) int {
	switch kind {
	case KindHeading:
		n.para = 0
		return 0
	case KindItem:
		return min(max(n.para, 1)+1, MaxDepth+1)
	}
	d := min(max(NumberDepth(number), 1), MaxDepth)
	n.para = d
	return d
}
