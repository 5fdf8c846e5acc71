package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"chancery/drafts"
)

// Merge merges open proposals onto the head (which must be in.Base) as a
// new version. A proposal on an older base is rebased per provision.
// Overlapping changes without a resolution are an ECONFLICT error listing
// the collisions, and nothing changes. Of concurrent merges onto one head
// exactly one succeeds; the others are ECONFLICT. The merged proposals
// become accepted in completeVersion (completion.go).
func (s *Service) Merge(ctx context.Context, doc string, in drafts.MergeInput) (_ *drafts.MergeResult, err error) {
	defer markOp(&err, "service.Merge")
	// The document's proposals are listed, and the head of its trail read
	// (beginChange), while the document and its head are read: reads
	// only, dropped unless the chair may merge, so a refused merge still
	// changes nothing.
	var listed <-chan keyPage
	var began <-chan beginning
	if drafts.ValidID(doc) {
		if len(in.Proposals) > readOneByOne {
			listed = s.listAllProposals(ctx, doc)
		}
		if !in.Preview {
			began = s.beginAhead(ctx, doc)
		}
	}
	u, d, head, err := s.mergeStart(ctx, doc, in)
	if err != nil {
		return nil, err
	}
	items, set, err := s.mergeItems(ctx, head, in.Proposals, listed, in.Translations, d.Language)
	if err != nil {
		return nil, err
	}
	if err := checkTranslationsUsed(items, in.Translations); err != nil {
		return nil, err
	}
	rb := drafts.Rebase(s.Differ, head.Provisions, items, in.Resolutions)
	var open []drafts.Collision
	if in.Preview && len(rb.Collisions) > 0 {
		// A preview with collisions still open keeps the head's text of
		// each colliding provision, and says which they are.
		open = rb.Collisions
		rb = drafts.Rebase(s.Differ, head.Provisions, items, keepHead(in.Resolutions, open))
	}
	if err := checkRebase(rb, in.Resolutions); err != nil {
		return nil, err
	}
	set.withAmended(rb)
	v, out := s.mergedVersion(u, d, head, items, rb, in, set.pairs)
	out.Collisions = open
	v.Translated = languageTexts(items, v, in.Translations)
	if len(v.Merged) == 0 {
		return nil, drafts.Errorf(drafts.ECONFLICT, "none of the proposals can be merged: %s", describeObsolete(rb.Obsolete))
	}
	// The merged proposals as read (as stored, not combined with the
	// proposals they amend): completing the version reads no proposal
	// twice (a write with a stale copy fails and reads again).
	known := set.read
	if in.Preview {
		return s.previewMerge(ctx, d, head, v, out, known)
	}
	b := <-began
	if b.err != nil {
		return nil, b.err
	}
	// The trail's hint moves after the answer: the events are written
	// before it (commitChange), and the hint only saves the next writer
	// of the trail a step (appendEvents follows the chain past it).
	b.tx.hintAfter = true
	if out.Obsolete, err = s.publishVersionIn(ctx, b.tx, d, head, v, "merge", known); err != nil {
		return nil, err
	}
	out.Version = v
	return out, nil
}

// mergeStart checks a merge request against the document and its head,
// and returns the chair, the document and the head.
func (s *Service) mergeStart(ctx context.Context, doc string, in drafts.MergeInput) (*drafts.User, *drafts.Document, *drafts.Version, error) {
	// The base the chair names must be the head: it is read while the
	// document is, and dropped unless it is the head and the chair may
	// merge.
	type versionRead struct {
		v   *drafts.Version
		err error
	}
	based := make(chan versionRead, 1)
	if drafts.ValidID(doc) && in.Base >= 1 {
		go func() {
			v, err := s.getVersion(ctx, doc, in.Base)
			based <- versionRead{v, err}
		}()
	}
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActMerge, true)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := drafts.CheckNote("message", in.Message, 2000, false); err != nil {
		return nil, nil, nil, err
	}
	if len(in.Proposals) == 0 {
		return nil, nil, nil, &drafts.Error{Code: drafts.EINVALID, Message: "proposals: name at least one proposal", Fields: []drafts.FieldError{{Field: "proposals", Message: "required"}}}
	}
	if in.Base != d.Head {
		return nil, nil, nil, drafts.Errorf(drafts.ECONFLICT, "base version %d is not the head (version %d); start again from the head", in.Base, d.Head)
	}
	r := <-based
	head, err := r.v, r.err
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkResolutions(head, in.Resolutions, s.TextLimits); err != nil {
		return nil, nil, nil, err
	}
	return u, d, head, nil
}

