package service

import (
	"context"
	"strings"
	"time"

	"chancery/drafts"
)

// The web workspace's saved forms and the claims of its idempotency keys
// (drafts.FormService): per user, under keys only that user's requests
// name, so they need no policy beyond the user's own identity.

// claimAbandonedAfter is how long a claim may stay in progress before a
// new request with its key takes it over (its request died with its
// server between claiming and finishing).
const claimAbandonedAfter = 2 * time.Minute

// formUser returns the user of ctx, if its id can name keys.
func formUser(ctx context.Context) (*drafts.User, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !drafts.ValidID(u.ID) {
		return nil, drafts.Errorf(drafts.EFORBIDDEN, "this user cannot keep forms")
	}
	return u, nil
}

func noForm(id string) error { return drafts.Errorf(drafts.ENOTFOUND, "no saved form %q", id) }

// SaveForm stores a form the user of ctx is writing.
func (s *Service) SaveForm(ctx context.Context, f *drafts.SavedForm, ifMatch string) (_ *drafts.SavedForm, err error) {
	defer markOp(&err, "service.SaveForm")
	u, err := formUser(ctx)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(f.Path, "/") || strings.HasPrefix(f.Path, "//") || len(f.Path) > 500 {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "path: a page of the workspace", Fields: []drafts.FieldError{{Field: "path", Message: "a page of the workspace"}}}
	}
	if f.Size() > drafts.MaxFormBytes {
		return nil, drafts.Errorf(drafts.ETOOLARGE, "the form holds more than %d MB", drafts.MaxFormBytes>>20)
	}
	now := s.now()
	out := *f
	out.User, out.UpdatedAt, out.ExpiresAt = u.ID, now, now.Add(drafts.FormTTL)
	if f.ID == "" {
		out.ID, out.CreatedAt = drafts.RandomID(16), now
		if out.ETag, err = s.createJSON(ctx, formKey(u.ID, out.ID), &out); err != nil {
			return nil, err
		}
		return &out, nil
	}
	old, err := s.GetForm(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	if ifMatch == "" {
		ifMatch = old.ETag
	}
	out.CreatedAt = old.CreatedAt
	if out.ETag, err = s.updateJSON(ctx, formKey(u.ID, out.ID), &out, ifMatch); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetForm returns one of the user's saved forms.
func (s *Service) GetForm(ctx context.Context, id string) (_ *drafts.SavedForm, err error) {
	defer markOp(&err, "service.GetForm")
	u, err := formUser(ctx)
	if err != nil {
		return nil, err
	}
	if !drafts.ValidID(id) {
		return nil, noForm(id)
	}
	var f drafts.SavedForm
	etag, err := s.getJSON(ctx, formKey(u.ID, id), &f)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, noForm(id)
		}
		return nil, err
	}
	if f.User != u.ID || !s.now().Before(f.ExpiresAt) {
		return nil, noForm(id)
	}
	f.ETag = etag
	return &f, nil
}

// DeleteForm removes one of the user's saved forms.
func (s *Service) DeleteForm(ctx context.Context, id string) (err error) {
	defer markOp(&err, "service.DeleteForm")
	u, err := formUser(ctx)
	if err != nil {
		return err
	}
	if !drafts.ValidID(id) {
		return nil
	}
	if err := s.Store.Delete(ctx, formKey(u.ID, id), ""); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return err
	}
	return nil
}

// ClaimForm claims an idempotency key for the user of ctx.
func (s *Service) ClaimForm(ctx context.Context, key string) (_ *drafts.FormClaim, _ bool, err error) {
	defer markOp(&err, "service.ClaimForm")
	u, err := formUser(ctx)
	if err != nil {
		return nil, false, err
	}
	if !drafts.ValidID(key) || len(key) < 16 {
		return nil, false, &drafts.Error{Code: drafts.EINVALID, Message: "form key: not a key this server gave", Fields: []drafts.FieldError{{Field: "formkey", Message: "invalid"}}}
	}
	var claim *drafts.FormClaim
	claimed := false
	err = retry(func() error {
		c := &drafts.FormClaim{Key: key, User: u.ID, CreatedAt: s.now()}
		etag, err := s.createJSON(ctx, formClaimKey(u.ID, key), c)
		if err == nil {
			c.ETag, claim, claimed = etag, c, true
			return nil
		}
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return err
		}
		var old drafts.FormClaim
		if old.ETag, err = s.getJSON(ctx, formClaimKey(u.ID, key), &old); err != nil {
			if drafts.IsCode(err, drafts.ENOTFOUND) {
				return drafts.Errorf(drafts.EPRECONDITION, "released meanwhile")
			}
			return err
		}
		if old.Done || s.now().Sub(old.CreatedAt) < claimAbandonedAfter {
			claim = &old
			return nil
		}
		// Abandoned: taken over.
		if c.ETag, err = s.updateJSON(ctx, formClaimKey(u.ID, key), c, old.ETag); err != nil {
			return err
		}
		claim, claimed = c, true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return claim, claimed, nil
}

// FinishForm records the result of a claimed key's action.
func (s *Service) FinishForm(ctx context.Context, key, location string, notice []string) (err error) {
	defer markOp(&err, "service.FinishForm")
	u, err := formUser(ctx)
	if err != nil {
		return err
	}
	if !drafts.ValidID(key) {
		return drafts.Errorf(drafts.ENOTFOUND, "form key %q is not claimed", key)
	}
	return retry(func() error {
		var c drafts.FormClaim
		etag, err := s.getJSON(ctx, formClaimKey(u.ID, key), &c)
		if err != nil {
			return err
		}
		c.Done, c.Location, c.Notice, c.DoneAt = true, location, notice, s.now()
		_, err = s.updateJSON(ctx, formClaimKey(u.ID, key), &c, etag)
		return err
	})
}

// ReleaseForm forgets a claim in progress whose action failed.
func (s *Service) ReleaseForm(ctx context.Context, key string) (err error) {
	defer markOp(&err, "service.ReleaseForm")
	u, err := formUser(ctx)
	if err != nil {
		return err
	}
	if !drafts.ValidID(key) {
		return nil
	}
	var c drafts.FormClaim
	etag, err := s.getJSON(ctx, formClaimKey(u.ID, key), &c)
	switch {
	case drafts.IsCode(err, drafts.ENOTFOUND):
		return nil
	case err != nil:
		return err
	case c.Done:
		return nil
	}
	if err := s.Store.Delete(ctx, formClaimKey(u.ID, key), etag); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) && !drafts.IsCode(err, drafts.EPRECONDITION) {
		return err
	}
	return nil
}
