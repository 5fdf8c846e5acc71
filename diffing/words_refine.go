package diffing

import (
	"unicode"

	dmp "github.com/sergi/go-diff/diffmatchpatch"
)

// refineWords shows the replacement of one word by a close spelling of it
// character by character: a deletion of one word followed by an insertion
// of one word, both of letters only, the longer of at least four
// characters, that share a prefix and suffix of at least three quarters of
// the longer and differ by at most two characters on each side. Digits stay
// whole ("2023" → "2024"), as do inflections that change more ("картой" →
// "карте").
func refineWords(spans []span) []span {
	var out []span
	for i := 0; i < len(spans); i++ {
		s := spans[i]
		if s.op == dmp.DiffDelete && s.n == 1 && i+1 < len(spans) &&
			spans[i+1].op == dmp.DiffInsert && spans[i+1].n == 1 {
			if parts := refinePair(s.text, spans[i+1].text); parts != nil {
				if out == nil {
					out = append(make([]span, 0, len(spans)+2), spans[:i]...)
				}
				out = append(out, parts...)
				i++
				continue
			}
		}
		if out != nil {
			out = append(out, s)
		}
	}
	if out == nil {
		return spans
	}
	return out
}

// refinePair returns the character diff of the words del and ins, or nil
// when they are not close enough for it to read well.
func refinePair(del, ins string) []span {
	if !isLetterWord(del) || !isLetterWord(ins) {
		return nil
	}
	rd, ri := []rune(del), []rune(ins)
	longer := max(len(rd), len(ri))
	if longer < 4 {
		return nil
	}
	pre := 0
	for pre < len(rd) && pre < len(ri) && rd[pre] == ri[pre] {
		pre++
	}
	// Do not split a letter from its combining marks.
	for pre > 0 && ((pre < len(rd) && unicode.IsMark(rd[pre])) || (pre < len(ri) && unicode.IsMark(ri[pre]))) {
		pre--
	}
	suf := 0
	for suf < len(rd)-pre && suf < len(ri)-pre && rd[len(rd)-1-suf] == ri[len(ri)-1-suf] {
		suf++
	}
	for suf > 0 && unicode.IsMark(rd[len(rd)-suf]) {
		suf--
	}
	md, mi := len(rd)-pre-suf, len(ri)-pre-suf
	if md > 2 || mi > 2 || 4*(pre+suf) < 3*longer {
		return nil
	}
	preB := len(string(rd[:pre]))
	sufD := len(string(rd[len(rd)-suf:]))
	var parts []span
	if pre > 0 {
		parts = append(parts, span{op: dmp.DiffEqual, text: del[:preB], n: 1})
	}
	if md > 0 {
		parts = append(parts, span{op: dmp.DiffDelete, text: del[preB : len(del)-sufD], n: 1})
	}
	if mi > 0 {
		parts = append(parts, span{op: dmp.DiffInsert, text: ins[preB : len(ins)-sufD], n: 1})
	}
	if suf > 0 {
		parts = append(parts, span{op: dmp.DiffEqual, text: del[len(del)-sufD:], n: 1})
	}
	return parts
}
