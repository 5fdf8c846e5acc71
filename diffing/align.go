package diffing

import (
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
