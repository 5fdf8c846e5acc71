package diffing

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	dmp "github.com/sergi/go-diff/diffmatchpatch"

	"chancery/drafts"
)

// span is one run of a token diff: its operation, its text, and the number
// of tokens in it.
type span struct {
	op   dmp.Operation
	text string
	n    int
}

// Words diffs two strings word by word (see the package comment for what a
// word is). Concatenating the equal and delete segments gives old, the equal
// and insert segments give new. coarse is true when the diff ran out of
// DiffTimeout or was over MaxTokens: its changed part is then shown, in
// whole or in part, as one deletion and one insertion.
func (d *Differ) Words(old, new string) (segs []drafts.Segment, coarse bool) {
	if old == new {
		if old == "" {
			return nil, false
		}
		return []drafts.Segment{{Op: drafts.SegEqual, Text: old}}, false
	}
	w := d.newWordDiffer()
	return w.words(old, new)
}

// wordDiffer holds what the word diffs of one call share: the token
// encoder, the time budget and scratch buffers. It is not safe for
// concurrent use.
type wordDiffer struct {
	d      *Differ
	enc    *encoder
	budget *budget
	ta, tb []string
	ra, rb []rune
	ia, ib []int // indices of the tokens that are not white space
	sa, sb []string
}

func (d *Differ) newWordDiffer() *wordDiffer {
	return &wordDiffer{d: d, enc: newEncoder(), budget: d.newBudget()}
}

func (w *wordDiffer) words(old, new string) ([]drafts.Segment, bool) {
	// Set aside the common beginning and end, cut at token boundaries, so
	// that only the changed middle is tokenised.
	pre, suf := commonEnds(old, new)
	oldMid, newMid := old[pre:len(old)-suf], new[pre:len(new)-suf]
	w.ta = tokenize(oldMid, w.ta[:0])
	w.tb = tokenize(newMid, w.tb[:0])
	mid, coarse := w.diff(oldMid, newMid, w.ta, w.tb)
	spans := make([]span, 0, len(mid)+2)
	if pre > 0 {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[:pre]})
	}
	for _, s := range mid {
		if n := len(spans); n > 0 && s.op == dmp.DiffEqual && spans[n-1].op == dmp.DiffEqual {
			spans[n-1].text += s.text
			continue
		}
		spans = append(spans, s)
	}
	if suf > 0 {
		if n := len(spans); n > 0 && spans[n-1].op == dmp.DiffEqual {
			spans[n-1].text += old[len(old)-suf:]
		} else {
			spans = append(spans, span{op: dmp.DiffEqual, text: old[len(old)-suf:]})
		}
	}
	if !coarse {
		spans = placeChanges(spans)
	}
	if !w.d.WholeWords {
		spans = refineWords(spans)
	}
	return appendSegments(make([]drafts.Segment, 0, len(spans)), spans), coarse
}

// placeChanges moves each pure insertion or deletion standing between two
// equalities to where it reads best (see bestShift), now that the common
// beginning and end set aside before the diff are back around it: "collaboration,
// exchange, and" → "collaboration, and" deletes "exchange, ", not ",
// exchange", which would touch "collaboration,". An equality between two
// changes keeps at least one token.
func placeChanges(spans []span) []span {
	moved := false
	for i := range spans {
		s := &spans[i]
		if s.op == dmp.DiffEqual || (i > 0 && spans[i-1].op != dmp.DiffEqual) || (i+1 < len(spans) && spans[i+1].op != dmp.DiffEqual) {
			continue
		}
		var prev, next *span
		if i > 0 {
			prev = &spans[i-1]
		}
		if i+1 < len(spans) {
			next = &spans[i+1]
		}
		var tp, tn []string
		if prev != nil {
			tp = tokenize(prev.text, nil)
		}
		if next != nil {
			tn = tokenize(next.text, nil)
		}
		tc := tokenize(s.text, nil)
		t := make([]string, 0, len(tp)+len(tc)+len(tn))
		t = append(append(append(t, tp...), tc...), tn...)
		maxLeft, maxRight := len(tp), len(tn)
		if i > 1 {
			maxLeft-- // a change before the equality
		}
		if i+2 < len(spans) {
			maxRight-- // a change after it
		}
		// Moving needs an equality on the side the change moves away
		// from, to take the tokens it leaves.
		if next == nil {
			maxLeft = 0
		}
		if prev == nil {
			maxRight = 0
		}
		x0 := len(tp)
		k := bestShift(t, x0, x0+len(tc), max(maxLeft, 0), max(maxRight, 0))
		if k == 0 {
			continue
		}
		moved = true
		join := func(toks []string) string { return strings.Join(toks, "") }
		if prev != nil {
			prev.text, prev.n = join(t[:x0+k]), x0+k
		}
		s.text = join(t[x0+k : x0+k+len(tc)])
		if next != nil {
			next.text, next.n = join(t[x0+k+len(tc):]), len(t)-(x0+k+len(tc))
		}
	}
	if !moved {
		return spans
	}
	out := spans[:0]
	for _, s := range spans {
		if s.text != "" {
			out = append(out, s)
		}
	}
	return out
}

