package drafts

import "slices"

// CompileProposals is the compilation of version v, with no storage: the
// proposals open, each rebased onto v from its base in bases where it was
// made on another version (a proposal whose base is missing, or that no
// longer applies to it, is left out), grouped under the provision each
// change touches in document order, identical changes by several
// delegations in one entry. open should be in the order the proposals
// were made.
//
// A sub-amendment in open is listed under the proposal it amends, in the
// SubAmendments of that proposal's change to each provision it gives
// another text: that text, and its changes to the amended proposal's text.
// One whose amended proposal is not in open (no longer open) is left out.
func CompileProposals(differ Differ, limits Limits, newID func() string, v *Version, bases map[int]*Version, open []*Proposal) *Compilation {
	return CompileProposalsWith(differ, limits, newID, v, bases, open, nil)
}

// ProposalDiff is what one proposal changes in a version: its text (on
// the version, or on its own base when it does not rebase cleanly) and
// the diff to it. It depends only on the texts of the version and the
// base and on the proposal's operations: a caller may keep it for as long
// as those are unchanged. It is the costly part of a compilation.
type ProposalDiff struct {
	Result []Provision
	Diff   *Diff
}

// DiffProposal returns p's ProposalDiff on version v (bases holds the
// versions proposals were made on); false when p cannot be applied.
func DiffProposal(differ Differ, limits Limits, newID func() string, v *Version, bases map[int]*Version, p *Proposal) (ProposalDiff, bool) {
	from, result, ok := onVersion(differ, limits, newID, v, bases, p)
	if !ok {
		return ProposalDiff{}, false
	}
	return changedOnly(result, differ.Provisions(from, result)), true
}

// changedOnly keeps of a proposal's diff what a compilation reads: its
// changes other than provisions left unchanged, and its text of the
// provisions they name. On a long text a proposal touches a few
// provisions: the rest, kept for each of hundreds of proposals, was most
// of a compilation's memory.
func changedOnly(result []Provision, d *Diff) ProposalDiff {
	out := *d
	out.Changes = nil
	named := map[string]bool{}
	for _, c := range d.Changes {
		if c.Kind != ChangeUnchanged {
			out.Changes = append(out.Changes, c)
			named[c.Provision] = true
		}
	}
	var kept []Provision
	for _, r := range result {
		if named[r.ID] {
			kept = append(kept, r)
		}
	}
	return ProposalDiff{Result: kept, Diff: &out}
}

// CompileProposalsWith is CompileProposals taking each proposal's diff
// from diffs when it has it (diffs may be nil): what it returns is read,
// never changed.
func CompileProposalsWith(differ Differ, limits Limits, newID func() string, v *Version, bases map[int]*Version, open []*Proposal, diffs func(p *Proposal) (ProposalDiff, bool)) *Compilation {
	cc := &compiling{differ: differ, limits: limits, newID: newID, v: v, bases: bases, diffs: diffs,
		byProvision: map[string][]CompiledProposal{}, placed: map[string]map[string]place{}, texts: map[string]map[string]Provision{}}
	tops := map[string]*Proposal{}
	for _, p := range open {
		if p.Amends == "" {
			tops[p.ID] = p
			cc.add(p)
		}
	}
	for _, p := range open {
		if amended, ok := tops[p.Amends]; ok && p.Amends != "" {
			cc.nest(amended, p)
		}
	}
	comp := &Compilation{Document: v.Document, Version: v.Number, Entries: []CompilationEntry{}}
	if ps := cc.byProvision[""]; len(ps) > 0 {
		comp.Entries = append(comp.Entries, CompilationEntry{Proposals: ps})
	}
	for _, p := range v.Provisions {
		ps := cc.byProvision[p.ID]
		if ps == nil {
			ps = []CompiledProposal{}
		}
		comp.Entries = append(comp.Entries, CompilationEntry{Provision: p, Proposals: ps})
	}
	return comp
}

// compiling is the state of one CompileProposals.
type compiling struct {
	differ      Differ
	limits      Limits
	newID       func() string
	v           *Version
	bases       map[int]*Version
	byProvision map[string][]CompiledProposal
	// placed says, per proposal and provision it changed, where its
	// change is listed; texts holds each proposal's text on v, by id.
	placed map[string]map[string]place
	texts  map[string]map[string]Provision
	// diffs, when not nil, has proposals' diffs made before.
	diffs func(p *Proposal) (ProposalDiff, bool)
}

