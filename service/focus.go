package service

import (
	"context"
	"encoding/json"
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
	// Every open page of the document shows the focus: the room's pages
	// share the read (getFresh), each decoding its own copy.
	f := &drafts.Focus{}
	obj, err := s.getFresh(ctx, focusKey(d.ID))
	switch {
	case err == nil:
		if err := json.Unmarshal(obj.Data, f); err != nil {
			return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", focusKey(d.ID))
		}
	case !drafts.IsCode(err, drafts.ENOTFOUND):
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
	action := drafts.ActionFocusSet
	if f.Provision == "" {
		action = drafts.ActionFocusClear
	}
	tx, err := s.beginChange(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	var entry *drafts.AuditEntry
	err = retry(func() error {
		entry = nil
		var old storedFocus
		etag, err := s.getJSON(ctx, focusKey(d.ID), &old)
		switch {
		case err == nil && old.Provision == f.Provision:
			*f = old.Focus
			return nil
		case drafts.IsCode(err, drafts.ENOTFOUND) && f.Provision == "":
			return nil // no focus, none asked
		case err != nil && !drafts.IsCode(err, drafts.ENOTFOUND):
			return err
		}
		// The object keeps the audit entry of every change of it.
		e := s.auditEntry(ctx, focusChange(old.Rev+1), action, f.Provision, f.Number)
		sf := &storedFocus{Focus: *f, Rev: old.Rev + 1, Audit: append(old.Audit, e)}
		if etag != "" {
			_, err = s.updateJSON(ctx, focusKey(d.ID), sf, etag)
		} else if _, err = s.createJSON(ctx, focusKey(d.ID), sf); drafts.IsCode(err, drafts.ECONFLICT) {
			return drafts.Errorf(drafts.EPRECONDITION, "the focus was set meanwhile")
		}
		if err == nil {
			entry = &e
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	f.Document = d.ID
	if entry != nil {
		if err := s.commitChange(ctx, tx, *entry); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// storedFocus is the focus as stored (focusKey), with the audit entries of
// its changes, each named focus/<rev>.
type storedFocus struct {
	drafts.Focus
	Rev   int                 `json:"rev,omitempty"`
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

// focusChange names change rev of a document's focus.
func focusChange(rev int) string { return "focus/" + strconv.Itoa(rev) }

// focusChanges lists the changes of a document's focus, read from st (see
// changes.go).
func (s *Service) focusChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	sf, err := readOne[storedFocus](ctx, st, focusKey(t.doc))
	if err != nil || sf == nil {
		return nil, err
	}
	return entriesChanges(sf.Audit), nil
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
