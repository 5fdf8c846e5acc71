package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// Sub-amendments (amendments to an open proposal, one level deep) and
// oral proposals (recorded by the chair, credited to a delegation). A
// sub-amendment is stored with its own replacements only; wherever it is
// diffed, compiled or merged, drafts.Combine makes of it and the proposal
// it amends the proposal to the text it amounts to (effective). It becomes
// obsolete when the proposal it amends is withdrawn, rejected, merged
// without it, or edited so that it no longer gives the texts it replaces
// (settleSubAmendments here, obsoletedBy in completion.go).

// amendsInvalid is the EINVALID error of the field amends.
func amendsInvalid(msg string) error {
	return &drafts.Error{Code: drafts.EINVALID, Message: "amends: " + msg, Fields: []drafts.FieldError{{Field: "amends", Message: msg}}}
}

// oralDelegation checks the fields of an oral proposal the chair records
// and returns the delegation it is credited to: a member delegation.
func (s *Service) oralDelegation(ctx context.Context, in drafts.ProposalInput) (string, error) {
	invalid := func(field, msg string) error {
		return &drafts.Error{Code: drafts.EINVALID, Message: field + ": " + msg, Fields: []drafts.FieldError{{Field: field, Message: msg}}}
	}
	if in.Source != drafts.SourceOral {
		return "", invalid("source", `must be "oral": the chair records on behalf of a delegation a proposal it made aloud in the meeting`)
	}
	if in.OnBehalfOf == "" {
		return "", invalid("on_behalf_of", "required: the delegation that made the proposal orally (e.g. KZ)")
	}
	del, err := s.getDelegation(ctx, in.OnBehalfOf)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return "", invalid("on_behalf_of", fmt.Sprintf("no delegation %q", in.OnBehalfOf))
	}
	if err != nil {
		return "", err
	}
	if del.Status != drafts.StatusMember {
		return "", invalid("on_behalf_of", fmt.Sprintf("%s is an observer delegation; only member delegations make proposals", del.NameIn("en")))
	}
	return del.ID, nil
}

// subAmendmentOperations checks the input of a sub-amendment by
// delegation and returns the proposal it amends and its operations.
func (s *Service) subAmendmentOperations(ctx context.Context, d *drafts.Document, in drafts.ProposalInput, delegation string) (*drafts.Proposal, []drafts.Operation, error) {
	if err := drafts.ValidateProposalInput(in.Justification, in.Operations, in.Text); err != nil {
		return nil, nil, err
	}
	if in.Text != "" {
		return nil, nil, &drafts.Error{Code: drafts.EINVALID,
			Message: `text: a sub-amendment gives operations, {"op": "replace", "provision", "text"} for each provision whose text it changes`,
			Fields:  []drafts.FieldError{{Field: "text", Message: "not for a sub-amendment"}}}
	}
	amended, err := s.readProposal(ctx, d.ID, in.Amends)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, nil, amendsInvalid(fmt.Sprintf("no proposal %s", in.Amends))
	}
	if err == nil {
		amended, err = s.numberedOne(ctx, amended)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := drafts.CheckAmendable(amended); err != nil {
		return nil, nil, err
	}
	if amended.Delegation == delegation {
		return nil, nil, amendsInvalid(fmt.Sprintf("%s is the delegation's own proposal: edit it rather than amend it", s.proposalName(ctx, amended)))
	}
	if in.Base != 0 && in.Base != amended.Base {
		return nil, nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("base: a sub-amendment is on the base of the proposal it amends, version %d", amended.Base),
			Fields: []drafts.FieldError{{Field: "base", Message: "leave it out, or give the amended proposal's base"}}}
	}
	base, amendable, err := s.amendable(ctx, amended)
	if err != nil {
		return nil, nil, err
	}
	ops := make([]drafts.Operation, len(in.Operations))
	for i, o := range in.Operations {
		o.ID = ""
		ops[i] = o
	}
	if err := drafts.CheckSubAmendment(amended, base, amendable, ops, s.TextLimits); err != nil {
		return nil, nil, err
	}
	return amended, ops, nil
}

// amendable returns the provisions of p's base, and those whose texts a
// sub-amendment to p may replace: those p writes
// (drafts.AmendableProvisions).
func (s *Service) amendable(ctx context.Context, p *drafts.Proposal) (base, amendable []drafts.Provision, err error) {
	v, err := s.rawVersion(ctx, p.Document, p.Base)
	if err != nil {
		return nil, nil, err
	}
	result, err := drafts.ApplyOperations(v.Provisions, p.Operations, s.NewID, s.TextLimits)
	if err != nil {
		return nil, nil, drafts.WrapError(drafts.EINTERNAL, err, "proposal %s no longer applies to its base", p.ID)
	}
	return v.Provisions, drafts.AmendableProvisions(v.Provisions, result), nil
}

