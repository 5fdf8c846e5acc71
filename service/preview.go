package service

import (
	"context"

	"chancery/drafts"
)

// PreviewProposal checks a proposal as CreateProposal would and returns the
// tracked diff it would make against its base, attributed to the caller's
// delegation, without storing anything. The web workspace shows it before
// the delegation submits.
func (s *Service) PreviewProposal(ctx context.Context, doc string, in drafts.ProposalInput) (_ *drafts.Diff, err error) {
	defer markOp(&err, "service.PreviewProposal")
	u, _, ops, err := s.newProposal(ctx, doc, in)
	if err != nil {
		return nil, err
	}
	base, err := s.getVersion(ctx, doc, in.Base)
	if err != nil {
		return nil, err
	}
	result, err := drafts.ApplyOperations(base.Provisions, ops, s.NewID, s.TextLimits)
	if err != nil {
		return nil, err
	}
	diff := s.Differ.Provisions(base.Provisions, result)
	p := &drafts.Proposal{ID: "preview", Delegation: u.Delegation, Operations: ops}
	attribute(diff, map[string][]*drafts.Proposal{}, []*drafts.Proposal{p})
	return diff, nil
}
