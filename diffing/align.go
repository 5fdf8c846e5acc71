package diffing

import (
	"hash/maphash"
	"runtime"
	"slices"
	"sort"
	"sync"
	"unicode"
	"unicode/utf8"

	"chancery/drafts"
)

// Bounds of Align's search for similar provisions.
const (
	// alignWindow is how many unmatched base provisions, nearest the
	// expected place, an edited provision is compared with.
	alignWindow = 32
	// alignExhaustive is the most comparisons of edited provisions with no
	// candidate near with every unmatched base provision; past it,
	// candidates from anywhere are found by their rarest words.
	alignExhaustive = 1 << 20
	// alignRarest is how many of its rarest words (those in the fewest
	// unmatched base provisions) propose candidates for an edited
	// provision, and alignPostings the most provisions a word may be in
	// and still propose them.
	alignRarest   = 6
	alignPostings = 256
	// alignFar is how many candidates from anywhere in the text (sharing
	// the most rare words) an edited provision is compared with.
	alignFar = 8
	// alignInPlace is the bonus of a candidate in its expected place over
	// one moved elsewhere.
	alignInPlace = 0.1
)

// Align matches the provisions of an edited text (ids unset) to those of
// its base, and returns for each edited provision the index of the base
// provision it continues, or -1 for a new one. No base index is returned
// twice.
//
// Equal provisions are matched first: those in the same place by walking
// both lists together, then the others by hashing, wherever they stand:
// same markup, then same text (a renumbered provision), first where the
// markup or text occurs once on each side, then the remaining repeats in
// order.
//
// Each remaining edited provision is then compared with the unmatched base
// provisions nearest its expected place (between the matched provisions
// around it), and if none of those is similar enough, with those anywhere:
// all of them, or when that would make too many comparisons, the few that
// share the most of its rarest words. Similarity is the Jaccard index of
// the two sets of words (case folded); of all pairs at or above
// AlignThreshold the most similar is matched first, with a bonus of 0.1 for
// a pair in the expected place, so that of two alike candidates the one in
// place wins. The cost is near linear in the size of the texts: an edited
// provision is compared with at most 32 base provisions near it and, if
// none is similar, 8 far from it (or all, when the unmatched provisions
// are few).
func (d *Differ) Align(base, edited []drafts.Provision) []int {
	res := make([]int, len(edited))
	for i := range res {
		res[i] = -1
	}
	taken := make([]bool, len(base))
	sameMarkup := func(j, i int) bool { return base[j].Number == edited[i].Number && base[j].Text == edited[i].Text }
	sameText := func(j, i int) bool { return base[j].Text == edited[i].Text }
	if matchInPlace(len(base), len(edited), res, taken, sameMarkup) == len(edited) {
		return res
	}
	seed := maphash.MakeSeed()
	bt, bm := provisionHashes(seed, base, taken)
	et, em := provisionHashes(seed, edited, matched(res))
	matchUnique(bm, em, res, taken, sameMarkup)
	matchUnique(bt, et, res, taken, sameText)
	matchInOrder(bm, em, res, taken, sameMarkup)
	matchInOrder(bt, et, res, taken, sameText)
	d.matchSimilar(base, edited, res, taken)
	return res
}

// matchInPlace matches equal provisions that stand in the same place: it
// walks both lists together, matching equal provisions, and past a
// difference looks one provision ahead for a changed, inserted or deleted
// one. It returns how many it matched. The provisions it passes over are
// left to the other passes, so it only saves them work.
func matchInPlace(nb, ne int, res []int, taken []bool, same func(j, i int) bool) int {
	n := 0
	for i, j := 0, 0; i < ne && j < nb; {
		switch {
		case same(j, i):
			res[i] = j
			taken[j] = true
			n++
			i++
			j++
		case i+1 < ne && j+1 < nb && same(j+1, i+1): // changed
			i++
			j++
		case i+1 < ne && same(j, i+1): // inserted
			i++
		case j+1 < nb && same(j+1, i): // deleted
			j++
		default:
			i++
			j++
		}
	}
	return n
}

// matched returns which of res are matched.
func matched(res []int) []bool {
	m := make([]bool, len(res))
	for i, j := range res {
		m[i] = j >= 0
	}
	return m
}

