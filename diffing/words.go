package diffing

import (
	"time"
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
	return d.newWordDiffer().memoWords(old, new)
}

// wordDiffer holds what the word diffs of one call share: the token
// encoder (made when first needed), the time budget and scratch buffers.
// It is not safe for concurrent use.
type wordDiffer struct {
	d      *Differ
	enc    *encoder
	budget *budget
	// ta and tb hold the tokens of the two texts' changed middles, and
	// once the diff is made ta holds placeChanges' tokens.
	ta, tb []string
	ra, rb []rune
	ia, ib []int // indices of the tokens that are not white space
	spans  []span
}

func (d *Differ) newWordDiffer() *wordDiffer {
	return &wordDiffer{d: d, budget: d.newBudget()}
}

func (w *wordDiffer) words(old, new string) ([]drafts.Segment, bool) {
	// Set aside the common beginning and end, cut at token boundaries, so
	// that only the changed middle is tokenised.
	pre, suf := commonEnds(old, new)
	oldMid, newMid := old[pre:len(old)-suf], new[pre:len(new)-suf]
	w.ta = tokenize(oldMid, w.ta[:0])
	w.tb = tokenize(newMid, w.tb[:0])
	// The spans are made in w.spans, which keeps its room for the next
	// call; the segments made of them at the end are new.
	spans := w.spans[:0]
	if pre > 0 {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[:pre]})
	}
	spans, coarse := w.diff(spans, oldMid, newMid, w.ta, w.tb)
	if suf > 0 {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[len(old)-suf:]})
	}
	spans = joinEqual(spans, old)
	w.spans = spans
	if !coarse {
		spans = placeChanges(spans, old, new, &w.ta) // the diff is made: ta is free
	}
	if !w.d.WholeWords {
		spans = refineWords(spans)
	}
	return appendSegments(make([]drafts.Segment, 0, len(spans)), spans, old, new), coarse
}

// joinEqual makes each run of equal spans one span, in place. The equal
// and deleted spans, in order, make old: two equal spans side by side are
// one slice of old, and need no new string. A joined span keeps the token
// count of its first span.
func joinEqual(spans []span, old string) []span {
	out := spans[:0]
	off := 0 // where in old the span s starts
	for _, s := range spans {
		if n := len(out); n > 0 && s.op == dmp.DiffEqual && out[n-1].op == dmp.DiffEqual {
			out[n-1].text = old[off-len(out[n-1].text) : off+len(s.text)]
		} else {
			out = append(out, s)
		}
		if s.op != dmp.DiffInsert {
			off += len(s.text)
		}
	}
	return out
}

