package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"chancery/drafts"
)

// This file is where proposals become accepted, accepted-modified or
// obsolete: settleMergedProposals, run by completeVersion after every new
// version (a merge, a chair's revision, a renumbering), which also keeps
// the language versions in step (translations_step.go).

// completeVersion does what follows the creation of a version, so that it
// can be done again after a failure: the proposals it merged become
// accepted (or accepted-modified), those it made impossible obsolete, with
// open proposals on provisions it deleted; the document's head moves to it.
// Each step changes only what is not done yet. d, when not nil, is the
// document as this request last read or wrote it; known are proposals
// this request read already. It returns the document, the obsolete
// proposals with the reasons, and the audit entries of the proposals it
// settled, which the caller commits (it began its change before calling),
// even when it returns an error: those it settled are stored.
func (s *Service) completeVersion(ctx context.Context, v *drafts.Version, d *drafts.Document, known map[string]*drafts.Proposal) (*drafts.Document, map[string]string, []drafts.AuditEntry, error) {
	// The summary is written while the language versions are kept in
	// step and the open proposals read: none depends on another.
	summed := make(chan error, 1)
	go func() { summed <- s.storeSummary(ctx, v) }()
	// Before the head moves: a reader of the new head finds it in every language.
	err := s.keepLanguagesInStep(ctx, v, d)
	// The open proposals, read once: to find those the version makes
	// obsolete, and as the first attempt of settling the merged ones.
	// Listed after the version is stored, so that a proposal stored
	// before it is found.
	var open []*drafts.Proposal
	if err == nil {
		open, err = s.allProposalsKnown(ctx, v.Document, drafts.ProposalFilter{Status: drafts.ProposalOpen}, known)
	}
	if serr := <-summed; err == nil {
		err = serr
	}
	if err != nil {
		return nil, nil, nil, err
	}
	// The delegations' names are listed only if a reason names a proposal
	// (a sub-amendment's): most versions settle without.
	names := sync.OnceValue(func() map[string]drafts.Delegation { return s.delegationNames(ctx) })
	name := func(p *drafts.Proposal) string { return p.Name("en", drafts.DelegationNamed(names(), p.Delegation)) }
	obsolete := obsoletedBy(v, open, name)
	entries, err := s.settleMergedProposals(ctx, v, open, obsolete, name)
	if err != nil {
		return nil, nil, entries, err
	}
	if d, err = s.moveHead(ctx, v, d); err != nil {
		return nil, nil, entries, err
	}
	return d, obsolete, entries, nil
}

// completeOthers completes a version another request stored and did not
// complete (it failed, or is still at it), committing the settlements it
// makes; the version's own event is that request's, or completion's.
func (s *Service) completeOthers(ctx context.Context, v *drafts.Version, d *drafts.Document) (*drafts.Document, error) {
	tx, err := s.beginChange(ctx, v.Document)
	if err != nil {
		return nil, err
	}
	nd, _, entries, err := s.completeVersion(ctx, v, d, nil)
	if cerr := s.commitChange(ctx, tx, entries...); err == nil {
		err = cerr
	}
	return nd, err
}

// obsoletedBy returns the proposals v makes obsolete, with the reasons:
// those its merge found impossible, the open proposals it did not merge
// that touch a provision it no longer has, and the open sub-amendments it
// did not merge whose amended proposal it merged without them, made
// obsolete, or found no longer open. name names a proposal in reasons.
func obsoletedBy(v *drafts.Version, open []*drafts.Proposal, name func(*drafts.Proposal) string) map[string]string {
	obsolete := maps.Clone(v.Obsolete)
	if obsolete == nil {
		obsolete = map[string]string{}
	}
	byID := map[string]*drafts.Proposal{}
	for _, p := range open {
		byID[p.ID] = p
	}
	for _, p := range open {
		if slices.Contains(v.Merged, p.ID) {
			continue
		}
		touches := p.Touches()
		if amended, ok := byID[p.Amends]; ok {
			touches = drafts.Combine(amended, p).Touches()
		}
		for _, id := range touches {
			if _, i := v.Provision(id); i < 0 {
				obsolete[p.ID] = fmt.Sprintf("provision %s was deleted by version %d", id, v.Number)
				break
			}
		}
	}
	for _, p := range open {
		if p.Amends == "" || slices.Contains(v.Merged, p.ID) {
			continue
		}
		amended, ok := byID[p.Amends]
		switch {
		case !ok:
			obsolete[p.ID] = fmt.Sprintf("Proposal %d, which it amends, is no longer open", p.AmendsNumber)
		case slices.Contains(v.Merged, amended.ID):
			obsolete[p.ID] = fmt.Sprintf("%s, which it amends, was merged into version %d without it", name(amended), v.Number)
		case obsolete[amended.ID] != "":
			obsolete[p.ID] = fmt.Sprintf("%s, which it amends, became obsolete: %s", name(amended), obsolete[amended.ID])
		}
	}
	return obsolete
}

