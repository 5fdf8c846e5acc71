package drafts

import (
	"fmt"
)

// RebaseItem is one proposal to rebase: the text of its base version and
// the result of its operations on that text.
type RebaseItem struct {
	Proposal *Proposal
	Base     []Provision
	Result   []Provision
}

// RebaseResult is the outcome of rebasing proposals onto a head.
type RebaseResult struct {
	Provisions []Provision
	Collisions []Collision
	// Obsolete proposals could not apply: a provision they change is gone.
	Obsolete map[string]string
	// Modified proposals had their text replaced by a resolution.
	Modified map[string]bool
	// Touched lists, per provision id, the proposals that changed it.
	Touched map[string][]*Proposal
}

// Rebase merges proposals onto head, provision by provision: each
// proposal's change to a provision is merged three-way (its base, the text
// so far, its text); overlapping changes are collisions unless resolutions
// give the provision's text (an empty text deletes it). Inserted and moved
// provisions go after the provision they follow in the proposal, or the
// nearest one before it that still exists. With collisions, the result
// holds them and no provisions.
func Rebase(differ Differ, head []Provision, items []RebaseItem, resolutions map[string]string) *RebaseResult {
	rb := newRebasing(differ, head, items)
	rb.markObsolete()
	for _, id := range rb.order {
		rb.mergeProvision(id, resolutions)
	}
	if len(rb.res.Collisions) > 0 {
		return rb.res
	}
	for k := range items {
		rb.placeStructure(k)
	}
	rb.finish()
	return rb.res
}

// rebasing is the state of one Rebase.
type rebasing struct {
	differ Differ
	items  []RebaseItem
	res    *RebaseResult
	// acc is the text so far, ending the gap after its last provision.
	acc    []Provision
	ending string
	// diffs[k] is the diff of items[k]; sides the changes to each
	// provision, in order of the provisions first changed.
	diffs   []*Diff
	order   []string
	sides   map[string][]side
	deleted map[string]bool
}

// side is one proposal's change to one provision.
type side struct {
	p      *Proposal
	change Change
}

// newRebasing diffs every item against its base and gathers, per
// provision, the changes the proposals make to its text or number.
func newRebasing(differ Differ, head []Provision, items []RebaseItem) *rebasing {
	rb := &rebasing{
		differ: differ, items: items,
		res:   &RebaseResult{Obsolete: map[string]string{}, Modified: map[string]bool{}, Touched: map[string][]*Proposal{}},
		acc:   make([]Provision, len(head)),
		diffs: make([]*Diff, len(items)), sides: map[string][]side{}, deleted: map[string]bool{},
	}
	copy(rb.acc, head)
	if len(head) > 0 {
		rb.ending = head[len(head)-1].Gap
	}
	for i, it := range items {
		rb.diffs[i] = differ.Provisions(it.Base, it.Result)
		for _, c := range rb.diffs[i].Changes {
			if c.Kind == ChangeDeleted || c.Modified || c.Renumbered {
				if _, ok := rb.sides[c.Provision]; !ok {
					rb.order = append(rb.order, c.Provision)
				}
				rb.sides[c.Provision] = append(rb.sides[c.Provision], side{it.Proposal, c})
			}
		}
	}
	return rb
}

// index returns where provision id is in the text so far, or -1.
func (rb *rebasing) index(id string) int {
	for i := range rb.acc {
		if rb.acc[i].ID == id {
			return i
		}
	}
	return -1
}

// live reports whether p still applies.
func (rb *rebasing) live(p *Proposal) bool {
	_, gone := rb.res.Obsolete[p.ID]
	return !gone
}

// markObsolete makes obsolete every proposal that changes a provision the
// head no longer has.
func (rb *rebasing) markObsolete() {
	for _, id := range rb.order {
		if rb.index(id) >= 0 {
			continue
		}
		for _, sd := range rb.sides[id] {
			rb.res.Obsolete[sd.p.ID] = fmt.Sprintf("provision %s was deleted", id)
		}
	}
}

