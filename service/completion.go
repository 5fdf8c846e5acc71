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
// this request read already. It commits to tx (begun before the version
// was stored) entries, the version's own if any, with those of the
// proposals it settled, even when it fails: those it settled are stored.
// It returns the document and the obsolete proposals with the reasons.
//
// The events are chained while the head moves (commitMoving): the head
// moves only once every proposal is settled, since a document no longer
// pending is not completed again; the events need only the settlements'
// entries.
func (s *Service) completeVersion(ctx context.Context, tx *changeTx, v *drafts.Version, d *drafts.Document, known map[string]*drafts.Proposal, entries ...drafts.AuditEntry) (*drafts.Document, map[string]string, error) {
	// The delegations' names are listed only if a reason names a proposal
	// (a sub-amendment's): most versions settle without.
	names := sync.OnceValue(func() map[string]drafts.Delegation { return s.delegationNames(ctx) })
	name := func(p *drafts.Proposal) string { return p.Name("en", drafts.DelegationNamed(names(), p.Delegation)) }
	// The merged proposals this request read settle while the open
	// proposals are listed (settleAhead): the version, stored, is what
	// they settle by, and the listing is needed only for the others.
	ahead := s.settleAhead(ctx, v, known, name)
	// The summary is written while the language versions are kept in
	// step and the open proposals read: none depends on another.
	summed := make(chan error, 1)
	go func() { summed <- s.storeSummary(ctx, v) }()
	// Before the head moves: a reader of the new head finds it in every language.
	err := s.keepLanguagesInStep(ctx, v, d)
	// The open proposals, read once: to find those the version makes
	// obsolete, and as the first attempt of settling them (and the merged
	// ones not settled ahead).
	// Listed after the version is stored, so that a proposal stored
	// before it is found.
	var open []*drafts.Proposal
	if err == nil {
		open, err = s.allProposalsKnown(ctx, v.Document, drafts.ProposalFilter{Status: drafts.ProposalOpen}, known)
	}
	if serr := <-summed; err == nil {
		err = serr
	}
	done := <-ahead
	if err != nil {
		return nil, nil, s.commitFailed(ctx, tx, err, append(entries, done.entries()...))
	}
	obsolete := obsoletedBy(v, open, name)
	settledEntries, err := s.settleMergedProposals(ctx, v, open, obsolete, name, done)
	entries = append(entries, settledEntries...)
	if err != nil {
		return nil, nil, s.commitFailed(ctx, tx, err, entries)
	}
	if d, err = s.commitMoving(ctx, tx, v, d, entries); err != nil {
		return nil, nil, err
	}
	return d, obsolete, nil
}

// commitFailed commits entries to tx, changes stored by a request that
// failed with err, and returns err.
func (s *Service) commitFailed(ctx context.Context, tx *changeTx, err error, entries []drafts.AuditEntry) error {
	s.commitChange(ctx, tx, entries...) // a failure marks the trail for completion; the request's error is err
	return err
}

// commitMoving commits entries to tx while the document's head moves to
// v (moveHead), and returns the document, or the first error: the head
// move's, else the commit's. The two are independent writes: a crash
// between them leaves either the head moved and the events owed (the
// completion at the next start writes them, as after any change stored
// and not acknowledged) or the events written and the version pending
// (the next reader of the document moves the head, settling nothing
// twice); the request is acknowledged only once both are done.
func (s *Service) commitMoving(ctx context.Context, tx *changeTx, v *drafts.Version, d *drafts.Document, entries []drafts.AuditEntry) (*drafts.Document, error) {
	type move struct {
		d   *drafts.Document
		err error
	}
	moved := make(chan move, 1)
	go func() {
		nd, err := s.moveHead(ctx, v, d)
		moved <- move{nd, err}
	}()
	cerr := s.commitChange(ctx, tx, entries...)
	m := <-moved
	if m.err != nil {
		return nil, m.err
	}
	return m.d, cerr
}

