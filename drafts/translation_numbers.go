package drafts

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The numbers of a provision in two languages are one number written two
// ways: "Rule 3." and "Правило 3.", "Chapter III" and "Глава III", "6 bis."
// and "6-бис.", "(b)" and "(б)". NumberKey reads a number as the value
// both ways share; TranslateNumber writes one in another language.

// The maps below are made when first needed, not when the package starts:
// most processes (chancery diff, for one) never translate a number.

// headingWordKeys gives each word of a numbered heading (lower case) the
// key it shares with its equivalents in other languages.
var headingWordKeys = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"part": "part", "часть": "part",
		"annex": "annex", "приложение": "annex",
		"appendix": "appendix",
		"chapter":  "chapter", "глава": "chapter",
		"section": "section", "раздел": "section",
		"article": "article", "статья": "article",
		"rule": "rule", "правило": "rule",
	}
})

// headingWordsIn are the words of numbered headings in a language, by key.
var headingWordsIn = sync.OnceValue(func() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {"part": "Part", "annex": "Annex", "appendix": "Appendix", "chapter": "Chapter", "section": "Section", "article": "Article", "rule": "Rule"},
		"ru": {"part": "Часть", "annex": "Приложение", "appendix": "Приложение", "chapter": "Глава", "section": "Раздел", "article": "Статья", "rule": "Правило"},
	}
})

// ruGender is the grammatical gender of a Russian heading word, for a
// number written in words ("Часть первая", "Раздел первый").
var ruGender = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"part": styleRuFeminine, "chapter": styleRuFeminine, "article": styleRuFeminine,
		"section": styleRuMasculine, "annex": styleRuNeuter, "appendix": styleRuNeuter, "rule": styleRuNeuter,
	}
})

// suffixValues ranks the suffixes of inserted numbers: bis and бис are 2.
var suffixValues = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"bis": 2, "ter": 3, "quater": 4, "quinquies": 5, "sexies": 6, "septies": 7, "octies": 8, "novies": 9, "decies": 10,
		"бис": 2, "тер": 3, "кватер": 4,
	}
})

// ruItemLetters are the letters of Russian lists of items: (а), (б), (в)…
var ruItemLetters = []rune{'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к', 'л', 'м', 'н', 'о', 'п', 'р', 'с', 'т', 'у', 'ф', 'х', 'ц', 'ч', 'ш', 'щ', 'э', 'ю', 'я'}

// baseLanguage is the language of a tag without its region or script.
func baseLanguage(lang string) string { return strings.SplitN(lang, "-", 2)[0] }

// NumberKey returns what a provision's number means whatever the language
// it is written in: two provisions of a text in two languages align when
// their keys are equal. It reads the kind with the number; an unnumbered
// paragraph's key is its kind alone.
func NumberKey(kind, number string) string {
	if number == "" {
		return kind
	}
	if n := headingMarker(number + " "); n == len(number) {
		return kind + ":" + number
	}
	if num, n := scanWordHeading(number); n > 0 && n == len(number) {
		word := headingWordKeys()[strings.ToLower(num.keyword)]
		return kind + ":" + word + ":" + joinInts(num.parts) + suffixKey(num.suffix)
	}
	if num, n := paragraphNumber(number + " "); n == len(number) {
		return kind + ":" + joinInts(num.parts) + suffixKey(num.suffix)
	}
	if tok, ok := itemToken(number); ok {
		return kind + ":(" + itemKey(tok) + ")"
	}
	return kind + ":" + number
}

// suffixKey is the part of a key a suffix gives: "+2" for bis and бис.
func suffixKey(suffix string) string {
	if suffix == "" {
		return ""
	}
	return "+" + strconv.Itoa(suffixValues()[strings.ToLower(suffix[1:])])
}

// itemToken returns what an item's marker holds between its brackets.
func itemToken(number string) (string, bool) {
	if n := itemMarker(number + " x"); n == 0 || n != len(number) {
		return "", false
	}
	return number[1 : len(number)-1], true
}

// itemKey is the value of an item's token: a letter's place in its
// alphabet (b and б are both 2), a roman or arabic number's value.
func itemKey(tok string) string {
	r, size := utf8.DecodeRuneInString(tok)
	if size == len(tok) {
		if v := itemLetterValue(r); v > 0 {
			return "l" + strconv.Itoa(v)
		}
	}
	if v, ok := parseRoman(strings.ToUpper(tok)); ok {
		return "r" + strconv.Itoa(v)
	}
	if v, err := strconv.Atoi(tok); err == nil {
		return "d" + strconv.Itoa(v)
	}
	return tok
}