// mergeProvision sets the text of provision id from the live proposals'
// changes to it: the resolution's text if there is one, otherwise their
// three-way merge, or a collision.
func (rb *rebasing) mergeProvision(id string, resolutions map[string]string) {
	i := rb.index(id)
	if i < 0 {
		return
	}
	var ss []side
	for _, sd := range rb.sides[id] {
		if rb.live(sd.p) {
			ss = append(ss, sd)
			rb.res.Touched[id] = append(rb.res.Touched[id], sd.p)
		}
	}
	if len(ss) == 0 {
		return
	}
	if text, ok := resolutions[id]; ok {
		rb.resolve(i, ss, text)
		return
	}
	cur := rb.acc[i]
	text, number, del, ok := rb.merge3(cur, ss)
	switch {
	case !ok:
		rb.res.Collisions = append(rb.res.Collisions, collision(cur, ss))
	case del:
		rb.deleted[id] = true
	default:
		rb.acc[i].Text, rb.acc[i].Number = text, number
	}
}

// resolve gives provision i the chair's compromise text (deleting it when
// the text is empty); a proposal whose change differs is modified.
func (rb *rebasing) resolve(i int, ss []side, text string) {
	for _, sd := range ss {
		if sd.change.Kind == ChangeDeleted || sd.change.Text != text {
			rb.res.Modified[sd.p.ID] = true
		}
	}
	if IsBlank(text) {
		rb.deleted[rb.acc[i].ID] = true
	} else {
		rb.acc[i].Text = text
	}
}

// merge3 merges the changes ss to the provision cur one after the other.
// ok is false when two of them overlap.
func (rb *rebasing) merge3(cur Provision, ss []side) (text, number string, del, ok bool) {
	text, number, ok = cur.Text, cur.Number, true
	for _, sd := range ss {
		c := sd.change
		switch {
		case c.Kind == ChangeDeleted:
			if text != c.OldText {
				ok = false
			}
			del = true
		case del:
			ok = false
		default:
			if c.Modified {
				merged, clean := rb.differ.Merge3(c.OldText, text, c.Text)
				if !clean {
					ok = false
				} else {
					text = merged
				}
			}
			if c.Renumbered || c.Number != c.OldNumber {
				number = c.Number
			}
		}
	}
	return text, number, del, ok
}

// collision reports the overlapping changes ss to the provision cur.
func collision(cur Provision, ss []side) Collision {
	col := Collision{Provision: cur.ID, Number: cur.Number, BaseText: ss[0].change.OldText, HeadText: cur.Text}
	for _, sd := range ss {
		col.Proposals = append(col.Proposals, CollisionSide{
			ID: sd.p.ID, Delegation: sd.p.Delegation, Text: sd.change.Text, Deleted: sd.change.Kind == ChangeDeleted,
		})
	}
	return col
}

// placeStructure inserts the provisions items[k] inserts and moves those it
// moves, in the proposal's order.
func (rb *rebasing) placeStructure(k int) {
	it := rb.items[k]
	if !rb.live(it.Proposal) {
		return
	}
	// The proposal's own order, to find a predecessor that still exists.
	pos := map[string]int{}
	for i, p := range it.Result {
		pos[p.ID] = i
	}
	place := func(id string) int {
		for j := pos[id] - 1; j >= 0; j-- {
			if i := rb.index(it.Result[j].ID); i >= 0 {
				return i + 1
			}
		}
		return 0
	}
	for _, c := range rb.diffs[k].Changes {
		var p Provision
		switch {
		case c.Kind == ChangeInserted:
			p, _ = provisionByID(it.Result, c.Provision)
			p.Status = ""
		case c.Moved && c.Kind != ChangeDeleted:
			i := rb.index(c.Provision)
			if i < 0 {
				continue
			}
			p = rb.acc[i]
			rb.acc = append(rb.acc[:i], rb.acc[i+1:]...)
		default:
			continue
		}
		at := place(c.Provision)
		rb.acc = append(rb.acc[:at], append([]Provision{p}, rb.acc[at:]...)...)
		rb.res.Touched[c.Provision] = append(rb.res.Touched[c.Provision], it.Proposal)
	}
}

// finish drops the deleted provisions and sets the gaps and kinds of the
// text.
func (rb *rebasing) finish() {
	out := rb.acc[:0]
	for _, p := range rb.acc {
		if !rb.deleted[p.ID] {
			out = append(out, p)
		}
	}
	FixGaps(out, rb.ending)
	setKinds(out)
	rb.res.Provisions = out
}

func provisionByID(ps []Provision, id string) (Provision, int) {
	for i, p := range ps {
		if p.ID == id {
			return p, i
		}
	}
	return Provision{}, -1
}
