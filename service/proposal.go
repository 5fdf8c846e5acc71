package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// proposalDraft is a new proposal as checked: who makes it, credited to
// which delegation, how, on what base, and its operations.
type proposalDraft struct {
	user       *drafts.User
	doc        *drafts.Document
	delegation string // credited: the caller's, or the one an oral proposal was made by
	source     string
	amended    *drafts.Proposal // for a sub-amendment, the proposal it amends
	base       int
	ops        []drafts.Operation
}

// newProposal checks that the caller may propose in on doc (a delegation
// for itself, or the chair recording an oral proposal) and returns the
// proposal it makes: what CreateProposal stores and PreviewProposal shows.
func (s *Service) newProposal(ctx context.Context, doc string, in drafts.ProposalInput) (*proposalDraft, error) {
	action := drafts.ActProposalCreate
	if in.OnBehalfOf != "" || in.Source != "" {
		action = drafts.ActProposalRecord
	}
	u, d, err := s.changeableDocument(ctx, doc, action, false)
	if err != nil {
		return nil, err
	}
	dr := &proposalDraft{user: u, doc: d, delegation: u.Delegation, base: in.Base}
	if action == drafts.ActProposalRecord {
		if dr.delegation, err = s.oralDelegation(ctx, in); err != nil {
			return nil, err
		}
		dr.source = drafts.SourceOral
	}
	if dr.delegation == "" {
		return nil, &drafts.Error{Code: drafts.EFORBIDDEN, Message: "only a delegation can make a proposal", Permission: drafts.ActProposalCreate}
	}
	if in.Amends != "" {
		if dr.amended, dr.ops, err = s.subAmendmentOperations(ctx, d, in, dr.delegation); err != nil {
			return nil, err
		}
		dr.base = dr.amended.Base
		return dr, nil
	}
	if dr.ops, err = s.proposalOperations(ctx, d, in); err != nil {
		return nil, err
	}
	return dr, nil
}

