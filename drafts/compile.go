package drafts

import "slices"

// CompileProposals is the compilation of version v, with no storage: the
// proposals open, each rebased onto v from its base in bases where it was
// made on another version (a proposal whose base is missing, or that no
// longer applies to it, is left out), grouped under the provision each
// change touches in document order, identical changes by several
// delegations in one entry. open should be in the order the proposals
// were made. It is CompileProposal for each proposal, then
// AssembleCompilation.
func CompileProposals(differ Differ, limits Limits, newID func() string, v *Version, bases map[int]*Version, open []*Proposal) *Compilation {
	changes := make([][]ProposalChange, len(open))
	for i, p := range open {
		if base, ok := bases[p.Base]; ok {
			changes[i] = CompileProposal(differ, limits, newID, v, base, p)
		}
	}
	return AssembleCompilation(v, open, changes)
}

// ProposalChange is one change a proposal makes to version v, as the
// compilation lists it: Change, under the provision Under ("" for the
// start of the text). Its segments are attributed to the proposal.
type ProposalChange struct {
	Under  string
	Change CompiledProposal
}

// CompileProposal returns the changes proposal p, made on version base,
// makes to version v (rebased onto v when base is another version), in
// document order; none when it no longer applies. The result depends
// only on the texts of v and base and on p's operations, delegation and
// id: a caller may keep it for as long as those are unchanged. It is the
// part of the compilation that costs: a diff of the whole text.
func CompileProposal(differ Differ, limits Limits, newID func() string, v, base *Version, p *Proposal) []ProposalChange {
	result, err := ApplyOperations(base.Provisions, p.Operations, newID, limits)
	if err != nil {
		return nil // cannot happen for a stored proposal; leave it out rather than fail the whole compilation
	}
	from := base.Provisions
	if p.Base != v.Number {
		rb := Rebase(differ, v.Provisions, []RebaseItem{{Proposal: p, Base: base.Provisions, Result: result}}, nil)
		if len(rb.Collisions) == 0 && len(rb.Obsolete) == 0 {
			from, result = v.Provisions, rb.Provisions
		}
	}
	diff := differ.Provisions(from, result)
	// A run of inserted provisions goes under the provision the run
	// follows, not under the new provision before each.
	inserted := map[string]string{}
	for _, c := range diff.Changes {
		if c.Kind == ChangeInserted {
			anchor := c.After
			if a, ok := inserted[anchor]; ok {
				anchor = a
			}
			inserted[c.Provision] = anchor
		}
	}
	var out []ProposalChange
	for _, c := range diff.Changes {
		if c.Kind == ChangeUnchanged {
			continue
		}
		cp := CompiledProposal{Op: OpReplace, Text: c.Text, Segments: c.Segments}
		key := c.Provision
		switch {
		case c.Kind == ChangeInserted:
			cp.Op, cp.Segments, key = OpInsert, nil, inserted[c.Provision]
			cp.Text = (Provision{Number: c.Number, Text: c.Text}).Markup()
		case c.Kind == ChangeDeleted:
			cp.Op, cp.Text = OpDelete, ""
		case c.Moved && !c.Modified:
			cp.Op, cp.After, cp.Text, cp.Segments = OpMove, c.After, "", nil
		case c.Renumbered && !c.Modified:
			cp.Text = (Provision{Number: c.Number, Text: c.Text}).Markup()
		}
		cp.Segments = slices.Clone(cp.Segments)
		for i := range cp.Segments {
			if cp.Segments[i].Op != SegEqual {
				cp.Segments[i].Delegation, cp.Segments[i].Proposal = p.Delegation, p.ID
			}
		}
		out = append(out, ProposalChange{Under: key, Change: cp})
	}
	return out
}

// AssembleCompilation groups the changes of each open proposal
// (changes[i] those of open[i], from CompileProposal) under the
// provisions of v, in document order, identical changes by several
// delegations in one entry. It reads changes and never changes them.
func AssembleCompilation(v *Version, open []*Proposal, changes [][]ProposalChange) *Compilation {
	byProvision := map[string][]CompiledProposal{}
	for i, p := range open {
		for _, c := range changes[i] {
			group(byProvision, c.Under, c.Change, p)
		}
	}
	comp := &Compilation{Document: v.Document, Version: v.Number, Entries: []CompilationEntry{}}
	if ps := byProvision[""]; len(ps) > 0 {
		comp.Entries = append(comp.Entries, CompilationEntry{Proposals: ps})
	}
	for _, p := range v.Provisions {
		ps := byProvision[p.ID]
		if ps == nil {
			ps = []CompiledProposal{}
		}
		comp.Entries = append(comp.Entries, CompilationEntry{Provision: p, Proposals: ps})
	}
	return comp
}

// group adds p's change cp under key, joining an identical change. The
// lists it keeps are its own: cp's are not appended to.
func group(m map[string][]CompiledProposal, key string, cp CompiledProposal, p *Proposal) {
	list := m[key]
	for i := range list {
		e := &list[i]
		if e.Op == cp.Op && e.Text == cp.Text && e.After == cp.After {
			if !slices.Contains(e.Proposals, p.ID) {
				e.Proposals = append(e.Proposals, p.ID)
				e.Justifications = append(e.Justifications, p.Justification)
			}
			if !slices.Contains(e.Delegations, p.Delegation) {
				e.Delegations = append(e.Delegations, p.Delegation)
			}
			for _, c := range p.Cosponsors {
				if !slices.Contains(e.Cosponsors, c) {
					e.Cosponsors = append(e.Cosponsors, c)
				}
			}
			return
		}
	}
	cp.Proposals = []string{p.ID}
	cp.Delegations = []string{p.Delegation}
	cp.Justifications = []string{p.Justification}
	cp.Cosponsors = append([]string(nil), p.Cosponsors...)
	m[key] = append(list, cp)
}