// checkResolutions checks that each resolution names a provision of the
// head and gives it a text it may have ("" deletes it).
func checkResolutions(head *drafts.Version, resolutions map[string]string, lim drafts.Limits) error {
	for id, text := range resolutions {
		p, i := head.Provision(id)
		if i < 0 {
			return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("resolutions: no provision %q in the head", id),
				Fields: []drafts.FieldError{{Field: "resolutions." + id, Message: "no such provision"}}}
		}
		if strings.TrimSpace(text) == "" {
			continue // the compromise is to delete the provision
		}
		if err := drafts.CheckProvisionText(p.Number, text, lim); err != nil {
			return &drafts.Error{Code: drafts.EINVALID, Message: "resolutions." + id + ": " + drafts.ErrorMessage(err),
				Fields: []drafts.FieldError{{Field: "resolutions." + id, Message: drafts.ErrorMessage(err)}}}
		}
	}
	return nil
}

// mergeItems reads the proposals named (each once, by id or number,
// together; from listed, the document's proposals listed, if not nil) and returns each with its base text and its result on it;
// every one must be open. A sub-amendment and the proposal it amends are
// one item (mergeSet.pair). The set holds the proposals as stored. A
// proposal written in a language version merges by the chair's texts in
// the original language (translations; see mergeOperations).
func (s *Service) mergeItems(ctx context.Context, head *drafts.Version, names []string, listed <-chan keyPage, translations map[string]string, original string) ([]drafts.RebaseItem, *mergeSet, error) {
	var refs []string
	seen := map[string]bool{}
	for _, ref := range names {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		if !drafts.ValidID(ref) {
			return nil, nil, noProposal(ref)
		}
		refs = append(refs, ref)
	}
	read, err := s.readProposals(ctx, head.Document, refs, listed)
	if err != nil {
		return nil, nil, err
	}
	set := &mergeSet{read: map[string]*drafts.Proposal{}, pairs: map[string]*drafts.Proposal{}, name: func(p *drafts.Proposal) string { return s.proposalName(ctx, p) }}
	var ps []*drafts.Proposal
	for i, p := range read {
		if p == nil {
			return nil, nil, noProposal(refs[i])
		}
		if set.read[p.ID] != nil {
			continue // named by its id and its number
		}
		if err := p.CheckOpen(); err != nil {
			return nil, nil, err
		}
		set.read[p.ID] = p
		ps = append(ps, p)
	}
	if ps, err = set.pair(ps); err != nil {
		return nil, nil, err
	}
	bases := map[int]*drafts.Version{head.Number: head}
	var items []drafts.RebaseItem
	for _, p := range ps {
		base, ok := bases[p.Base]
		if !ok {
			if base, err = s.getVersion(ctx, head.Document, p.Base); err != nil {
				return nil, nil, err
			}
			bases[p.Base] = base
		}
		ops, err := mergeOperations(p, base, translations, original)
		if err != nil {
			return nil, nil, err
		}
		result, err := drafts.ApplyOperations(base.Provisions, ops, s.NewID, s.TextLimits)
		if err != nil {
			return nil, nil, drafts.WrapError(drafts.EINTERNAL, err, "proposal %s no longer applies to its base", p.ID)
		}
		items = append(items, drafts.RebaseItem{Proposal: p, Base: base.Provisions, Result: result})
	}
	return items, set, nil
}

// noProposal refuses a merge of a proposal that is not there.
func noProposal(id string) error {
	return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("proposals: no proposal %q", id), Fields: []drafts.FieldError{{Field: "proposals", Message: "no proposal " + id}}}
}

// checkRebase refuses a merge whose resolutions name a provision no
// merged proposal changes, or whose proposals collide.
func checkRebase(rb *drafts.RebaseResult, resolutions map[string]string) error {
	for id := range resolutions {
		if _, touched := rb.Touched[id]; !touched && len(rb.Collisions) == 0 {
			return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("resolutions: no proposal being merged changes provision %q", id),
				Fields: []drafts.FieldError{{Field: "resolutions." + id, Message: "not changed by the merged proposals"}}}
		}
	}
	if len(rb.Collisions) > 0 {
		return &drafts.Error{Code: drafts.ECONFLICT, Message: fmt.Sprintf("%d provision(s) have colliding changes; send resolutions with a compromise text for each", len(rb.Collisions)), Collisions: rb.Collisions}
	}
	return nil
}

