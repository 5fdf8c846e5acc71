package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// RenumberVersion stores, as the new head, the head with its numbers made
// a clean sequence (see Renumber): the chair's last step before adoption,
// which turns "6 bis" into 7 and moves the numbers after it. Texts, ids
// and statuses stay, so the diff between the two versions shows
// renumbering only. EFORBIDDEN unless the user may publish versions of
// the document (its body's chair); ECONFLICT if base is not the head (or another version
// was created meanwhile), if the document is adopted, withdrawn or under
// adoption, or if its numbering is already clean; EINVALID for a message
// that is too long.
func (s *Service) RenumberVersion(ctx context.Context, doc string, in drafts.RenumberInput) (_ *drafts.Version, err error) {
	defer markOp(&err, "service.RenumberVersion")
	// Renumbering publishes a version: the permission to publish one.
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActVersionCreate, true)
	if err != nil {
		return nil, err
	}
	if in.Base != d.Head {
		return nil, drafts.Errorf(drafts.ECONFLICT, "base version %d is not the head (version %d); start again from the head", in.Base, d.Head)
	}
	if err := drafts.CheckNote("message", in.Message, 2000, false); err != nil {
		return nil, err
	}
	head, err := s.getVersion(ctx, doc, d.Head)
	if err != nil {
		return nil, err
	}
	ps, n := drafts.Renumber(head.Provisions)
	if n == 0 {
		return nil, drafts.Errorf(drafts.ECONFLICT, "the numbers of version %d already follow each other; there is nothing to renumber", head.Number)
	}
	msg := in.Message
	if msg == "" {
		msg = fmt.Sprintf("Renumbering: %d numbers changed.", n)
	}
	v := &drafts.Version{
		Document: doc, Number: head.Number + 1, Parent: head.Number, Author: u.ID, Delegation: u.Delegation,
		Message: msg, CreatedAt: s.now(), Merged: []string{}, Lead: head.Lead, Provisions: ps,
	}
	if _, err := s.publishVersion(ctx, d, head, v, "version.renumber", nil); err != nil {
		return nil, err
	}
	return v, nil
}