// completeOthers completes a version another request stored and did not
// complete (it failed, or is still at it), committing the settlements it
// makes; the version's own event is that request's, or completion's.
func (s *Service) completeOthers(ctx context.Context, v *drafts.Version, d *drafts.Document) (*drafts.Document, error) {
	tx, err := s.beginChange(ctx, v.Document)
	if err != nil {
		return nil, err
	}
	nd, _, err := s.completeVersion(ctx, tx, v, d, nil)
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

// settled is a settlement made, with the entries it added or its error.
type settled struct {
	job   settlement
	added []drafts.AuditEntry
	err   error
}

// settledAhead are the settlements settleAhead made, in the order of
// v.Merged.
type settledAhead []settled

// entries returns the entries of the settlements made, in order.
func (a settledAhead) entries() []drafts.AuditEntry {
	var out []drafts.AuditEntry
	for _, r := range a {
		out = append(out, r.added...)
	}
	return out
}

// settleAhead settles, in the background, the proposals v merged that
// this request read (known, as they were read: the first attempt of each
// update, on a copy), as settleMergedProposals would. The proposals it
// amends or merges do not depend on the open proposals' listing: only
// the obsolete ones do, which settleMergedProposals settles after it.
func (s *Service) settleAhead(ctx context.Context, v *drafts.Version, known map[string]*drafts.Proposal, name func(*drafts.Proposal) string) <-chan settledAhead {
	out := make(chan settledAhead, 1)
	first := map[string]*drafts.Proposal{}
	for _, id := range v.Merged {
		if p := known[id]; p != nil {
			first[id] = cloneProposal(p)
		}
	}
	if len(first) == 0 {
		out <- nil
		return out
	}
	go func() {
		var jobs []settlement
		for _, j := range mergedSettlements(v, first, name) {
			if first[j.id] != nil {
				jobs = append(jobs, j)
			}
		}
		out <- s.settleAll(ctx, v, first, jobs)
	}()
	return out
}

// mergedSettlements are the settlements of the proposals v merged, in
// order: each accepted, or accepted-modified when a resolution replaced
// its text; a proposal merged with a sub-amendment to it says so. byID
// holds the merged proposals as read.
func mergedSettlements(v *drafts.Version, byID map[string]*drafts.Proposal, name func(*drafts.Proposal) string) []settlement {
	amendedBy := map[string]string{}
	for _, id := range v.Merged {
		if p := byID[id]; p != nil && p.Amends != "" {
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
	return jobs
}

// settleMergedProposals makes the proposals v merged accepted (or
// accepted-modified, when a resolution replaced their text or they were
// edited while the merge ran), and those in obsolete obsolete. The
// proposals settle side by side (each is its own object, with its entry);
// it returns their entries in order, to be committed in one batch, with
// the first error. open are the open proposals as read, the first attempt
// of each update; ahead, those settleAhead settled already.
func (s *Service) settleMergedProposals(ctx context.Context, v *drafts.Version, open []*drafts.Proposal, obsolete map[string]string, name func(*drafts.Proposal) string, ahead settledAhead) ([]drafts.AuditEntry, error) {
	openByID := map[string]*drafts.Proposal{}
	for _, p := range open {
		openByID[p.ID] = p
	}
	jobs := mergedSettlements(v, openByID, name)
	for _, id := range slices.Sorted(maps.Keys(obsolete)) {
		jobs = append(jobs, settlement{id, drafts.ProposalObsolete, obsolete[id]})
	}
	aheadByID := make(map[string]settled, len(ahead))
	for _, r := range ahead {
		aheadByID[r.job.id] = r
	}
	// Those settled ahead as they would be now are not settled again.
	var rest []settlement
	for _, j := range jobs {
		if r, ok := aheadByID[j.id]; !ok || r.job != j {
			rest = append(rest, j)
		}
	}
	results := s.settleAll(ctx, v, openByID, rest)
	byJob := map[settlement]settled{}
	for _, r := range results {
		byJob[r.job] = r
	}
	// Every entry settleAhead added is committed, also when its
	// settlement was made again (which then adds none: the proposal is
	// no longer open), in the order of jobs.
	var entries []drafts.AuditEntry
	var first error
	add := func(r settled) {
		entries = append(entries, r.added...)
		if first == nil {
			first = r.err
		}
	}
	used := map[string]bool{}
	for _, j := range jobs {
		if r, ok := aheadByID[j.id]; ok {
			used[j.id] = true
			add(r)
		}
		if r, ok := byJob[j]; ok {
			add(r)
		}
	}
	for _, r := range ahead {
		if !used[r.job.id] {
			add(r)
		}
	}
	return entries, first
}

// settleAll makes the settlements jobs side by side, the first attempt of
// each with the proposal of first (if any), and returns what each did.
func (s *Service) settleAll(ctx context.Context, v *drafts.Version, first map[string]*drafts.Proposal, jobs []settlement) []settled {
	out := make([]settled, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, settleParallelism)
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			added, err := s.settleProposal(ctx, v, first[j.id], j)
			out[i] = settled{job: j, added: added, err: err}
		}()
	}
	wg.Wait()
	return out
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
