package diffing

import (
	"cmp"
	"hash/maphash"
	"slices"

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
	freeB, freeE := unmatchedSides(res, taken)
	bt, bm := provisionHashes(seed, base, freeB)
	et, em := provisionHashes(seed, edited, freeE)
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

// keyed is a provision's index and the hash of its text or markup.
type keyed struct {
	h  uint64
	at int
}

// provisionHashes returns the hashes of the texts and of the markups
// (number and text) of the provisions at the indexes free (in order), each
// list sorted by hash, then index. Sorted lists of the few provisions left
// unmatched cost much less memory than maps over all of them.
func provisionHashes(seed maphash.Seed, ps []drafts.Provision, free []int) (text, markup []keyed) {
	n := len(free)
	both := make([]keyed, 2*n)
	text, markup = both[:n:n], both[n:]
	for k, i := range free {
		t := maphash.String(seed, ps[i].Text)
		nh := maphash.String(seed, ps[i].Number)
		text[k] = keyed{h: t, at: i}
		markup[k] = keyed{h: t ^ (nh + 0x9e3779b97f4a7c15 + t<<6 + t>>2), at: i}
	}
	byHash := func(x, y keyed) int {
		if c := cmp.Compare(x.h, y.h); c != 0 {
			return c
		}
		return cmp.Compare(x.at, y.at)
	}
	slices.SortFunc(text, byHash)
	slices.SortFunc(markup, byHash)
	return text, markup
}

// sameHash walks the lists hb and he of base and edited provisions (sorted
// by hash) together and calls f with the runs of each hash found on both
// sides. f only matches provisions of the runs it is given, so that a run
// never depends on what f did with the others.
func sameHash(hb, he []keyed, f func(rb, re []keyed)) {
	for i, j := 0, 0; i < len(hb) && j < len(he); {
		switch h := hb[i].h; {
		case h < he[j].h:
			i++
		case h > he[j].h:
			j++
		default:
			ib, je := i+1, j+1
			for ib < len(hb) && hb[ib].h == h {
				ib++
			}
			for je < len(he) && he[je].h == h {
				je++
			}
			f(hb[i:ib], he[j:je])
			i, j = ib, je
		}
	}
}

// matchUnique matches the unmatched provisions whose hash occurs once among
// the unmatched provisions of each side, if they are the same (by same).
func matchUnique(hb, he []keyed, res []int, taken []bool, same func(j, i int) bool) {
	sameHash(hb, he, func(rb, re []keyed) {
		b, nb := 0, 0
		for _, k := range rb {
			if !taken[k.at] {
				b, nb = k.at, nb+1
			}
		}
		e, ne := 0, 0
		for _, k := range re {
			if res[k.at] < 0 {
				e, ne = k.at, ne+1
			}
		}
		if nb == 1 && ne == 1 && same(b, e) {
			res[e] = b
			taken[b] = true
		}
	})
}

// matchInOrder matches the unmatched provisions that are the same (by
// hash, then by same) in the order they come on each side. The runs of a
// hash are in the order of the provisions, and the provisions of one hash
// are matched only with each other, so going hash by hash matches as going
// through the edited provisions in order would.
func matchInOrder(hb, he []keyed, res []int, taken []bool, same func(j, i int) bool) {
	sameHash(hb, he, func(rb, re []keyed) {
		for _, e := range re {
			if res[e.at] >= 0 {
				continue
			}
			for _, b := range rb {
				if !taken[b.at] && same(b.at, e.at) {
					res[e.at] = b.at
					taken[b.at] = true
					break
				}
			}
		}
	})
}
