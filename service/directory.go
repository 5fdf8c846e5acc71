package service

import (
	"context"

	"chancery/drafts"
)

// Me returns the user of ctx.
func (s *Service) Me(ctx context.Context) (_ *drafts.User, err error) {
	defer markOp(&err, "service.Me")
	return s.directoryFor(ctx, drafts.ActMeRead)
}

// CreateDelegation adds a delegation. ECONFLICT if the id is taken.
func (s *Service) CreateDelegation(ctx context.Context, d *drafts.Delegation) (err error) {
	defer markOp(&err, "service.CreateDelegation")
	if _, err := s.directoryFor(ctx, drafts.ActDelegationCreate); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	if _, err := s.createJSON(ctx, delegationKey(d.ID), d); err != nil {
		if drafts.IsCode(err, drafts.ECONFLICT) {
			return drafts.Errorf(drafts.ECONFLICT, "delegation %s exists already", d.ID)
		}
		return err
	}
	return nil
}

// GetDelegation returns a delegation. ENOTFOUND if there is none.
func (s *Service) GetDelegation(ctx context.Context, id string) (_ *drafts.Delegation, err error) {
	defer markOp(&err, "service.GetDelegation")
	if _, err := s.directoryFor(ctx, drafts.ActDelegationList); err != nil {
		return nil, err
	}
	return s.getDelegation(ctx, id)
}

func (s *Service) getDelegation(ctx context.Context, id string) (*drafts.Delegation, error) {
	if !drafts.ValidDelegationID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no delegation %q", id)
	}
	var d drafts.Delegation
	if _, err := s.getJSON(ctx, delegationKey(id), &d); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no delegation %q", id)
		}
		return nil, err
	}
	return &d, nil
}

// ListDelegations returns one page of delegations, by id.
func (s *Service) ListDelegations(ctx context.Context, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Delegation], err error) {
	defer markOp(&err, "service.ListDelegations")
	if _, err := s.directoryFor(ctx, drafts.ActDelegationList); err != nil {
		return nil, err
	}
	return listDirectory(ctx, s, delegationsPrefix, opt, cloneDelegation)
}

// CreateUser adds a user and issues its first token, returned in plain text
// once. The delegation must exist for delegates and observers.
func (s *Service) CreateUser(ctx context.Context, u *drafts.User) (plain string, err error) {
	defer markOp(&err, "service.CreateUser")
	if _, err := s.directoryFor(ctx, drafts.ActUserCreate); err != nil {
		return "", err
	}
	u.ID = s.NewID()
	u.CreatedAt = s.now()
	u.DelegationStatus = ""
	if err := u.Validate(); err != nil {
		return "", err
	}
	holder := *u
	if u.Delegation != "" {
		d, err := s.getDelegation(ctx, u.Delegation)
		if err != nil {
			if drafts.IsCode(err, drafts.ENOTFOUND) {
				return "", &drafts.Error{Code: drafts.EINVALID, Message: "no delegation " + u.Delegation,
					Fields: []drafts.FieldError{{Field: "delegation", Message: "no such delegation"}}}
			}
			return "", err
		}
		holder.DelegationStatus = d.Status
	}
	if _, err := s.createJSON(ctx, userKey(u.ID), u); err != nil {
		return "", err
	}
	if _, plain, err = s.storeToken(ctx, &holder); err != nil {
		s.discard(ctx, userKey(u.ID))
		return "", err
	}
	return plain, nil
}

// GetUser returns a user. ENOTFOUND if there is none.
func (s *Service) GetUser(ctx context.Context, id string) (_ *drafts.User, err error) {
	defer markOp(&err, "service.GetUser")
	if _, err := s.directoryFor(ctx, drafts.ActUserList); err != nil {
		return nil, err
	}
	return s.getUser(ctx, id)
}

func (s *Service) getUser(ctx context.Context, id string) (*drafts.User, error) {
	var u drafts.User
	if !drafts.ValidID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no user %q", id)
	}
	if _, err := s.getJSON(ctx, userKey(id), &u); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no user %q", id)
		}
		return nil, err
	}
	return &u, nil
}

// ListUsers returns one page of users.
func (s *Service) ListUsers(ctx context.Context, opt drafts.ListOptions) (_ *drafts.Page[*drafts.User], err error) {
	defer markOp(&err, "service.ListUsers")
	if _, err := s.directoryFor(ctx, drafts.ActUserList); err != nil {
		return nil, err
	}
	return listDirectory(ctx, s, usersPrefix, opt, cloneUser)
}

// listDirectory returns one page of the directory's records under prefix.
func listDirectory[T any](ctx context.Context, s *Service, prefix string, opt drafts.ListOptions, clone func(*T) *T) (*drafts.Page[*T], error) {
	objs, next, err := s.listInfos(ctx, prefix, opt)
	if err != nil {
		return nil, err
	}
	read, _, err := readListed(ctx, s, objs, clone)
	if err != nil {
		return nil, err
	}
	page := &drafts.Page[*T]{Items: []*T{}, NextCursor: next}
	for _, v := range read {
		if v != nil {
			page.Items = append(page.Items, v)
		}
	}
	return page, nil
}