// itemLetterValue is the place of a letter in the Latin alphabet or in
// the Russian lists' one, or 0.
func itemLetterValue(r rune) int {
	l := unicode.ToLower(r)
	if l >= 'a' && l <= 'z' {
		return int(l-'a') + 1
	}
	for i, x := range ruItemLetters {
		if x == l {
			return i + 1
		}
	}
	return 0
}

// TranslateNumber writes the number of a provision of kind, as the
// original has it, in language lang: like, when not "", is a number of
// that language to follow (the provision's own number there before, or
// the nearest one of its kind), for its words, alphabet and style. A
// number with no words or letters ("12.", "3.1", "#") stays as it is; so
// does any number in a language the rules do not know.
func TranslateNumber(kind, number, lang, like string) string {
	if number == "" {
		return ""
	}
	if like != "" && NumberKey(kind, number) == NumberKey(kind, like) {
		return like
	}
	lang = baseLanguage(lang)
	if num, n := scanWordHeading(number); n > 0 && n == len(number) {
		return translateHeadingNumber(num, lang, like)
	}
	if num, n := paragraphNumber(number + " "); n == len(number) {
		return num.token + translateSuffix(num.suffix, lang, like) + num.punct
	}
	if tok, ok := itemToken(number); ok {
		return "(" + translateItem(tok, lang, like) + ")"
	}
	return number
}

// translateSuffix writes " bis" as "-бис" in Russian and back, or as like
// writes its suffixes.
func translateSuffix(suffix, lang, like string) string {
	if suffix == "" {
		return ""
	}
	ru := lang == "ru"
	if l, n := paragraphNumber(like + " "); n == len(like) && l.suffix != "" {
		ru = isCyrillic(l.suffix)
	}
	v := suffixValues()[strings.ToLower(suffix[1:])]
	words := []string{"bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies"}
	if ru && v >= 2 && v <= 4 {
		return "-" + []string{"бис", "тер", "кватер"}[v-2]
	}
	if !ru && v >= 2 && v <= 10 {
		return " " + words[v-2]
	}
	return suffix
}

// translateHeadingNumber writes a numbered heading's number in lang.
func translateHeadingNumber(num number, lang, like string) string {
	key := headingWordKeys()[strings.ToLower(num.keyword)]
	keyword, style, likeNum := num.keyword, num.style, num
	if w, ok := headingWordsIn()[lang][key]; ok {
		keyword = w
	}
	if l, n := scanWordHeading(like); n > 0 && n == len(like) && headingWordKeys()[strings.ToLower(l.keyword)] == key {
		keyword, style, likeNum = l.keyword, l.style, l
	} else if num.style >= styleWordCardinal {
		// A number in words takes the language's words: "Part One",
		// "Часть первая".
		likeNum.wcase = caseLower
		switch {
		case lang == "ru":
			style = ruGender()[key]
		case lang == "en" && num.style >= styleRuMasculine:
			style, likeNum.wcase = styleWordCardinal, caseTitle
		}
	} else if num.style == styleLetter && lang == "ru" {
		likeNum.token = "А"
	} else if num.style == styleLetter && lang == "en" {
		likeNum.token = "A"
	}
	text, ok := writeNumber(num.parts[0], style, likeNum)
	if !ok || len(num.parts) != 1 {
		text = num.token
	}
	return keyword + " " + text + translateSuffix(num.suffix, lang, "") + num.punct
}

// translateItem writes an item's token in the alphabet of like (or of
// lang when like is no lettered item): b and б.
func translateItem(tok, lang, like string) string {
	r, size := utf8.DecodeRuneInString(tok)
	v := itemLetterValue(r)
	if size != len(tok) || v == 0 {
		return tok
	}
	cyr := isCyrillic(tok)
	if l, ok := itemToken(like); ok {
		lr, _ := utf8.DecodeRuneInString(l)
		if itemLetterValue(lr) > 0 {
			cyr = isCyrillic(l)
		}
	} else if like == "" {
		cyr = cyr && lang != "en"
	}
	var out rune
	switch {
	case cyr && v <= len(ruItemLetters):
		out = ruItemLetters[v-1]
	case !cyr && v <= 26:
		out = rune('a' + v - 1)
	default:
		return tok
	}
	if unicode.IsUpper(r) {
		out = unicode.ToUpper(out)
	}
	return string(out)
}

// isCyrillic reports whether s holds a Cyrillic letter.
func isCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}
