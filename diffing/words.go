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
	spans, coarse := w.diff(oldMid, newMid, w.ta, w.tb)
	if !w.d.WholeWords {
		spans = refineWords(spans)
	}
	segs := make([]drafts.Segment, 0, len(spans)+2)
	if pre > 0 {
		segs = append(segs, drafts.Segment{Op: drafts.SegEqual, Text: old[:pre]})
	}
	segs = appendSegments(segs, spans)
	if suf > 0 {
		segs = appendSegments(segs, []span{{op: dmp.DiffEqual, text: old[len(old)-suf:]}})
	}
	return segs, coarse
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

// diff diffs the tokens a of old and b of new with go-diff, and returns the
// runs of the diff after a semantic cleanup over tokens (go-diff's, or
// cleanupLinear for a diff of many runs).
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
		var ok1, ok2 bool
		w.ra, ok1 = w.enc.encode(am, w.ra[:0])
		w.rb, ok2 = w.enc.encode(bm, w.rb[:0])
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
		// go-diff's semantic cleanup is quadratic in the number of runs
		// (every merge splices the slice and scans back); past a limit, a
		// linear cleanup of the same rule does.
		big := len(diffs) > cleanupLimit
		if !big {
			diffs = m.DiffCleanupSemantic(diffs)
		}
		mid, ok := w.decode(diffs, am, bm, oldMid, newMid)
		if !ok {
			// go-diff's runs do not rebuild the two token lists: never
			// seen, but a diff that does not rebuild its texts is worse
			// than a coarse one.
			whole()
			coarse = true
			break
		}
		if big {
			mid = cleanupLinear(mid)
		}
		spans = append(spans, mid...)
	}
	if suf > 0 {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[len(old)-sufBytes:], n: suf})
	}
	return spans, coarse
}

// decode turns go-diff's runs over the runes of the tokens a and b (of the
// texts old and new) into spans that slice old and new. ok is false if the
// runs do not rebuild a and b.
func (w *wordDiffer) decode(diffs []dmp.Diff, a, b []string, old, new string) (spans []span, ok bool) {
	spans = make([]span, 0, len(diffs))
	ia, ib, oa, ob := 0, 0, 0, 0 // next token and byte of a and b
	bytes := func(toks []string) int {
		n := 0
		for _, t := range toks {
			n += len(t)
		}
		return n
	}
	for _, df := range diffs {
		n := utf8.RuneCountInString(df.Text)
		if n == 0 {
			continue
		}
		s := span{op: df.Type, n: n}
		switch df.Type {
		case dmp.DiffEqual:
			if ia+n > len(a) || ib+n > len(b) {
				return nil, false
			}
			l := bytes(a[ia : ia+n])
			s.text = old[oa : oa+l]
			if new[ob:ob+bytes(b[ib:ib+n])] != s.text {
				return nil, false
			}
			ia, ib, oa, ob = ia+n, ib+n, oa+l, ob+l
		case dmp.DiffDelete:
			if ia+n > len(a) {
				return nil, false
			}
			l := bytes(a[ia : ia+n])
			s.text = old[oa : oa+l]
			ia, oa = ia+n, oa+l
		case dmp.DiffInsert:
			if ib+n > len(b) {
				return nil, false
			}
			l := bytes(b[ib : ib+n])
			s.text = new[ob : ob+l]
			ib, ob = ib+n, ob+l
		}
		spans = append(spans, s)
	}
	return spans, ia == len(a) && ib == len(b)
}

// cleanupLimit is the most runs of a token diff given to go-diff's
// semantic cleanup.
const cleanupLimit = 2000

// cleanupLinear applies the rule of go-diff's semantic cleanup in linear
// time: an equality no longer (in tokens) than the changes on either side
// of it (the longer of deletion and insertion) becomes part of one change
// with them, and so on leftwards as changes grow. It does not shift or
// split changes as go-diff's does.
func cleanupLinear(spans []span) []span {
	// A group is a run of spans [from, to) that is one change; groups are
	// separated by equalities.
	type group struct{ from, to, del, ins int }
	var groups []group
	var eqs []int // index of the equality after each group but the last
	cur := group{}
	push := func(g group) {
		groups = append(groups, g)
		for len(eqs) > 0 {
			l, r, e := groups[len(groups)-2], groups[len(groups)-1], spans[eqs[len(eqs)-1]].n
			if e > max(l.del, l.ins) || e > max(r.del, r.ins) {
				break
			}
			groups = groups[:len(groups)-2]
			eqs = eqs[:len(eqs)-1]
			groups = append(groups, group{from: l.from, to: r.to, del: l.del + e + r.del, ins: l.ins + e + r.ins})
		}
	}
	for i, s := range spans {
		switch s.op {
		case dmp.DiffEqual:
			cur.to = i
			push(cur)
			eqs = append(eqs, i)
			cur = group{from: i + 1}
		case dmp.DiffDelete:
			cur.del += s.n
		case dmp.DiffInsert:
			cur.ins += s.n
		}
	}
	cur.to = len(spans)
	push(cur)

	out := make([]span, 0, len(spans))
	var del, ins strings.Builder
	for k, g := range groups {
		if g.to-g.from == 1 || g.from == g.to {
			out = append(out, spans[g.from:g.to]...)
		} else {
			del.Reset()
			ins.Reset()
			for _, s := range spans[g.from:g.to] {
				if s.op != dmp.DiffInsert {
					del.WriteString(s.text)
				}
				if s.op != dmp.DiffDelete {
					ins.WriteString(s.text)
				}
			}
			if g.del > 0 {
				out = append(out, span{op: dmp.DiffDelete, text: del.String(), n: g.del})
			}
			if g.ins > 0 {
				out = append(out, span{op: dmp.DiffInsert, text: ins.String(), n: g.ins})
			}
		}
		if k < len(eqs) {
			out = append(out, spans[eqs[k]])
		}
	}
	return out
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