// IssueToken issues a new token for a user; only its hash is stored.
func (s *Service) IssueToken(ctx context.Context, userID string) (_ *drafts.Token, _ string, err error) {
	defer markOp(&err, "service.IssueToken")
	if _, err := s.directoryFor(ctx, drafts.ActTokenCreate); err != nil {
		return nil, "", err
	}
	return s.issueToken(ctx, userID)
}

func (s *Service) issueToken(ctx context.Context, userID string) (*drafts.Token, string, error) {
	u, err := s.holder(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	return s.storeToken(ctx, u)
}

// storeToken stores a new token for u, u as its holder.
func (s *Service) storeToken(ctx context.Context, u *drafts.User) (*drafts.Token, string, error) {
	id, plain, hash := drafts.NewTokenSecret()
	t := &drafts.Token{ID: id, User: u.ID, Hash: hash, CreatedAt: s.now(), Holder: u}
	if _, err := s.createJSON(ctx, tokenKey(id), t); err != nil {
		return nil, "", err
	}
	return t, plain, nil
}

// holder reads a user with its delegation's status.
func (s *Service) holder(ctx context.Context, userID string) (*drafts.User, error) {
	u, err := s.getUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Delegation != "" {
		d, err := s.getDelegation(ctx, u.Delegation)
		if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, err
		}
		if d != nil {
			u.DelegationStatus = d.Status
		}
	}
	return u, nil
}

// RevokeToken revokes a token; it stops working at once on every replica,
// since every request reads the token from storage (never from a cache).
func (s *Service) RevokeToken(ctx context.Context, id string) (_ *drafts.Token, err error) {
	defer markOp(&err, "service.RevokeToken")
	if _, err := s.directoryFor(ctx, drafts.ActTokenRevoke); err != nil {
		return nil, err
	}
	if !drafts.ValidID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no token %q", id)
	}
	var t drafts.Token
	err = retry(func() error {
		etag, err := s.getJSON(ctx, tokenKey(id), &t)
		if err != nil {
			if drafts.IsCode(err, drafts.ENOTFOUND) {
				return drafts.Errorf(drafts.ENOTFOUND, "no token %q", id)
			}
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.now()
		t.RevokedAt = &now
		_, err = s.updateJSON(ctx, tokenKey(id), &t, etag)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Authenticate returns the user holding a plain token, with its
// delegation's status: one storage read, the token's record, which carries
// its holder. The record is read on every call, never cached, so that a
// revocation takes effect at once on every replica. EUNAUTHORIZED for an
// unknown, malformed or revoked token; the message never repeats the token.
func (s *Service) Authenticate(ctx context.Context, plain string) (_ *drafts.User, err error) {
	defer markOp(&err, "service.Authenticate")
	bad := drafts.Errorf(drafts.EUNAUTHORIZED, "invalid or revoked token")
	id, secret, ok := drafts.SplitToken(plain)
	if !ok {
		return nil, bad
	}
	t, etag, err := getMutable(ctx, s, tokenKey(id), cloneToken)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, bad
		}
		return nil, err
	}
	if !drafts.VerifySecret(secret, t.Hash) || t.RevokedAt != nil {
		return nil, bad
	}
	if t.Holder != nil && t.Holder.ID == t.User {
		return t.Holder, nil
	}
	// A token stored before records carried their holder.
	u, err := s.holder(ctx, t.User)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, bad
		}
		return nil, err
	}
	t.Holder = u
	// Best effort: a lost race (a revocation meanwhile) keeps the stored record.
	if _, err := s.updateJSON(ctx, tokenKey(id), t, etag); err != nil && !drafts.IsCode(err, drafts.EPRECONDITION) {
		s.Log.Warn("could not add the holder to a token's record", "token", id, "err", err)
	}
	return u, nil
}

// Bootstrap creates the first secretariat user when the directory has no
// user yet, and returns its plain token ("" if users exist). A given token
// (CHANCERY_BOOTSTRAP_TOKEN) is used instead of a random one.
func (s *Service) Bootstrap(ctx context.Context, given string) (_ string, err error) {
	defer markOp(&err, "service.Bootstrap")
	objs, _, err := s.Store.List(ctx, usersPrefix, "", 1)
	if err != nil {
		return "", err
	}
	if len(objs) > 0 {
		return "", nil
	}
	u := &drafts.User{ID: "secretariat", Name: "Secretariat", Role: drafts.RoleSecretariat, CreatedAt: s.now()}
	if _, err := s.createJSON(ctx, userKey(u.ID), u); err != nil {
		if drafts.IsCode(err, drafts.ECONFLICT) { // another replica bootstrapped
			return "", nil
		}
		return "", err
	}
	if given == "" {
		_, plain, err := s.storeToken(ctx, u)
		return plain, err
	}
	id, secret, ok := drafts.SplitToken(given)
	if !ok || len(secret) < 16 {
		return "", drafts.Errorf(drafts.EINVALID, "bootstrap token must look like chy_<id>_<secret> with a secret of 16 characters or more")
	}
	t := &drafts.Token{ID: id, User: u.ID, Hash: drafts.HashSecret(secret), CreatedAt: s.now(), Holder: u}
	if _, err := s.createJSON(ctx, tokenKey(id), t); err != nil {
		return "", err
	}
	return given, nil
}
