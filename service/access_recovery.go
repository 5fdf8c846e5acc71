package service

import (
	"context"
	"fmt"
	"strings"

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
	caller, err := s.directoryFor(ctx, drafts.ActTokenCreate)
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
	t, plain, err := s.storeToken(ctx, u)
	if err != nil {
		return nil, err
	}
	id := t.ID
	res := &drafts.RecoverAccessResult{Token: t, Plain: plain}
	if in.RevokeOthers {
		if res.Revoked, err = s.revokeTokensOf(ctx, u.ID, id); err != nil {
			s.discard(ctx, tokenKey(id))
			return nil, err
		}
	}
	detail := "new token issued from the command line"
	if in.Operator != "" {
		detail += " by " + in.Operator
	}
	if len(res.Revoked) > 0 {
		detail += "; revoked " + strings.Join(res.Revoked, ",")
	}
	e := &drafts.Event{Actor: caller.ID, Delegation: caller.Delegation, Action: "token.recover", Ref: u.ID + "/" + id, Detail: detail}
	if err := s.appendDirectoryEvent(ctx, e); err != nil {
		s.discard(ctx, tokenKey(id))
		return nil, fmt.Errorf("recording the audit event: %w", err)
	}
	res.Event = e
	return res, nil
}

// revokeTokensOf revokes every token of user except keep, and returns the
// ids it revoked.
func (s *Service) revokeTokensOf(ctx context.Context, user, keep string) ([]string, error) {
	var revoked []string
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
			if _, err := s.RevokeToken(ctx, t.ID); err != nil {
				return nil, err
			}
			revoked = append(revoked, t.ID)
		}
		if next == "" {
			return revoked, nil
		}
		after = next
	}
}

// appendDirectoryEvent adds e at the end of the directory's audit trail.
// Of two concurrent appends one gets the sequence number, the other moves
// on to the next.
func (s *Service) appendDirectoryEvent(ctx context.Context, e *drafts.Event) error {
	var prev drafts.Event
	last, after := "", ""
	for {
		objs, next, err := s.Store.List(ctx, directoryEventsPrefix, after, 500)
		if err != nil {
			return err
		}
		if len(objs) > 0 {
			last = objs[len(objs)-1].Key
		}
		if next == "" {
			break
		}
		after = next
	}
	if last != "" {
		if _, err := s.getJSON(ctx, last, &prev); err != nil {
			return err
		}
	}
	e.At = s.now()
	for tries := 0; tries < 1000; tries++ {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
		e.Hash = e.ChainHash()
		_, err := s.createJSON(ctx, directoryEventKey(e.Seq), e)
		if err == nil {
			return nil
		}
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return err
		}
		if _, err := s.getJSON(ctx, directoryEventKey(e.Seq), &prev); err != nil {
			return err
		}
	}
	return drafts.Errorf(drafts.EUNAVAILABLE, "the directory's audit trail is too busy")
}

// DirectoryEvents returns the directory's audit trail, oldest first, with
// the result of checking its hash chain. The caller needs the user:list
// permission (the secretariat, or the command line's system context).
func (s *Service) DirectoryEvents(ctx context.Context) (_ []*drafts.Event, _ *drafts.Verification, err error) {
	defer markOp(&err, "service.DirectoryEvents")
	if _, err := s.directoryFor(ctx, drafts.ActUserList); err != nil {
		return nil, nil, err
	}
	var events []*drafts.Event
	res := &drafts.Verification{OK: true}
	prev, after := "", ""
	for {
		objs, next, err := s.Store.List(ctx, directoryEventsPrefix, after, 500)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range objs {
			var e drafts.Event
			if _, err := s.getJSON(ctx, o.Key, &e); err != nil {
				return nil, nil, err
			}
			want := int64(len(events)) + 1
			if res.OK && (e.Seq != want || o.Key != directoryEventKey(e.Seq) || e.PrevHash != prev || e.ChainHash() != e.Hash) {
				res.OK, res.FirstBad, res.Problem = false, &want, fmt.Sprintf("event %d is missing, out of order or altered", want)
			}
			prev = e.Hash
			events = append(events, &e)
			if res.OK {
				res.Checked++
			}
		}
		if next == "" {
			return events, res, nil
		}
		after = next
	}
}
