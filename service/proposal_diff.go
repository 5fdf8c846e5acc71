package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// applyToBase applies a proposal's operations to its base version, and
// returns the base (with its statuses) and the provisions that result.
func (s *Service) applyToBase(ctx context.Context, p *drafts.Proposal) (base *drafts.Version, result []drafts.Provision, err error) {
	base, err = s.getVersion(ctx, p.Document, p.Base)
	if err != nil {
		return nil, nil, err
	}
	if base, err = s.baseIn(ctx, base, p.Language); err != nil {
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
// it), attributed to its delegation; a sub-amendment's also against the
// proposal it amends ("amended"): only the words it changes in that
// proposal's texts. A sub-amendment against the base or the head is the
// proposal to the text it amounts to (drafts.Combine).
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
	own, err := s.readProposal(ctx, doc, id)
	if err != nil {
		return nil, err
	}
	if own, err = s.numberedOne(ctx, own); err != nil {
		return nil, err
	}
	p, err := s.effective(ctx, own, nil)
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
		if from, result, err = s.onHead(ctx, d, p, base, result); err != nil {
			return nil, err
		}
	case "amended":
		if own.Amends == "" {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("against: %s amends no proposal; compare it with its base or the head", s.proposalName(ctx, own)),
				Fields: []drafts.FieldError{{Field: "against", Message: "not a sub-amendment"}}}
		}
		amended, err := s.readProposalByID(ctx, doc, own.Amends)
		if err != nil {
			return nil, err
		}
		if from, err = drafts.ApplyOperations(base.Provisions, amended.Operations, s.NewID, s.TextLimits); err != nil {
			return nil, drafts.WrapError(drafts.EINTERNAL, err, "proposal %s no longer applies to its base", amended.ID)
		}
	default:
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: `against must be "base", "head" or "amended"`, Fields: []drafts.FieldError{{Field: "against", Message: `"base", "head" or "amended"`}}}
	}
	var diff *drafts.Diff
	if err := s.heavy(ctx, func() error {
		diff = s.Differ.Provisions(from, result)
		return nil
	}); err != nil {
		return nil, err
	}
	attributeTo(diff, own)
	diff.Refs = []drafts.ProposalRef{own.Ref()}
	return diff, nil
}

// onHead returns proposal p (whose base and result on it are given) as a
// change of the head: the head's text and p's rebased onto it. ECONFLICT
// if it collides with the head or no longer applies to it.
func (s *Service) onHead(ctx context.Context, d *drafts.Document, p *drafts.Proposal, base *drafts.Version, result []drafts.Provision) (from, to []drafts.Provision, err error) {
	head := base
	if d.Head != base.Number {
		if head, err = s.getVersion(ctx, d.ID, d.Head); err != nil {
			return nil, nil, err
		}
		// A proposal written in a language version, on the head's text in it.
		if head, err = s.baseIn(ctx, head, p.Language); err != nil {
			return nil, nil, err
		}
	}
	if head.Number == base.Number {
		return head.Provisions, result, nil
	}
	rb := drafts.Rebase(s.Differ, head.Provisions, []drafts.RebaseItem{{Proposal: p, Base: base.Provisions, Result: result}}, nil)
	if len(rb.Collisions) > 0 {
		return nil, nil, &drafts.Error{Code: drafts.ECONFLICT, Message: "the proposal collides with the head; see collisions", Collisions: rb.Collisions}
	}
	if why, gone := rb.Obsolete[p.ID]; gone {
		return nil, nil, drafts.Errorf(drafts.ECONFLICT, "the proposal no longer applies to the head: %s", why)
	}
	return head.Provisions, rb.Provisions, nil
}

// PreviewProposal checks a proposal as CreateProposal would and returns the
// tracked diff it would make against its base (a sub-amendment's against
// the proposal it amends), attributed to the delegation it is credited
// to, without storing anything. The web workspace shows it before the
// delegation submits.
func (s *Service) PreviewProposal(ctx context.Context, doc string, in drafts.ProposalInput) (_ *drafts.Diff, err error) {
	defer markOp(&err, "service.PreviewProposal")
	var diff *drafts.Diff
	err = s.Work(ctx, func(ctx context.Context) error {
		var err error
		diff, err = s.previewDiff(ctx, doc, in)
		return err
	})
	return diff, err
}

// previewDiff is PreviewProposal's diff, made in a work slot.
func (s *Service) previewDiff(ctx context.Context, doc string, in drafts.ProposalInput) (*drafts.Diff, error) {
	dr, err := s.newProposal(ctx, doc, in)
	if err != nil {
		return nil, err
	}
	p := &drafts.Proposal{ID: "preview", Document: doc, Base: dr.base, Delegation: dr.delegation, Operations: dr.ops, Language: languageOf(dr.doc, in.Language)}
	var from []drafts.Provision
	if dr.amended != nil {
		p = drafts.Combine(dr.amended, p)
	}
	base, result, err := s.applyToBase(ctx, p)
	if err != nil {
		return nil, err
	}
	from = base.Provisions
	if dr.amended != nil {
		if from, err = drafts.ApplyOperations(base.Provisions, dr.amended.Operations, s.NewID, s.TextLimits); err != nil {
			return nil, err
		}
	}
	diff := s.Differ.Provisions(from, result)
	attributeTo(diff, p)
	return diff, nil
}

// ProposalText returns a proposal and the text it makes: its base with
// its changes (a sub-amendment's combined with the proposal it amends).
func (s *Service) ProposalText(ctx context.Context, doc, id string) (_ *drafts.Proposal, _ *drafts.Version, err error) {
	defer markOp(&err, "service.ProposalText")
	p, err := s.GetProposal(ctx, doc, id)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.effective(ctx, p, nil)
	if err != nil {
		return nil, nil, err
	}
	base, result, err := s.applyToBase(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	v := *base
	v.Provisions = result
	return p, &v, nil
}
