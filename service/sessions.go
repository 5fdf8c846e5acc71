package service

import (
	"context"
	"strings"
	"time"

	"chancery/drafts"
)

const (
	sessionPrefix = "ses_"
	linkPrefix    = "lnk_"
)

// splitSecret splits "<prefix><id>_<secret>" like SplitToken.
func splitSecret(prefix, plain string) (id, secret string, ok bool) {
	rest, found := strings.CutPrefix(plain, prefix)
	if !found || len(plain) > 200 {
		return "", "", false
	}
	id, secret, found = strings.Cut(rest, "_")
	if !found || !drafts.ValidID(id) || len(secret) < 16 {
		return "", "", false
	}
	for _, c := range secret {
		if c <= ' ' || c >= 0x7f {
			return "", "", false
		}
	}
	return id, secret, true
}

// CreateSession starts a session for the user of ctx lasting ttl, and
// returns it with the plain session secret to set as a cookie (shown once).
// tokenID names the API token the user signed in with ("" for none): the
// session ends when it is revoked.
func (s *Service) CreateSession(ctx context.Context, tokenID string, ttl time.Duration) (_ *drafts.Session, _ string, err error) {
	defer markOp(&err, "service.CreateSession")
	u, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	if ttl <= 0 {
		return nil, "", drafts.Errorf(drafts.EINVALID, "a session must last some time")
	}
	// The credentials' epoch before the session exists, to keep it under
	// (keepNew).
	epoch, epochErr := s.epochNow(ctx)
	id, secret := drafts.RandomID(16), drafts.RandomID(32)
	now := s.now()
	ses := &drafts.Session{ID: id, User: u.ID, Hash: drafts.HashSecret(secret), CSRF: drafts.RandomID(32), Token: tokenID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	etag, err := s.createJSON(ctx, sessionKey(id), ses)
	if err != nil {
		return nil, "", err
	}
	if epochErr == nil {
		keepNew(s, epoch, sessionKey(id), etag, ses)
	}
	return ses, sessionPrefix + id + "_" + secret, nil
}

// GetSession returns the session of a plain session secret and its user
// (with its delegation's status); it needs no user in ctx. EUNAUTHORIZED for an unknown, malformed
// or expired session; an expired one is removed.
func (s *Service) GetSession(ctx context.Context, plain string) (_ *drafts.Session, _ *drafts.User, err error) {
	defer markOp(&err, "service.GetSession")
	bad := drafts.Errorf(drafts.EUNAUTHORIZED, "your session has ended; sign in again")
	id, secret, ok := splitSecret(sessionPrefix, plain)
	if !ok {
		return nil, nil, bad
	}
	epoch, err := s.epochNow(ctx)
	if err != nil {
		return nil, nil, err
	}
	ses, err := s.readSession(ctx, epoch, id)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, nil, bad
		}
		return nil, nil, err
	}
	if !drafts.VerifySecret(secret, ses.Hash) {
		return nil, nil, bad
	}
	if !s.now().Before(ses.ExpiresAt) {
		s.forgetCredential(sessionKey(id))
		s.discard(ctx, sessionKey(id))
		return nil, nil, bad
	}
	if ses.Token != "" {
		// As Authenticate reads it: the token as stored.
		st, _, err := s.readToken(ctx, epoch, ses.Token)
		var t *drafts.Token
		if err == nil {
			t = st.token()
		}
		if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, nil, err
		} else if t == nil || t.RevokedAt != nil || t.User != ses.User {
			s.forgetCredential(sessionKey(id))
			s.discard(ctx, sessionKey(id))
			return nil, nil, bad
		}
		if t.Holder != nil && t.Holder.ID == ses.User {
			// The token carries its holder, as authentication with it
			// reads it (drafts.Token.Holder): no more reads.
			return ses, t.Holder, nil
		}
	}
	u, err := s.holder(ctx, ses.User)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, nil, bad
		}
		return nil, nil, err
	}
	return ses, u, nil
}

// readSession reads session id under the credentials' epoch (see
// credentials.go).
func (s *Service) readSession(ctx context.Context, epoch, id string) (*drafts.Session, error) {
	ses, _, err := readCredential(s, epoch, sessionKey(id), func(v *drafts.Session) *drafts.Session { c := *v; return &c },
		func() (*drafts.Session, string, error) {
			var ses drafts.Session
			etag, err := s.getJSON(ctx, sessionKey(id), &ses)
			return &ses, etag, err
		})
	return ses, err
}

// readToken reads token id under the credentials' epoch (see
// credentials.go), as getMutable reads it.
func (s *Service) readToken(ctx context.Context, epoch, id string) (*storedToken, string, error) {
	return readCredential(s, epoch, tokenKey(id), cloneStoredToken, func() (*storedToken, string, error) {
		return getMutable(ctx, s, tokenKey(id), cloneStoredToken)
	})
}

