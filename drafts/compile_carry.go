package drafts

// CarriesOver says whether d, proposal p's diff on version prev, is its
// diff on version cur too, so that a compilation of cur may take it
// without diffing p again. That holds when the two versions have the same
// provisions in the same order (ids, kinds, numbers, gaps) and every
// provision p's operations or d's changes name (the one changed, deleted,
// or inserted after) reads the same in both: p then applies to cur as it
// applied to prev, and its result differs from cur where it differed from
// prev, by the same words. After a merge of 28 proposals, the other open
// proposals of a long text mostly touch provisions the merge left alone.
func CarriesOver(d ProposalDiff, p *Proposal, prev, cur *Version) bool {
	return NewCarry(prev, cur).Over(d, p)
}

// Carry compares two versions once for the diffs of many proposals
// (CarriesOver): the room's first compilation after a merge asks for
// each of some 200 open proposals.
type Carry struct {
	prev, cur *Version
	at        map[string]int // provision id → index, in both; nil: nothing carries over
}

// NewCarry compares versions prev and cur.
func NewCarry(prev, cur *Version) *Carry {
	c := &Carry{prev: prev, cur: cur}
	if prev == nil || cur == nil || len(prev.Provisions) != len(cur.Provisions) {
		return c
	}
	at := make(map[string]int, len(cur.Provisions))
	for i := range cur.Provisions {
		a, b := &prev.Provisions[i], &cur.Provisions[i]
		if a.ID != b.ID || a.Kind != b.Kind || a.Number != b.Number || a.Gap != b.Gap {
			return c
		}
		at[b.ID] = i
	}
	c.at = at
	return c
}

// Over says whether d, proposal p's diff on the first version, is its
// diff on the second (CarriesOver).
func (c *Carry) Over(d ProposalDiff, p *Proposal) bool {
	if d.Diff == nil || c.at == nil {
		return false
	}
	same := func(id string) bool {
		i, ok := c.at[id]
		if id == "" || !ok {
			return true // the start, or a provision p inserts
		}
		a, b := &c.prev.Provisions[i], &c.cur.Provisions[i]
		// Not the status: a proposal's diff is kept whatever the
		// statuses of its version (the service's compiledKey).
		return a.Text == b.Text && a.Translation == b.Translation && a.Original == nil && b.Original == nil
	}
	for _, o := range p.Operations {
		if !same(o.Provision) || !same(o.After) {
			return false
		}
	}
	for _, ch := range d.Diff.Changes {
		if !same(ch.Provision) || !same(ch.After) {
			return false
		}
	}
	return true
}
