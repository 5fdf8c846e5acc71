package service

import (
	"context"
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
	doc := versions[0].Document
	proposals := make(map[string]*drafts.Proposal, len(known))
	for id, p := range known {
		proposals[id] = p
	}
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
				var err error
				if p, err = s.readProposal(ctx, doc, a.Proposal); err != nil {
					p = &drafts.Proposal{ID: a.Proposal, Delegation: a.Delegation}
				}
				proposals[a.Proposal] = p
			}
			st.by[a.Provision] = append(st.by[a.Provision], p)
		}
		steps[i] = st
	}

	// The provisions' texts in each version, by id.
	texts := make([]map[string]string, len(versions))
	for i, v := range versions {
		texts[i] = make(map[string]string, len(v.Provisions))
		for _, p := range v.Provisions {
			texts[i][p.ID] = p.Text
		}
	}
	for i := range d.Changes {
		c := &d.Changes[i]
		if c.Kind == drafts.ChangeUnchanged {
			continue
		}
		// Everyone who changed the provision on the way.
		var all []author
		for _, st := range steps {
			for _, a := range st.authors(chair, c.Provision) {
				if !containsAuthor(all, a) {
					all = append(all, a)
				}
			}
		}
		var credited []author
		if len(c.Segments) > 0 && (c.Modified || c.Kind == drafts.ChangeModified) {
			c.Segments, credited = s.blame(c, texts, steps, chair, all)
		}
		if len(credited) == 0 || c.Moved || c.Renumbered || c.Kind != drafts.ChangeModified {
			for _, a := range all {
				if !containsAuthor(credited, a) {
					credited = append(credited, a)
				}
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
}

func containsAuthor(list []author, a author) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// blame follows a modified provision's text through the versions (its
// texts by provision id in each) and
// splits its segments by the step that inserted or deleted each part,
// attributing each part to that step's author. It returns the segments and
// the authors credited.
func (s *Service) blame(c *drafts.Change, byVersion []map[string]string, steps []*versionStep, chair string, all []author) ([]drafts.Segment, []author) {
	texts := make([]string, len(byVersion))
	for i, m := range byVersion {
		text, ok := m[c.Provision]
		if !ok {
			return c.Segments, nil // gone on the way: nothing to follow
		}
		texts[i] = text
	}
	base := texts[0]
	// origin[b]: the step (1-based) that inserted byte b of the current
	// text, 0 for a byte of the base text. pos[b]: where byte b of the base
	// text is in the current text, -1 once deleted; gone[b]: the step that
	// deleted it.
	origin := make([]int, len(base))
	pos := make([]int, len(base))
	gone := make([]int, len(base))
	for b := range pos {
		pos[b] = b
	}
	if len(texts) == 2 {
		// One step (a version against its parent, a merge preview): every
		// word the diff inserts or deletes is that step's, with no second
		// word diff.
		origin = make([]int, len(texts[1]))
		for b := range origin {
			origin[b] = 1
		}
		for b := range gone {
			gone[b] = 1
		}
		texts = texts[:1]
	}
	for k := 1; k < len(texts); k++ {
		prev, cur := texts[k-1], texts[k]
		if prev == cur {
			continue
		}
		segs, _ := s.Differ.Words(prev, cur)
		next := make([]int, 0, len(cur))
		moved := make([]int, len(prev)) // prev byte → cur byte, -1 deleted
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
		if po != len(prev) || co != len(cur) {
			return c.Segments, nil // the segments do not rebuild the texts
		}
		origin = next
		for b, p := range pos {
			if p < 0 {
				continue
			}
			if pos[b] = moved[p]; pos[b] < 0 {
				gone[b] = k
			}
		}
	}

	var out []drafts.Segment
	var credited []author
	add := func(op, text string, step int) {
		sg := drafts.Segment{Op: op, Text: text}
		if step > 0 {
			as := steps[step-1].pick(chair, c.Provision, text, op == drafts.SegDelete)
			if len(as) > 0 {
				// A segment names one author; the change names them all.
				sg.Delegation, sg.Proposal = as[0].delegation, as[0].proposal
			}
			for _, a := range as {
				if !containsAuthor(credited, a) {
					credited = append(credited, a)
				}
			}
		} else if len(all) == 1 {
			sg.Delegation, sg.Proposal = all[0].delegation, all[0].proposal
		}
		out = append(out, sg)
	}
	// split adds text (op) in runs of one step each: steps[b] for byte b.
	split := func(op, text string, step func(b int) int) {
		start := 0
		for b := 1; b <= len(text); b++ {
			if b == len(text) || step(b) != step(start) {
				add(op, text[start:b], step(start))
				start = b
			}
		}
	}
	oo, no := 0, 0 // bytes of the old and new texts so far
	for _, sg := range c.Segments {
		n := len(sg.Text)
		switch sg.Op {
		case drafts.SegEqual:
			out = append(out, sg)
			oo, no = oo+n, no+n
		case drafts.SegDelete:
			if oo+n > len(gone) {
				return c.Segments, nil
			}
			o := oo
			split(sg.Op, sg.Text, func(b int) int { return gone[o+b] })
			oo += n
		case drafts.SegInsert:
			if no+n > len(origin) {
				return c.Segments, nil
			}
			o := no
			split(sg.Op, sg.Text, func(b int) int { return origin[o+b] })
			no += n
		}
	}
	return out, credited
}