// DeleteSession ends a session (signing out). Ending a session that is
// gone already is not an error; it changes the credentials' epoch again,
// for a sign-out that failed to change it.
func (s *Service) DeleteSession(ctx context.Context, plain string) (err error) {
	defer markOp(&err, "service.DeleteSession")
	id, secret, ok := splitSecret(sessionPrefix, plain)
	if !ok {
		return nil
	}
	var ses drafts.Session
	if _, err := s.getJSON(ctx, sessionKey(id), &ses); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return s.signedOut(ctx, id)
		}
		return err
	}
	if !drafts.VerifySecret(secret, ses.Hash) {
		return nil
	}
	if err := s.Store.Delete(ctx, sessionKey(id), ""); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return err
	}
	return s.signedOut(ctx, id)
}

// signedOut has every replica forget session id (the session is gone).
func (s *Service) signedOut(ctx context.Context, id string) error {
	return s.credentialChanged(ctx, sessionKey(id),
		"you are signed out, but other servers of this site may still know the session until the storage answers again: sign out again to make sure")
}

// CreateSignInLink issues a one-time sign-in secret for a user, valid for
// ttl, and returns the plain secret (shown once) and when it expires. Who
// may issue tokens may issue links (the secretariat); the caller is
// recorded as its issuer.
func (s *Service) CreateSignInLink(ctx context.Context, userID string, ttl time.Duration) (_ string, _ time.Time, err error) {
	defer markOp(&err, "service.CreateSignInLink")
	u, err := s.directoryFor(ctx, drafts.ActTokenCreate)
	if err != nil {
		return "", time.Time{}, err
	}
	if _, err := s.getUser(ctx, userID); err != nil {
		return "", time.Time{}, err
	}
	if ttl <= 0 || ttl > 30*24*time.Hour {
		return "", time.Time{}, drafts.Errorf(drafts.EINVALID, "a sign-in link lasts from a minute to 30 days")
	}
	id, secret := drafts.RandomID(16), drafts.RandomID(32)
	now := s.now()
	l := &drafts.SignInLink{ID: id, User: userID, Hash: drafts.HashSecret(secret), IssuedBy: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if _, err := s.createJSON(ctx, linkKey(id), l); err != nil {
		return "", time.Time{}, err
	}
	return linkPrefix + id + "_" + secret, l.ExpiresAt, nil
}

// RedeemSignInLink uses a one-time sign-in secret (it needs no user in
// ctx): it returns the user it was issued for, with its delegation's
// status, and removes it, so that of any number of concurrent
// redemptions exactly one succeeds. EUNAUTHORIZED for an unknown, used or
// expired link.
func (s *Service) RedeemSignInLink(ctx context.Context, plain string) (_ *drafts.User, err error) {
	defer markOp(&err, "service.RedeemSignInLink")
	bad := drafts.Errorf(drafts.EUNAUTHORIZED, "this sign-in link is not valid: it was used already, has expired or was mistyped")
	id, secret, ok := splitSecret(linkPrefix, plain)
	if !ok {
		return nil, bad
	}
	var l drafts.SignInLink
	etag, err := s.getJSON(ctx, linkKey(id), &l)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, bad
		}
		return nil, err
	}
	if !drafts.VerifySecret(secret, l.Hash) {
		return nil, bad
	}
	// Deleting at the ETag read makes the link single-use across replicas.
	if err := s.Store.Delete(ctx, linkKey(id), etag); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) || drafts.IsCode(err, drafts.EPRECONDITION) {
			return nil, bad
		}
		return nil, err
	}
	if !s.now().Before(l.ExpiresAt) {
		return nil, bad
	}
	u, err := s.holder(ctx, l.User)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, bad
		}
		return nil, err
	}
	return u, nil
}

// RenewSession extends a live session to last ttl from now, but never
// past drafts.MaxSessionAge from when it began: a delegate signed in by a
// one-time link, who cannot sign in with it again, stays signed in
// through a long meeting.
func (s *Service) RenewSession(ctx context.Context, plain string, ttl time.Duration) (_ *drafts.Session, err error) {
	defer markOp(&err, "service.RenewSession")
	if ttl <= 0 {
		return nil, drafts.Errorf(drafts.EINVALID, "a session must last some time")
	}
	if _, _, err := s.GetSession(ctx, plain); err != nil {
		return nil, err
	}
	id, _, _ := splitSecret(sessionPrefix, plain)
	var out drafts.Session
	err = retry(func() error {
		var ses drafts.Session
		etag, err := s.getJSON(ctx, sessionKey(id), &ses)
		if err != nil {
			if drafts.IsCode(err, drafts.ENOTFOUND) {
				return drafts.Errorf(drafts.EUNAUTHORIZED, "your session has ended; sign in again")
			}
			return err
		}
		end := s.now().Add(ttl)
		if limit := ses.CreatedAt.Add(drafts.MaxSessionAge); end.After(limit) {
			end = limit
		}
		if end.After(ses.ExpiresAt) {
			ses.ExpiresAt = end
			if _, err := s.updateJSON(ctx, sessionKey(id), &ses, etag); err != nil {
				return err
			}
		}
		out = ses
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Every replica shows the session's new end from the next request.
	if err := s.credentialChanged(ctx, sessionKey(id),
		"your session is renewed, but other servers of this site may not know it until the storage answers again: renew it again to make sure"); err != nil {
		return nil, err
	}
	return &out, nil
}
