package service

import (
	"context"
	"time"
	"unicode"

	"chancery/drafts"
)

// provisionStatuses is the mutable status object of one version.
type provisionStatuses struct {
	Statuses map[string]string `json:"statuses"`
	// Rev counts the changes; Log holds each, so that each has its event.
	Rev int            `json:"rev,omitempty"`
	Log []statusChange `json:"log,omitempty"`
}

// statusChange is one change of a provision's status.
type statusChange struct {
	Rev        int       `json:"rev"`
	Provision  string    `json:"provision"`
	Status     string    `json:"status"`
	Actor      string    `json:"actor"`
	Delegation string    `json:"delegation,omitempty"`
	At         time.Time `json:"at"`
}

// entry is the change's audit entry, of version n.
func (c statusChange) entry(n int) drafts.AuditEntry {
	return drafts.AuditEntry{Change: statusChangeOf(n, c.Rev), At: c.At, Actor: c.Actor, Delegation: c.Delegation,
		Action: "provision.status", Ref: statusRef(n, c.Provision), Detail: c.Status}
}

// statusTag is a version's ETag: its text's hash and its statuses' ETag,
// since statuses change and the text does not.
func statusTag(hash, statusETag string) string {
	if statusETag == "" {
		return hash
	}
	return drafts.HashText(hash + ":" + statusETag)
}

func (s *Service) statuses(ctx context.Context, doc string, n int) (*provisionStatuses, string, error) {
	st, etag, err := getMutable(ctx, s, statusKey(doc, n), cloneProvisionStatuses)
	if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, "", err
	}
	if st == nil {
		st = &provisionStatuses{}
	}
	if st.Statuses == nil {
		st.Statuses = map[string]string{}
	}
	return st, etag, nil
}

// SetProvisionStatus sets the status of one provision of version n.
//
// ifMatch, when not "", is the version's ETag as the client read it:
// EPRECONDITION if a status of the version changed since.
func (s *Service) SetProvisionStatus(ctx context.Context, doc string, n int, id, status, ifMatch string) (_ *drafts.Provision, _ string, err error) {
	defer markOp(&err, "service.SetProvisionStatus")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActStatusSet, false)
	if err != nil {
		return nil, "", err
	}
	if !drafts.ValidProvisionStatus(status) {
		return nil, "", &drafts.Error{Code: drafts.EINVALID, Message: `status must be "pending", "bracketed", "agreed-ad-ref" or "agreed"`,
			Fields: []drafts.FieldError{{Field: "status", Message: "unknown status"}}}
	}
	v, err := s.rawVersion(ctx, doc, n) // its statuses are read below
	if err != nil {
		return nil, "", err
	}
	if n != d.Head {
		// A superseded version is a record: its statuses stay as they were.
		return nil, "", drafts.Errorf(drafts.ECONFLICT, "version %d is superseded by version %d; only the statuses of the head version can change", n, d.Head)
	}
	p, i := v.Provision(id)
	if i < 0 {
		return nil, "", drafts.Errorf(drafts.ENOTFOUND, "no provision %q in version %d", id, n)
	}
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return nil, "", err
	}
	newETag := ""
	var change statusChange
	err = retry(func() error {
		st, etag, err := s.statuses(ctx, doc, n)
		if err != nil {
			return err
		}
		if ifMatch != "" && ifMatch != statusTag(v.Hash, etag) {
			return &drafts.Error{Code: drafts.EPRECONDITION, Message: "the version's statuses changed since they were read", Err: errClientPrecondition}
		}
		st.Statuses[id] = status
		st.Rev++
		change = statusChange{Rev: st.Rev, Provision: id, Status: status, Actor: u.ID, Delegation: u.Delegation, At: s.now()}
		st.Log = append(st.Log, change)
		if etag == "" {
			newETag, err = s.createJSON(ctx, statusKey(doc, n), st)
			if drafts.IsCode(err, drafts.ECONFLICT) {
				return drafts.Errorf(drafts.EPRECONDITION, "status changed meanwhile")
			}
			return err
		}
		newETag, err = s.updateJSON(ctx, statusKey(doc, n), st, etag)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if err := s.commitChange(ctx, tx, change.entry(n)); err != nil {
		return nil, "", err
	}
	p.Status = status
	return &p, statusTag(v.Hash, newETag), nil
}

// countWords counts the words of s as strings.Fields splits them,
// without making them: the agreement is counted on every document page.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// agreementOf is agreement(v), counted once per version and statuses
// (v's ETag): every page of the document shows it, and counting the words
// of 300 provisions took 0.4 ms of each page's processor time.
func (s *Service) agreementOf(v *drafts.Version) *drafts.Agreement {
	if v.ETag == "" {
		return agreement(v)
	}
	key := agreementCacheKey(v.Document, v.Number, v.ETag)
	if a, ok := s.immutable().get(key); ok {
		c := *a.(*drafts.Agreement)
		return &c
	}
	a := agreement(v)
	c := *a
	s.immutable().add(key, &c, 128)
	return a
}

// agreement counts the agreed share of a version.
func agreement(v *drafts.Version) *drafts.Agreement {
	a := &drafts.Agreement{}
	for _, p := range v.Provisions {
		words := countWords(p.Text)
		a.Provisions++
		a.Words += words
		if p.Status == drafts.ProvisionAgreed || p.Status == drafts.ProvisionAgreedAdRef {
			a.AgreedProvisions++
			a.AgreedWords += words
		}
	}
	if a.Provisions > 0 {
		a.CleanShare = float64(a.AgreedProvisions) / float64(a.Provisions)
	}
	if a.Words > 0 {
		a.CleanShareWords = float64(a.AgreedWords) / float64(a.Words)
	}
	return a
}
