package diffing

import (
	"strings"

	dmp "github.com/sergi/go-diff/diffmatchpatch"
)

// hunk is one change of a token diff: the base tokens [start, end) become
// the tokens ins.
type hunk struct {
	start, end int
	ins        []string
}

// Merge3 merges two edits (ours, theirs) of one base text word by word, in
// the manner of diff3: each side is diffed from base over words, and the
// changes of the two sides are combined where they touch neither each other
// nor the same words. Changes of the two sides that overlap or touch (an
// insertion where the other side changes the next word, two insertions at
// one place) collide unless they make the same text; then ok is false and
// merged is "". A side equal to base gives the other side.
//
// A Differ with a memo (see New) remembers the outcome of a merge whose two
// word diffs were exact.
func (d *Differ) Merge3(base, ours, theirs string) (merged string, ok bool) {
	switch {
	case ours == theirs:
		return ours, true
	case ours == base:
		return theirs, true
	case theirs == base:
		return ours, true
	}
	if d.memo == nil {
		merged, ok, _ = d.newWordDiffer().merge3(base, ours, theirs)
		return merged, ok
	}
	k := d.memo.key(kindMerge, base, ours, theirs)
	if e, hit := d.memo.get(k); hit {
		return e.merged, e.ok
	}
	merged, ok, coarse := d.newWordDiffer().merge3(base, ours, theirs)
	if !coarse {
		d.memo.put(k, mergeEntry(merged, ok))
	}
	return merged, ok
}

// merge3 is Merge3 once the trivial cases are set aside; coarse is true
// when a word diff was coarse, so that the outcome may collide where an
// exact one would not.
func (w *wordDiffer) merge3(base, ours, theirs string) (merged string, ok, coarse bool) {
	tb := tokenize(base, nil)
	ho, co := w.hunks(base, ours, tb)
	ht, ct := w.hunks(base, theirs, tb)
	coarse = co || ct

	var b strings.Builder
	pos := 0 // next base token to write
	i, j := 0, 0
	for i < len(ho) || j < len(ht) {
		// A cluster: hunks of either side that overlap or touch.
		var start, end int
		if j >= len(ht) || (i < len(ho) && ho[i].start <= ht[j].start) {
			start, end = ho[i].start, ho[i].end
		} else {
			start, end = ht[j].start, ht[j].end
		}
		i0, j0 := i, j
		for grow := true; grow; {
			grow = false
			if i < len(ho) && ho[i].start <= end {
				end = max(end, ho[i].end)
				i++
				grow = true
			}
			if j < len(ht) && ht[j].start <= end {
				end = max(end, ht[j].end)
				j++
				grow = true
			}
		}
		writeTokens(&b, tb[pos:start])
		switch {
		case j == j0:
			apply(&b, tb, start, end, ho[i0:i])
		case i == i0:
			apply(&b, tb, start, end, ht[j0:j])
		default:
			var o, t strings.Builder
			apply(&o, tb, start, end, ho[i0:i])
			apply(&t, tb, start, end, ht[j0:j])
			if o.String() != t.String() {
				return "", false, coarse
			}
			b.WriteString(o.String())
		}
		pos = end
	}
	writeTokens(&b, tb[pos:])
	return b.String(), true, coarse
}

// apply writes base tokens [start, end) with the hunks (all within it)
// applied.
func apply(b *strings.Builder, tb []string, start, end int, hs []hunk) {
	pos := start
	for _, h := range hs {
		writeTokens(b, tb[pos:h.start])
		writeTokens(b, h.ins)
		pos = h.end
	}
	writeTokens(b, tb[pos:end])
}

func writeTokens(b *strings.Builder, toks []string) {
	for _, t := range toks {
		b.WriteString(t)
	}
}

// hunks returns the changes from base (tokens tb) to edit, in order, and
// whether the diff was coarse. A coarse diff gives coarse hunks, which
// collide more, never wrongly.
//
// A pure insertion or deletion that could stand at several places (the
// insertion of "and update " after "review " or of " and update" after
// "review") is put at the first of them, so that the same change made on
// both sides is found at the same place.
func (w *wordDiffer) hunks(base, edit string, tb []string) ([]hunk, bool) {
	te := tokenize(edit, nil)
	spans, coarse := w.diff(nil, base, edit, tb, te)
	var hs []hunk
	pos := 0
	open := false
	for _, s := range spans {
		if s.op == dmp.DiffEqual {
			open = false
			pos += s.n
			continue
		}
		if !open {
			hs = append(hs, hunk{start: pos, end: pos})
			open = true
		}
		h := &hs[len(hs)-1]
		if s.op == dmp.DiffDelete {
			pos += s.n
			h.end = pos
		} else {
			h.ins = tokenize(s.text, h.ins)
		}
	}
	prevEnd := -1
	for i := range hs {
		h := &hs[i]
		switch {
		case h.start == h.end:
			for h.start-1 > prevEnd && h.ins[len(h.ins)-1] == tb[h.start-1] {
				copy(h.ins[1:], h.ins[:len(h.ins)-1])
				h.ins[0] = tb[h.start-1]
				h.start--
				h.end--
			}
		case len(h.ins) == 0:
			for h.start-1 > prevEnd && tb[h.start-1] == tb[h.end-1] {
				h.start--
				h.end--
			}
		}
		prevEnd = h.end
	}
	return hs, coarse
}
