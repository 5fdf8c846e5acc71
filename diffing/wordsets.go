package diffing

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"chancery/drafts"
)

// wordHashes appends to dst the hashes (FNV-1a, 64 bits, never 0) of the
// words of s, case folded.
func wordHashes(s string, dst []uint64) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h, in := uint64(offset), false
	for i := 0; i < len(s); {
		var r rune
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if asciiClass[c] == 'w' {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				h = (h ^ uint64(c)) * prime
				in = true
				continue
			}
			r = rune(c)
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
			if isWordRune(r) && !isUnspaced(r) {
				for r := unicode.ToLower(r); r > 0; r >>= 8 {
					h = (h ^ uint64(r&0xff)) * prime
				}
				in = true
				continue
			}
		}
		if in {
			dst = append(dst, h|1)
			h, in = offset, false
		}
		if isUnspaced(r) {
			dst = append(dst, ((uint64(offset)^uint64(r))*prime)|1)
		}
	}
	if in {
		dst = append(dst, h|1)
	}
	return dst
}

// parallelSets is the least number of word sets made per goroutine.
const parallelSets = 256

// wordSets makes the word sets of the provisions ps[at[k]] into sets[k],
// on the given number of goroutines.
func wordSets(ps []drafts.Provision, at []int, sets [][]uint64, workers int) {
	var wg sync.WaitGroup
	per := (len(at) + workers - 1) / workers
	for from := 0; from < len(at); from += per {
		to := min(from+per, len(at))
		wg.Go(func() {
			var m setMaker
			for k := from; k < to; k++ {
				sets[k] = m.wordSet(ps[at[k]].Text)
			}
		})
	}
	wg.Wait()
}

// setChunk is the number of hashes a setMaker makes room for at once.
const setChunk = 1024

// setMaker makes the word sets of provisions: it hashes the words and
// keeps the distinct hashes in its scratch, and hands the sets out of
// chunks of setChunk hashes rather than a slice each.
type setMaker struct {
	seen   hashSet
	hashes []uint64
	chunk  []uint64
}

// wordSet returns the set of the words of a provision's text, its notes
// left out, to keep; never nil.
func (m *setMaker) wordSet(text string) []uint64 {
	m.hashes = wordHashes(drafts.NoteBody(text), m.hashes[:0])
	if m.chunk == nil || cap(m.chunk)-len(m.chunk) < len(m.hashes) {
		m.chunk = make([]uint64, 0, max(setChunk, len(m.hashes)))
	}
	n := len(m.chunk)
	m.chunk = m.seen.unique(m.hashes, m.chunk)
	return m.chunk[n:len(m.chunk):len(m.chunk)]
}

// appendSet appends to dst the set of the words of a provision's text, its
// notes left out.
func (m *setMaker) appendSet(dst []uint64, text string) []uint64 {
	m.hashes = wordHashes(drafts.NoteBody(text), m.hashes[:0])
	return m.seen.unique(m.hashes, dst)
}

// hashSet is a set of non-zero hashes in an open-addressed table, reused
// from one set to the next.
type hashSet struct {
	slots []uint64 // 0 is empty
	used  []int
}

// reset empties the set and makes room for n values.
func (t *hashSet) reset(n int) {
	for _, i := range t.used {
		t.slots[i] = 0
	}
	t.used = t.used[:0]
	if len(t.slots) < 2*n {
		size := 64
		for size < 2*n {
			size *= 2
		}
		t.slots = make([]uint64, size)
	}
}

// fill empties the set and fills it with the distinct values hs.
func (t *hashSet) fill(hs []uint64) {
	t.reset(len(hs))
	mask := len(t.slots) - 1
	for _, h := range hs {
		i := int(h>>7) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = h
		t.used = append(t.used, i)
	}
}

// unique empties the set, fills it with hs, and appends the distinct
// values of hs to out.
func (t *hashSet) unique(hs, out []uint64) []uint64 {
	t.reset(len(hs))
	mask := len(t.slots) - 1
	for _, h := range hs {
		i := int(h>>7) & mask
		for t.slots[i] != 0 && t.slots[i] != h {
			i = (i + 1) & mask
		}
		if t.slots[i] == 0 {
			t.slots[i] = h
			t.used = append(t.used, i)
			out = append(out, h)
		}
	}
	return out
}

// has reports whether h is in the set.
func (t *hashSet) has(h uint64) bool {
	mask := len(t.slots) - 1
	for i := int(h>>7) & mask; t.slots[i] != 0; i = (i + 1) & mask {
		if t.slots[i] == h {
			return true
		}
	}
	return false
}

// jaccard returns |a∩b| / |a∪b| of the set a in t (of n elements) and the
// distinct values b.
func (t *hashSet) jaccard(n int, b []uint64) float64 {
	if n == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for _, h := range b {
		if t.has(h) {
			inter++
		}
	}
	return float64(inter) / float64(n+len(b)-inter)
}