// settlement is what becomes of one proposal when a version is made.
type settlement struct{ id, status, reason string }

// settleMergedProposals makes the proposals v merged accepted (or
// accepted-modified, when a resolution replaced their text or they were
// edited while the merge ran), and those in obsolete obsolete. The
// proposals settle side by side (each is its own object, with its entry);
// it returns their entries in order, to be committed in one batch, with
// the first error. open are the open proposals as read, the first attempt
// of each update.
func (s *Service) settleMergedProposals(ctx context.Context, v *drafts.Version, open []*drafts.Proposal, obsolete map[string]string, name func(*drafts.Proposal) string) ([]drafts.AuditEntry, error) {
	openByID := map[string]*drafts.Proposal{}
	for _, p := range open {
		openByID[p.ID] = p
	}
	// A proposal merged with a sub-amendment to it says so.
	amendedBy := map[string]string{}
	for _, id := range v.Merged {
		if p := openByID[id]; p != nil && p.Amends != "" {
			amendedBy[p.Amends] = "merged as amended by " + name(p)
		}
	}
	var jobs []settlement
	for _, id := range v.Merged {
		status := drafts.ProposalAccepted
		if slices.Contains(v.AcceptedModified, id) {
			status = drafts.ProposalAcceptedModified
		}
		jobs = append(jobs, settlement{id, status, amendedBy[id]})
	}
	for _, id := range slices.Sorted(maps.Keys(obsolete)) {
		jobs = append(jobs, settlement{id, drafts.ProposalObsolete, obsolete[id]})
	}
	added := make([][]drafts.AuditEntry, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, settleParallelism)
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			added[i], errs[i] = s.settleProposal(ctx, v, openByID[j.id], j)
		}()
	}
	wg.Wait()
	var entries []drafts.AuditEntry
	for _, a := range added {
		entries = append(entries, a...)
	}
	for _, err := range errs {
		if err != nil {
			return entries, err
		}
	}
	return entries, nil
}

// settleParallelism is how many proposals settle at once: a merge of a
// meeting's proposals (one or two per delegation) in one round trip.
const settleParallelism = 64

// settleProposal gives one proposal its status after version v (first,
// when not nil, is the proposal as read) and returns the audit entry of
// the change, none when it had it already.
func (s *Service) settleProposal(ctx context.Context, v *drafts.Version, first *drafts.Proposal, j settlement) ([]drafts.AuditEntry, error) {
	// The settlement is the act of the version's author (the chair who
	// merged), whoever completes it.
	by := drafts.NewContextWithUser(ctx, &drafts.User{ID: v.Author, Delegation: v.Delegation})
	_, added, err := s.rmwProposal(ctx, v.Document, j.id, first, nil, "", func(p *drafts.Proposal) error {
		status, reason := j.status, j.reason
		if p.Status == drafts.ProposalWithdrawn && status != drafts.ProposalObsolete && p.MergedInto == 0 {
			// Withdrawn while the merge ran: it stays withdrawn, but says
			// that the version holds its text.
			reason = fmt.Sprintf("withdrawn while being merged; version %d holds its text", v.Number)
			p.Reason, p.MergedInto = reason, v.Number
			s.addProposalEntry(by, p, "proposal.merged-while-withdrawn", reason)
			return nil
		}
		if p.Status != drafts.ProposalOpen {
			return errUnchanged
		}
		if read, ok := v.MergedETags[j.id]; ok && read != p.ETag && status != drafts.ProposalObsolete {
			// Edited while the merge ran: the version holds it as it was read.
			status = drafts.ProposalAcceptedModified
			reason = fmt.Sprintf("edited while being merged; version %d holds the proposal as it was before the edit", v.Number)
		}
		p.Status, p.Reason, p.ClosedAt = status, reason, &v.CreatedAt
		if status != drafts.ProposalObsolete {
			p.MergedInto = v.Number
		}
		s.addProposalEntry(by, p, "proposal."+status, reason)
		return nil
	})
	return added, err
}

// moveHead moves the document's head to v (and its state from drafting to
// negotiation) unless it is there already, and forgets v as pending. d,
// when not nil, is the document as this request last read or wrote it.
func (s *Service) moveHead(ctx context.Context, v *drafts.Version, d *drafts.Document) (*drafts.Document, error) {
	move := func(d *drafts.Document) error {
		changed := false
		if d.Head < v.Number {
			d.Head, changed = v.Number, true
		}
		if d.Pending != 0 && d.Pending <= d.Head {
			d.Pending, changed = 0, true
		}
		if d.State == drafts.StateDrafting {
			d.State, changed = drafts.StateNegotiation, true
		}
		if !changed {
			return errUnchanged
		}
		return nil
	}
	if d != nil {
		return s.updateDocumentFrom(ctx, d, move)
	}
	return s.updateDocument(ctx, v.Document, move)
}
