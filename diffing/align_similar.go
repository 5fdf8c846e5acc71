package diffing

import (
	"runtime"
	"slices"
	"sort"

	"chancery/drafts"
)

// candidate is a possible match of an edited and a base provision.
type candidate struct {
	e, b  int
	score float64
	dist  int
}

// similarity is the work of matchSimilar: the provisions still unmatched
// on each side, where each edited provision is expected among the base
// provisions, their word sets, and the candidate pairs found. What it
// keeps per provision it keeps for the unmatched ones only, by their
// place in freeB or freeE: they are few beside the whole text.
type similarity struct {
	base, edited []drafts.Provision
	res          []int
	taken        []bool
	threshold    float64

	// freeB and freeE are the unmatched base and edited provisions.
	freeB, freeE []int
	// places are where each of freeE is expected.
	places []place
	// sets are the word sets of freeB, made when first needed, and setsE
	// those of freeE when made beforehand in parallel (else nil).
	sets, setsE [][]uint64
	maker       setMaker
	// e is the edited provision being compared, at its place; eset is its
	// word set (made in scratch unless made beforehand), also held in
	// current.
	e       int
	at      place
	eset    []uint64
	scratch []uint64
	current hashSet
	// seen holds the base provisions it has been compared with.
	seen  map[int]bool
	cands []candidate
}

// place is where an edited provision is expected: between the base
// provisions lo and hi of the skeleton pairs around it, near exp.
type place struct{ lo, hi, exp int }

// matchSimilar matches the remaining provisions by similarity: each free
// edited provision is compared with the free base provisions near its
// expected place, then, if none of those is similar enough, with those
// anywhere; of all the pairs found, the most similar are matched first.
// Provisions compare by the words of their bodies, their notes left out:
// a provision that gains or changes a note is still the same provision.
func (d *Differ) matchSimilar(base, edited []drafts.Provision, res []int, taken []bool) {
	s := &similarity{base: base, edited: edited, res: res, taken: taken, threshold: d.alignThreshold(), seen: map[int]bool{}}
	s.freeB, s.freeE = unmatchedSides(res, taken)
	if len(s.freeB) == 0 || len(s.freeE) == 0 {
		return
	}
	s.expectPlaces()
	s.makeSets()
	s.compareFar(s.compareNear())
	s.matchBest()
}

// unmatchedSides returns the base provisions not taken and the edited ones
// not matched, in order.
func unmatchedSides(res []int, taken []bool) (freeB, freeE []int) {
	return unset(taken, func(t bool) bool { return !t }), unset(res, func(j int) bool { return j < 0 })
}

// unset returns the indexes of the entries of xs that are free (counted
// first, so that the slice is made once).
func unset[T any](xs []T, free func(T) bool) []int {
	n := 0
	for _, x := range xs {
		if free(x) {
			n++
		}
	}
	at := make([]int, 0, n)
	for i, x := range xs {
		if free(x) {
			at = append(at, i)
		}
	}
	return at
}

// expectPlaces finds the skeleton, the matched pairs in a longest run of
// the same order: an edited provision is expected between the base
// provisions of the skeleton pairs around it, at the same distance in
// proportion.
func (s *similarity) expectPlaces() {
	kept := lisMask(s.res)
	s.places = make([]place, len(s.freeE))
	lo, loE := -1, -1 // the last skeleton pair seen
	k0, k := 0, 0     // the free edited provisions since, freeE[k0:k]
	settle := func(hi, hiE int) {
		for ; k0 < k; k0++ {
			i := s.freeE[k0]
			s.places[k0] = place{lo: lo, hi: hi, exp: lo + (i-loE)*(hi-lo)/(hiE-loE)}
		}
	}
	for i := range s.edited {
		switch {
		case kept[i]:
			settle(s.res[i], i)
			lo, loE = s.res[i], i
		case k < len(s.freeE) && s.freeE[k] == i:
			k++
		}
	}
	settle(len(s.base), len(s.edited))
}

// makeSets makes the word sets of all the free provisions at once and in
// parallel when there are many; else setOf and setOfE make them when
// first needed.
func (s *similarity) makeSets() {
	s.sets = make([][]uint64, len(s.freeB))
	if workers := min(runtime.GOMAXPROCS(0), (len(s.freeB)+len(s.freeE))/parallelSets); workers > 1 {
		s.setsE = make([][]uint64, len(s.freeE))
		wordSets(s.base, s.freeB, s.sets, workers)
		wordSets(s.edited, s.freeE, s.setsE, workers)
	}
}

// setOf returns the word set of free base provision j.
func (s *similarity) setOf(j int) []uint64 {
	k, _ := slices.BinarySearch(s.freeB, j)
	if s.sets[k] == nil {
		s.sets[k] = s.maker.wordSet(s.base[j].Text)
	}
	return s.sets[k]
}