// place is where a change is listed: under provision key, index.
type place struct {
	key   string
	index int
}

// onVersion returns p's change as a text before and after it: on v when
// p rebases onto it cleanly, on its own base otherwise. ok is false when
// p cannot be applied at all.
func (cc *compiling) onVersion(p *Proposal) (from, result []Provision, ok bool) {
	return onVersion(cc.differ, cc.limits, cc.newID, cc.v, cc.bases, p)
}

// onVersion is compiling.onVersion on version v with bases.
func onVersion(differ Differ, limits Limits, newID func() string, v *Version, bases map[int]*Version, p *Proposal) (from, result []Provision, ok bool) {
	base, ok := bases[p.Base]
	if !ok {
		return nil, nil, false
	}
	result, err := ApplyOperations(base.Provisions, p.Operations, newID, limits)
	if err != nil {
		return nil, nil, false // cannot happen for a stored proposal; leave it out rather than fail the whole compilation
	}
	from = base.Provisions
	if p.Base != v.Number {
		rb := Rebase(differ, v.Provisions, []RebaseItem{{Proposal: p, Base: base.Provisions, Result: result}}, nil)
		if len(rb.Collisions) == 0 && len(rb.Obsolete) == 0 {
			from, result = v.Provisions, rb.Provisions
		}
	}
	return from, result, true
}

// add lists every change of proposal p under the provision it touches.
func (cc *compiling) add(p *Proposal) {
	var pd ProposalDiff
	ok := false
	if cc.diffs != nil {
		pd, ok = cc.diffs(p)
	}
	if !ok {
		if pd, ok = DiffProposal(cc.differ, cc.limits, cc.newID, cc.v, cc.bases, p); !ok {
			return
		}
	}
	result, diff := pd.Result, pd.Diff
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
	placed := map[string]place{}
	texts := map[string]Provision{}
	for _, r := range result {
		texts[r.ID] = r
	}
	for _, c := range diff.Changes {
		if c.Kind == ChangeUnchanged {
			continue
		}
		// Its own segments: group marks them, and the diff may be kept.
		cp := CompiledProposal{Op: OpReplace, Text: c.Text, Segments: slices.Clone(c.Segments)}
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
		var i int
		cc.byProvision[key], i = group(cc.byProvision[key], cp, p)
		placed[c.Provision] = place{key, i}
	}
	cc.placed[p.ID], cc.texts[p.ID] = placed, texts
}

// nest lists sub-amendment sub under the changes of amended it replaces:
// its text of each provision, with its changes to amended's text.
func (cc *compiling) nest(amended, sub *Proposal) {
	_, result, ok := cc.onVersion(Combine(amended, sub))
	if !ok {
		return
	}
	for _, o := range sub.Operations {
		pl, listed := cc.placed[amended.ID][o.Provision]
		was, had := cc.texts[amended.ID][o.Provision]
		now, i := provisionByID(result, o.Provision)
		if !listed || !had || i < 0 || now.Text == was.Text && now.Number == was.Number {
			continue
		}
		segs, _ := cc.differ.Words(was.Text, now.Text)
		cp := CompiledProposal{Op: OpReplace, Text: now.Text, Segments: segs}
		if now.Number != was.Number {
			cp.Text = now.Markup()
		}
		parent := &cc.byProvision[pl.key][pl.index]
		parent.SubAmendments, _ = group(parent.SubAmendments, cp, sub)
	}
}

// group adds p's change cp to list, joining an identical change, and
// returns the list and where cp is in it.
func group(list []CompiledProposal, cp CompiledProposal, p *Proposal) ([]CompiledProposal, int) {
	for i := range list {
		e := &list[i]
		if e.Op == cp.Op && e.Text == cp.Text && e.After == cp.After {
			if !slices.Contains(e.Proposals, p.ID) {
				e.Proposals = append(e.Proposals, p.ID)
				e.Refs = append(e.Refs, p.Ref())
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
			return list, i
		}
	}
	cp.Proposals = []string{p.ID}
	cp.Refs = []ProposalRef{p.Ref()}
	cp.Delegations = []string{p.Delegation}
	cp.Justifications = []string{p.Justification}
	cp.Cosponsors = append([]string(nil), p.Cosponsors...)
	for i := range cp.Segments {
		if cp.Segments[i].Op != SegEqual {
			cp.Segments[i].Delegation, cp.Segments[i].Proposal = p.Delegation, p.ID
		}
	}
	return append(list, cp), len(list)
}
