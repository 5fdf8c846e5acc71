package service

import (
	"context"
	"fmt"
	"strings"

	"chancery/drafts"
)

// ImportWordDocument creates a document from a Word file that several
// delegations marked up: version 1 is its text with their changes
// rejected, and each delegation's changes a proposal of that delegation
// against it, submitted by the caller. Everything is checked before
// anything is stored; should storing a proposal fail, the document and
// what was stored with it are taken back.
func (s *Service) ImportWordDocument(ctx context.Context, d *drafts.Document, in drafts.WordImport) (_ *drafts.Document, _ *drafts.Version, _ []*drafts.Proposal, err error) {
	defer markOp(&err, "service.ImportWordDocument")
	u, err := actor(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if in.File == nil || len(in.File.Original) == 0 {
		return nil, nil, nil, &drafts.Error{Code: drafts.EINVALID, Message: "Word file: with its tracked changes rejected, the file has no text",
			Fields: []drafts.FieldError{{Field: "file", Message: "no text without the tracked changes"}}}
	}
	if err := s.authorize(u, drafts.ActDocumentCreate, (&drafts.Document{Body: d.Body, Visibility: d.Visibility}).Resource()); err != nil {
		return nil, nil, nil, err
	}
	codes := in.Delegations()
	if err := s.checkImport(ctx, in, codes); err != nil {
		return nil, nil, nil, err
	}
	doc, v, err := s.CreateDocument(ctx, d, in.File.OriginalText())
	if err != nil {
		return nil, nil, nil, err
	}
	if len(codes) == 0 {
		return doc, v, []*drafts.Proposal{}, nil
	}
	tx, err := s.beginChange(ctx, doc.ID)
	if err != nil {
		s.takeBack(ctx, doc)
		return nil, nil, nil, err
	}
	doc, ps, err := s.importProposals(ctx, u, doc, v, in, codes)
	if err != nil {
		s.takeBack(ctx, doc)
		return nil, nil, nil, err
	}
	// Stored: from here a failure to chain the events leaves them owed
	// to completion, not the document taken back.
	var entries []drafts.AuditEntry
	for _, p := range ps {
		entries = append(entries, p.Audit...)
	}
	if err := s.commitChange(ctx, tx, entries...); err != nil {
		return nil, nil, nil, err
	}
	return doc, v, ps, nil
}

// checkImport checks, before anything is stored, that each delegation
// of the import is a member and that its changes make a proposal, tried
// on the text of version 1 with ids of its own.
func (s *Service) checkImport(ctx context.Context, in drafts.WordImport, codes []string) error {
	for _, code := range codes {
		del, err := s.getDelegation(ctx, code)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return importError(in, code, "no such delegation")
		}
		if err != nil {
			return err
		}
		if del.Status != drafts.StatusMember {
			return importError(in, code, "an observer delegation makes no proposals")
		}
	}
	t, err := drafts.ParseText(in.File.OriginalText(), s.TextLimits)
	if err != nil {
		return err
	}
	for i := range t.Provisions {
		t.Provisions[i].ID = fmt.Sprintf("trial-%d", i)
	}
	for _, code := range codes {
		if _, err := s.importOperations(in, code, t.Provisions); err != nil {
			return err
		}
	}
	return nil
}

// importOperations returns the operations that a delegation's changes
// make to base (version 1), each inserted provision with its id.
func (s *Service) importOperations(in drafts.WordImport, code string, base []drafts.Provision) ([]drafts.Operation, error) {
	ops, err := in.File.ViewOperations(code, base, s.TextLimits)
	if err == nil {
		ops, err = s.splitInserts(ops)
	}
	if err == nil && len(ops) > drafts.MaxOperations {
		err = fmt.Errorf("they make %d changes; the limit is %d", len(ops), drafts.MaxOperations)
	}
	if err == nil {
		_, err = drafts.ApplyOperations(base, ops, s.NewID, s.TextLimits)
	}
	if err != nil {
		return nil, importError(in, code, strings.TrimPrefix(drafts.ErrorMessage(err), "Word file: "))
	}
	return ops, nil
}

// importError is the EINVALID error of a delegation's changes.
func importError(in drafts.WordImport, code, msg string) error {
	m := fmt.Sprintf("Word file: the tracked changes of %s (for %s): %s", quoteAll(in.Authors[code]), code, msg)
	return &drafts.Error{Code: drafts.EINVALID, Message: m, Fields: []drafts.FieldError{{Field: "authors", Message: m}}}
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// importProposals stores each delegation's proposal against version 1,
// opening the negotiation first; each is numbered and recorded as any
// proposal made (storeNewProposal); the caller chains their events.
func (s *Service) importProposals(ctx context.Context, u *drafts.User, doc *drafts.Document, v *drafts.Version, in drafts.WordImport, codes []string) (*drafts.Document, []*drafts.Proposal, error) {
	doc, err := s.updateDocumentFrom(ctx, doc, func(d *drafts.Document) error {
		if d.State != drafts.StateDrafting {
			return errUnchanged
		}
		d.State = drafts.StateNegotiation
		return nil
	})
	if err != nil {
		return doc, nil, err
	}
	ps := []*drafts.Proposal{}
	for _, code := range codes {
		ops, err := s.importOperations(in, code, v.Provisions)
		if err != nil {
			return doc, nil, err
		}
		now := s.now()
		p := &drafts.Proposal{
			ID: s.newProposalID(), Document: doc.ID, Delegation: code, Author: u.ID, Base: v.Number,
			Justification: drafts.ImportJustification(doc.Language, in.Authors[code]),
			Operations:    ops, Status: drafts.ProposalOpen, Cosponsors: []string{}, Comments: []drafts.Comment{}, CreatedAt: now, UpdatedAt: now,
		}
		if err := s.storeNewProposal(ctx, p); err != nil {
			return doc, nil, err
		}
		ps = append(ps, p)
	}
	return doc, ps, nil
}

// takeBack removes a document a request created and could not complete,
// with everything stored under it, and frees its symbol.
func (s *Service) takeBack(ctx context.Context, doc *drafts.Document) {
	ctx = context.WithoutCancel(ctx)
	after := ""
	for {
		objs, next, err := s.Store.List(ctx, textKey(doc.ID, ""), after, 500)
		if err != nil {
			s.Log.Error("leftover objects of a failed request", "document", doc.ID, "err", err)
			break
		}
		for _, o := range objs {
			s.discard(ctx, o.Key)
		}
		if next == "" {
			break
		}
		after = next
	}
	s.discard(ctx, documentKey(doc.ID))
	s.discard(ctx, symbolKey(doc.Symbol))
}
