package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"chancery/drafts"
)

// newProposal checks that the caller's delegation may propose on doc and
// returns the operations it makes of in: what CreateProposal stores and
// PreviewProposal shows.
func (s *Service) newProposal(ctx context.Context, doc string, in drafts.ProposalInput) (*drafts.User, *drafts.Document, []drafts.Operation, error) {
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActProposalCreate, false)
	if err != nil {
		return nil, nil, nil, err
	}
	if u.Delegation == "" {
		return nil, nil, nil, &drafts.Error{Code: drafts.EFORBIDDEN, Message: "only a delegation can make a proposal", Permission: drafts.ActProposalCreate}
	}
	ops, err := s.proposalOperations(ctx, d, in)
	if err != nil {
		return nil, nil, nil, err
	}
	return u, d, ops, nil
}

// CreateProposal records a proposal by the caller's delegation against a
// base version. The operations must apply to the base.
func (s *Service) CreateProposal(ctx context.Context, doc string, in drafts.ProposalInput) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.CreateProposal")
	u, d, ops, err := s.newProposal(ctx, doc, in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &drafts.Proposal{
		ID: s.NewID(), Document: doc, Delegation: u.Delegation, Author: u.ID, Base: in.Base,
		Justification: in.Justification, Operations: ops, Text: in.Text, Status: drafts.ProposalOpen,
		Cosponsors: []string{}, Comments: []drafts.Comment{}, CreatedAt: now, UpdatedAt: now,
	}
	// The first proposal opens the negotiation; this goes first, so that a
	// failure leaves no proposal behind.
	if d.State == drafts.StateDrafting {
		if _, err := s.updateDocumentFrom(ctx, d, func(d *drafts.Document) error {
			if d.State == drafts.StateDrafting {
				d.State = drafts.StateNegotiation
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	key := proposalKey(doc, p.ID)
	etag, size, err := s.putJSON(ctx, key, p, true, "")
	if err != nil {
		return nil, err
	}
	p.ETag = etag
	rememberListed(s, key, etag, cloneProposal(p), size)
	s.recordChange(ctx, doc, proposalChange(p.ID), "proposal.create", p.ID, proposalDetail(p))
	return p, nil
}

// proposalOperations checks a proposal's input against its document and
// base version and returns the operations it makes (derived from a whole
// edited text if one was sent), every inserted provision with its id.
func (s *Service) proposalOperations(ctx context.Context, d *drafts.Document, in drafts.ProposalInput) ([]drafts.Operation, error) {
	doc := d.ID
	if err := drafts.ValidateProposalInput(in.Justification, in.Operations, in.Text); err != nil {
		return nil, err
	}
	if in.Base == 0 {
		// JSON without "base" arrives as 0: say what is missing.
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("base: required: the number of the version the proposal amends (the head is %d)", d.Head),
			Fields: []drafts.FieldError{{Field: "base", Message: "required"}}}
	}
	if in.Base < 1 || in.Base > d.Head {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("base: no version %d (the head is %d)", in.Base, d.Head),
			Fields: []drafts.FieldError{{Field: "base", Message: "no such version"}}}
	}
	base, err := s.rawVersion(ctx, doc, in.Base) // statuses play no part
	if err != nil {
		return nil, err
	}
	// Ids of new provisions are the server's to give, never the client's.
	ops := make([]drafts.Operation, len(in.Operations))
	for i, o := range in.Operations {
		o.ID = ""
		ops[i] = o
	}
	if in.Text != "" {
		t, err := drafts.ParseText(in.Text, s.TextLimits)
		if err != nil {
			return nil, err
		}
		s.alignIDs(base.Provisions, t.Provisions)
		ops = s.Differ.Provisions(base.Provisions, t.Provisions).Operations()
		if len(ops) == 0 {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: "the edited text is the same as the base version",
				Fields: []drafts.FieldError{{Field: "text", Message: "no change"}}}
		}
	}
	// New provisions get their ids now, one insert each, so that every
	// application of the proposal gives the same ids.
	if ops, err = s.splitInserts(ops); err != nil {
		return nil, err
	}
	if len(ops) > drafts.MaxOperations {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("the proposal makes %d changes; the limit is %d (each inserted provision counts)", len(ops), drafts.MaxOperations),
			Fields: []drafts.FieldError{{Field: "operations", Message: "too many"}}}
	}
	after, err := drafts.ApplyOperations(base.Provisions, ops, s.NewID, s.TextLimits)
	if err != nil {
		return nil, err
	}
	if sameProvisions(base.Provisions, after) {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "the proposal changes nothing: applied to the base version, its operations give the same text",
			Fields: []drafts.FieldError{{Field: "operations", Message: "no change"}}}
	}
	return ops, nil
}

