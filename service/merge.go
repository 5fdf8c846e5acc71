package service

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"chancery/drafts"
)

// Merge merges open proposals onto the head (which must be in.Base) as a
// new version. A proposal on an older base is rebased per provision.
// Overlapping changes without a resolution are an ECONFLICT error listing
// the collisions, and nothing changes. Of concurrent merges onto one head
// exactly one succeeds; the others are ECONFLICT.
func (s *Service) Merge(ctx context.Context, doc string, in drafts.MergeInput) (_ *drafts.MergeResult, err error) {
	defer markOp(&err, "service.Merge")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActMerge, true)
	if err != nil {
		return nil, err
	}
	if err := drafts.CheckNote("message", in.Message, 2000, false); err != nil {
		return nil, err
	}
	if len(in.Proposals) == 0 {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "proposals: name at least one proposal", Fields: []drafts.FieldError{{Field: "proposals", Message: "required"}}}
	}
	if in.Base != d.Head {
		return nil, drafts.Errorf(drafts.ECONFLICT, "base version %d is not the head (version %d); start again from the head", in.Base, d.Head)
	}
	head, err := s.getVersion(ctx, doc, d.Head)
	if err != nil {
		return nil, err
	}
	for id, text := range in.Resolutions {
		p, i := head.Provision(id)
		if i < 0 {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("resolutions: no provision %q in the head", id),
				Fields: []drafts.FieldError{{Field: "resolutions." + id, Message: "no such provision"}}}
		}
		if strings.TrimSpace(text) == "" {
			continue // the compromise is to delete the provision
		}
		if err := drafts.CheckProvisionText(p.Number, text, s.TextLimits); err != nil {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: "resolutions." + id + ": " + drafts.ErrorMessage(err),
				Fields: []drafts.FieldError{{Field: "resolutions." + id, Message: drafts.ErrorMessage(err)}}}
		}
	}
	bases := map[int]*drafts.Version{d.Head: head}
	var items []drafts.RebaseItem
	// The proposals, read together.
	var ids []string
	seen := map[string]bool{}
	for _, id := range in.Proposals {
		if seen[id] {
			continue
		}
		seen[id] = true
		if !drafts.ValidID(id) {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("proposals: no proposal %q", id), Fields: []drafts.FieldError{{Field: "proposals", Message: "no proposal " + id}}}
		}
		ids = append(ids, id)
	}
	read, err := s.readProposals(ctx, doc, ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		p := read[i]
		if p == nil {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("proposals: no proposal %q", id), Fields: []drafts.FieldError{{Field: "proposals", Message: "no proposal " + id}}}
		}
		if err := p.CheckOpen(); err != nil {
			return nil, err
		}
		base, ok := bases[p.Base]
		if !ok {
			if base, err = s.getVersion(ctx, doc, p.Base); err != nil {
				return nil, err
			}
			bases[p.Base] = base
		}
		result, err := drafts.ApplyOperations(base.Provisions, p.Operations, s.NewID, s.TextLimits)
		if err != nil {
			return nil, drafts.WrapError(drafts.EINTERNAL, err, "proposal %s no longer applies to its base", p.ID)
		}
		items = append(items, drafts.RebaseItem{Proposal: p, Base: base.Provisions, Result: result})
	}
	rb := drafts.Rebase(s.Differ, head.Provisions, items, in.Resolutions)
	for id := range in.Resolutions {
		if _, touched := rb.Touched[id]; !touched && len(rb.Collisions) == 0 {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("resolutions: no proposal being merged changes provision %q", id),
				Fields: []drafts.FieldError{{Field: "resolutions." + id, Message: "not changed by the merged proposals"}}}
		}
	}
	if len(rb.Collisions) > 0 {
		return nil, &drafts.Error{Code: drafts.ECONFLICT, Message: fmt.Sprintf("%d provision(s) have colliding changes; send resolutions with a compromise text for each", len(rb.Collisions)), Collisions: rb.Collisions}
	}
	out := &drafts.MergeResult{Accepted: []string{}, Modified: []string{}, Obsolete: rb.Obsolete}
	v := &drafts.Version{
		Document: doc, Number: head.Number + 1, Parent: head.Number, Author: u.ID, Delegation: u.Delegation,
		Message: in.Message, CreatedAt: s.now(), Merged: []string{}, Lead: head.Lead, Provisions: rb.Provisions,
		MergedETags: map[string]string{},
	}
	for _, it := range items {
		if _, gone := rb.Obsolete[it.Proposal.ID]; gone {
			continue
		}
		v.Merged = append(v.Merged, it.Proposal.ID)
		v.MergedETags[it.Proposal.ID] = it.Proposal.ETag
		if rb.Modified[it.Proposal.ID] {
			out.Modified = append(out.Modified, it.Proposal.ID)
		} else {
			out.Accepted = append(out.Accepted, it.Proposal.ID)
		}
	}
	for id := range in.Resolutions {
		v.Resolutions = append(v.Resolutions, id)
	}
	sort.Strings(v.Resolutions)
	v.Attribution = attributions(rb.Touched, v.Resolutions, drafts.ChairName(d.Body))
	v.AcceptedModified, v.Obsolete = out.Modified, rb.Obsolete
	if len(v.Merged) == 0 {
		return nil, drafts.Errorf(drafts.ECONFLICT, "none of the proposals can be merged: %s", describeObsolete(rb.Obsolete))
	}
	if in.Preview {
		out.Version = v
		known := map[string]*drafts.Proposal{}
		for _, it := range items {
			known[it.Proposal.ID] = it.Proposal
		}
		if err := s.heavy(ctx, func() error {
			out.Diff = s.Differ.Provisions(head.Provisions, v.Provisions)
			return nil
		}); err != nil {
			return nil, err
		}
		s.attributeVersions(ctx, out.Diff, []*drafts.Version{head, v}, d.Body, known)
		return out, nil
	}
	nd, err := s.storeVersion(ctx, d, head, v)
	if err != nil {
		return nil, err
	}
	s.recordChange(ctx, doc, versionChange(v.Number), "merge", fmt.Sprint(v.Number), strings.Join(v.Merged, ","))
	// The merged proposals as read: completing the version reads no
	// proposal twice (a write with a stale copy fails and reads again).
	known := map[string]*drafts.Proposal{}
	for _, it := range items {
		known[it.Proposal.ID] = it.Proposal
	}
	if _, out.Obsolete, err = s.completeVersion(ctx, v, nd, known); err != nil {
		return nil, err
	}
	out.Version = v
	return out, nil
}

