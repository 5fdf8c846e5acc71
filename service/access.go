package service

import (
	"context"

	"chancery/drafts"
)

// authorize asks the policy whether u may perform action on r. Without an
// Authorizer nothing is allowed.
func (s *Service) authorize(u *drafts.User, action string, r drafts.Resource) error {
	if s.Auth == nil {
		return drafts.Errorf(drafts.EINTERNAL, "the service has no authorizer")
	}
	return s.Auth.Authorize(u.Subject(), action, r)
}

// authorizeSaying is authorize with the refusal's message replaced by
// words that fit the case better than the policy's generic ones.
func (s *Service) authorizeSaying(u *drafts.User, action string, r drafts.Resource, message string) error {
	err := s.authorize(u, action, r)
	if e, ok := err.(*drafts.Error); ok && e.Code == drafts.EFORBIDDEN {
		return &drafts.Error{Code: drafts.EFORBIDDEN, Message: message, Permission: e.Permission}
	}
	return err
}

// visible is the visibility rule, in this one place: a document the user
// may not read does not exist for them. It returns ENOTFOUND for such a
// document, nil for a visible one.
func (s *Service) visible(u *drafts.User, d *drafts.Document) error {
	err := s.authorize(u, drafts.ActDocumentRead, d.Resource())
	if drafts.IsCode(err, drafts.EFORBIDDEN) {
		return drafts.Errorf(drafts.ENOTFOUND, "no document %q", d.ID)
	}
	return err
}

// canSee reports whether u may see d at all (for lists).
func (s *Service) canSee(u *drafts.User, d *drafts.Document) (bool, error) {
	err := s.visible(u, d)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return false, nil
	}
	return err == nil, err
}

// documentFor loads a document for the user of ctx and checks that they
// may see it and perform action on it (ActDocumentRead to read only).
func (s *Service) documentFor(ctx context.Context, id, action string) (*drafts.User, *drafts.Document, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.loadDocument(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.visible(u, d); err != nil {
		return nil, nil, err
	}
	if action != drafts.ActDocumentRead {
		if err := s.authorize(u, action, d.Resource()); err != nil {
			return nil, nil, err
		}
	}
	return u, d, nil
}

// directoryFor checks that the user of ctx may perform a directory action.
func (s *Service) directoryFor(ctx context.Context, action string) (*drafts.User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(u, action, drafts.Resource{Type: "directory"}); err != nil {
		return nil, err
	}
	return u, nil
}