// sameProvisions reports whether two provision lists read the same: the
// same provisions, in the same order, with the same markers and texts.
func sameProvisions(a, b []drafts.Provision) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Number != b[i].Number || a[i].Text != b[i].Text || a[i].Kind != b[i].Kind {
			return false
		}
	}
	return true
}

// EditProposal replaces an open proposal's base, justification and
// operations (or edited text); its co-sponsors and comments stay. The
// policy has checked that the caller's delegation owns it.
func (s *Service) EditProposal(ctx context.Context, doc, id string, in drafts.ProposalInput, ifMatch string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.EditProposal")
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	// The proposal is read (and the right to edit it checked) before the
	// input, so that a stranger learns nothing from validation errors.
	first, err := s.proposalFor(ctx, u, d, id, drafts.ActProposalWithdraw)
	if err != nil {
		return nil, err
	}
	if err := s.checkChangeable(ctx, d); err != nil {
		return nil, err
	}
	ops, err := s.proposalOperations(ctx, d, in)
	if err != nil {
		return nil, err
	}
	p, err := s.updateProposalAs(ctx, u, d, first, drafts.ActProposalWithdraw, ifMatch, func(p *drafts.Proposal) error {
		if err := p.CheckOpen(); err != nil {
			return err
		}
		p.Base, p.Justification, p.Operations, p.Text = in.Base, in.Justification, ops, in.Text
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, doc, "proposal.edit", id, proposalDetail(p))
	return p, nil
}

// GetProposal returns a proposal. ENOTFOUND if there is none.
func (s *Service) GetProposal(ctx context.Context, doc, id string) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.GetProposal")
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	return s.proposalFor(ctx, u, d, id, drafts.ActDocumentRead)
}

// proposalFor reads a proposal of the visible document d on which u
// performs action, and checks the policy with it.
func (s *Service) proposalFor(ctx context.Context, u *drafts.User, d *drafts.Document, id, action string) (*drafts.Proposal, error) {
	p, err := s.readProposal(ctx, d.ID, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeProposal(u, d, p, action); err != nil {
		return nil, err
	}
	return p, nil
}

// authorizeProposal checks action on p, refusing in words that fit.
func (s *Service) authorizeProposal(u *drafts.User, d *drafts.Document, p *drafts.Proposal, action string) error {
	if action == drafts.ActDocumentRead {
		return nil // d is visible: so are its proposals
	}
	msg := ""
	switch action {
	case drafts.ActProposalWithdraw:
		msg = "only the delegation that made this proposal may edit or withdraw it"
	case drafts.ActProposalCosponsor:
		msg = "only another member delegation may co-sponsor this proposal"
	}
	if msg == "" {
		return s.authorize(u, action, p.Resource(d))
	}
	return s.authorizeSaying(u, action, p.Resource(d), msg)
}

// readProposal reads a proposal as stored.
func (s *Service) readProposal(ctx context.Context, doc, id string) (*drafts.Proposal, error) {
	if !drafts.ValidID(doc) || !drafts.ValidID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no proposal %q", id)
	}
	var p drafts.Proposal
	key := proposalKey(doc, id)
	etag, err := s.getJSON(ctx, key, &p)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		key = legacyProposalKey(doc, id)
		etag, err = s.getJSON(ctx, key, &p)
	}
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no proposal %q", id)
		}
		return nil, err
	}
	p.ETag = etag
	return &p, nil
}