// effective returns the proposal to the text p amounts to: p itself, or
// for a sub-amendment drafts.Combine of the proposal it amends (from
// known, or read) and p.
func (s *Service) effective(ctx context.Context, p *drafts.Proposal, known map[string]*drafts.Proposal) (*drafts.Proposal, error) {
	if p.Amends == "" {
		return p, nil
	}
	amended, ok := known[p.Amends]
	if !ok {
		var err error
		if amended, err = s.readProposalByID(ctx, p.Document, p.Amends); err != nil {
			return nil, err
		}
	}
	return drafts.Combine(amended, p), nil
}

// settleSubAmendments makes obsolete the open sub-amendments of amended,
// which was just withdrawn, rejected or edited (how): all of them, or
// after an edit those it no longer fits, each a change of its own with
// its entry, saying why. It returns the entries, which the request
// commits with the change of amended, before it answers. The change to
// amended has happened: a refusal here is logged, and the next version
// made settles what is left (obsoletedBy); it returns an error only when
// storage failed (a settlement may have been written: the request must
// not be acknowledged as if it were complete).
func (s *Service) settleSubAmendments(ctx context.Context, amended *drafts.Proposal, how string) ([]drafts.AuditEntry, error) {
	doc := amended.Document
	var failed error
	fail := func(id string, err error) {
		s.Log.Error("sub-amendments not settled", "document", doc, "proposal", id, "err", err)
		if failed == nil && drafts.IsCode(err, drafts.EUNAVAILABLE) {
			failed = err
		}
	}
	open, err := s.allProposals(ctx, doc, drafts.ProposalFilter{Status: drafts.ProposalOpen})
	if err != nil {
		fail(amended.ID, err)
		return nil, failed
	}
	var base, amendable []drafts.Provision
	if how == "edited" {
		if base, amendable, err = s.amendable(ctx, amended); err != nil {
			fail(amended.ID, err)
			return nil, failed
		}
	}
	name := ""
	var entries []drafts.AuditEntry
	for _, sub := range open {
		if sub.Amends != amended.ID {
			continue
		}
		if name == "" {
			name = s.proposalName(ctx, amended)
		}
		reason := fmt.Sprintf("%s, which it amends, was %s", name, how)
		if how == "edited" {
			if drafts.CheckSubAmendment(amended, base, amendable, sub.Operations, s.TextLimits) == nil {
				continue
			}
			reason += " and no longer gives the texts it replaces"
		}
		added, err := s.makeObsolete(ctx, sub, reason)
		if err != nil {
			fail(sub.ID, err)
		}
		entries = append(entries, added...)
	}
	return entries, failed
}

// makeObsolete makes the open proposal p (as read) obsolete for reason,
// and returns the entry of the change (none if it was no longer open).
func (s *Service) makeObsolete(ctx context.Context, p *drafts.Proposal, reason string) ([]drafts.AuditEntry, error) {
	_, added, err := s.rmwProposal(ctx, p.Document, p.ID, p, nil, "", func(p *drafts.Proposal) error {
		if p.Status != drafts.ProposalOpen {
			return errUnchanged
		}
		now := s.now()
		p.Status, p.Reason, p.ClosedAt = drafts.ProposalObsolete, reason, &now
		s.addProposalEntry(ctx, p, "proposal."+drafts.ProposalObsolete, reason)
		return nil
	})
	return added, err
}

// proposalName names p in English for events and messages: "Proposal 7
// (Kazakhstan)", the delegation's name from the directory (its code if
// it cannot be read).
func (s *Service) proposalName(ctx context.Context, p *drafts.Proposal) string {
	d, err := s.getDelegation(ctx, p.Delegation)
	if err != nil {
		d = nil
	}
	return p.Name("en", d)
}

// delegationNames returns the directory's delegations by code, for the
// names of proposals in compilations and messages; an empty map if the
// directory cannot be read (names then fall back to codes).
func (s *Service) delegationNames(ctx context.Context) map[string]drafts.Delegation {
	out := map[string]drafts.Delegation{}
	objs, err := s.directoryInfos(ctx, delegationsPrefix)
	if err != nil {
		return out
	}
	ds, _, err := readListed(ctx, s, objs, cloneDelegation)
	if err != nil {
		return out
	}
	for _, d := range ds {
		if d != nil {
			out[d.ID] = *d
		}
	}
	return out
}
