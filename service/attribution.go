package service

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strings"

	"chancery/drafts"
)

// author is who made a change: a delegation's proposal, or the chair
// (proposal "", delegation ChairName).
type author struct {
	delegation, proposal string
}

// versionStep is what one version did to the text of the one before it:
// who changed which provision.
type versionStep struct {
	prev, v *drafts.Version
	// chairChanged holds the provisions the chair wrote in this step: all
	// those a revised version changed, or a merge's resolutions.
	chairChanged map[string]bool
	// by lists, per provision, the merged proposals that changed it.
	by map[string][]*drafts.Proposal
}

// authors returns who changed provision id in the step.
func (st *versionStep) authors(chair string, id string) []author {
	if st.chairChanged[id] {
		return []author{{delegation: chair}}
	}
	var out []author
	for _, p := range st.by[id] {
		out = append(out, author{delegation: p.Delegation, proposal: p.ID})
	}
	return out
}

// pick returns the authors of a piece of text a step inserted (or deleted,
// del): the only author, or among several proposals those whose proposed
// text holds the inserted words, or lacks the deleted ones (several when
// delegations proposed the same change).
func (st *versionStep) pick(chair, id, text string, del bool) []author {
	as := st.authors(chair, id)
	if len(as) <= 1 {
		return as
	}
	var out []author
	for _, p := range st.by[id] {
		if t, ok := p.ReplacementText(id); ok && strings.Contains(t, text) != del {
			out = append(out, author{delegation: p.Delegation, proposal: p.ID})
		}
	}
	return out
}

// attributeVersions attributes every change of d, the diff from the first
// to the last of versions (consecutive, oldest first), to who truly made
// it. The text of each changed provision is followed through every version
// in between: each inserted word is credited to the step that inserted it
// and each deleted word to the step that deleted it, and a step's words to
// the proposal merged in it, or to the chair (ChairName(body)) when the
// chair wrote them: a revised version, or a compromise resolving a merge.
// A compromise is never credited to the delegations whose proposals it
// replaced, and across several merges each change keeps its own author.
// Proposals already read may be given in known (by id): they are not read
// again.
func (s *Service) attributeVersions(ctx context.Context, d *drafts.Diff, versions []*drafts.Version, body string, known map[string]*drafts.Proposal) {
	chair := drafts.ChairName(body)
	steps := s.versionSteps(ctx, versions, known)
	// The provisions' texts in each version, by id.
	texts := make([]map[string]string, len(versions))
	for i, v := range versions {
		texts[i] = make(map[string]string, len(v.Provisions))
		for _, p := range v.Provisions {
			texts[i][p.ID] = p.Text
		}
	}
	for i := range d.Changes {
		if c := &d.Changes[i]; c.Kind != drafts.ChangeUnchanged {
			s.attributeChange(c, texts, steps, chair)
		}
	}
}

// versionSteps says what each version did to the one before it: the
// provisions the chair wrote, and those each merged proposal changed
// (read unless known; one that cannot be read is named by its
// attribution alone).
func (s *Service) versionSteps(ctx context.Context, versions []*drafts.Version, known map[string]*drafts.Proposal) []*versionStep {
	proposals := maps.Clone(known)
	if proposals == nil {
		proposals = map[string]*drafts.Proposal{}
	}
	s.readMerged(ctx, versions, proposals)
	steps := make([]*versionStep, len(versions)-1)
	for i := range steps {
		prev, v := versions[i], versions[i+1]
		st := &versionStep{prev: prev, v: v, chairChanged: map[string]bool{}, by: map[string][]*drafts.Proposal{}}
		if len(v.Merged) == 0 {
			// A chair's revised version: every provision it changed.
			for _, c := range s.Differ.Provisions(prev.Provisions, v.Provisions).Changes {
				if c.Kind != drafts.ChangeUnchanged {
					st.chairChanged[c.Provision] = true
				}
			}
		}
		for _, id := range v.Resolutions {
			st.chairChanged[id] = true
		}
		for _, a := range v.Attribution {
			if a.Proposal == "" {
				// The chair's compromise (v.Resolutions says so too).
				st.chairChanged[a.Provision] = true
				continue
			}
			p, ok := proposals[a.Proposal]
			if !ok {
				p = &drafts.Proposal{ID: a.Proposal, Delegation: a.Delegation}
				proposals[a.Proposal] = p
			}
			st.by[a.Provision] = append(st.by[a.Provision], p)
		}
		steps[i] = st
	}
	return steps
}

