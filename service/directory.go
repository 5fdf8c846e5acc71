package service

import (
	"context"
	"slices"

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
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return err
	}
	e := s.auditEntry(ctx, delegationChange(d.ID), "delegation.create", d.ID, d.Name+" ("+d.Status+")")
	if _, err := s.createJSON(ctx, delegationKey(d.ID), &storedDelegation{Delegation: d, Audit: []drafts.AuditEntry{e}}); err != nil {
		if drafts.IsCode(err, drafts.ECONFLICT) {
			return drafts.Errorf(drafts.ECONFLICT, "delegation %s exists already", d.ID)
		}
		return err
	}
	return s.commitChange(ctx, tx, e)
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
	// A delegation is stored once and never changed (storedDelegation):
	// read through the cache of immutable objects. Every proposal names
	// its delegation in its event, and the room's 28 delegates each
	// waited a round trip for it.
	d, err := getImmutable(ctx, s, delegationKey(id), cloneDelegation)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no delegation %q", id)
	}
	return d, err
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
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return "", err
	}
	e := s.auditEntry(ctx, userChange(u.ID), "user.create", u.ID, userDetail(u))
	if _, err := s.createJSON(ctx, userKey(u.ID), &storedUser{User: u, Audit: []drafts.AuditEntry{e}}); err != nil {
		return "", err
	}
	t, plain, err := s.storeToken(ctx, &holder, "token.issue", "")
	if err != nil {
		s.discard(ctx, userKey(u.ID))
		return "", err
	}
	if err := s.commitChange(ctx, tx, e, t.Audit[0]); err != nil {
		return "", err
	}
	return plain, nil
}

// userDetail is the detail of a user's creation event.
func userDetail(u *drafts.User) string {
	detail := u.Name + ", " + u.Role
	if u.Delegation != "" {
		detail += ", " + u.Delegation
	}
	if u.Body != "" {
		detail += ", " + u.Body
	}
	return detail
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
	objs, next, err := s.directoryPage(ctx, prefix, opt)
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
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return nil, "", err
	}
	t, plain, err := s.storeToken(ctx, u, "token.issue", "")
	if err != nil {
		return nil, "", err
	}
	if err := s.commitChange(ctx, tx, t.Audit...); err != nil {
		return nil, "", err
	}
	return t, plain, nil
}

// storeToken stores a new token for u, u as its holder, with the audit
// entry of its issue (action, detail), which the caller commits.
func (s *Service) storeToken(ctx context.Context, u *drafts.User, action, detail string) (*drafts.Token, string, error) {
	id, plain, hash := drafts.NewTokenSecret()
	t := &drafts.Token{ID: id, User: u.ID, Hash: hash, CreatedAt: s.now(), Holder: u}
	return t, plain, s.createToken(ctx, t, action, detail)
}

// createToken stores t with the audit entry of its issue.
func (s *Service) createToken(ctx context.Context, t *drafts.Token, action, detail string) error {
	if detail == "" {
		detail = "for user " + t.User
	}
	t.Audit = []drafts.AuditEntry{s.auditEntry(ctx, tokenChange(t.ID), action, t.ID, detail)}
	// The credentials' epoch before the token exists, to keep it under
	// (keepNew).
	epoch, epochErr := s.epochNow(ctx)
	key, st := tokenKey(t.ID), storeToken(t)
	etag, err := s.createJSON(ctx, key, st)
	if err == nil && epochErr == nil {
		keepNew(s, epoch, key, etag, st)
	}
	return err
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
// as the credentials' epoch changes (credentials.go).
func (s *Service) RevokeToken(ctx context.Context, id string) (_ *drafts.Token, err error) {
	defer markOp(&err, "service.RevokeToken")
	if _, err := s.directoryFor(ctx, drafts.ActTokenRevoke); err != nil {
		return nil, err
	}
	if !drafts.ValidID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no token %q", id)
	}
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return nil, err
	}
	t, added, err := s.revokeToken(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.commitChange(ctx, tx, added...); err != nil {
		return nil, err
	}
	return t, nil
}

// revokeToken revokes a token, unless it is revoked already, and returns
// it with the audit entry of the revocation, which the caller commits.
func (s *Service) revokeToken(ctx context.Context, id string) (*drafts.Token, []drafts.AuditEntry, error) {
	var t *drafts.Token
	var added []drafts.AuditEntry
	err := retry(func() error {
		added = nil
		var st storedToken
		etag, err := s.getJSON(ctx, tokenKey(id), &st)
		if err != nil {
			if drafts.IsCode(err, drafts.ENOTFOUND) {
				return drafts.Errorf(drafts.ENOTFOUND, "no token %q", id)
			}
			return err
		}
		if t = st.token(); t == nil {
			return drafts.Errorf(drafts.EINTERNAL, "stored object %s is damaged", tokenKey(id))
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.now()
		t.RevokedAt = &now
		e := s.auditEntry(ctx, tokenRevokeChange(id), "token.revoke", id, "of user "+t.User)
		t.Audit = append(slices.Clip(t.Audit), e)
		if _, err = s.updateJSON(ctx, tokenKey(id), storeToken(t), etag); err == nil {
			added = []drafts.AuditEntry{e}
		}
		return err
	})
	if err == nil {
		// Also when it was revoked already: a revocation that failed
		// before it changed the epoch changes it now.
		err = s.credentialChanged(ctx, tokenKey(id),
			"the token is revoked, but other servers of this site may accept it until the storage answers again: revoke it again to make sure")
	}
	return t, added, err
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
	epoch, err := s.epochNow(ctx)
	if err != nil {
		return nil, err
	}
	st, etag, err := s.readToken(ctx, epoch, id)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, bad
		}
		return nil, err
	}
	t := st.token()
	if t == nil || !drafts.VerifySecret(secret, t.Hash) || t.RevokedAt != nil {
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
	if _, err := s.updateJSON(ctx, tokenKey(id), storeToken(t), etag); err != nil && !drafts.IsCode(err, drafts.EPRECONDITION) {
		s.Log.Warn("could not add the holder to a token's record", "token", id, "err", err)
	}
	s.forgetCredential(tokenKey(id)) // read with its holder next time
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
	var t *drafts.Token
	if given != "" {
		id, secret, ok := drafts.SplitToken(given)
		if !ok || len(secret) < 16 {
			return "", drafts.Errorf(drafts.EINVALID, "bootstrap token must look like chy_<id>_<secret> with a secret of 16 characters or more")
		}
		t = &drafts.Token{ID: id, User: u.ID, Hash: drafts.HashSecret(secret), CreatedAt: s.now(), Holder: u}
	}
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return "", err
	}
	e := s.auditEntry(ctx, userChange(u.ID), "user.create", u.ID, userDetail(u)+" (bootstrap)")
	if _, err := s.createJSON(ctx, userKey(u.ID), &storedUser{User: u, Audit: []drafts.AuditEntry{e}}); err != nil {
		if drafts.IsCode(err, drafts.ECONFLICT) { // another replica bootstrapped
			return "", nil
		}
		return "", err
	}
	plain := given
	if t == nil {
		t, plain, err = s.storeToken(ctx, u, "token.issue", "")
	} else {
		err = s.createToken(ctx, t, "token.issue", "")
	}
	if err != nil {
		return "", err
	}
	if err := s.commitChange(ctx, tx, e, t.Audit[0]); err != nil {
		return "", err
	}
	return plain, nil
}
