package drafts

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Attribution says who changed a provision in a version: a merged
// proposal and its delegation, or, for a compromise the chair set when
// merging (Version.Resolutions), the chair: Proposal "" and Delegation
// ChairName(body). A compromise is never credited to the delegations
// whose proposals it replaced.
type Attribution struct {
	Provision  string `json:"provision"`
	Proposal   string `json:"proposal"`
	Delegation string `json:"delegation"`
}

// rebaseItem is one proposal to rebase: its base text and its result.
type rebaseItem struct {
	p      *Proposal
	base   []Provision
	result []Provision
}

// rebaseResult is the outcome of rebasing proposals onto a head.
type rebaseResult struct {
	Provisions []Provision
	Collisions []Collision
	// Obsolete proposals could not apply: a provision they change is gone.
	Obsolete map[string]string
	// Modified proposals had their text replaced by a resolution.
	Modified map[string]bool
	// Touched lists, per provision id, the proposals that changed it.
	Touched map[string][]*Proposal
}

// side is one proposal's change to one provision.
type side struct {
	p      *Proposal
	change Change
}

// rebase merges proposals onto head, provision by provision: each
// proposal's change to a provision is merged three-way (its base, the text
// so far, its text); overlapping changes are collisions unless resolutions
// give the provision's text. Inserted and moved provisions go after the
// provision they follow in the proposal, or the nearest one before it that
// still exists.
func (s *Service) rebase(head []Provision, items []rebaseItem, resolutions map[string]string) *rebaseResult {
	return rebase(s.Differ, head, items, resolutions)
}

// rebase is Service.rebase with its Differ: a pure function.
func rebase(differ Differ, head []Provision, items []rebaseItem, resolutions map[string]string) *rebaseResult {
	res := &rebaseResult{Obsolete: map[string]string{}, Modified: map[string]bool{}, Touched: map[string][]*Proposal{}}
	acc := make([]Provision, len(head))
	copy(acc, head)
	ending := ""
	if len(acc) > 0 {
		ending = acc[len(acc)-1].Gap
	}
	index := func(id string) int {
		for i := range acc {
			if acc[i].ID == id {
				return i
			}
		}
		return -1
	}
	diffs := make([]*Diff, len(items))
	var order []string
	sides := map[string][]side{}
	for i, it := range items {
		diffs[i] = differ.Provisions(it.base, it.result)
		for _, c := range diffs[i].Changes {
			if c.Kind == ChangeDeleted || c.Modified || c.Renumbered {
				if _, ok := sides[c.Provision]; !ok {
					order = append(order, c.Provision)
				}
				sides[c.Provision] = append(sides[c.Provision], side{it.p, c})
			}
		}
	}
	// A proposal that changes a provision the head no longer has is obsolete.
	for _, id := range order {
		if index(id) >= 0 {
			continue
		}
		for _, sd := range sides[id] {
			res.Obsolete[sd.p.ID] = fmt.Sprintf("provision %s was deleted", id)
		}
	}
	live := func(p *Proposal) bool { _, gone := res.Obsolete[p.ID]; return !gone }

	deleted := map[string]bool{}
	for _, id := range order {
		i := index(id)
		if i < 0 {
			continue
		}
		var ss []side
		for _, sd := range sides[id] {
			if live(sd.p) {
				ss = append(ss, sd)
				res.Touched[id] = append(res.Touched[id], sd.p)
			}
		}
		if len(ss) == 0 {
			continue
		}
		if text, ok := resolutions[id]; ok {
			for _, sd := range ss {
				if sd.change.Kind == ChangeDeleted || sd.change.Text != text {
					res.Modified[sd.p.ID] = true
				}
			}
			if strings.TrimSpace(text) == "" {
				deleted[id] = true
			} else {
				acc[i].Text = text
			}
			continue
		}
		cur := acc[i]
		text, number, del, ok := cur.Text, cur.Number, false, true
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
					merged, clean := differ.Merge3(c.OldText, text, c.Text)
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
		if !ok {
			col := Collision{Provision: id, Number: cur.Number, BaseText: ss[0].change.OldText, HeadText: cur.Text}
			for _, sd := range ss {
				col.Proposals = append(col.Proposals, CollisionSide{
					ID: sd.p.ID, Delegation: sd.p.Delegation, Text: sd.change.Text, Deleted: sd.change.Kind == ChangeDeleted,
				})
			}
			res.Collisions = append(res.Collisions, col)
			continue
		}
		if del {
			deleted[id] = true
			continue
		}
		acc[i].Text, acc[i].Number = text, number
	}
	if len(res.Collisions) > 0 {
		return res
	}
	// Structure: inserted and moved provisions, in each proposal's order.
	for k, it := range items {
		if !live(it.p) {
			continue
		}
		// The proposal's own order, to find a predecessor that still exists.
		pos := map[string]int{}
		for i, p := range it.result {
			pos[p.ID] = i
		}
		place := func(id string) int {
			for j := pos[id] - 1; j >= 0; j-- {
				if i := index(it.result[j].ID); i >= 0 {
					return i + 1
				}
			}
			return 0
		}
		for _, c := range diffs[k].Changes {
			switch {
			case c.Kind == ChangeInserted:
				p, _ := provisionByID(it.result, c.Provision)
				p.Status = ""
				at := place(c.Provision)
				acc = append(acc[:at], append([]Provision{p}, acc[at:]...)...)
				res.Touched[c.Provision] = append(res.Touched[c.Provision], it.p)
			case c.Moved && c.Kind != ChangeDeleted:
				i := index(c.Provision)
				if i < 0 {
					continue
				}
				p := acc[i]
				acc = append(acc[:i], acc[i+1:]...)
				at := place(c.Provision)
				acc = append(acc[:at], append([]Provision{p}, acc[at:]...)...)
				res.Touched[c.Provision] = append(res.Touched[c.Provision], it.p)
			}
		}
	}
	out := acc[:0]
	for _, p := range acc {
		if !deleted[p.ID] {
			out = append(out, p)
		}
	}
	FixGaps(out, ending)
	setKinds(out)
	res.Provisions = out
	return res
}

