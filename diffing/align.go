package diffing

import (
	"slices"
	"sort"
	"strings"

	"chancery/drafts"
)

// Bounds of Align's search for similar provisions.
const (
	// alignWindow is how many unmatched base provisions, nearest the
	// expected place, an edited provision is compared with.
	alignWindow = 32
	// alignRare is the most unmatched base provisions a word may occur in
	// and still propose candidates from anywhere in the text.
	alignRare = 16
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
// Equal provisions are matched first, by hashing, wherever they stand: same
// markup, then same text (a renumbered provision), first where the markup
// or text occurs once on each side, then the remaining repeats in order.
// Each remaining edited provision is then compared with the unmatched base
// provisions near its expected place (between the equal provisions around
// it) and with those anywhere that share its rarer words; the most similar
// pair (the Jaccard index of their sets of words, with a bonus for the
// expected place) is matched first, down to AlignThreshold. The cost is
// near linear in the size of the texts.
func (d *Differ) Align(base, edited []drafts.Provision) []int {
	res := make([]int, len(edited))
	for i := range res {
		res[i] = -1
	}
	taken := make([]bool, len(base))
	markup := func(p drafts.Provision) string { return p.Markup() }
	text := func(p drafts.Provision) string { return p.Text }
	matchUnique(base, edited, res, taken, markup)
	matchUnique(base, edited, res, taken, text)
	matchInOrder(base, edited, res, taken, markup)
	matchInOrder(base, edited, res, taken, text)
	d.matchSimilar(base, edited, res, taken)
	return res
}

// matchUnique matches the unmatched provisions whose key occurs once among
// the unmatched provisions of each side.
func matchUnique(base, edited []drafts.Provision, res []int, taken []bool, key func(drafts.Provision) string) {
	type seen struct{ at, n int }
	bk := make(map[string]seen, len(base))
	for j, p := range base {
		if taken[j] {
			continue
		}
		k := key(p)
		s := bk[k]
		bk[k] = seen{at: j, n: s.n + 1}
	}
	ek := make(map[string]seen, len(edited))
	for i, p := range edited {
		if res[i] >= 0 {
			continue
		}
		k := key(p)
		s := ek[k]
		ek[k] = seen{at: i, n: s.n + 1}
	}
	for k, e := range ek {
		if b, ok := bk[k]; ok && e.n == 1 && b.n == 1 {
			res[e.at] = b.at
			taken[b.at] = true
		}
	}
}

// matchInOrder matches the unmatched provisions of equal keys in the order
// they come on each side.
func matchInOrder(base, edited []drafts.Provision, res []int, taken []bool, key func(drafts.Provision) string) {
	bk := make(map[string][]int)
	for j, p := range base {
		if !taken[j] {
			k := key(p)
			bk[k] = append(bk[k], j)
		}
	}
	for i, p := range edited {
		if res[i] >= 0 {
			continue
		}
		k := key(p)
		if js := bk[k]; len(js) > 0 {
			res[i] = js[0]
			taken[js[0]] = true
			bk[k] = js[1:]
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
	// skeleton pairs around it.
	kept := lisMask(res)
	lo := make([]int, len(edited)) // base index of the skeleton pair before, or -1
	loE := make([]int, len(edited))
	last, lastE := -1, -1
	for i := range edited {
		if kept[i] {
			last, lastE = res[i], i
		}
		lo[i], loE[i] = last, lastE
	}
	hi := make([]int, len(edited)) // base index of the skeleton pair after, or len(base)
	hiE := make([]int, len(edited))
	next, nextE := len(base), len(edited)
	for i := len(edited) - 1; i >= 0; i-- {
		if kept[i] {
			next, nextE = res[i], i
		}
		hi[i], hiE[i] = next, nextE
	}

	// Word sets of the unmatched provisions.
	words := newWordSets()
	setB := make(map[int][]int32, len(freeB))
	df := make(map[int32][]int) // word → unmatched base provisions
	for _, j := range freeB {
		s := words.set(base[j].Text)
		setB[j] = s
		for _, w := range s {
			df[w] = append(df[w], j)
		}
	}

	threshold := d.alignThreshold()
	var cands []candidate
	seen := make(map[int]bool)
	shared := make(map[int]int)
	for _, i := range freeE {
		se := words.set(edited[i].Text)
		if len(se) == 0 {
			continue
		}
		clear(seen)
		// Expected place: between lo and hi, in proportion.
		l, h := lo[i], hi[i]
		exp := l + 1
		if span := hiE[i] - loE[i]; span > 0 {
			exp = l + (i-loE[i])*(h-l)/span
		}
		consider := func(j int, inPlace bool) {
			if seen[j] {
				return
			}
			seen[j] = true
			s := jaccard(se, setB[j])
			if s < threshold {
				return
			}
			if inPlace {
				s += alignInPlace
			}
			dist := j - exp
			if dist < 0 {
				dist = -dist
			}
			cands = append(cands, candidate{e: i, b: j, score: s, dist: dist})
		}
		// Near: the unmatched base provisions between l and h nearest exp.
		at := sort.SearchInts(freeB, exp)
		left, right := at-1, at
		for n := 0; n < alignWindow; n++ {
			useLeft := left >= 0 && freeB[left] > l
			useRight := right < len(freeB) && freeB[right] < h
			if useLeft && useRight {
				if exp-freeB[left] <= freeB[right]-exp {
					useRight = false
				} else {
					useLeft = false
				}
			}
			switch {
			case useLeft:
				consider(freeB[left], true)
				left--
			case useRight:
				consider(freeB[right], true)
				right++
			}
			if !useLeft && !useRight {
				break
			}
		}
		// Far: those sharing the most rare words.
		clear(shared)
		for _, w := range se {
			if js := df[w]; len(js) <= alignRare {
				for _, j := range js {
					shared[j]++
				}
			}
		}
		if len(shared) > 0 {
			far := make([]int, 0, len(shared))
			for j := range shared {
				far = append(far, j)
			}
			sort.Slice(far, func(a, b int) bool {
				if shared[far[a]] != shared[far[b]] {
					return shared[far[a]] > shared[far[b]]
				}
				return far[a] < far[b]
			})
			for _, j := range far[:min(len(far), alignFar)] {
				consider(j, l < j && j < h)
			}
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

// wordSets gives each distinct word (case folded) a number.
type wordSets struct {
	ids  map[string]int32
	toks []string
}

func newWordSets() *wordSets {
	return &wordSets{ids: make(map[string]int32)}
}

// set returns the sorted set of the words of s.
func (w *wordSets) set(s string) []int32 {
	w.toks = tokenize(s, w.toks[:0])
	out := make([]int32, 0, len(w.toks)/2+1)
	for _, t := range w.toks {
		r, _ := decode(t, 0)
		if !isWordRune(r) {
			continue
		}
		k := strings.ToLower(t)
		id, ok := w.ids[k]
		if !ok {
			id = int32(len(w.ids))
			w.ids[k] = id
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard returns |a∩b| / |a∪b| of two sorted sets.
func jaccard(a, b []int32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
