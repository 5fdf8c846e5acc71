package drafts

import "context"

// PreviewProposal checks a proposal as CreateProposal would and returns the
// tracked diff it would make against its base, attributed to the caller's
// delegation, without storing anything. The web workspace shows it before
// the delegation submits.
func (s *Service) PreviewProposal(ctx context.Context, doc string, in ProposalInput) (*Diff, error) {
	u, d, err := s.changeableDocument(ctx, doc, ActProposalCreate, false)
	if err != nil {
		return nil, err
	}
	if u.Delegation == "" {
		return nil, &Error{Code: EFORBIDDEN, Message: "only a delegation can make a proposal", Permission: ActProposalCreate}
	}
	ops, err := s.proposalOperations(ctx, d, in)
	if err != nil {
		return nil, err
	}
	base, err := s.getVersion(ctx, doc, in.Base)
	if err != nil {
		return nil, err
	}
	result, err := ApplyOperations(base.Provisions, ops, s.NewID, s.Limits)
	if err != nil {
		return nil, err
	}
	diff := s.Differ.Provisions(base.Provisions, result)
	p := &Proposal{ID: "preview", Delegation: u.Delegation, Operations: ops}
	attribute(diff, map[string][]*Proposal{}, []*Proposal{p})
	return diff, nil
}
