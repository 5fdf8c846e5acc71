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
	const paraLevel = 7 // below every heading
	var headingAt [paraLevel]int
	for i := range headingAt {
		headingAt[i] = -1
	}
	// boundary reports whether a heading of a level above level came after at.
	boundary := func(level, at int) bool {
		for l := 1; l < level && l < paraLevel; l++ {
			if headingAt[l] > at {
				return true
			}
		}
		return false
	}
	type seq struct {
		last, at, style int
	}
	seqs := map[string]*seq{}
	type frame struct {
		old string // the old number (parts and suffix) this frame stands for
		new []int
		at  int
	}
	var stack []frame
	changed := 0
	for i := range out {
		p := &out[i]
		switch {
		case p.Kind == KindHeading:
			level := HeadingLevel(p.Number)
			if level <= 0 || level >= paraLevel {
				continue
			}
			num, n := scanWordHeading(p.Number)
			if n > 0 && n == len(p.Number) && len(num.parts) == 1 {
				key := strings.ToLower(num.keyword)
				st := seqs[key]
				v, style := num.parts[0], num.style
				if st != nil {
					v, style = reread(num, st.style)
				}
				nv := v
				if st != nil && (!boundary(level, st.at) || v != 1 || num.suffix != "") {
					nv = st.last + 1
				}
				if st == nil {
					st = &seq{style: style}
					seqs[key] = st
				}
				st.last, st.at = nv, i
				if text, ok := writeNumber(nv, style, num); ok {
					if s := num.keyword + " " + text + num.punct; s != p.Number {
						p.Number = s
						changed++
					}
				}
			}
			headingAt[level] = i
		case p.Kind == KindParagraph && p.Number != "":
			num, n := paragraphNumber(p.Number + " ")
			if n != len(p.Number) || len(num.parts) > MaxDepth {
				continue
			}
			d := len(num.parts)
			parent := num.parts[:d-1]
			if d > 1 {
				if len(stack) >= d-1 && stack[d-2].old == firstParts(num.token, d-1) {
					parent = stack[d-2].new
				} else {
					// No parent in the text: the decimal number stands
					// under its number as written.
					stack = stack[:0]
					end := 0
					for k := 1; k < d; k++ {
						end += strings.IndexByte(num.token[end:], '.')
						stack = append(stack, frame{old: num.token[:end], new: num.parts[:k], at: i})
						end++
					}
				}
			}
			v := num.parts[d-1]
			nv := v
			if len(stack) >= d {
				prev := stack[d-1]
				if !boundary(paraLevel, prev.at) || v != 1 || num.suffix != "" {
					nv = prev.new[d-1] + 1
				}
			}
			np := append(append([]int{}, parent...), nv)
			stack = append(stack[:d-1], frame{old: num.token + num.suffix, new: np, at: i})
			if s := joinInts(np) + num.punct; s != p.Number {
				p.Number = s
				changed++
			}
		}
	}
	return out, changed
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