// readProposals reads the proposals of doc with ids, several at a time,
// in order; nil for one there is none of.
func (s *Service) readProposals(ctx context.Context, doc string, ids []string) ([]*drafts.Proposal, error) {
	ps := make([]*drafts.Proposal, len(ids))
	err := s.inParallel(ctx, len(ids), func(ctx context.Context, i int) error {
		p, err := s.readProposal(ctx, doc, ids[i])
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil
		}
		ps[i] = p
		return err
	})
	if err != nil {
		return nil, err
	}
	return ps, nil
}

// ListProposals returns one page of a document's proposals.
func (s *Service) ListProposals(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Proposal], err error) {
	defer markOp(&err, "service.ListProposals")
	if !drafts.ValidID(doc) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no document %q", doc)
	}
	switch f.Status {
	case "", drafts.ProposalOpen, drafts.ProposalAccepted, drafts.ProposalAcceptedModified, drafts.ProposalRejected, drafts.ProposalWithdrawn, drafts.ProposalObsolete:
	default:
		// A mistyped filter would otherwise list nothing, which reads as
		// "no proposals".
		return nil, &drafts.Error{Code: drafts.EINVALID,
			Message: fmt.Sprintf("status: no proposal status %q (open, accepted, accepted-modified, rejected, withdrawn or obsolete)", f.Status),
			Fields:  []drafts.FieldError{{Field: "status", Message: "unknown status"}}}
	}
	// The first listing runs while the document is read, and is dropped
	// unless the document is there for the caller.
	first := make(chan keyPage, 1)
	go func() {
		objs, next, err := s.listInfos(ctx, proposalsPrefix(doc), opt)
		first <- keyPage{objs, next, err}
	}()
	_, _, err = s.documentFor(ctx, doc, drafts.ActDocumentRead)
	kp := <-first
	if err != nil {
		return nil, err
	}
	return s.listProposalsFrom(ctx, doc, f, opt, &kp)
}

// keyPage is one page of a listing.
type keyPage struct {
	objs []drafts.ObjectInfo
	next string
	err  error
}

// listProposals returns one page of a document's proposals.
func (s *Service) listProposals(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions) (*drafts.Page[*drafts.Proposal], error) {
	return s.listProposalsFrom(ctx, doc, f, opt, nil)
}

// listProposalsFrom is listProposals with its first listing done (if
// first is not nil).
func (s *Service) listProposalsFrom(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions, first *keyPage) (*drafts.Page[*drafts.Proposal], error) {
	return s.listProposalsKnown(ctx, doc, f, opt, first, nil)
}

// listProposalsKnown is listProposalsFrom taking the proposals of known
// (read already by this request) as they are instead of reading them.
func (s *Service) listProposalsKnown(ctx context.Context, doc string, f drafts.ProposalFilter, opt drafts.ListOptions, first *keyPage, known map[string]*drafts.Proposal) (*drafts.Page[*drafts.Proposal], error) {
	page := &drafts.Page[*drafts.Proposal]{Items: []*drafts.Proposal{}}
	want := pageSize(opt)
	filtered := f.Status != "" || f.Delegation != ""
	prefix := proposalsPrefix(doc)
	for {
		if err := ctx.Err(); err != nil {
			return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "the request ended")
		}
		// Unfiltered, ask only for what is missing, so a page never exceeds
		// the limit. Filtered, read in batches whatever the limit: a page
		// of one withdrawn proposal among thousands costs one listing per
		// batch, not one per proposal; the next cursor is then the last
		// proposal read.
		o := opt
		o.Limit = want - len(page.Items)
		if filtered {
			o.Limit = 500
		}
		var kp keyPage
		if first != nil {
			kp, first = *first, nil
		} else {
			kp.objs, kp.next, kp.err = s.listInfos(ctx, prefix, o)
		}
		objs, next, err := kp.objs, kp.next, kp.err
		if err != nil {
			return nil, err
		}
		ps, err := s.readListedProposals(ctx, prefix, objs, known)
		if err != nil {
			return nil, err
		}
		for i, p := range ps {
			if p == nil {
				continue
			}
			if (f.Status == "" || p.Status == f.Status) && (f.Delegation == "" || p.Delegation == f.Delegation) {
				page.Items = append(page.Items, p)
				if len(page.Items) >= want && i < len(objs)-1 {
					page.NextCursor = cursorOf(objs[i].Key[len(prefix):])
					return page, nil
				}
			}
		}
		page.NextCursor = next
		if next == "" || len(page.Items) >= want {
			return page, nil
		}
		opt.Cursor = next
	}
}

