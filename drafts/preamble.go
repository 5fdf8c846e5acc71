package drafts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// OpeningWords returns the length in bytes of the opening participle of a
// preambular paragraph ("Recognizing", "Deeply concerned", "Bearing in
// mind", "Руководствуясь"), which the forum prints in italics, or 0 when
// the paragraph does not open with one ("The Heads of State …,").
func OpeningWords(text string) int {
	end := wordEnd(text, 0)
	if end == 0 {
		return 0
	}
	first := strings.ToLower(text[:end])
	switch {
	case first == "bearing" && strings.HasPrefix(text[end:], " in mind"):
		return end + len(" in mind")
	case strings.HasSuffix(first, "ly") && end < len(text) && text[end] == ' ':
		// "Deeply concerned", "Firmly convinced"
		if e2 := wordEnd(text, end+1); e2 > end+1 && participle(strings.ToLower(text[end+1:e2])) {
			return e2
		}
		return 0
	case first == "будучи" && end < len(text) && text[end] == ' ':
		// "будучи убеждены", "будучи глубоко обеспокоены"
		e := wordEnd(text, end+1)
		if strings.HasSuffix(text[end+1:e], "о") && e < len(text) && text[e] == ' ' {
			e = wordEnd(text, e+1)
		}
		return e
	case participle(first):
		return end
	}
	return 0
}

// wordEnd returns the end of the word of letters (and hyphens) at s[i:].
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && r != '-' {
			break
		}
		i += size
	}
	return i
}

// participle reports whether a word (lower case) looks like the opening
// participle or adjective of a preambular paragraph.
func participle(w string) bool {
	if utf8.RuneCountInString(w) < 4 {
		return false
	}
	for _, s := range []string{"ing", "ed", "ful", "ous", "ware", "ant", "ent", "я", "в", "ясь", "вшись", "будучи"} {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// setKinds sets the kind of every provision from its number, then marks
// the preamble (markPreamble): after operations or a merge changed numbers.
func setKinds(ps []Provision) {
	for i := range ps {
		ps[i].Kind = kindOf(ps[i].Number)
	}
	markPreamble(ps)
}

// markPreamble makes the unnumbered paragraphs before the first numbered
// paragraph or numbered heading preambular, when the text has one; with
// none, they stay paragraphs.
func markPreamble(ps []Provision) {
	for i := range ps {
		p := &ps[i]
		if p.Number != "" && (p.Kind == KindParagraph || p.Kind == KindHeading && isWordNumber(p.Number)) {
			for j := range ps[:i] {
				if ps[j].Kind == KindParagraph && ps[j].Number == "" {
					ps[j].Kind = KindPreamble
				}
			}
			return
		}
	}
}
