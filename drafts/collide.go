package drafts

// MarkCollisions sets Colliding on each entry of the compilation whose
// proposals change its provision in ways that cannot all apply: two
// changes of its words that do not merge three-way, or a deletion beside
// any other change of it. It is what a merge of all of them onto the
// compiled version would report as collisions (Rebase), found from the
// compilation alone.
func (c *Compilation) MarkCollisions(differ Differ) {
	for i := range c.Entries {
		e := &c.Entries[i]
		e.Colliding = collides(differ, e.Provision.Text, e.Proposals)
	}
}

// collides reports whether the changes cps to a provision of text base
// overlap.
func collides(differ Differ, base string, cps []CompiledProposal) bool {
	text, changes, deleted := base, 0, false
	for _, cp := range cps {
		switch {
		case cp.Op == OpDelete:
			changes++
			if deleted || changes > 1 {
				return true
			}
			deleted = true
		case cp.Op == OpReplace && changesWords(cp.Segments):
			changes++
			if deleted {
				return true
			}
			merged, clean := differ.Merge3(base, text, cp.Text)
			if !clean {
				return true
			}
			text = merged
		}
	}
	return false
}

// changesWords reports whether segments insert or delete anything.
func changesWords(segs []Segment) bool {
	for _, s := range segs {
		if s.Op != SegEqual {
			return true
		}
	}
	return false
}