// provisionHashes returns the hashes of the texts and of the markups
// (number and text) of the provisions not yet matched (skip).
func provisionHashes(seed maphash.Seed, ps []drafts.Provision, skip []bool) (text, markup []uint64) {
	text, markup = make([]uint64, len(ps)), make([]uint64, len(ps))
	for i, p := range ps {
		if skip[i] {
			continue
		}
		text[i] = maphash.String(seed, p.Text)
		n := maphash.String(seed, p.Number)
		markup[i] = text[i] ^ (n + 0x9e3779b97f4a7c15 + text[i]<<6 + text[i]>>2)
	}
	return text, markup
}

// matchUnique matches the unmatched provisions whose hash occurs once among
// the unmatched provisions of each side, if they are the same (by same).
func matchUnique(hb, he []uint64, res []int, taken []bool, same func(j, i int) bool) {
	type seen struct{ at, n int }
	bk := make(map[uint64]seen, len(hb))
	for j, h := range hb {
		if !taken[j] {
			s := bk[h]
			bk[h] = seen{at: j, n: s.n + 1}
		}
	}
	ek := make(map[uint64]seen, len(he))
	for i, h := range he {
		if res[i] < 0 {
			s := ek[h]
			ek[h] = seen{at: i, n: s.n + 1}
		}
	}
	for h, e := range ek {
		if b, ok := bk[h]; ok && e.n == 1 && b.n == 1 && same(b.at, e.at) {
			res[e.at] = b.at
			taken[b.at] = true
		}
	}
}

// matchInOrder matches the unmatched provisions that are the same (by
// hash, then by same) in the order they come on each side.
func matchInOrder(hb, he []uint64, res []int, taken []bool, same func(j, i int) bool) {
	bk := make(map[uint64][]int)
	for j, h := range hb {
		if !taken[j] {
			bk[h] = append(bk[h], j)
		}
	}
	for i, h := range he {
		if res[i] >= 0 {
			continue
		}
		js := bk[h]
		for k, j := range js {
			if same(j, i) {
				res[i] = j
				taken[j] = true
				bk[h] = slices.Delete(js, k, k+1)
				break
			}
		}
	}
}

// candidate is a possible match of an edited and a base provision.
type candidate struct {
	e, b  int
	score float64
	dist  int
}

