package diffing

import (
	"hash/maphash"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"chancery/drafts"
)

// Provisions diffs two provision lists matched by provision ID, which must
// be set and unique in each list (a repeated id in new counts as a new
// provision). The changes come in new's order, each deleted provision just
// before the first provision of new that followed it in old and kept its
// place.
//
// A provision whose number and text are equal in both lists is unchanged
// and costs no word diff. Of the provisions common to both lists, those
// outside a longest run kept in the same relative order are moved, so that
// one provision taken elsewhere is one move. A new number with the same
// text is a renumbering, not a change of text; a changed text is modified,
// with word-level Segments. Kind is the main change, in this order of
// precedence: inserted, deleted, moved, modified, renumbered, unchanged;
// the flags Moved, Modified and Renumbered say all that apply. After is set
// for inserted and moved provisions. Number and Text are the new ones;
// OldNumber is set when the number changed, OldText when the text changed,
// and both for a deleted provision.
//
// The word diffs of one call share DiffTimeout, and run on up to GOMAXPROCS
// goroutines when there are many; Coarse is set when any of them was
// coarse.
func (d *Differ) Provisions(old, new []drafts.Provision) *drafts.Diff {
	oldAt := newIDIndex(old)
	match := make([]int, len(new)) // index in old, or -1
	used := make([]bool, len(old))
	nUsed := 0
	for i, p := range new {
		match[i] = -1
		if j := oldAt.find(p.ID); j >= 0 && !used[j] {
			match[i] = j
			used[j] = true
			nUsed++
		}
	}
	kept := lisMask(match)

	// A change for each new provision and each deleted one.
	diff := &drafts.Diff{Changes: make([]drafts.Change, 0, len(new)+len(old)-nUsed)}
	var modified []int // changes to word-diff
	nextOld := 0
	deletedUpTo := func(end int) {
		for ; nextOld < end; nextOld++ {
			if used[nextOld] {
				continue
			}
			p := old[nextOld]
			diff.Changes = append(diff.Changes, drafts.Change{
				Kind: drafts.ChangeDeleted, Provision: p.ID, ProvisionKind: p.Kind,
				OldNumber: p.Number, OldText: p.Text,
			})
		}
	}
	prev := ""
	for i, p := range new {
		j := match[i]
		c := drafts.Change{Provision: p.ID, ProvisionKind: p.Kind, Number: p.Number, Text: p.Text}
		if j < 0 {
			c.Kind = drafts.ChangeInserted
			c.After = prev
		} else {
			o := old[j]
			if kept[i] {
				deletedUpTo(j)
			} else {
				c.Moved = true
				c.After = prev
			}
			if o.Number != p.Number {
				c.Renumbered = true
				c.OldNumber = o.Number
			}
			if o.Text != p.Text {
				c.Modified = true
				c.OldText = o.Text
				modified = append(modified, len(diff.Changes))
			}
			switch {
			case c.Moved:
				c.Kind = drafts.ChangeMoved
			case c.Modified:
				c.Kind = drafts.ChangeModified
			case c.Renumbered:
				c.Kind = drafts.ChangeRenumbered
			default:
				c.Kind = drafts.ChangeUnchanged
			}
		}
		diff.Changes = append(diff.Changes, c)
		prev = p.ID
	}
	deletedUpTo(len(old))
	diff.Coarse = d.wordDiffs(diff.Changes, modified)
	return diff
}

// wordDiffs fills the Segments of the changes at the indexes given, from
// their OldText and Text, on as many goroutines as GOMAXPROCS when there
// are many, and reports whether any diff was coarse.
func (d *Differ) wordDiffs(changes []drafts.Change, at []int) (coarse bool) {
	if len(at) == 0 {
		return false
	}
	b := d.newBudget()
	run := func(next func() (int, bool)) bool {
		w := &wordDiffer{d: d, budget: b}
		anyCoarse := false
		for k, ok := next(); ok; k, ok = next() {
			c := &changes[at[k]]
			var cs bool
			c.Segments, cs = w.memoWords(c.OldText, c.Text)
			anyCoarse = anyCoarse || cs
			if w.enc != nil && len(w.enc.codes) > maxCodes/2 {
				w.enc = nil
			}
		}
		return anyCoarse
	}
	workers := min(runtime.GOMAXPROCS(0), len(at)/parallelWords)
	if workers <= 1 {
		k := 0
		return run(func() (int, bool) { k++; return k - 1, k <= len(at) })
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	results := make([]bool, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = run(func() (int, bool) {
				k := int(next.Add(1)) - 1
				return k, k < len(at)
			})
		}()
	}
	wg.Wait()
	return slices.Contains(results, true)
}

// parallelWords is the least number of word diffs per goroutine.
const parallelWords = 64

// lisMask marks the entries of seq (ignoring those below zero) that form a
// longest strictly increasing subsequence, in O(n log n).
func lisMask(seq []int) []bool {
	// tails[k] is the index in seq of the smallest tail of an increasing
	// subsequence of length k+1; prev links each entry to its predecessor.
	buf := make([]int, 2*len(seq))
	tails, prev := buf[:0:len(seq)], buf[len(seq):]
	for i, v := range seq {
		prev[i] = -1
		if v < 0 {
			continue
		}
		k := sort.Search(len(tails), func(k int) bool { return seq[tails[k]] >= v })
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	mask := make([]bool, len(seq))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
			mask[i] = true
		}
	}
	return mask
}

// idIndex finds the first provision of a list with a given id: an
// open-addressed table of the provisions' indexes by the hashes of their
// ids, a quarter of the size of a map from the ids.
type idIndex struct {
	ps    []drafts.Provision
	seed  maphash.Seed
	slots []int32 // index in ps plus one; 0 is empty
}

func newIDIndex(ps []drafts.Provision) *idIndex {
	size := 8
	for size < 2*len(ps) {
		size *= 2
	}
	x := &idIndex{ps: ps, seed: maphash.MakeSeed(), slots: make([]int32, size)}
	mask := size - 1
	for i, p := range ps {
		k := int(maphash.String(x.seed, p.ID)) & mask
		for x.slots[k] != 0 && ps[x.slots[k]-1].ID != p.ID {
			k = (k + 1) & mask
		}
		if x.slots[k] == 0 {
			x.slots[k] = int32(i + 1)
		}
	}
	return x
}

// find returns the index of the first provision with the id, or -1.
func (x *idIndex) find(id string) int {
	mask := len(x.slots) - 1
	for k := int(maphash.String(x.seed, id)) & mask; x.slots[k] != 0; k = (k + 1) & mask {
		if i := int(x.slots[k]) - 1; x.ps[i].ID == id {
			return i
		}
	}
	return -1
}
