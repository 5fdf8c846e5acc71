package service

import (
	"context"
	"strconv"
	"strings"

	"chancery/drafts"
)

// The provision a meeting is discussing: one small mutable object per
// document (focusKey), and an event in the trail for every change, which
// the live streams carry to the screen and every open page.

// GetFocus returns the provision under discussion.
func (s *Service) GetFocus(ctx context.Context, doc string) (_ *drafts.Focus, err error) {
	defer markOp(&err, "service.GetFocus")
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	f := &drafts.Focus{}
	if _, err := s.getJSON(ctx, focusKey(d.ID), f); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, err
	}
	f.Document = d.ID
	return f, nil
}

// SetFocus makes a provision of the head the one under discussion ("" for
// none). Setting the focus it has already records nothing.
func (s *Service) SetFocus(ctx context.Context, doc, provision string) (_ *drafts.Focus, err error) {
	defer markOp(&err, "service.SetFocus")
	u, d, err := s.documentFor(ctx, doc, drafts.ActFocusSet)
	if err != nil {
		return nil, err
	}
	f := &drafts.Focus{Document: d.ID}
	if provision != "" {
		v, err := getImmutable(ctx, s, versionKey(d.ID, d.Head), cloneVersion)
		if err != nil {
			return nil, err
		}
		p := findProvision(v.Provisions, provision)
		if p == nil {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: "provision: the current version has no such provision",
				Fields: []drafts.FieldError{{Field: "provision", Message: "not a provision of version " + strconv.Itoa(v.Number)}}}
		}
		f.Provision, f.Number, f.Version = p.ID, focusName(p), v.Number
	}
	now := s.now()
	f.SetBy, f.SetAt = u.ID, &now
	changed := false
	err = retry(func() error {
		var old drafts.Focus
		etag, err := s.getJSON(ctx, focusKey(d.ID), &old)
		switch {
		case err == nil && old.Provision == f.Provision:
			*f, changed = old, false
			return nil
		case err == nil:
			_, err = s.updateJSON(ctx, focusKey(d.ID), f, etag)
		case drafts.IsCode(err, drafts.ENOTFOUND) && f.Provision == "":
			return nil // no focus, none asked
		case drafts.IsCode(err, drafts.ENOTFOUND):
			if _, err = s.createJSON(ctx, focusKey(d.ID), f); drafts.IsCode(err, drafts.ECONFLICT) {
				return drafts.Errorf(drafts.EPRECONDITION, "the focus was set meanwhile")
			}
		}
		changed = err == nil
		return err
	})
	if err != nil {
		return nil, err
	}
	f.Document = d.ID
	if changed {
		action := drafts.ActionFocusSet
		if f.Provision == "" {
			action = drafts.ActionFocusClear
		}
		s.record(ctx, d.ID, action, f.Provision, f.Number)
	}
	return f, nil
}

// findProvision returns the provision of ps with the id, nil if none.
func findProvision(ps []drafts.Provision, id string) *drafts.Provision {
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i]
		}
	}
	return nil
}

// focusName is how people name a provision under discussion: its number
// without a closing full stop ("6", "6.1", "(a)"), or the start of its
// text when it has none.
func focusName(p *drafts.Provision) string {
	if p.Number != "" && !strings.HasPrefix(p.Number, "#") {
		return strings.TrimSuffix(p.Number, ".")
	}
	r := []rune(p.Text)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return p.Text
}