// matchSimilar matches the remaining provisions by similarity.
func (d *Differ) matchSimilar(base, edited []drafts.Provision, res []int, taken []bool) {
	var freeB, freeE []int
	for j := range base {
		if !taken[j] {
			freeB = append(freeB, j)
		}
	}
	for i := range edited {
		if res[i] < 0 {
			freeE = append(freeE, i)
		}
	}
	if len(freeB) == 0 || len(freeE) == 0 {
		return
	}

	// The skeleton: matched pairs in a longest run of the same order. An
	// edited provision is expected between the base provisions of the
	// skeleton pairs around it, at the same distance in proportion.
	kept := lisMask(res)
	lo, hi, exp := make([]int, len(edited)), make([]int, len(edited)), make([]int, len(edited))
	last, lastE := -1, -1
	for i := range edited {
		if kept[i] {
			last, lastE = res[i], i
		}
		lo[i], exp[i] = last, lastE // exp holds the edited index of lo for now
	}
	next, nextE := len(base), len(edited)
	for i := len(edited) - 1; i >= 0; i-- {
		if kept[i] {
			next, nextE = res[i], i
			hi[i], exp[i] = next, next
			continue
		}
		hi[i] = next
		exp[i] = lo[i] + (i-exp[i])*(hi[i]-lo[i])/(nextE-exp[i])
	}

	// Word sets, of all the free provisions at once and in parallel when
	// there are many, else of base provisions when first needed.
	sets := make([][]uint64, len(base))
	setsE := make([][]uint64, len(edited))
	if workers := min(runtime.GOMAXPROCS(0), (len(freeB)+len(freeE))/parallelSets); workers > 1 {
		wordSets(base, freeB, sets, workers)
		wordSets(edited, freeE, setsE, workers)
	}
	var scratch, current hashSet
	var hashes []uint64
	setOf := func(j int) []uint64 {
		if sets[j] == nil {
			hashes = wordHashes(base[j].Text, hashes[:0])
			sets[j] = scratch.unique(hashes)
		}
		return sets[j]
	}
	setOfE := func(i int) []uint64 {
		if setsE[i] == nil {
			hashes = wordHashes(edited[i].Text, hashes[:0])
			setsE[i] = scratch.unique(hashes)
		}
		return setsE[i]
	}

	threshold := d.alignThreshold()
	var cands []candidate
	seen := make(map[int]bool)
	// consider compares edited i (whose set is in current) with base j.
	consider := func(i, j int, best *float64) {
		if seen[j] {
			return
		}
		seen[j] = true
		s := current.jaccard(len(setsE[i]), setOf(j))
		if s < threshold {
			return
		}
		*best = max(*best, s)
		if lo[i] < j && j < hi[i] {
			s += alignInPlace
		}
		dist := j - exp[i]
		if dist < 0 {
			dist = -dist
		}
		cands = append(cands, candidate{e: i, b: j, score: s, dist: dist})
	}

	// Near: the free base provisions between lo and hi nearest the
	// expected place.
	var far []int // edited provisions with no candidate near
	for _, i := range freeE {
		if len(setOfE(i)) == 0 {
			continue
		}
		current.fill(setsE[i])
		clear(seen)
		best := 0.0
		at := sort.SearchInts(freeB, exp[i])
		left, right := at-1, at
		for n := 0; n < alignWindow; n++ {
			useLeft := left >= 0 && freeB[left] > lo[i]
			useRight := right < len(freeB) && freeB[right] < hi[i]
			if !useLeft && !useRight {
				break
			}
			if useLeft && useRight {
				if exp[i]-freeB[left] <= freeB[right]-exp[i] {
					useRight = false
				} else {
					useLeft = false
				}
			}
			if useLeft {
				consider(i, freeB[left], &best)
				left--
			} else {
				consider(i, freeB[right], &best)
				right++
			}
		}
		if best == 0 {
			far = append(far, i) // no candidate near
		}
	}

	// Far: the free base provisions anywhere, all of them if that is not
	// too many comparisons, else those that share the most of the edited
	// provision's rarest words.
	var index map[uint64][]int // word → free base provisions
	var rarest []uint64
	shared := make(map[int]int)
	exhaustive := len(far)*len(freeB) <= alignExhaustive
	if !exhaustive && len(far) > 0 {
		index = make(map[uint64][]int)
		for _, j := range freeB {
			for _, w := range setOf(j) {
				index[w] = append(index[w], j)
			}
		}
	}
	for _, i := range far {
		current.fill(setsE[i])
		clear(seen)
		best := 0.0
		if exhaustive {
			for _, j := range freeB {
				consider(i, j, &best)
			}
			continue
		}
		rarest = rarest[:0]
		for _, w := range setsE[i] {
			if n := len(index[w]); n > 0 && n <= alignPostings {
				rarest = append(rarest, w)
			}
		}
		sort.Slice(rarest, func(a, b int) bool {
			na, nb := len(index[rarest[a]]), len(index[rarest[b]])
			return na < nb || na == nb && rarest[a] < rarest[b]
		})
		clear(shared)
		for _, w := range rarest[:min(len(rarest), alignRarest)] {
			for _, j := range index[w] {
				shared[j]++
			}
		}
		byShared := make([]int, 0, len(shared))
		for j := range shared {
			byShared = append(byShared, j)
		}
		sort.Slice(byShared, func(a, b int) bool {
			if shared[byShared[a]] != shared[byShared[b]] {
				return shared[byShared[a]] > shared[byShared[b]]
			}
			return byShared[a] < byShared[b]
		})
		for _, j := range byShared[:min(len(byShared), alignFar)] {
			consider(i, j, &best)
		}
	}

	sort.Slice(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		switch {
		case x.score != y.score:
			return x.score > y.score
		case x.dist != y.dist:
			return x.dist < y.dist
		case x.e != y.e:
			return x.e < y.e
		}
		return x.b < y.b
	})
	for _, c := range cands {
		if res[c.e] < 0 && !taken[c.b] {
			res[c.e] = c.b
			taken[c.b] = true
		}
	}
}

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

// wordSets makes the word sets of the provisions ps[at] into sets[at], on
// the given number of goroutines.
func wordSets(ps []drafts.Provision, at []int, sets [][]uint64, workers int) {
	var wg sync.WaitGroup
	per := (len(at) + workers - 1) / workers
	for from := 0; from < len(at); from += per {
		part := at[from:min(from+per, len(at))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var t hashSet
			var hashes []uint64
			for _, k := range part {
				hashes = wordHashes(ps[k].Text, hashes[:0])
				sets[k] = t.unique(hashes)
			}
		}()
	}
	wg.Wait()
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

// unique empties the set, fills it with hs, and returns the distinct
// values of hs in a new slice.
func (t *hashSet) unique(hs []uint64) []uint64 {
	t.reset(len(hs))
	out := make([]uint64, 0, len(hs))
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
