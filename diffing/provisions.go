package diffing

import (
	"sort"

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
// The word diffs of one call share DiffTimeout; Coarse is set when any of
// them was coarse.
func (d *Differ) Provisions(old, new []drafts.Provision) *drafts.Diff {
	oldAt := make(map[string]int, len(old))
	for i, p := range old {
		if _, dup := oldAt[p.ID]; !dup {
			oldAt[p.ID] = i
		}
	}
	match := make([]int, len(new)) // index in old, or -1
	used := make([]bool, len(old))
	for i, p := range new {
		match[i] = -1
		if j, ok := oldAt[p.ID]; ok && !used[j] {
			match[i] = j
			used[j] = true
		}
	}
	kept := lisMask(match)

	diff := &drafts.Diff{Changes: make([]drafts.Change, 0, len(new)+len(old)/8)}
	var w *wordDiffer
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
				if w == nil {
					w = d.newWordDiffer()
				}
				var coarse bool
				c.Segments, coarse = w.words(o.Text, p.Text)
				diff.Coarse = diff.Coarse || coarse
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
	return diff
}

// lisMask marks the entries of seq (ignoring those below zero) that form a
// longest strictly increasing subsequence, in O(n log n).
func lisMask(seq []int) []bool {
	// tails[k] is the index in seq of the smallest tail of an increasing
	// subsequence of length k+1; prev links each entry to its predecessor.
	tails := make([]int, 0, 64)
	prev := make([]int, len(seq))
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
