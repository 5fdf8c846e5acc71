package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"chancery/drafts"
)

// updateProposalAs applies f to the stored proposal and writes it back
// with its ETag; ifMatch, when set, must be the ETag the client read.
// first, when not nil, is the proposal as just read, used for the first
// attempt; every attempt checks that u may perform action on the
// proposal it read. It returns the audit entries f added (see
// addProposalEntry), which the caller commits.
func (s *Service) updateProposalAs(ctx context.Context, u *drafts.User, d *drafts.Document, first *drafts.Proposal, action, ifMatch string, f func(p *drafts.Proposal) error) (*drafts.Proposal, []drafts.AuditEntry, error) {
	return s.rmwProposal(ctx, d.ID, first.ID, first, func(p *drafts.Proposal) error { return s.authorizeProposal(u, d, p, action) }, ifMatch, f)
}

// rmwProposal reads (or takes first), checks, changes and writes back a
// proposal, starting over when another request changed it meanwhile,
// and returns it with the audit entries f added to it.
func (s *Service) rmwProposal(ctx context.Context, doc, id string, first *drafts.Proposal, check func(p *drafts.Proposal) error, ifMatch string, f func(p *drafts.Proposal) error) (*drafts.Proposal, []drafts.AuditEntry, error) {
	var p *drafts.Proposal
	var added []drafts.AuditEntry
	err := retry(func() error {
		var err error
		added = nil
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
		had := len(p.Audit)
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
			added = p.Audit[had:]
			rememberProposal(s, key, etag, p, size)
		}
		return err
	})
	return p, added, err
}

// addProposalEntry adds to p the audit entry of its change by the user of
// ctx, named after the changes it has.
func (s *Service) addProposalEntry(ctx context.Context, p *drafts.Proposal, action, detail string) {
	p.Audit = append(slices.Clip(p.Audit), s.auditEntry(ctx, proposalNextChange(p), action, p.ID, detail))
}

// writeProposal writes p back where it is stored if it is still at
// p.ETag, and returns the key it wrote: in its folder, or, when there is
// none there, where proposals were stored before they were foldered
// (legacyProposalKey): a proposal never moves.
func (s *Service) writeProposal(ctx context.Context, doc string, p *drafts.Proposal) (etag, key string, size int, err error) {
	key = proposalKey(doc, p.ID)
	etag, size, err = s.putJSON(ctx, key, storeProposal(p), false, p.ETag)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		key = legacyProposalKey(doc, p.ID)
		etag, size, err = s.putJSON(ctx, key, storeProposal(p), false, p.ETag)
	}
	return etag, key, size, err
}

// commitProposal runs write, a change of a proposal of doc, between
// beginChange and commitChange, and returns the proposal it wrote.
func (s *Service) commitProposal(ctx context.Context, write func(ctx context.Context) (*drafts.Proposal, []drafts.AuditEntry, error), doc string) (*drafts.Proposal, error) {
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return nil, err
	}
	// What write stored is committed even if it then failed (settling
	// sub-amendments after the change, see settleAfter).
	p, added, err := write(ctx)
	if cerr := s.commitChange(ctx, tx, added...); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// settleAfter is the write of a change of a proposal (update), followed,
// when how is not "", by the settlement of its sub-amendments
// (settleSubAmendments), whose entries it adds to the change's.
func (s *Service) settleAfter(ctx context.Context, how string, update func() (*drafts.Proposal, []drafts.AuditEntry, error)) (*drafts.Proposal, []drafts.AuditEntry, error) {
	p, added, err := update()
	if err != nil || how == "" || p.Amends != "" {
		return p, added, err
	}
	more, err := s.settleSubAmendments(ctx, p, how)
	return p, append(added, more...), err
}