// CreateProposal records a proposal by the caller's delegation against a
// base version (or amending another proposal, or made orally and
// recorded by the chair). The operations must apply to the base. Its
// number is claimed just before it is stored (numbers.go).
func (s *Service) CreateProposal(ctx context.Context, doc string, in drafts.ProposalInput) (_ *drafts.Proposal, err error) {
	defer markOp(&err, "service.CreateProposal")
	// The head of the document's trail is read (beginChange) while the
	// document and the proposal are checked: a read only, dropped if the
	// proposal is refused. The room's delegates each waited a round trip
	// for it.
	var began <-chan beginning
	if drafts.ValidID(doc) {
		began = s.beginAhead(ctx, doc)
	}
	dr, err := s.newProposal(ctx, doc, in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &drafts.Proposal{
		ID: s.newProposalID(), Document: doc, Delegation: dr.delegation, Author: dr.user.ID, Base: dr.base,
		Justification: in.Justification, Operations: dr.ops, Text: in.Text, Status: drafts.ProposalOpen,
		Cosponsors: []string{}, Comments: []drafts.Comment{}, CreatedAt: now, UpdatedAt: now, Source: dr.source,
		Language: languageOf(dr.doc, in.Language),
	}
	if dr.source == drafts.SourceOral {
		p.RecordedBy = dr.user.ID
	}
	if dr.amended != nil {
		p.Amends, p.AmendsNumber = dr.amended.ID, dr.amended.Number
	}
	if began == nil {
		began = s.beginAhead(ctx, doc)
	}
	b := <-began
	if b.err != nil {
		return nil, b.err
	}
	tx := b.tx
	// The first proposal opens the negotiation; this goes first, so that a
	// failure leaves no proposal behind.
	d := dr.doc
	if d.State == drafts.StateDrafting {
		if _, err := s.updateDocumentFrom(ctx, d, func(d *drafts.Document) error {
			if d.State != drafts.StateDrafting {
				// Another proposal opened it meanwhile: nothing to write,
				// so many first proposals at once do not contend.
				return errUnchanged
			}
			d.State = drafts.StateNegotiation
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if err := s.storeNewProposal(ctx, p); err != nil {
		return nil, err
	}
	if err := s.commitChange(ctx, tx, p.Audit...); err != nil {
		return nil, err
	}
	return p, nil
}

// storeNewProposal gives a new proposal the next number of its document
// and stores it with the entry of its event (proposal.create), which the
// caller chains (commitChange): how every proposal comes to be, made on
// its own or from a marked-up Word file.
func (s *Service) storeNewProposal(ctx context.Context, p *drafts.Proposal) error {
	var err error
	if p.Number, err = s.claimNumber(ctx, p.Document, p.ID); err != nil {
		return err
	}
	p.Audit = []drafts.AuditEntry{s.auditEntry(ctx, proposalChange(p.ID), "proposal.create", p.ID, proposalDetail(s.proposalName(ctx, p), p))}
	key := proposalKey(p.Document, p.ID)
	etag, size, err := s.putJSON(ctx, key, storeProposal(p), true, "")
	if err != nil {
		return err
	}
	p.ETag = etag
	rememberProposal(s, key, etag, p, size)
	return nil
}

// proposalOperations checks a proposal's input against its document and
// base version and returns the operations it makes (derived from a whole
// edited text if one was sent), every inserted provision with its id.
func (s *Service) proposalOperations(ctx context.Context, d *drafts.Document, in drafts.ProposalInput) ([]drafts.Operation, error) {
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
	// A whole edited text is aligned to the base: heavy work, in the
	// work limit, with the base loaded in it.
	if in.Text == "" {
		return s.operationsOn(ctx, d, in)
	}
	var ops []drafts.Operation
	err := s.Work(ctx, func(ctx context.Context) error {
		var err error
		ops, err = s.operationsOn(ctx, d, in)
		return err
	})
	return ops, err
}

// operationsOn returns the operations in makes on its base version.
func (s *Service) operationsOn(ctx context.Context, d *drafts.Document, in drafts.ProposalInput) ([]drafts.Operation, error) {
	base, err := s.rawVersion(ctx, d.ID, in.Base) // statuses play no part
	if err != nil {
		return nil, err
	}
	// A proposal written in a language version applies to the base's text in it.
	lang, err := proposalLanguage(d, in.Language)
	if err != nil {
		return nil, err
	}
	if base, err = s.baseIn(ctx, base, lang); err != nil {
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
	base, ops, err := s.editedOperations(ctx, d, first, in)
	if err != nil {
		return nil, err
	}
	return s.commitProposal(ctx, func(ctx context.Context) (*drafts.Proposal, []drafts.AuditEntry, error) {
		return s.settleAfter(ctx, "edited", func() (*drafts.Proposal, []drafts.AuditEntry, error) {
			return s.updateProposalAs(ctx, u, d, first, drafts.ActProposalWithdraw, ifMatch, func(p *drafts.Proposal) error {
				if err := p.CheckOpen(); err != nil {
					return err
				}
				p.Base, p.Justification, p.Operations, p.Text = base, in.Justification, ops, in.Text
				p.Language = languageOf(d, in.Language)
				s.addProposalEntry(ctx, p, "proposal.edit", proposalDetail(s.proposalName(ctx, p), p))
				return nil
			})
		})
	}, doc)
}

// editedOperations checks the input of an edit of proposal p and returns
// its new base and operations: a sub-amendment stays one, amending the
// same proposal; a proposal to the text stays one.
func (s *Service) editedOperations(ctx context.Context, d *drafts.Document, p *drafts.Proposal, in drafts.ProposalInput) (int, []drafts.Operation, error) {
	if in.OnBehalfOf != "" || in.Source != "" {
		return 0, nil, &drafts.Error{Code: drafts.EINVALID, Message: "on_behalf_of and source are given when the chair records an oral proposal, not when a proposal is edited",
			Fields: []drafts.FieldError{{Field: "on_behalf_of", Message: "not for an edit"}}}
	}
	if p.Amends == "" {
		if in.Amends != "" {
			return 0, nil, amendsInvalid("a proposal to the text cannot become a sub-amendment; make a new proposal that amends it")
		}
		ops, err := s.proposalOperations(ctx, d, in)
		return in.Base, ops, err
	}
	if in.Amends != "" {
		if id, err := s.proposalID(ctx, d.ID, in.Amends); err != nil || id != p.Amends {
			return 0, nil, amendsInvalid("a sub-amendment keeps the proposal it amends; make a new one to amend another")
		}
	}
	in.Amends = p.Amends
	amended, ops, err := s.subAmendmentOperations(ctx, d, in, p.Delegation)
	if err != nil {
		return 0, nil, err
	}
	return amended.Base, ops, nil
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