func describeObsolete(m map[string]string) string {
	var parts []string
	for id, why := range m {
		parts = append(parts, id+": "+why)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// attributions lists who changed each provision: the proposals that
// touched it, or the chair (named chair) for a provision whose text the
// chair resolved.
func attributions(touched map[string][]*drafts.Proposal, resolved []string, chair string) []drafts.Attribution {
	var out []drafts.Attribution
	for id, ps := range touched {
		if slices.Contains(resolved, id) {
			out = append(out, drafts.Attribution{Provision: id, Delegation: chair})
			continue
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, drafts.Attribution{Provision: id, Proposal: p.ID, Delegation: p.Delegation})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Provision != out[j].Provision {
			return out[i].Provision < out[j].Provision
		}
		return out[i].Proposal < out[j].Proposal
	})
	return out
}

// attribute sets the delegations and proposals of each change: from
// touched (provision id → proposals), or, when all is given, to those
// proposals for every change.
func attribute(d *drafts.Diff, touched map[string][]*drafts.Proposal, all []*drafts.Proposal) {
	for i := range d.Changes {
		c := &d.Changes[i]
		if c.Kind == drafts.ChangeUnchanged {
			continue
		}
		ps := touched[c.Provision]
		if len(all) > 0 {
			ps = all
		}
		if len(ps) == 0 {
			continue
		}
		for _, p := range ps {
			if !slices.Contains(c.Proposals, p.ID) {
				c.Proposals = append(c.Proposals, p.ID)
			}
			if !slices.Contains(c.Delegations, p.Delegation) {
				c.Delegations = append(c.Delegations, p.Delegation)
			}
		}
		sort.Strings(c.Delegations)
		for j := range c.Segments {
			sg := &c.Segments[j]
			if sg.Op == drafts.SegEqual {
				continue
			}
			if len(c.Delegations) == 1 {
				sg.Delegation, sg.Proposal = c.Delegations[0], c.Proposals[0]
				continue
			}
			// Several delegations changed this provision: credit the one whose
			// proposed text holds the inserted words, or lacks the deleted ones.
			for _, p := range ps {
				if text, ok := p.ReplacementText(c.Provision); ok && strings.Contains(text, sg.Text) == (sg.Op == drafts.SegInsert) {
					sg.Delegation, sg.Proposal = p.Delegation, p.ID
					break
				}
			}
		}
	}
}

// VersionDiff returns the tracked diff from version m to version n of a
// document, each change attributed to whoever made it in between: the
// delegation whose merged proposal made it, or the chair (ChairName) for a
// chair's revised version or compromise (see attributeVersions).
// EINVALID if m < 1 (version 1 against its predecessor).
func (s *Service) VersionDiff(ctx context.Context, doc string, n, m int) (_ *drafts.Diff, _ *drafts.Version, _ *drafts.Version, err error) {
	defer markOp(&err, "service.VersionDiff")
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, nil, nil, err
	}
	if m < 1 {
		return nil, nil, nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("against: version %d has no predecessor; give ?against=", n),
			Fields: []drafts.FieldError{{Field: "against", Message: "required"}}}
	}
	return s.versionDiff(ctx, d, n, m)
}