// changeProposal loads the visible document and the proposal, checks that
// the user of ctx may perform action on it, applies f, which records the
// change's entry (addProposalEntry), and commits it.
func (s *Service) changeProposal(ctx context.Context, doc, id, action, ifMatch, settle string, f func(u *drafts.User, p *drafts.Proposal) error) (*drafts.Proposal, error) {
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	first, err := s.proposalFor(ctx, u, d, id, action)
	if err != nil {
		return nil, err
	}
	return s.commitProposal(ctx, func(ctx context.Context) (*drafts.Proposal, []drafts.AuditEntry, error) {
		return s.settleAfter(ctx, settle, func() (*drafts.Proposal, []drafts.AuditEntry, error) {
			return s.updateProposalAs(ctx, u, d, first, action, ifMatch, func(p *drafts.Proposal) error { return f(u, p) })
		})
	}, doc)
}

// errClientPrecondition marks a failed If-Match of the client's, which is
// not retried.
var errClientPrecondition = fmt.Errorf("client precondition failed")

// WithdrawProposal withdraws an open proposal (the policy has checked that
// the caller's delegation owns it).
func (s *Service) WithdrawProposal(ctx context.Context, doc, id, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.WithdrawProposal")
	p, err := s.changeProposal(ctx, doc, id, drafts.ActProposalWithdraw, ifMatch, drafts.ProposalWithdrawn, func(u *drafts.User, p *drafts.Proposal) error {
		if err := p.CheckOpen(); err != nil {
			return err
		}
		now := s.now()
		p.Status, p.ClosedAt = drafts.ProposalWithdrawn, &now
		s.addProposalEntry(ctx, p, "proposal.withdraw", s.proposalName(ctx, p))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// CosponsorProposal adds the caller's delegation to an open proposal's
// co-sponsors. ifMatch, when not "", is the proposal's ETag as the client
// read it (EPRECONDITION if it changed since); so for the methods below.
func (s *Service) CosponsorProposal(ctx context.Context, doc, id, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.CosponsorProposal")
	return s.changeProposal(ctx, doc, id, drafts.ActProposalCosponsor, ifMatch, "", func(u *drafts.User, p *drafts.Proposal) error {
		if err := p.CheckOpen(); err != nil {
			return err
		}
		if u.Delegation == "" || u.Delegation == p.Delegation {
			return drafts.Errorf(drafts.ECONFLICT, "a delegation cannot co-sponsor its own proposal")
		}
		// Co-sponsoring twice changes nothing: no write, no second event.
		if slices.Contains(p.Cosponsors, u.Delegation) {
			return errUnchanged
		}
		p.Cosponsors = append(p.Cosponsors, u.Delegation)
		s.addProposalEntry(ctx, p, "proposal.cosponsor", u.Delegation)
		return nil
	})
}

// CommentProposal adds a comment to a proposal.
func (s *Service) CommentProposal(ctx context.Context, doc, id, text, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.CommentProposal")
	p, err := s.changeProposal(ctx, doc, id, drafts.ActProposalComment, ifMatch, "", func(u *drafts.User, p *drafts.Proposal) error {
		if err := drafts.CheckNote("text", text, 20000, true); err != nil {
			return err
		}
		p.Comments = append(p.Comments, drafts.Comment{Author: u.ID, Delegation: u.Delegation, Text: text, At: s.now()})
		s.addProposalEntry(ctx, p, "proposal.comment", "")
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// RejectProposal rejects an open proposal with a reason.
func (s *Service) RejectProposal(ctx context.Context, doc, id, reason, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.RejectProposal")
	p, err := s.changeProposal(ctx, doc, id, drafts.ActProposalReject, ifMatch, drafts.ProposalRejected, func(u *drafts.User, p *drafts.Proposal) error {
		if err := drafts.CheckNote("reason", reason, 20000, true); err != nil {
			return err
		}
		if err := p.CheckOpen(); err != nil {
			return err
		}
		now := s.now()
		p.Status, p.Reason, p.ClosedAt = drafts.ProposalRejected, reason, &now
		s.addProposalEntry(ctx, p, "proposal.reject", reason)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
