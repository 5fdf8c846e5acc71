package drafts

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Renumber returns a copy of ps in which every sequence of numbers is
// clean: "6 bis." and "6 ter." become 7. and 8. and the numbers after them
// follow; a gap or a repeated number closes up. Only numbers change:
// texts, ids, kinds and statuses stay, so a diff shows renumbering only.
// It also returns how many numbers changed.
//
// Sequences: the paragraphs' numbers ("3.", with the decimal ones under
// them: 3.1 under 3., 3.2.1 under 3.2, following their parent's new
// number), and the numbered headings of each word (Rule, Article,
// Chapter, Глава ...), each in its own style (12, XII, L, Twelve,
// двенадцатая) with its punctuation. A sequence starts again at 1 where
// the text started it again: a number 1 (I, A, One) after a heading of a
// higher level. Items ((a), (b)), numbered headings with a decimal
// number ("Section 3.1") and decimal numbers deeper than MaxDepth keep
// their numbers.
func Renumber(ps []Provision) ([]Provision, int) {
	out := make([]Provision, len(ps))
	copy(out, ps)
	rn := &renumberer{seqs: map[string]*headingSeq{}}
	for i := range rn.headingAt {
		rn.headingAt[i] = -1
	}
	for i := range out {
		p := &out[i]
		switch {
		case p.Kind == KindHeading:
			rn.heading(i, p)
		case p.Kind == KindParagraph && p.Number != "":
			rn.paragraph(i, p)
		}
	}
	return out, rn.changed
}

// renumberParaLevel is the level of paragraphs, below every heading, in
// renumberer.headingAt.
const renumberParaLevel = 7

// renumberer follows the sequences of numbers of a text in order, for
// Renumber.
type renumberer struct {
	// headingAt is where the last heading of each level stood.
	headingAt [renumberParaLevel]int
	// seqs are the sequences of numbered headings, by keyword (lower case).
	seqs map[string]*headingSeq
	// stack holds the paragraph numbers the next decimal numbers stand
	// under: stack[k] is the last number of depth k+1.
	stack   []paraFrame
	changed int // how many numbers changed
}

// headingSeq is the sequence of one heading word: its last new number,
// where it stood, and the sequence's number style.
type headingSeq struct {
	last, at, style int
}

// paraFrame is a paragraph number in the renumberer's stack: its old
// number as written (parts and suffix), its new parts, and where it stood.
type paraFrame struct {
	old string
	new []int
	at  int
}

// boundary reports whether a heading of a level above level came after at.
func (rn *renumberer) boundary(level, at int) bool {
	for l := 1; l < level && l < renumberParaLevel; l++ {
		if rn.headingAt[l] > at {
			return true
		}
	}
	return false
}

// heading renumbers the heading p, at index i, in the sequence of its
// word: one more than the last, unless the text starts the sequence again
// at 1 after a heading of a higher level.
func (rn *renumberer) heading(i int, p *Provision) {
	level := HeadingLevel(p.Number)
	if level <= 0 || level >= renumberParaLevel {
		return
	}
	num, n := scanWordHeading(p.Number)
	if n > 0 && n == len(p.Number) && len(num.parts) == 1 {
		key := strings.ToLower(num.keyword)
		st := rn.seqs[key]
		v, style := num.parts[0], num.style
		if st != nil {
			v, style = reread(num, st.style)
		}
		nv := v
		if st != nil && (!rn.boundary(level, st.at) || v != 1 || num.suffix != "") {
			nv = st.last + 1
		}
		if st == nil {
			st = &headingSeq{style: style}
			rn.seqs[key] = st
		}
		st.last, st.at = nv, i
		if text, ok := writeNumber(nv, style, num); ok {
			rn.set(p, num.keyword+" "+text+num.punct)
		}
	}
	rn.headingAt[level] = i
}

