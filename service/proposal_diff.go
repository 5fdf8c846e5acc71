package service

import (
	"context"

	"chancery/drafts"
)

// applyToBase applies a proposal's operations to its base version, and
// returns the base (with its statuses) and the provisions that result.
func (s *Service) applyToBase(ctx context.Context, p *drafts.Proposal) (base *drafts.Version, result []drafts.Provision, err error) {
	base, err = s.getVersion(ctx, p.Document, p.Base)
	if err != nil {
		return nil, nil, err
	}
	result, err = drafts.ApplyOperations(base.Provisions, p.Operations, s.NewID, s.TextLimits)
	if err != nil {
		return nil, nil, err
	}
	return base, result, nil
}

// ProposalDiff returns the tracked diff of a proposal against its base
// ("base") or against the current head ("head", the proposal rebased onto
// it), attributed to its delegation.
func (s *Service) ProposalDiff(ctx context.Context, doc, id, against string) (_ *drafts.Diff, err error) {
	defer markOp(&err, "service.ProposalDiff")
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	// Heavy from the start: the versions are loaded in the slot.
	var diff *drafts.Diff
	err = s.Work(ctx, func(ctx context.Context) error {
		diff, err = s.proposalDiff(ctx, d, id, against)
		return err
	})
	return diff, err
}

// proposalDiff is ProposalDiff on a document already read.
func (s *Service) proposalDiff(ctx context.Context, d *drafts.Document, id, against string) (*drafts.Diff, error) {
	doc := d.ID
	p, err := s.readProposal(ctx, doc, id)
	if err != nil {
		return nil, err
	}
	base, result, err := s.applyToBase(ctx, p)
	if err != nil {
		return nil, err
	}
	var from []drafts.Provision
	switch against {
	case "", "base":
		from = base.Provisions
	case "head":
		head := base
		if d.Head != base.Number {
			if head, err = s.getVersion(ctx, doc, d.Head); err != nil {
				return nil, err
			}
		}
		from = head.Provisions
		if head.Number != base.Number {
			rb := drafts.Rebase(s.Differ, head.Provisions, []drafts.RebaseItem{{Proposal: p, Base: base.Provisions, Result: result}}, nil)
			if len(rb.Collisions) > 0 {
				return nil, &drafts.Error{Code: drafts.ECONFLICT, Message: "the proposal collides with the head; see collisions", Collisions: rb.Collisions}
			}
			if why, gone := rb.Obsolete[p.ID]; gone {
				return nil, drafts.Errorf(drafts.ECONFLICT, "the proposal no longer applies to the head: %s", why)
			}
			result = rb.Provisions
		}
	default:
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: `against must be "base" or "head"`, Fields: []drafts.FieldError{{Field: "against", Message: `"base" or "head"`}}}
	}
	var diff *drafts.Diff
	if err := s.heavy(ctx, func() error {
		diff = s.Differ.Provisions(from, result)
		return nil
	}); err != nil {
		return nil, err
	}
	attributeTo(diff, p)
	return diff, nil
}

// PreviewProposal checks a proposal as CreateProposal would and returns the
// tracked diff it would make against its base, attributed to the caller's
// delegation, without storing anything. The web workspace shows it before
// the delegation submits.
func (s *Service) PreviewProposal(ctx context.Context, doc string, in drafts.ProposalInput) (_ *drafts.Diff, err error) {
	defer markOp(&err, "service.PreviewProposal")
	var diff *drafts.Diff
	err = s.Work(ctx, func(ctx context.Context) error {
		u, _, ops, err := s.newProposal(ctx, doc, in)
		if err != nil {
			return err
		}
		p := &drafts.Proposal{ID: "preview", Document: doc, Base: in.Base, Delegation: u.Delegation, Operations: ops}
		base, result, err := s.applyToBase(ctx, p)
		if err != nil {
			return err
		}
		diff = s.Differ.Provisions(base.Provisions, result)
		attributeTo(diff, p)
		return nil
	})
	return diff, err
}