// readMerged adds to proposals those the versions' attributions name
// that it lacks, read at once (after a merge of 28 proposals, the first
// reader of its diff had waited for 28 reads one after the other); those
// this replica holds at their ETag are not read. One that cannot be read
// is left out: its attribution alone names it.
func (s *Service) readMerged(ctx context.Context, versions []*drafts.Version, proposals map[string]*drafts.Proposal) {
	var ids []string
	for _, v := range versions[1:] {
		for _, a := range v.Attribution {
			if _, ok := proposals[a.Proposal]; !ok && a.Proposal != "" && !slices.Contains(ids, a.Proposal) {
				ids = append(ids, a.Proposal)
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	doc := versions[0].Document
	read, err := s.readProposals(ctx, doc, ids, s.indexedProposals(ctx, doc))
	if err != nil {
		return
	}
	for i, p := range read {
		if p != nil {
			proposals[ids[i]] = p
		}
	}
}

// attributeChange credits one change of a diff across steps: each changed
// word of a modified text to the step that made it (blame), and the change
// to all who changed the provision on the way when words cannot tell.
func (s *Service) attributeChange(c *drafts.Change, texts []map[string]string, steps []*versionStep, chair string) {
	// Everyone who changed the provision on the way.
	var all []author
	for _, st := range steps {
		for _, a := range st.authors(chair, c.Provision) {
			all = addAuthor(all, a)
		}
	}
	var credited []author
	if len(c.Segments) > 0 && (c.Modified || c.Kind == drafts.ChangeModified) {
		c.Segments, credited = s.blame(c, texts, steps, chair, all)
	}
	if len(credited) == 0 || c.Moved || c.Renumbered || c.Kind != drafts.ChangeModified {
		for _, a := range all {
			credited = addAuthor(credited, a)
		}
	}
	c.Delegations, c.Proposals = nil, nil
	for _, a := range credited {
		if !slices.Contains(c.Delegations, a.delegation) {
			c.Delegations = append(c.Delegations, a.delegation)
		}
		if a.proposal != "" && !slices.Contains(c.Proposals, a.proposal) {
			c.Proposals = append(c.Proposals, a.proposal)
		}
	}
	sort.Strings(c.Delegations)
	if len(all) == 1 {
		// One author of every change: each segment says so too.
		for j := range c.Segments {
			if sg := &c.Segments[j]; sg.Op != drafts.SegEqual && sg.Delegation == "" {
				sg.Delegation, sg.Proposal = all[0].delegation, all[0].proposal
			}
		}
	}
}

// addAuthor adds a to list unless it is there.
func addAuthor(list []author, a author) []author {
	if slices.Contains(list, a) {
		return list
	}
	return append(list, a)
}

// blame follows a modified provision's text through the versions (its
// texts by provision id in each) and splits its segments by the step that
// inserted or deleted each part, attributing each part to that step's
// author. It returns the segments and the authors credited; the segments
// as they were, and none, when the text cannot be followed.
func (s *Service) blame(c *drafts.Change, byVersion []map[string]string, steps []*versionStep, chair string, all []author) ([]drafts.Segment, []author) {
	texts := make([]string, len(byVersion))
	for i, m := range byVersion {
		text, ok := m[c.Provision]
		if !ok {
			return c.Segments, nil // gone on the way: nothing to follow
		}
		texts[i] = text
	}
	tr, ok := s.trace(texts)
	if !ok {
		return c.Segments, nil // the word diffs do not rebuild the texts
	}
	bl := &blaming{c: c, steps: steps, chair: chair, all: all}
	if !bl.resegment(tr) {
		return c.Segments, nil
	}
	return bl.out, bl.credited
}

// tracing says, for the bytes of a provision's texts across versions,
// which step made them: origin[b] is the step (1-based) that inserted
// byte b of the last text, 0 for a byte of the first; gone[b] the step
// that deleted byte b of the first text.
type tracing struct {
	origin, gone []int
}

// trace follows texts (the provision's text in each version) step by
// step, word diff by word diff. ok is false if a diff does not rebuild
// its texts.
func (s *Service) trace(texts []string) (tracing, bool) {
	base := texts[0]
	tr := tracing{origin: make([]int, len(base)), gone: make([]int, len(base))}
	// pos[b]: where byte b of the base text is in the current text, -1
	// once deleted.
	pos := make([]int, len(base))
	for b := range pos {
		pos[b] = b
	}
	if len(texts) == 2 {
		// One step (a version against its parent, a merge preview): every
		// word the diff inserts or deletes is that step's, with no second
		// word diff.
		tr.origin = make([]int, len(texts[1]))
		for b := range tr.origin {
			tr.origin[b] = 1
		}
		for b := range tr.gone {
			tr.gone[b] = 1
		}
		return tr, true
	}
	for k := 1; k < len(texts); k++ {
		if texts[k-1] == texts[k] {
			continue
		}
		next, moved, ok := s.step(texts[k-1], texts[k], tr.origin, k)
		if !ok {
			return tracing{}, false
		}
		tr.origin = next
		for b, p := range pos {
			if p < 0 {
				continue
			}
			if pos[b] = moved[p]; pos[b] < 0 {
				tr.gone[b] = k
			}
		}
	}
	return tr, true
}

// step diffs the texts before and after step k: it returns the origin of
// each byte after (carried over from origin, k where inserted) and where
// each byte before went (-1 if deleted).
func (s *Service) step(prev, cur string, origin []int, k int) (next, moved []int, ok bool) {
	segs, _ := s.Differ.Words(prev, cur)
	next = make([]int, 0, len(cur))
	moved = make([]int, len(prev))
	po, co := 0, 0
	for _, sg := range segs {
		n := len(sg.Text)
		switch sg.Op {
		case drafts.SegEqual:
			for j := 0; j < n; j++ {
				moved[po+j] = co + j
			}
			next = append(next, origin[po:po+n]...)
			po, co = po+n, co+n
		case drafts.SegDelete:
			for j := 0; j < n; j++ {
				moved[po+j] = -1
			}
			po += n
		case drafts.SegInsert:
			for j := 0; j < n; j++ {
				next = append(next, k)
			}
			co += n
		}
	}
	return next, moved, po == len(prev) && co == len(cur)
}

// blaming splits one change's segments by step.
type blaming struct {
	c        *drafts.Change
	steps    []*versionStep
	chair    string
	all      []author
	out      []drafts.Segment
	credited []author
}

// resegment splits every inserted and deleted segment of the change in
// runs of one step each. ok is false if the segments do not fit the
// traced texts.
func (bl *blaming) resegment(tr tracing) bool {
	oo, no := 0, 0 // bytes of the old and new texts so far
	for _, sg := range bl.c.Segments {
		n := len(sg.Text)
		switch sg.Op {
		case drafts.SegEqual:
			bl.out = append(bl.out, sg)
			oo, no = oo+n, no+n
		case drafts.SegDelete:
			if oo+n > len(tr.gone) {
				return false
			}
			bl.split(sg.Op, sg.Text, tr.gone[oo:oo+n])
			oo += n
		case drafts.SegInsert:
			if no+n > len(tr.origin) {
				return false
			}
			bl.split(sg.Op, sg.Text, tr.origin[no:no+n])
			no += n
		}
	}
	return true
}

// split adds text (op) in runs of one step each: steps[b] for byte b.
func (bl *blaming) split(op, text string, steps []int) {
	start := 0
	for b := 1; b <= len(text); b++ {
		if b == len(text) || steps[b] != steps[start] {
			bl.add(op, text[start:b], steps[start])
			start = b
		}
	}
}

// add adds a segment made in step (0 for the first version's text),
// crediting the step's author of it.
func (bl *blaming) add(op, text string, step int) {
	sg := drafts.Segment{Op: op, Text: text}
	if step > 0 {
		as := bl.steps[step-1].pick(bl.chair, bl.c.Provision, text, op == drafts.SegDelete)
		if len(as) > 0 {
			// A segment names one author; the change names them all.
			sg.Delegation, sg.Proposal = as[0].delegation, as[0].proposal
		}
		for _, a := range as {
			bl.credited = addAuthor(bl.credited, a)
		}
	} else if len(bl.all) == 1 {
		sg.Delegation, sg.Proposal = bl.all[0].delegation, bl.all[0].proposal
	}
	bl.out = append(bl.out, sg)
}

// attributeTo credits every change of d, and each changed segment, to
// proposal p and its delegation: a proposal's own diff.
func attributeTo(d *drafts.Diff, p *drafts.Proposal) {
	for i := range d.Changes {
		c := &d.Changes[i]
		if c.Kind == drafts.ChangeUnchanged {
			continue
		}
		if !slices.Contains(c.Proposals, p.ID) {
			c.Proposals = append(c.Proposals, p.ID)
		}
		if !slices.Contains(c.Delegations, p.Delegation) {
			c.Delegations = append(c.Delegations, p.Delegation)
			sort.Strings(c.Delegations)
		}
		for j := range c.Segments {
			if sg := &c.Segments[j]; sg.Op != drafts.SegEqual {
				sg.Delegation, sg.Proposal = p.Delegation, p.ID
			}
		}
	}
}
