package diffing

import (
	"unicode"
	"unicode/utf8"

	dmp "github.com/sergi/go-diff/diffmatchpatch"
)

// change is one change of a token diff: the tokens a[a0:a1] of the old text
// become b[b0:b1] of the new. Between two changes (and before the first and
// after the last) the tokens are equal.
type change struct{ a0, a1, b0, b1 int }

// nonSpace appends to idx the indices of the tokens that are not white
// space.
func nonSpace(all []string, idx []int) []int {
	for i, t := range all {
		if !isSpaceToken(t) {
			idx = append(idx, i)
		}
	}
	return idx
}

// changesOf reads go-diff's runs over the runes of the tokens of a and b
// that are not white space (at indices ia of a and ib of b) as changes of
// a and b: every pair of tokens the runs find equal is kept, and what lies
// between two such pairs, less the tokens its two sides begin or end with
// alike, is a change. ok is false if the runs do not rebuild the tokens.
func changesOf(diffs []dmp.Diff, ia, ib []int, a, b []string) (cs []change, ok bool) {
	pa, pb := 0, 0 // tokens of a and b up to the last pair kept
	gap := func(a1, b1 int) {
		a0, b0 := pa, pb
		for a0 < a1 && b0 < b1 && a[a0] == b[b0] {
			a0, b0 = a0+1, b0+1
		}
		for a1 > a0 && b1 > b0 && a[a1-1] == b[b1-1] {
			a1, b1 = a1-1, b1-1
		}
		if a0 < a1 || b0 < b1 {
			cs = append(cs, change{a0, a1, b0, b1})
		}
	}
	i, j := 0, 0 // next non-space token of a and b
	for _, df := range diffs {
		n := utf8.RuneCountInString(df.Text)
		switch df.Type {
		case dmp.DiffEqual:
			if i+n > len(ia) || j+n > len(ib) {
				return nil, false
			}
			for k := 0; k < n; k++ {
				x, y := ia[i+k], ib[j+k]
				if a[x] != b[y] {
					return nil, false
				}
				gap(x, y)
				pa, pb = x+1, y+1
			}
			i, j = i+n, j+n
		case dmp.DiffDelete:
			i += n
		case dmp.DiffInsert:
			j += n
		}
	}
	if i != len(ia) || j != len(ib) {
		return nil, false
	}
	gap(len(a), len(b))
	return cs, true
}

// tidy makes a minimal token diff read as a person would mark it, without
// ever marking an unchanged word:
//
//   - a pure insertion or deletion that could stand at several places is
//     put where it begins a word (see bestShift: "shall {+promptly
//     +}prepare", not "shall{+ promptly+} prepare");
//   - two changes separated by white space alone become one change
//     ("[-silence procedure-]{+written notice+}", not
//     "[-silence-]{+written+} [-procedure-]{+notice+}"), and so do two
//     changes inside one run of non-space characters, separated by
//     punctuation alone ("[-seventy-two-]{+forty-eight+}", not
//     "[-seventy-]{+forty+}-[-two-]{+eight+}"): the word between spaces is
//     changed either way.
//
// Unlike go-diff's semantic cleanup, which also swallows short equalities
// between changes, an equality holding a word or a punctuation mark always
// stays an equality: "reaffirm" → "again reaffirm strong" is
// "{+again +}reaffirm{+ strong+}", never "[-reaffirm-]{+again reaffirm
// strong+}". It runs in linear time.
func tidy(cs []change, a, b []string) []change {
	for i := range cs {
		c := &cs[i]
		prevA, prevB := 0, 0
		if i > 0 {
			prevA, prevB = cs[i-1].a1, cs[i-1].b1
		}
		nextA := len(a)
		if i+1 < len(cs) {
			nextA = cs[i+1].a0
		}
		k := 0
		switch {
		case c.a0 == c.a1: // pure insertion
			k = bestShift(b, c.b0, c.b1, c.a0-prevA, nextA-c.a1)
		case c.b0 == c.b1: // pure deletion
			k = bestShift(a, c.a0, c.a1, c.b0-prevB, nextA-c.a1)
		}
		c.a0, c.a1, c.b0, c.b1 = c.a0+k, c.a1+k, c.b0+k, c.b1+k
	}
	out := cs[:0]
	for _, c := range cs {
		if n := len(out); n > 0 && joins(a, b, out[n-1], c) {
			out[n-1].a1, out[n-1].b1 = c.a1, c.b1
			continue
		}
		out = append(out, c)
	}
	return out
}