// paragraph renumbers the numbered paragraph p, at index i: one more than
// the last of its depth under the same parent, the parent's new number
// before it, unless the text starts again at 1 after a heading.
func (rn *renumberer) paragraph(i int, p *Provision) {
	num, n := paragraphNumber(p.Number + " ")
	if n != len(p.Number) || len(num.parts) > MaxDepth {
		return
	}
	d := len(num.parts)
	parent := rn.parent(i, num)
	v := num.parts[d-1]
	nv := v
	if len(rn.stack) >= d {
		prev := rn.stack[d-1]
		if !rn.boundary(renumberParaLevel, prev.at) || v != 1 || num.suffix != "" {
			nv = prev.new[d-1] + 1
		}
	}
	np := append(append([]int{}, parent...), nv)
	rn.stack = append(rn.stack[:d-1], paraFrame{old: num.token + num.suffix, new: np, at: i})
	rn.set(p, joinInts(np)+num.punct)
}

// parent returns the new parts of the number a decimal number num (of the
// paragraph at i) stands under: its parent's new number when the text
// has the parent, else its own as written, which the stack then holds.
func (rn *renumberer) parent(i int, num number) []int {
	d := len(num.parts)
	if d == 1 {
		return num.parts[:0]
	}
	if len(rn.stack) >= d-1 && rn.stack[d-2].old == firstParts(num.token, d-1) {
		return rn.stack[d-2].new
	}
	// No parent in the text: the decimal number stands under its number
	// as written.
	rn.stack = rn.stack[:0]
	end := 0
	for k := 1; k < d; k++ {
		end += strings.IndexByte(num.token[end:], '.')
		rn.stack = append(rn.stack, paraFrame{old: num.token[:end], new: num.parts[:k], at: i})
		end++
	}
	return num.parts[:d-1]
}

// set gives p the number s, counting the change if it is one.
func (rn *renumberer) set(p *Provision, s string) {
	if s != p.Number {
		p.Number = s
		rn.changed++
	}
}

// reread reads a heading's number in the style of its sequence: "V" is 5
// among roman numbers and 22 among letters.
func reread(num number, style int) (int, int) {
	if len(num.token) == 1 {
		r := rune(num.token[0])
		switch style {
		case styleRoman:
			if v, ok := parseRoman(num.token); ok {
				return v, styleRoman
			}
		case styleLetter:
			if v := letterValue(r); v > 0 {
				return v, styleLetter
			}
		}
	}
	return num.parts[0], num.style
}

// writeNumber writes v in a style, following the case and alphabet of the
// number it replaces; ok is false when the style cannot write v (a letter
// past Z), and the number is then left as it was.
func writeNumber(v, style int, like number) (string, bool) {
	switch style {
	case styleArabic:
		return strconv.Itoa(v), true
	case styleRoman:
		if v > 3999 {
			return "", false
		}
		return toRoman(v), true
	case styleLetter:
		r, _ := utf8.DecodeRuneInString(like.token)
		if r >= 'A' && r <= 'Z' {
			if v > 26 {
				return "", false
			}
			return string(rune('A' + v - 1)), true
		}
		if v > len(ruLetters) {
			return "", false
		}
		return string(ruLetters[v-1]), true
	}
	if v > 20 {
		return strconv.Itoa(v), true
	}
	var w string
	switch style {
	case styleWordCardinal:
		w = enCardinals[v-1]
	case styleWordOrdinal:
		w = enOrdinals[v-1]
	default:
		w = ruOrdinal(v, style)
	}
	switch like.wcase {
	case caseUpper:
		return strings.ToUpper(w), true
	case caseTitle:
		r, size := utf8.DecodeRuneInString(w)
		return string(unicode.ToUpper(r)) + w[size:], true
	}
	return w, true
}

// joinInts writes parts as a decimal number: "3.2.1".
func joinInts(parts []int) string {
	var b strings.Builder
	for i, v := range parts {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(v))
	}
	return b.String()
}

// firstParts returns the first k parts of a decimal number as written:
// "3.2" of "3.2.1".
func firstParts(token string, k int) string {
	end := 0
	for ; k > 0; k-- {
		i := strings.IndexByte(token[end:], '.')
		if i < 0 {
			return token
		}
		end += i + 1
	}
	return token[:end-1]
}