// placeChanges moves each pure insertion or deletion standing between two
// equalities to where it reads best (see bestShift), now that the common
// beginning and end set aside before the diff are back around it: "collaboration,
// exchange, and" → "collaboration, and" deletes "exchange, ", not ",
// exchange", which would touch "collaboration,". An equality between two
// changes keeps at least one token. The tokens are made in scratch, which
// keeps its room for the next call. The spans are of the diff from old to
// new: a deletion and the equalities around it are one slice of old, an
// insertion and those around it one slice of new, so that the spans moved
// are cut anew from it rather than joined from their tokens.
func placeChanges(spans []span, old, new string, scratch *[]string) []span {
	moved := false
	var at [2]int // where spans[i] starts in old and in new
	for i := range spans {
		if t, x0, nc, k := bestPlace(spans, i, scratch); k != 0 {
			moved = true
			text, from := old, at[0]
			if spans[i].op == dmp.DiffInsert {
				text, from = new, at[1]
			}
			b0 := tokensLen(t[:x0+k])
			b1 := b0 + tokensLen(t[x0+k:x0+k+nc])
			end := b1 + tokensLen(t[x0+k+nc:])
			if i > 0 {
				prev := &spans[i-1]
				from -= len(prev.text)
				// prev, an equality, ends where spans[i] now starts.
				d := b0 - len(prev.text)
				at[0], at[1] = at[0]+d, at[1]+d
				prev.text, prev.n = text[from:from+b0], x0+k
			}
			spans[i].text = text[from+b0 : from+b1]
			if i+1 < len(spans) {
				spans[i+1].text, spans[i+1].n = text[from+b1:from+end], len(t)-(x0+k+nc)
			}
		}
		if spans[i].op != dmp.DiffInsert {
			at[0] += len(spans[i].text)
		}
		if spans[i].op != dmp.DiffDelete {
			at[1] += len(spans[i].text)
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

// bestPlace finds where spans[i], if a pure insertion or deletion between
// two equalities (or at an end), reads best. It returns the tokens t of
// the span and the equalities around it, made in scratch, where the
// span's x0 and count nc of tokens are among them, and how far to move
// it, k, 0 if not at all.
func bestPlace(spans []span, i int, scratch *[]string) (t []string, x0, nc, k int) {
	if spans[i].op == dmp.DiffEqual || (i > 0 && spans[i-1].op != dmp.DiffEqual) || (i+1 < len(spans) && spans[i+1].op != dmp.DiffEqual) {
		return nil, 0, 0, 0
	}
	prev, next := i > 0, i+1 < len(spans)
	// The tokens of prev, s and next, one after the other, in scratch.
	t = (*scratch)[:0]
	if prev {
		t = tokenize(spans[i-1].text, t)
	}
	x0 = len(t)
	t = tokenize(spans[i].text, t)
	nc = len(t) - x0
	if next {
		t = tokenize(spans[i+1].text, t)
	}
	*scratch = t
	maxLeft, maxRight := x0, len(t)-x0-nc
	if i > 1 {
		maxLeft-- // a change before the equality
	}
	if i+2 < len(spans) {
		maxRight-- // a change after it
	}
	// Moving needs an equality on the side the change moves away
	// from, to take the tokens it leaves.
	if !next {
		maxLeft = 0
	}
	if !prev {
		maxRight = 0
	}
	return t, x0, nc, bestShift(t, x0, x0+nc, max(maxLeft, 0), max(maxRight, 0))
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
// over runes (one a token), and appends to spans the runs of the diff once
// tidied (see tidy): a minimal diff, in which no unchanged token is marked.
func (w *wordDiffer) diff(spans []span, old, new string, a, b []string) (_ []span, coarse bool) {
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
		w.ia = nonSpace(am, w.ia[:0])
		w.ib = nonSpace(bm, w.ib[:0])
		if w.enc == nil {
			w.enc = newEncoder()
		}
		var ok1, ok2 bool
		w.ra, ok1 = w.enc.encode(am, w.ia, w.ra[:0])
		w.rb, ok2 = w.enc.encode(bm, w.ib, w.rb[:0])
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

// appendSegments appends spans, of the diff from old to new, to segs as
// segments, joining neighbours of one operation. The equal and deleted
// spans, in order, make old, the equal and inserted ones new: neighbours
// of one operation are one slice of old or new, and need no new string.
func appendSegments(segs []drafts.Segment, spans []span, old, new string) []drafts.Segment {
	offOld, offNew := 0, 0 // where in old and new the span s starts
	for _, s := range spans {
		op := segOp(s.op)
		switch n := len(segs); {
		case s.text == "":
		case n > 0 && segs[n-1].Op == op && op == drafts.SegInsert:
			segs[n-1].Text = new[offNew-len(segs[n-1].Text) : offNew+len(s.text)]
		case n > 0 && segs[n-1].Op == op:
			segs[n-1].Text = old[offOld-len(segs[n-1].Text) : offOld+len(s.text)]
		default:
			segs = append(segs, drafts.Segment{Op: op, Text: s.text})
		}
		if s.op != dmp.DiffInsert {
			offOld += len(s.text)
		}
		if s.op != dmp.DiffDelete {
			offNew += len(s.text)
		}
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