// versionDiff is VersionDiff on a document already checked and read.
// Versions are immutable, and so is their diff: it is computed once per
// process (one computation for concurrent callers, inside the work limit)
// and kept in the cache of immutable objects. The diff returned is shared:
// read only.
func (s *Service) versionDiff(ctx context.Context, dd *drafts.Document, n, m int) (*drafts.Diff, *drafts.Version, *drafts.Version, error) {
	doc := dd.ID
	to, err := s.getVersion(ctx, doc, n)
	if err != nil {
		return nil, nil, nil, err
	}
	from, err := s.getVersion(ctx, doc, m)
	if err != nil {
		return nil, nil, nil, err
	}
	key := diffCacheKey(doc, n, m)
	if d, ok := s.immutable().get(key); ok {
		return d.(*drafts.Diff), from, to, nil
	}
	d, err := s.flights.do(ctx, key, func() (any, error) {
		if d, ok := s.immutable().get(key); ok {
			return d, nil
		}
		d, err := s.computeVersionDiff(ctx, dd, from, to)
		if err != nil {
			return nil, err
		}
		s.immutable().add(key, d, diffSize(d))
		return d, nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return d.(*drafts.Diff), from, to, nil
}

// computeVersionDiff diffs two versions and attributes each change to the
// proposals merged between them.
func (s *Service) computeVersionDiff(ctx context.Context, dd *drafts.Document, from, to *drafts.Version) (*drafts.Diff, error) {
	var d *drafts.Diff
	if err := s.heavy(ctx, func() error {
		d = s.Differ.Provisions(from.Provisions, to.Provisions)
		return nil
	}); err != nil {
		return nil, err
	}
	if m, n := from.Number, to.Number; m < n {
		versions := []*drafts.Version{from}
		for k := m + 1; k < n; k++ {
			v, err := s.getVersion(ctx, dd.ID, k)
			if err != nil {
				return nil, err
			}
			versions = append(versions, v)
		}
		versions = append(versions, to)
		s.attributeVersions(ctx, d, versions, dd.Body, nil)
	}
	return d, nil
}