// commonEnds returns the lengths in bytes of a common beginning and a
// common end of a and b that do not overlap and end (and start) at token
// boundaries of both: just after a run of white space, before a character
// that is not white space.
func commonEnds(a, b string) (pre, suf int) {
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	// A boundary q < p: a[q-1] is ASCII white space, a[q] is not.
	for q := p - 1; q > 0 && q >= p-64; q-- {
		if a[q-1] < utf8.RuneSelf && asciiClass[a[q-1]] == 's' && a[q] < utf8.RuneSelf && asciiClass[a[q]] != 's' {
			pre = q
			break
		}
	}
	k := 0
	for k < n-pre && a[len(a)-1-k] == b[len(b)-1-k] {
		k++
	}
	// A boundary t > len(a)-k within the common end, as above.
	r := len(a) - k
	for t := r + 1; t < len(a) && t <= r+64; t++ {
		if a[t-1] < utf8.RuneSelf && asciiClass[a[t-1]] == 's' && a[t] < utf8.RuneSelf && asciiClass[a[t]] != 's' {
			suf = len(a) - t
			break
		}
	}
	return pre, suf
}

// diff diffs the tokens a of old and b of new with go-diff's Myers diff
// over runes (one a token), and returns the runs of the diff once tidied
// (see tidy): a minimal diff, in which no unchanged token is marked.
func (w *wordDiffer) diff(old, new string, a, b []string) (spans []span, coarse bool) {
	// Common leading and trailing tokens.
	pre, preBytes := 0, 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		preBytes += len(a[pre])
		pre++
	}
	suf, sufBytes := 0, 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		sufBytes += len(a[len(a)-1-suf])
		suf++
	}
	if pre > 0 {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[:preBytes], n: pre})
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	oldMid, newMid := old[preBytes:len(old)-sufBytes], new[preBytes:len(new)-sufBytes]

	whole := func() {
		if len(am) > 0 {
			spans = append(spans, span{op: dmp.DiffDelete, text: oldMid, n: len(am)})
		}
		if len(bm) > 0 {
			spans = append(spans, span{op: dmp.DiffInsert, text: newMid, n: len(bm)})
		}
	}
	switch {
	case len(am) == 0 || len(bm) == 0:
		whole()
	case len(am)+len(bm) > w.d.maxTokens():
		whole()
		coarse = true
	default:
		// Only words and punctuation are diffed: white space, in a text
		// where nearly every other token is a space, would otherwise let a
		// minimal diff trade a word for a space ("Council) is" → "is Việt"
		// as "[-Council) is-]{+is Việt+}").
		w.ia, w.sa = nonSpace(am, w.ia[:0], w.sa[:0])
		w.ib, w.sb = nonSpace(bm, w.ib[:0], w.sb[:0])
		var ok1, ok2 bool
		w.ra, ok1 = w.enc.encode(w.sa, w.ra[:0])
		w.rb, ok2 = w.enc.encode(w.sb, w.rb[:0])
		left := w.budget.left()
		if !ok1 || !ok2 || left <= 0 {
			whole()
			coarse = true
			break
		}
		m := dmp.New()
		m.DiffTimeout = left
		start := time.Now()
		diffs := m.DiffMainRunes(w.ra, w.rb, false)
		// go-diff returns a coarse diff, silently, when its deadline passes;
		// the deadline can only have passed if this much time went by.
		if time.Since(start) >= left {
			coarse = true
		}
		changes, ok := changesOf(diffs, w.ia, w.ib, am, bm)
		if !ok {
			// go-diff's runs do not rebuild the two token lists: never
			// seen, but a diff that does not rebuild its texts is worse
			// than a coarse one.
			whole()
			coarse = true
			break
		}
		changes = tidy(changes, am, bm)
		spans = appendSpans(spans, changes, am, bm, oldMid, newMid)
	}
	if suf > 0 {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[len(old)-sufBytes:], n: suf})
	}
	return spans, coarse
}

// change is one change of a token diff: the tokens a[a0:a1] of the old text
// become b[b0:b1] of the new. Between two changes (and before the first and
// after the last) the tokens are equal.
type change struct{ a0, a1, b0, b1 int }

// nonSpace appends to idx the indices of the tokens that are not white
// space, and to toks those tokens.
func nonSpace(all []string, idx []int, toks []string) ([]int, []string) {
	for i, t := range all {
		if !isSpaceToken(t) {
			idx = append(idx, i)
			toks = append(toks, t)
		}
	}
	return idx, toks
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
	size := func(toks []string) int {
		n := 0
		for _, t := range toks {
			n += len(t)
		}
		return n
	}
	for _, c := range cs {
		if c.a0 > ia {
			l := size(a[ia:c.a0])
			spans = append(spans, span{op: dmp.DiffEqual, text: old[oa : oa+l], n: c.a0 - ia})
			oa, ob = oa+l, ob+l
		}
		if c.a1 > c.a0 {
			l := size(a[c.a0:c.a1])
			spans = append(spans, span{op: dmp.DiffDelete, text: old[oa : oa+l], n: c.a1 - c.a0})
			oa += l
		}
		if c.b1 > c.b0 {
			l := size(b[c.b0:c.b1])
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

// appendSegments appends spans to segs as segments, joining neighbours of
// one operation.
func appendSegments(segs []drafts.Segment, spans []span) []drafts.Segment {
	for _, s := range spans {
		if s.text == "" {
			continue
		}
		op := segOp(s.op)
		if n := len(segs); n > 0 && segs[n-1].Op == op {
			segs[n-1].Text += s.text
			continue
		}
		segs = append(segs, drafts.Segment{Op: op, Text: s.text})
	}
	return segs
}

func segOp(op dmp.Operation) string {
	switch op {
	case dmp.DiffDelete:
		return drafts.SegDelete
	case dmp.DiffInsert:
		return drafts.SegInsert
	default:
		return drafts.SegEqual
	}
}
