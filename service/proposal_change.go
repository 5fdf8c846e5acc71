package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"chancery/drafts"
)

// updateProposal applies f to the stored proposal and writes it back with
// its ETag; ifMatch, when set, must be the ETag the client read. first,
// when not nil, is the proposal as just read, used for the first attempt;
// every attempt checks that u may perform action on the proposal it read.
func (s *Service) updateProposalAs(ctx context.Context, u *drafts.User, d *drafts.Document, first *drafts.Proposal, action, ifMatch string, f func(p *drafts.Proposal) error) (*drafts.Proposal, error) {
	return s.rmwProposal(ctx, d.ID, first.ID, first, func(p *drafts.Proposal) error { return s.authorizeProposal(u, d, p, action) }, ifMatch, f)
}

// updateProposal is updateProposalAs for the service's own follow-ups,
// which the policy has allowed already (settling proposals after a merge).
func (s *Service) updateProposal(ctx context.Context, doc, id, ifMatch string, f func(p *drafts.Proposal) error) (*drafts.Proposal, error) {
	return s.rmwProposal(ctx, doc, id, nil, nil, ifMatch, f)
}

// rmwProposal reads (or takes first), checks, changes and writes back a
// proposal, starting over when another request changed it meanwhile.
func (s *Service) rmwProposal(ctx context.Context, doc, id string, first *drafts.Proposal, check func(p *drafts.Proposal) error, ifMatch string, f func(p *drafts.Proposal) error) (*drafts.Proposal, error) {
	var p *drafts.Proposal
	err := retry(func() error {
		var err error
		if first != nil {
			p, first = first, nil
		} else if p, err = s.readProposal(ctx, doc, id); err != nil {
			return err
		}
		if check != nil {
			if err := check(p); err != nil {
				return err
			}
		}
		if ifMatch != "" && ifMatch != p.ETag {
			return &drafts.Error{Code: drafts.EPRECONDITION, Message: "the proposal changed since it was read", Err: errClientPrecondition}
		}
		if err := f(p); err != nil {
			if errors.Is(err, errUnchanged) {
				return nil
			}
			return err
		}
		p.UpdatedAt = s.now()
		etag, key, size, err := s.writeProposal(ctx, doc, p)
		if err == nil {
			p.ETag = etag
			rememberListed(s, key, etag, cloneProposal(p), size)
		}
		return err
	})
	return p, err
}

// writeProposal writes p back where it is stored if it is still at
// p.ETag, and returns the key it wrote: in its folder, or, when there is
// none there, where proposals were stored before they were foldered
// (legacyProposalKey): a proposal never moves.
func (s *Service) writeProposal(ctx context.Context, doc string, p *drafts.Proposal) (etag, key string, size int, err error) {
	key = proposalKey(doc, p.ID)
	etag, size, err = s.putJSON(ctx, key, p, false, p.ETag)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		key = legacyProposalKey(doc, p.ID)
		etag, size, err = s.putJSON(ctx, key, p, false, p.ETag)
	}
	return etag, key, size, err
}

// changeProposal loads the visible document and the proposal, checks that
// the user of ctx may perform action on it, and applies f.
func (s *Service) changeProposal(ctx context.Context, doc, id, action, ifMatch string, f func(u *drafts.User, p *drafts.Proposal) error) (*drafts.Proposal, error) {
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	first, err := s.proposalFor(ctx, u, d, id, action)
	if err != nil {
		return nil, err
	}
	return s.updateProposalAs(ctx, u, d, first, action, ifMatch, func(p *drafts.Proposal) error { return f(u, p) })
}

// errClientPrecondition marks a failed If-Match of the client's, which is
// not retried.
var errClientPrecondition = fmt.Errorf("client precondition failed")

// WithdrawProposal withdraws an open proposal (the policy has checked that
// the caller's delegation owns it).
func (s *Service) WithdrawProposal(ctx context.Context, doc, id, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.WithdrawProposal")
	p, err := s.changeProposal(ctx, doc, id, drafts.ActProposalWithdraw, ifMatch, func(u *drafts.User, p *drafts.Proposal) error {
		if err := p.CheckOpen(); err != nil {
			return err
		}
		now := s.now()
		p.Status, p.ClosedAt = drafts.ProposalWithdrawn, &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, doc, "proposal.withdraw", p.ID, s.proposalName(ctx, p))
	s.settleSubAmendments(ctx, p, drafts.ProposalWithdrawn)
	return p, nil
}

// CosponsorProposal adds the caller's delegation to an open proposal's
// co-sponsors. ifMatch, when not "", is the proposal's ETag as the client
// read it (EPRECONDITION if it changed since); so for the methods below.
func (s *Service) CosponsorProposal(ctx context.Context, doc, id, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.CosponsorProposal")
	var by string
	already := false
	p, err := s.changeProposal(ctx, doc, id, drafts.ActProposalCosponsor, ifMatch, func(u *drafts.User, p *drafts.Proposal) error {
		by = u.Delegation
		if err := p.CheckOpen(); err != nil {
			return err
		}
		if u.Delegation == "" || u.Delegation == p.Delegation {
			return drafts.Errorf(drafts.ECONFLICT, "a delegation cannot co-sponsor its own proposal")
		}
		// Co-sponsoring twice changes nothing: no write, no second event.
		already = slices.Contains(p.Cosponsors, u.Delegation)
		if already {
			return errUnchanged
		}
		p.Cosponsors = append(p.Cosponsors, u.Delegation)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if already {
		return p, nil
	}
	s.record(ctx, doc, "proposal.cosponsor", p.ID, by)
	return p, nil
}

// CommentProposal adds a comment to a proposal.
func (s *Service) CommentProposal(ctx context.Context, doc, id, text, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.CommentProposal")
	p, err := s.changeProposal(ctx, doc, id, drafts.ActProposalComment, ifMatch, func(u *drafts.User, p *drafts.Proposal) error {
		if err := drafts.CheckNote("text", text, 20000, true); err != nil {
			return err
		}
		p.Comments = append(p.Comments, drafts.Comment{Author: u.ID, Delegation: u.Delegation, Text: text, At: s.now()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, doc, "proposal.comment", p.ID, "")
	return p, nil
}

// RejectProposal rejects an open proposal with a reason.
func (s *Service) RejectProposal(ctx context.Context, doc, id, reason, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.RejectProposal")
	p, err := s.changeProposal(ctx, doc, id, drafts.ActProposalReject, ifMatch, func(u *drafts.User, p *drafts.Proposal) error {
		if err := drafts.CheckNote("reason", reason, 20000, true); err != nil {
			return err
		}
		if err := p.CheckOpen(); err != nil {
			return err
		}
		now := s.now()
		p.Status, p.Reason, p.ClosedAt = drafts.ProposalRejected, reason, &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, doc, "proposal.reject", p.ID, reason)
	s.settleSubAmendments(ctx, p, drafts.ProposalRejected)
	return p, nil
}