// begin makes the free edited provision freeE[k] the one compared next,
// and returns the number of its words. An edited provision is compared
// with all its candidates at once (twice at most: near, then far), so its
// set is made anew each time rather than kept.
func (s *similarity) begin(k int) int {
	if s.setsE != nil {
		s.eset = s.setsE[k]
	} else {
		s.scratch = s.maker.appendSet(s.scratch[:0], s.edited[s.freeE[k]].Text)
		s.eset = s.scratch
	}
	s.e, s.at = s.freeE[k], s.places[k]
	s.current.fill(s.eset)
	clear(s.seen)
	return len(s.eset)
}

// consider compares the edited provision begun with base provision j, and
// keeps the pair as a candidate if they are similar enough; best is the
// highest similarity found for it so far.
func (s *similarity) consider(j int, best *float64) {
	if s.seen[j] {
		return
	}
	s.seen[j] = true
	score := s.current.jaccard(len(s.eset), s.setOf(j))
	if score < s.threshold {
		return
	}
	*best = max(*best, score)
	if s.at.lo < j && j < s.at.hi {
		score += alignInPlace
	}
	dist := j - s.at.exp
	if dist < 0 {
		dist = -dist
	}
	s.cands = append(s.cands, candidate{e: s.e, b: j, score: score, dist: dist})
}

// compareNear compares each free edited provision with the free base
// provisions between lo and hi nearest its expected place, and returns
// (by their places in freeE) those that found no candidate there.
func (s *similarity) compareNear() (far []int) {
	for k := range s.freeE {
		if s.begin(k) == 0 {
			continue
		}
		if best := s.compareWindow(); best == 0 {
			far = append(far, k)
		}
	}
	return far
}

// compareWindow compares the edited provision begun with up to alignWindow
// free base provisions between lo and hi, nearest exp first, and returns
// the highest similarity found.
func (s *similarity) compareWindow() float64 {
	best := 0.0
	lo, hi, exp, freeB := s.at.lo, s.at.hi, s.at.exp, s.freeB
	at := sort.SearchInts(freeB, exp)
	left, right := at-1, at
	for n := 0; n < alignWindow; n++ {
		useLeft := left >= 0 && freeB[left] > lo
		useRight := right < len(freeB) && freeB[right] < hi
		if !useLeft && !useRight {
			break
		}
		if useLeft && useRight {
			if exp-freeB[left] <= freeB[right]-exp {
				useRight = false
			} else {
				useLeft = false
			}
		}
		if useLeft {
			s.consider(freeB[left], &best)
			left--
		} else {
			s.consider(freeB[right], &best)
			right++
		}
	}
	return best
}

// compareFar compares the edited provisions far (by their places in
// freeE), which found no candidate near, with the free base provisions
// anywhere: all of them if that is not too many comparisons, else those
// that share the most of the edited provision's rarest words.
func (s *similarity) compareFar(far []int) {
	if len(far) == 0 {
		return
	}
	if len(far)*len(s.freeB) <= alignExhaustive {
		for _, k := range far {
			s.begin(k)
			best := 0.0
			for _, j := range s.freeB {
				s.consider(j, &best)
			}
		}
		return
	}
	rw := s.rareWords()
	for _, k := range far {
		s.begin(k)
		best := 0.0
		for _, j := range rw.sharing(s.eset) {
			s.consider(j, &best)
		}
	}
}

// matchBest matches the candidates, the most similar first (then the
// nearest their expected place), each provision once.
func (s *similarity) matchBest() {
	cands := s.cands
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
		if s.res[c.e] < 0 && !s.taken[c.b] {
			s.res[c.e] = c.b
			s.taken[c.b] = true
		}
	}
}

// rareWords finds the free base provisions that share the most of an
// edited provision's rarest words (those in the fewest free base
// provisions).
type rareWords struct {
	index  map[uint64][]int // word → free base provisions
	rarest []uint64
	shared map[int]int // base provision → rare words shared
}

// rareWords indexes the words of the free base provisions.
func (s *similarity) rareWords() *rareWords {
	rw := &rareWords{index: make(map[uint64][]int), shared: make(map[int]int)}
	for _, j := range s.freeB {
		for _, w := range s.setOf(j) {
			rw.index[w] = append(rw.index[w], j)
		}
	}
	return rw
}

// sharing returns up to alignFar base provisions that share the most of
// the alignRarest rarest words of set (those in at most alignPostings
// provisions), most shared first.
func (rw *rareWords) sharing(set []uint64) []int {
	index, shared := rw.index, rw.shared
	rarest := rw.rarest[:0]
	for _, w := range set {
		if n := len(index[w]); n > 0 && n <= alignPostings {
			rarest = append(rarest, w)
		}
	}
	sort.Slice(rarest, func(a, b int) bool {
		na, nb := len(index[rarest[a]]), len(index[rarest[b]])
		return na < nb || na == nb && rarest[a] < rarest[b]
	})
	rw.rarest = rarest
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
	return byShared[:min(len(byShared), alignFar)]
}