// readListedProposals reads the proposals a listing under prefix
// returned, in order, taking those of known as they are; nil for one gone
// since it was listed.
func (s *Service) readListedProposals(ctx context.Context, prefix string, objs []drafts.ObjectInfo, known map[string]*drafts.Proposal) ([]*drafts.Proposal, error) {
	ps := make([]*drafts.Proposal, len(objs))
	var unknown []drafts.ObjectInfo
	var at []int
	for i, o := range objs {
		id, err := proposalOfKey(o.Key, prefix)
		if err != nil {
			return nil, err
		}
		if ps[i] = known[id]; ps[i] == nil {
			unknown, at = append(unknown, o), append(at, i)
		}
	}
	read, etags, err := readListed(ctx, s, unknown, cloneProposal)
	if err != nil {
		return nil, err
	}
	for j, p := range read {
		if p != nil {
			p.ETag = etags[j]
		}
		ps[at[j]] = p
	}
	return ps, nil
}

// allProposals returns every proposal of a document.
func (s *Service) allProposals(ctx context.Context, doc string, f drafts.ProposalFilter) ([]*drafts.Proposal, error) {
	return s.allProposalsKnown(ctx, doc, f, nil)
}

// allProposalsKnown is allProposals taking the proposals of known as they
// are instead of reading them again.
func (s *Service) allProposalsKnown(ctx context.Context, doc string, f drafts.ProposalFilter, known map[string]*drafts.Proposal) ([]*drafts.Proposal, error) {
	var all []*drafts.Proposal
	opt := drafts.ListOptions{Limit: 500}
	for {
		page, err := s.listProposalsKnown(ctx, doc, f, opt, nil, known)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		opt.Cursor = page.NextCursor
	}
}

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
	s.record(ctx, doc, "proposal.withdraw", id, "")
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
	s.record(ctx, doc, "proposal.cosponsor", id, by)
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
	s.record(ctx, doc, "proposal.comment", id, "")
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
	s.record(ctx, doc, "proposal.reject", id, reason)
	return p, nil
}

// proposedText applies a proposal to its base version.
func (s *Service) proposedText(ctx context.Context, p *drafts.Proposal) (base *drafts.Version, result []drafts.Provision, err error) {
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
	p, err := s.readProposal(ctx, doc, id)
	if err != nil {
		return nil, err
	}
	base, result, err := s.proposedText(ctx, p)
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
	attribute(diff, map[string][]*drafts.Proposal{}, []*drafts.Proposal{p})
	return diff, nil
}

// splitInserts gives every inserted provision an id, splitting an insert of
// several provisions into one insert each.
func (s *Service) splitInserts(ops []drafts.Operation) ([]drafts.Operation, error) {
	out := make([]drafts.Operation, 0, len(ops))
	for n, o := range ops {
		if o.Op != drafts.OpInsert || o.ID != "" {
			out = append(out, o)
			continue
		}
		ps, err := drafts.ParseProvisions(o.Text, s.TextLimits)
		if err != nil {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("operation %d (insert): %s", n+1, drafts.ErrorMessage(err)),
				Fields: []drafts.FieldError{{Field: fmt.Sprintf("operations[%d]", n), Message: drafts.ErrorMessage(err)}}}
		}
		after := o.After
		for _, p := range ps {
			id := s.NewID()
			out = append(out, drafts.Operation{Op: drafts.OpInsert, After: after, Text: p.Markup(), ID: id})
			after = id
		}
	}
	return out, nil
}
