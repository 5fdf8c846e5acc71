package diffing

import (
	"runtime"
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
// provisions, their word sets, and the candidate pairs found.
type similarity struct {
	base, edited []drafts.Provision
	res          []int
	taken        []bool
	threshold    float64

	// freeB and freeE are the unmatched base and edited provisions.
	freeB, freeE []int
	// lo and hi are, for each edited provision, the base provisions of the
	// skeleton pairs around it, and exp its expected place between them.
	lo, hi, exp []int
	// sets and setsE are the word sets of base and edited provisions,
	// made when first needed.
	sets, setsE [][]uint64
	scratch     hashSet
	hashes      []uint64
	// current holds the word set of the edited provision being compared.
	current hashSet
	// seen holds the base provisions it has been compared with.
	seen  map[int]bool
	cands []candidate
}

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
	n := len(s.edited)
	kept := lisMask(s.res)
	lo, hi, exp := make([]int, n), make([]int, n), make([]int, n)
	last, lastE := -1, -1
	for i := range n {
		if kept[i] {
			last, lastE = s.res[i], i
		}
		lo[i], exp[i] = last, lastE // exp holds the edited index of lo for now
	}
	next, nextE := len(s.base), n
	for i := n - 1; i >= 0; i-- {
		if kept[i] {
			next, nextE = s.res[i], i
			hi[i], exp[i] = next, next
			continue
		}
		hi[i] = next
		exp[i] = lo[i] + (i-exp[i])*(hi[i]-lo[i])/(nextE-exp[i])
	}
	s.lo, s.hi, s.exp = lo, hi, exp
}

// makeSets makes the word sets of all the free provisions at once and in
// parallel when there are many; else setOf makes those of base provisions
// when first needed.
func (s *similarity) makeSets() {
	s.sets = make([][]uint64, len(s.base))
	s.setsE = make([][]uint64, len(s.edited))
	if workers := min(runtime.GOMAXPROCS(0), (len(s.freeB)+len(s.freeE))/parallelSets); workers > 1 {
		wordSets(s.base, s.freeB, s.sets, workers)
		wordSets(s.edited, s.freeE, s.setsE, workers)
	}
}

// setOf returns the word set of base provision j.
func (s *similarity) setOf(j int) []uint64 {
	if s.sets[j] == nil {
		s.hashes = wordHashes(drafts.NoteBody(s.base[j].Text), s.hashes[:0])
		s.sets[j] = s.scratch.unique(s.hashes)
	}
	return s.sets[j]
}

// setOfE returns the word set of edited provision i.
func (s *similarity) setOfE(i int) []uint64 {
	if s.setsE[i] == nil {
		s.hashes = wordHashes(drafts.NoteBody(s.edited[i].Text), s.hashes[:0])
		s.setsE[i] = s.scratch.unique(s.hashes)
	}
	return s.setsE[i]
}

// begin makes edited provision i the one compared next.
func (s *similarity) begin(i int) {
	s.current.fill(s.setsE[i])
	clear(s.seen)
}

// consider compares edited provision i (begun) with base provision j, and
// keeps the pair as a candidate if they are similar enough; best is the
// highest similarity found for i so far.
func (s *similarity) consider(i, j int, best *float64) {
	if s.seen[j] {
		return
	}
	s.seen[j] = true
	score := s.current.jaccard(len(s.setsE[i]), s.setOf(j))
	if score < s.threshold {
		return
	}
	*best = max(*best, score)
	if s.lo[i] < j && j < s.hi[i] {
		score += alignInPlace
	}
	dist := j - s.exp[i]
	if dist < 0 {
		dist = -dist
	}
	s.cands = append(s.cands, candidate{e: i, b: j, score: score, dist: dist})
}

// compareNear compares each free edited provision with the free base
// provisions between lo and hi nearest its expected place, and returns
// the edited provisions that found no candidate there.
func (s *similarity) compareNear() (far []int) {
	for _, i := range s.freeE {
		if len(s.setOfE(i)) == 0 {
			continue
		}
		s.begin(i)
		if best := s.compareWindow(i); best == 0 {
			far = append(far, i)
		}
	}
	return far
}

// compareWindow compares edited provision i with up to alignWindow free
// base provisions between lo[i] and hi[i], nearest exp[i] first, and
// returns the highest similarity found.
func (s *similarity) compareWindow(i int) float64 {
	best := 0.0
	lo, hi, exp, freeB := s.lo[i], s.hi[i], s.exp[i], s.freeB
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
			s.consider(i, freeB[left], &best)
			left--
		} else {
			s.consider(i, freeB[right], &best)
			right++
		}
	}
	return best
}

// compareFar compares the edited provisions far (which found no candidate
// near) with the free base provisions anywhere: all of them if that is not
// too many comparisons, else those that share the most of the edited
// provision's rarest words.
func (s *similarity) compareFar(far []int) {
	if len(far) == 0 {
		return
	}
	if len(far)*len(s.freeB) <= alignExhaustive {
		for _, i := range far {
			s.begin(i)
			best := 0.0
			for _, j := range s.freeB {
				s.consider(i, j, &best)
			}
		}
		return
	}
	rw := s.rareWords()
	for _, i := range far {
		s.begin(i)
		best := 0.0
		for _, j := range rw.sharing(s.setsE[i]) {
			s.consider(i, j, &best)
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
