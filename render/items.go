package render

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// itemStyle is how a list of items is numbered.
type itemStyle uint8

const (
	styleLower      itemStyle = iota + 1 // (a) (b) (c)
	styleUpper                           // (A) (B)
	styleRoman                           // (i) (ii) (iii)
	styleUpperRoman                      // (I) (II)
	styleDigit                           // (1) (2)
	styleCyrillic                        // (а) (б) (в)
)

// cyrillicItems is the order of Cyrillic item letters: the alphabet
// without ё, й, ъ, ы, ь, as Russian texts number their items.
const cyrillicItems = "абвгдежзиклмнопрстуфхцчшщэюя"

// itemNesting follows the items of a text in order and tells how deep each
// stands under the paragraph it follows: (a) at level 1, an (i) under it at
// level 2, then (b) back at level 1. A list is recognised by its numbering
// style and by continuing it: (i) after (h) is the ninth letter, not a
// roman one. A paragraph or a heading ends the lists. The zero value is
// ready at the start of a text.
type itemNesting struct {
	levels []itemLevel
}

// itemLevel is one open list: its style and the value of its last item.
type itemLevel struct {
	style itemStyle
	last  int
}

// reset ends the open lists (at a paragraph or a heading).
func (n *itemNesting) reset() { n.levels = n.levels[:0] }

// level returns the level (1 for the first) of the next item, given its
// marker, such as "(ii)".
func (n *itemNesting) level(marker string) int {
	inner := strings.TrimSuffix(strings.TrimPrefix(marker, "("), ")")
	cands := itemValues(inner)
	// A continuation of an open list, the innermost first.
	for d := len(n.levels) - 1; d >= 0; d-- {
		for _, c := range cands {
			if n.levels[d].style == c.style && c.value == n.levels[d].last+1 {
				n.levels = n.levels[:d+1]
				n.levels[d].last = c.value
				return d + 1
			}
		}
	}
	// The first item of a list: a list of that style restarts where it
	// is open, else a new list opens one level deeper.
	for _, c := range cands {
		if c.value != 1 {
			continue
		}
		for d := range n.levels {
			if n.levels[d].style == c.style {
				n.levels = n.levels[:d+1]
				n.levels[d].last = 1
				return d + 1
			}
		}
		n.levels = append(n.levels, itemLevel{style: c.style, last: 1})
		return len(n.levels)
	}
	// Anything else (a list starting at (c), a gap): where a list of its
	// style is open, else at the innermost level.
	if len(cands) > 0 {
		for d := len(n.levels) - 1; d >= 0; d-- {
			if n.levels[d].style == cands[0].style {
				n.levels = n.levels[:d+1]
				n.levels[d].last = cands[0].value
				return d + 1
			}
		}
	}
	if len(n.levels) == 0 {
		st := itemStyle(0)
		if len(cands) > 0 {
			st = cands[0].style
		}
		n.levels = append(n.levels, itemLevel{style: st})
	}
	if len(cands) > 0 {
		n.levels[len(n.levels)-1] = itemLevel{style: cands[0].style, last: cands[0].value}
	}
	return len(n.levels)
}

// itemValue is one reading of an item marker: a style and a value (1 for
// the first item).
type itemValue struct {
	style itemStyle
	value int
}

// itemValues returns the readings of a marker's inside: "ii" is roman 2;
// "i" is roman 1 or the letter 9; "c" is the letter 3 (a roman 100 is not
// an item number).
func itemValues(s string) []itemValue {
	if s == "" {
		return nil
	}
	if v, err := strconv.Atoi(s); err == nil {
		return []itemValue{{styleDigit, v}}
	}
	var out []itemValue
	if v := romanValue(s); v > 0 && v < 40 {
		st := styleRoman
		if unicode.IsUpper(rune(s[0])) {
			st = styleUpperRoman
		}
		out = append(out, itemValue{st, v})
	}
	if r, size := utf8.DecodeRuneInString(s); size == len(s) {
		switch {
		case r >= 'a' && r <= 'z':
			out = append(out, itemValue{styleLower, int(r-'a') + 1})
		case r >= 'A' && r <= 'Z':
			out = append(out, itemValue{styleUpper, int(r-'A') + 1})
		default:
			if i := strings.IndexRune(cyrillicItems, unicode.ToLower(r)); i >= 0 {
				out = append(out, itemValue{styleCyrillic, utf8.RuneCountInString(cyrillicItems[:i]) + 1})
			}
		}
	}
	return out
}

// romanValue is the value of a roman numeral in one case, or 0.
func romanValue(s string) int {
	lower := strings.ToLower(s)
	if lower != s && strings.ToUpper(s) != s {
		return 0
	}
	digits := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50}
	total := 0
	for i := 0; i < len(lower); i++ {
		v, ok := digits[lower[i]]
		if !ok {
			return 0
		}
		if i+1 < len(lower) && digits[lower[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	if toRoman(total) != lower {
		return 0 // not written as a roman numeral is ("iiii", "vx")
	}
	return total
}

// toRoman writes 1..49 as a lower-case roman numeral.
func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}
