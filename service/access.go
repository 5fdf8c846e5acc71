package drafts

import "context"

// systemUser is who acts for trusted callers (the command line, the demo
// loader, timed settlements): the secretariat's powers.
var systemUser = User{ID: "system", Name: "System", Role: RoleSecretariat}

// NewSystemContext returns a copy of ctx acting as the system: the
// secretariat's powers, for trusted callers such as the command line and
// the demo loader. Never use it for a request from outside.
func NewSystemContext(ctx context.Context) context.Context {
	u := systemUser
	return NewContextWithUser(ctx, &u)
}

// authorize asks the policy whether u may perform action on r. Without an
// Authorizer nothing is allowed.
func (s *Service) authorize(u *User, action string, r Resource) error {
	if s.Auth == nil {
		return Errorf(EINTERNAL, "the service has no authorizer")
	}
	return s.Auth.Authorize(u.Subject(), action, r)
}

// authorizeSaying is authorize with the refusal's message replaced by
// words that fit the case better than the policy's generic ones.
func (s *Service) authorizeSaying(u *User, action string, r Resource, message string) error {
	err := s.authorize(u, action, r)
	if e, ok := err.(*Error); ok && e.Code == EFORBIDDEN {
		return &Error{Code: EFORBIDDEN, Message: message, Permission: e.Permission}
	}
	return err
}

// visible is the visibility rule, in this one place: a document the user
// may not read does not exist for them. It returns ENOTFOUND for such a
// document, nil for a visible one.
func (s *Service) visible(u *User, d *Document) error {
	err := s.authorize(u, ActDocumentRead, d.Resource())
	if IsCode(err, EFORBIDDEN) {
		return Errorf(ENOTFOUND, "no document %q", d.ID)
	}
	return err
}

// canSee reports whether u may see d at all (for lists).
func (s *Service) canSee(u *User, d *Document) (bool, error) {
	err := s.visible(u, d)
	if IsCode(err, ENOTFOUND) {
		return false, nil
	}
	return err == nil, err
}

// documentFor loads a document for the user of ctx and checks that they
// may see it and perform action on it (ActDocumentRead to read only).
func (s *Service) documentFor(ctx context.Context, id, action string) (*User, *Document, error) {
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
	if action != ActDocumentRead {
		if err := s.authorize(u, action, d.Resource()); err != nil {
			return nil, nil, err
		}
	}
	return u, d, nil
}

// directoryFor checks that the user of ctx may perform a directory action.
func (s *Service) directoryFor(ctx context.Context, action string) (*User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(u, action, Resource{Type: "directory"}); err != nil {
		return nil, err
	}
	return u, nil
}
