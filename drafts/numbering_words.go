package drafts

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Number styles of a numbered heading.
const (
	styleArabic = iota
	styleRoman
	styleLetter // A, B, C (or А, Б, В)
	styleWordCardinal
	styleWordOrdinal
	styleRuMasculine
	styleRuFeminine
	styleRuNeuter
)

// Letter case of a number written in words.
const (
	caseTitle = iota
	caseLower
	caseUpper
)

// The numbers 1 to 20 in words, and the stems of the Russian ordinals.
// These and the letters are literals, laid out by the linker: a process
// that never writes a number in words does no work for them at start.
var (
	enCardinals = []string{
		"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
	}
	enOrdinals = []string{
		"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
		"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
	}
	ruStems = []string{
		"перв", "втор", "трет", "четвёрт", "пят", "шест", "седьм", "восьм", "девят", "десят",
		"одиннадцат", "двенадцат", "тринадцат", "четырнадцат", "пятнадцат", "шестнадцат", "семнадцат", "восемнадцат", "девятнадцат", "двадцат",
	}
	// ruLetters are the Cyrillic letters used to number annexes (without
	// Ё, З, Й, О, Ч, Ъ, Ы, Ь, which are easily confused).
	ruLetters = []rune{'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'И', 'К', 'Л', 'М', 'Н', 'П', 'Р', 'С', 'Т', 'У', 'Ф', 'Х', 'Ц', 'Ш', 'Щ', 'Э', 'Ю', 'Я'}
)

// ruOrdinal writes n (1..20) as a Russian ordinal of the given gender style.
func ruOrdinal(n, style int) string {
	stem := ruStems[n-1]
	if n == 3 {
		return map[int]string{styleRuMasculine: "третий", styleRuFeminine: "третья", styleRuNeuter: "третье"}[style]
	}
	switch style {
	case styleRuFeminine:
		return stem + "ая"
	case styleRuNeuter:
		return stem + "ое"
	}
	if n == 2 || n == 6 || n == 7 || n == 8 {
		return stem + "ой"
	}
	return stem + "ый"
}

// numberWords maps a number written in words (lower case) to its value and
// style. It is made when first needed: most texts, and the texts of most
// processes, have no number in words.
var numberWords = sync.OnceValue(func() map[string][2]int {
	m := map[string][2]int{}
	for i := range 20 {
		m[enCardinals[i]] = [2]int{i + 1, styleWordCardinal}
		m[enOrdinals[i]] = [2]int{i + 1, styleWordOrdinal}
		for _, st := range []int{styleRuMasculine, styleRuFeminine, styleRuNeuter} {
			w := ruOrdinal(i+1, st)
			m[w] = [2]int{i + 1, st}
			if strings.Contains(w, "ё") {
				m[strings.ReplaceAll(w, "ё", "е")] = [2]int{i + 1, st}
			}
		}
	}
	return m
})

// roman numerals, canonical forms only, 1..3999.
var romanValues = []struct {
	s string
	v int
}{{"M", 1000}, {"CM", 900}, {"D", 500}, {"CD", 400}, {"C", 100}, {"XC", 90}, {"L", 50}, {"XL", 40}, {"X", 10}, {"IX", 9}, {"V", 5}, {"IV", 4}, {"I", 1}}

func toRoman(v int) string {
	var b strings.Builder
	for _, r := range romanValues {
		for v >= r.v {
			b.WriteString(r.s)
			v -= r.v
		}
	}
	return b.String()
}

// parseRoman reads an upper-case roman numeral in its canonical form.
func parseRoman(s string) (int, bool) {
	if s == "" || len(s) > 15 {
		return 0, false
	}
	v, i := 0, 0
	for _, r := range romanValues {
		for strings.HasPrefix(s[i:], r.s) {
			v += r.v
			i += len(r.s)
		}
	}
	if i != len(s) || v == 0 || v > 3999 || toRoman(v) != s {
		return 0, false
	}
	return v, true
}

// letterValue is the place of a capital letter in its alphabet (A is 1,
// Б is 2), or 0.
func letterValue(r rune) int {
	if r >= 'A' && r <= 'Z' {
		return int(r-'A') + 1
	}
	for i, l := range ruLetters {
		if l == r {
			return i + 1
		}
	}
	return 0
}

// wordCase tells how a number written in words is capitalised.
func wordCase(tok string) (int, bool) {
	switch tok {
	case strings.ToLower(tok):
		return caseLower, true
	case strings.ToUpper(tok):
		return caseUpper, true
	}
	r, size := utf8.DecodeRuneInString(tok)
	if unicode.IsUpper(r) && tok[size:] == strings.ToLower(tok[size:]) {
		return caseTitle, true
	}
	return 0, false
}