// mergedVersion is the version a merge makes after head, by u, from the
// rebased items, and the result to report: which proposals it accepts,
// accepts modified, or finds obsolete.
// pairs are the proposals merged with a sub-amendment to them, by the
// sub-amendment's id: each accepted as modified by it.
func (s *Service) mergedVersion(u *drafts.User, d *drafts.Document, head *drafts.Version, items []drafts.RebaseItem, rb *drafts.RebaseResult, in drafts.MergeInput, pairs map[string]*drafts.Proposal) (*drafts.Version, *drafts.MergeResult) {
	out := &drafts.MergeResult{Accepted: []string{}, Modified: []string{}, Obsolete: rb.Obsolete}
	v := &drafts.Version{
		Document: d.ID, Number: head.Number + 1, Parent: head.Number, Author: u.ID, Delegation: u.Delegation,
		Message: in.Message, CreatedAt: s.now(), Merged: []string{}, Lead: head.Lead, Provisions: rb.Provisions,
		MergedETags: map[string]string{},
	}
	for _, it := range items {
		id := it.Proposal.ID
		if _, gone := rb.Obsolete[id]; gone {
			continue
		}
		v.Merged = append(v.Merged, id)
		v.MergedETags[id] = it.Proposal.ETag
		if rb.Modified[id] {
			out.Modified = append(out.Modified, id)
		} else {
			out.Accepted = append(out.Accepted, id)
		}
		if amended := pairs[id]; amended != nil {
			v.Merged = append(v.Merged, amended.ID)
			v.MergedETags[amended.ID] = amended.ETag
			out.Modified = append(out.Modified, amended.ID)
		}
	}
	v.Resolutions = slices.Sorted(maps.Keys(in.Resolutions))
	v.Attribution = attributions(rb.Touched, v.Resolutions, drafts.ChairName(d.Body))
	v.AcceptedModified, v.Obsolete = out.Modified, rb.Obsolete
	return v, out
}

// previewMerge completes the result of a merge that stores nothing: the
// version it would make and its diff from the head, attributed as the
// version's own diff will be.
func (s *Service) previewMerge(ctx context.Context, d *drafts.Document, head, v *drafts.Version, out *drafts.MergeResult, known map[string]*drafts.Proposal) (*drafts.MergeResult, error) {
	out.Version = v
	if err := s.heavy(ctx, func() error {
		out.Diff = s.Differ.Provisions(head.Provisions, v.Provisions)
		return nil
	}); err != nil {
		return nil, err
	}
	s.attributeVersions(ctx, out.Diff, []*drafts.Version{head, v}, d.Body, known)
	return out, nil
}

// keepHead returns resolutions with, for each collision, the head's
// text of its provision.
func keepHead(resolutions map[string]string, collisions []drafts.Collision) map[string]string {
	out := maps.Clone(resolutions)
	if out == nil {
		out = map[string]string{}
	}
	for _, c := range collisions {
		out[c.Provision] = c.HeadText
	}
	return out
}

// describeObsolete says why each proposal is obsolete.
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
	subs := map[string]bool{} // sub-amendments: after the proposals they amend
	for id, ps := range touched {
		if slices.Contains(resolved, id) {
			out = append(out, drafts.Attribution{Provision: id, Delegation: chair})
			continue
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if !seen[p.ID] {
				seen[p.ID] = true
				subs[p.ID] = p.Amends != ""
				out = append(out, drafts.Attribution{Provision: id, Proposal: p.ID, Delegation: p.Delegation})
			}
		}
	}
	// By provision, and a proposal before a sub-amendment to it: a word
	// both texts hold is the amended proposal's (versionStep.pick).
	sort.Slice(out, func(i, j int) bool {
		if out[i].Provision != out[j].Provision {
			return out[i].Provision < out[j].Provision
		}
		if subs[out[i].Proposal] != subs[out[j].Proposal] {
			return !subs[out[i].Proposal]
		}
		return out[i].Proposal < out[j].Proposal
	})
	return out
}