func provisionByID(ps []Provision, id string) (Provision, int) {
	for i, p := range ps {
		if p.ID == id {
			return p, i
		}
	}
	return Provision{}, -1
}

// MergeInput is a chair's merge request.
type MergeInput struct {
	Base        int
	Proposals   []string
	Resolutions map[string]string
	Message     string
	// Preview checks the merge and returns the version it would make,
	// without storing anything or changing any proposal.
	Preview bool
}

// MergeResult is the new version and what happened to each proposal.
type MergeResult struct {
	Version  *Version          `json:"version"`
	Accepted []string          `json:"accepted"`
	Modified []string          `json:"accepted_modified"`
	Obsolete map[string]string `json:"obsolete"`
	// Diff, for a preview only, is the tracked diff from the head to the
	// version the merge would make, attributed as the version's own diff
	// will be (VersionDiff): each change to the delegation whose proposal
	// made it, a compromise to the chair.
	Diff *Diff `json:"diff,omitempty"`
}

// Merge merges open proposals onto the head (which must be in.Base) as a
// new version. A proposal on an older base is rebased per provision.
// Overlapping changes without a resolution are an ECONFLICT error listing
// the collisions, and nothing changes. Of concurrent merges onto one head
// exactly one succeeds; the others are ECONFLICT.
func (s *Service) Merge(ctx context.Context, doc string, in MergeInput) (*MergeResult, error) {
	u, d, err := s.changeableDocument(ctx, doc, ActMerge, true)
	if err != nil {
		return nil, err
	}
	if err := CheckNote("message", in.Message, 2000, false); err != nil {
		return nil, err
	}
	if len(in.Proposals) == 0 {
		return nil, &Error{Code: EINVALID, Message: "proposals: name at least one proposal", Fields: []FieldError{{Field: "proposals", Message: "required"}}}
	}
	if in.Base != d.Head {
		return nil, Errorf(ECONFLICT, "base version %d is not the head (version %d); start again from the head", in.Base, d.Head)
	}
	head, err := s.getVersion(ctx, doc, d.Head)
	if err != nil {
		return nil, err
	}
	for id, text := range in.Resolutions {
		p, i := head.Provision(id)
		if i < 0 {
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("resolutions: no provision %q in the head", id),
				Fields: []FieldError{{Field: "resolutions." + id, Message: "no such provision"}}}
		}
		if strings.TrimSpace(text) == "" {
			continue // the compromise is to delete the provision
		}
		if err := CheckProvisionText(p.Number, text, s.Limits); err != nil {
			return nil, &Error{Code: EINVALID, Message: "resolutions." + id + ": " + ErrorMessage(err),
				Fields: []FieldError{{Field: "resolutions." + id, Message: ErrorMessage(err)}}}
		}
	}
	bases := map[int]*Version{d.Head: head}
	var items []rebaseItem
	// The proposals, read together.
	var ids []string
	seen := map[string]bool{}
	for _, id := range in.Proposals {
		if seen[id] {
			continue
		}
		seen[id] = true
		if !validID(id) {
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("proposals: no proposal %q", id), Fields: []FieldError{{Field: "proposals", Message: "no proposal " + id}}}
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
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("proposals: no proposal %q", id), Fields: []FieldError{{Field: "proposals", Message: "no proposal " + id}}}
		}
		if err := p.mustBeOpen(); err != nil {
			return nil, err
		}
		base, ok := bases[p.Base]
		if !ok {
			if base, err = s.getVersion(ctx, doc, p.Base); err != nil {
				return nil, err
			}
			bases[p.Base] = base
		}
		result, err := ApplyOperations(base.Provisions, p.Operations, s.NewID, s.Limits)
		if err != nil {
			return nil, WrapError(EINTERNAL, err, "proposal %s no longer applies to its base", p.ID)
		}
		items = append(items, rebaseItem{p: p, base: base.Provisions, result: result})
	}
	rb := s.rebase(head.Provisions, items, in.Resolutions)
	for id := range in.Resolutions {
		if _, touched := rb.Touched[id]; !touched && len(rb.Collisions) == 0 {
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("resolutions: no proposal being merged changes provision %q", id),
				Fields: []FieldError{{Field: "resolutions." + id, Message: "not changed by the merged proposals"}}}
		}
	}
	if len(rb.Collisions) > 0 {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("%d provision(s) have colliding changes; send resolutions with a compromise text for each", len(rb.Collisions)), Collisions: rb.Collisions}
	}
	out := &MergeResult{Accepted: []string{}, Modified: []string{}, Obsolete: rb.Obsolete}
	v := &Version{
		Document: doc, Number: head.Number + 1, Parent: head.Number, Author: u.ID, Delegation: u.Delegation,
		Message: in.Message, CreatedAt: s.now(), Merged: []string{}, Lead: head.Lead, Provisions: rb.Provisions,
		MergedETags: map[string]string{},
	}
	for _, it := range items {
		if _, gone := rb.Obsolete[it.p.ID]; gone {
			continue
		}
		v.Merged = append(v.Merged, it.p.ID)
		v.MergedETags[it.p.ID] = it.p.ETag
		if rb.Modified[it.p.ID] {
			out.Modified = append(out.Modified, it.p.ID)
		} else {
			out.Accepted = append(out.Accepted, it.p.ID)
		}
	}
	for id := range in.Resolutions {
		v.Resolutions = append(v.Resolutions, id)
	}
	sort.Strings(v.Resolutions)
	v.Attribution = attributions(rb.Touched, v.Resolutions, ChairName(d.Body))
	v.AcceptedModified, v.Obsolete = out.Modified, rb.Obsolete
	if len(v.Merged) == 0 {
		return nil, Errorf(ECONFLICT, "none of the proposals can be merged: %s", describeObsolete(rb.Obsolete))
	}
	if in.Preview {
		out.Version = v
		known := map[string]*Proposal{}
		for _, it := range items {
			known[it.p.ID] = it.p
		}
		if err := s.heavy(ctx, func() error {
			out.Diff = s.Differ.Provisions(head.Provisions, v.Provisions)
			return nil
		}); err != nil {
			return nil, err
		}
		s.attributeVersions(ctx, out.Diff, []*Version{head, v}, d.Body, known)
		return out, nil
	}
	nd, err := s.storeVersion(ctx, d, head, v)
	if err != nil {
		return nil, err
	}
	s.recordChange(ctx, doc, fmt.Sprintf("version/%d", v.Number), "merge", fmt.Sprint(v.Number), strings.Join(v.Merged, ","))
	// The merged proposals as read: completing the version reads no
	// proposal twice (a write with a stale copy fails and reads again).
	known := map[string]*Proposal{}
	for _, it := range items {
		known[it.p.ID] = it.p
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
func attributions(touched map[string][]*Proposal, resolved []string, chair string) []Attribution {
	var out []Attribution
	for id, ps := range touched {
		if slices.Contains(resolved, id) {
			out = append(out, Attribution{Provision: id, Delegation: chair})
			continue
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, Attribution{Provision: id, Proposal: p.ID, Delegation: p.Delegation})
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
func attribute(d *Diff, touched map[string][]*Proposal, all []*Proposal) {
	for i := range d.Changes {
		c := &d.Changes[i]
		if c.Kind == ChangeUnchanged {
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
			if !contains(c.Proposals, p.ID) {
				c.Proposals = append(c.Proposals, p.ID)
			}
			if !contains(c.Delegations, p.Delegation) {
				c.Delegations = append(c.Delegations, p.Delegation)
			}
		}
		sort.Strings(c.Delegations)
		for j := range c.Segments {
			sg := &c.Segments[j]
			if sg.Op == SegEqual {
				continue
			}
			if len(c.Delegations) == 1 {
				sg.Delegation, sg.Proposal = c.Delegations[0], c.Proposals[0]
				continue
			}
			// Several delegations changed this provision: credit the one whose
			// proposed text holds the inserted words, or lacks the deleted ones.
			for _, p := range ps {
				if text, ok := p.proposedText(c.Provision); ok && strings.Contains(text, sg.Text) == (sg.Op == SegInsert) {
					sg.Delegation, sg.Proposal = p.Delegation, p.ID
					break
				}
			}
		}
	}
}

// proposedText returns the text a proposal gives a provision by replace.
func (p *Proposal) proposedText(id string) (string, bool) {
	text, ok := "", false
	for _, o := range p.Operations {
		if o.Op == OpReplace && o.Provision == id {
			text, ok = o.Text, true
		}
	}
	return text, ok
}

// VersionDiff returns the tracked diff from version m to version n of a
// document, each change attributed to whoever made it in between: the
// delegation whose merged proposal made it, or the chair (ChairName) for a
// chair's revised version or compromise (see attributeVersions).
// EINVALID if m < 1 (version 1 against its predecessor).
func (s *Service) VersionDiff(ctx context.Context, doc string, n, m int) (*Diff, *Version, *Version, error) {
	_, d, err := s.documentFor(ctx, doc, ActDocumentRead)
	if err != nil {
		return nil, nil, nil, err
	}
	if m < 1 {
		return nil, nil, nil, &Error{Code: EINVALID, Message: fmt.Sprintf("against: version %d has no predecessor; give ?against=", n),
			Fields: []FieldError{{Field: "against", Message: "required"}}}
	}
	return s.versionDiff(ctx, d, n, m)
}

// versionDiff is VersionDiff on a document already checked and read.
// Versions are immutable, and so is their diff: it is computed once per
// process (one computation for concurrent callers, inside the work limit)
// and kept in the cache of immutable objects. The diff returned is shared:
// read only.
func (s *Service) versionDiff(ctx context.Context, dd *Document, n, m int) (*Diff, *Version, *Version, error) {
	doc := dd.ID
	to, err := s.getVersion(ctx, doc, n)
	if err != nil {
		return nil, nil, nil, err
	}
	from, err := s.getVersion(ctx, doc, m)
	if err != nil {
		return nil, nil, nil, err
	}
	key := fmt.Sprintf("diff/%s/%d/%d", doc, n, m)
	if d, ok := s.immutable().get(key); ok {
		return d.(*Diff), from, to, nil
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
	return d.(*Diff), from, to, nil
}

// computeVersionDiff diffs two versions and attributes each change to the
// proposals merged between them.
func (s *Service) computeVersionDiff(ctx context.Context, dd *Document, from, to *Version) (*Diff, error) {
	var d *Diff
	if err := s.heavy(ctx, func() error {
		d = s.Differ.Provisions(from.Provisions, to.Provisions)
		return nil
	}); err != nil {
		return nil, err
	}
	if m, n := from.Number, to.Number; m < n {
		versions := []*Version{from}
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
