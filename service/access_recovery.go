package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// The directory's audit trail holds events that belong to no document
// (access recovered from the command line), hash-chained like a
// document's trail.

// RecoverAccess issues a new token to a user for a trusted caller (the
// command line, acting with NewSystemContext): it is for an operator with
// direct access to the storage, when the only secretariat token is lost.
// The caller needs the token:create permission (and token:revoke for
// RevokeOthers). It records an event in the directory's
// audit trail; if that fails, the token is discarded and the error
// returned, so no token exists without its record. ENOTFOUND if the user
// does not exist.
func (s *Service) RecoverAccess(ctx context.Context, in drafts.RecoverAccessInput) (_ *drafts.RecoverAccessResult, err error) {
	defer markOp(&err, "service.RecoverAccess")
	_, err = s.directoryFor(ctx, drafts.ActTokenCreate)
	if err != nil {
		return nil, err
	}
	if in.RevokeOthers {
		if _, err := s.directoryFor(ctx, drafts.ActTokenRevoke); err != nil {
			return nil, err
		}
	}
	u, err := s.holder(ctx, in.User)
	if err != nil {
		return nil, err
	}
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return nil, err
	}
	detail := "new token issued from the command line"
	if in.Operator != "" {
		detail += " by " + in.Operator
	}
	t, plain, err := s.storeToken(ctx, u, "token.recover", detail)
	if err != nil {
		return nil, err
	}
	id := t.ID
	res := &drafts.RecoverAccessResult{Token: t, Plain: plain}
	entries := []drafts.AuditEntry{t.Audit[0]}
	if in.RevokeOthers {
		// Each revocation has its own event, after the recovery's.
		revoked, err := s.revokeTokensOf(ctx, u.ID, id)
		for _, r := range revoked {
			res.Revoked = append(res.Revoked, r.ID)
			entries = append(entries, r.Audit[len(r.Audit)-1])
		}
		if err != nil {
			// The revocations made are stored: their events are owed.
			if cerr := s.commitChange(ctx, tx, entries[1:]...); cerr != nil {
				s.Log.Error("events of revocations not written", "err", cerr)
			}
			s.discard(ctx, tokenKey(id))
			return nil, err
		}
	}
	es, err := s.commitEvents(ctx, tx, entries...)
	if err != nil {
		s.discard(ctx, tokenKey(id))
		return nil, fmt.Errorf("recording the audit event: %w", err)
	}
	res.Event = es[0]
	return res, nil
}

// revokeTokensOf revokes every token of user except keep, and returns the
// tokens it revoked, each with the entry of its revocation last.
func (s *Service) revokeTokensOf(ctx context.Context, user, keep string) ([]*drafts.Token, error) {
	if _, err := s.directoryFor(ctx, drafts.ActTokenRevoke); err != nil {
		return nil, err
	}
	var revoked []*drafts.Token
	after := ""
	for {
		objs, next, err := s.Store.List(ctx, tokensPrefix, after, 500)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			var t drafts.Token
			if _, err := s.getJSON(ctx, o.Key, &t); err != nil {
				return nil, err
			}
			if t.User != user || t.ID == keep || t.RevokedAt != nil {
				continue
			}
			r, added, err := s.revokeToken(ctx, t.ID)
			if err != nil {
				return revoked, err
			}
			if len(added) > 0 {
				revoked = append(revoked, r)
			}
		}
		if next == "" {
			return revoked, nil
		}
		after = next
	}
}

// DirectoryEvents returns the directory's audit trail, oldest first, with
// the result of verifying it (as VerifyEvents does a document's: read
// from storage, every stored change of the directory with exactly one
// event). The caller needs the user:list permission (the secretariat, or
// the command line's system context).
func (s *Service) DirectoryEvents(ctx context.Context) (_ []*drafts.Event, _ *drafts.Verification, err error) {
	defer markOp(&err, "service.DirectoryEvents")
	if _, err := s.directoryFor(ctx, drafts.ActUserList); err != nil {
		return nil, nil, err
	}
	r := s.directReader(directoryTrail())
	var events []*drafts.Event
	after := int64(0)
	for {
		es, more, err := r.after(ctx, after, 500)
		if err != nil {
			return nil, nil, err
		}
		events = append(events, es...)
		if !more || len(es) == 0 {
			break
		}
		after = es[len(es)-1].Seq
	}
	res, err := s.verifyTrail(ctx, directoryTrail())
	if err != nil {
		return nil, nil, err
	}
	return events, res, nil
}