// bestShift returns how far to move the run t[x0:x1] of a pure insertion
// (in the new text) or deletion (in the old one), at most maxLeft tokens
// left and maxRight right over the equal tokens around it, to where it
// reads best: the leftmost place that begins a word (after white space or
// at the start) with a word rather than a space, else the leftmost that
// begins a word, else the leftmost. "corridors, agriculture, finance" →
// "corridors, finance" deletes "agriculture, ", not ", agriculture", which
// would touch "corridors,".
func bestShift(t []string, x0, x1, maxLeft, maxRight int) int {
	n := x1 - x0
	l := 0
	for l < maxLeft && t[x1-1-l] == t[x0-1-l] {
		l++
	}
	score := func(p int) int {
		sc := 0
		if p == 0 || isSpaceToken(t[p-1]) {
			sc += 2
		}
		if !isSpaceToken(t[p]) {
			sc++
		}
		return sc
	}
	best, bestScore := x0-l, score(x0-l)
	for p := x0 - l; p-x0 < maxRight && t[p] == t[p+n]; {
		p++
		if sc := score(p); sc > bestScore {
			best, bestScore = p, sc
		}
	}
	return best - x0
}

// isSpaceToken reports whether a token is white space.
func isSpaceToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsSpace(r)
}

// joins reports whether the equality between two changes p and c is to be
// made part of one change with them: it is white space alone, or it is
// punctuation alone (no word, no space) standing between non-space
// characters in one of the texts, as the hyphen of "seventy-two" →
// "forty-eight" does.
func joins(a, b []string, p, c change) bool {
	eq := a[p.a1:c.a0]
	space, other := false, false
	for _, t := range eq {
		switch {
		case isSpaceToken(t):
			space = true
		case isWordToken(t):
			return false
		default:
			other = true
		}
	}
	if !other {
		return true
	}
	if space {
		return false
	}
	glued := func(t []string, x0, x1 int) bool {
		return x0 > 0 && x1 < len(t) && !isSpaceToken(t[x0-1]) && !isSpaceToken(t[x1])
	}
	return glued(a, p.a1, c.a0) || glued(b, p.b1, c.b0)
}

// isWordToken reports whether a token is a word (in a script written
// without spaces, one character).
func isWordToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return isWordRune(r) || isUnspaced(r)
}

// appendSpans appends to spans the equalities and changes cs of the tokens
// a of old and b of new, as slices of old and new.
func appendSpans(spans []span, cs []change, a, b []string, old, new string) []span {
	ia, oa, ob := 0, 0, 0 // next token of a, next bytes of old and new
	for _, c := range cs {
		if c.a0 > ia {
			l := tokensLen(a[ia:c.a0])
			spans = append(spans, span{op: dmp.DiffEqual, text: old[oa : oa+l], n: c.a0 - ia})
			oa, ob = oa+l, ob+l
		}
		if c.a1 > c.a0 {
			l := tokensLen(a[c.a0:c.a1])
			spans = append(spans, span{op: dmp.DiffDelete, text: old[oa : oa+l], n: c.a1 - c.a0})
			oa += l
		}
		if c.b1 > c.b0 {
			l := tokensLen(b[c.b0:c.b1])
			spans = append(spans, span{op: dmp.DiffInsert, text: new[ob : ob+l], n: c.b1 - c.b0})
			ob += l
		}
		ia = c.a1
	}
	if ia < len(a) {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[oa:], n: len(a) - ia})
	}
	return spans
}

// tokensLen returns the length in bytes of toks, one after the other.
func tokensLen(toks []string) int {
	n := 0
	for _, t := range toks {
		n += len(t)
	}
	return n
}
