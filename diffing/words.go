package diffing

import (
	"strings"
	"time"
	"unicode"

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
	w.ta = tokenize(old, w.ta[:0])
	w.tb = tokenize(new, w.tb[:0])
	spans, coarse := w.diff(old, new, w.ta, w.tb)
	if !w.d.WholeWords {
		spans = refineWords(spans)
	}
	return segments(spans), coarse
}

// diff diffs the tokens a of old and b of new, and returns the runs of the
// diff, after go-diff's semantic cleanup over tokens.
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
		diffs = m.DiffCleanupSemantic(diffs)
		var sb strings.Builder
		for _, df := range diffs {
			sb.Reset()
			n := 0
			for _, c := range df.Text {
				sb.WriteString(w.enc.token(c))
				n++
			}
			if n > 0 {
				spans = append(spans, span{op: df.Type, text: sb.String(), n: n})
			}
		}
	}
	if suf > 0 {
		spans = append(spans, span{op: dmp.DiffEqual, text: old[len(old)-sufBytes:], n: suf})
	}
	return spans, coarse
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

// segments turns spans into segments, joining neighbours of one operation.
func segments(spans []span) []drafts.Segment {
	segs := make([]drafts.Segment, 0, len(spans))
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
