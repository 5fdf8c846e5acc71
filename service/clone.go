package service

import (
	"maps"
	"slices"

	"chancery/drafts"
)

// The clones below copy what the caches hand out (see getImmutable,
// getMutable and readListed): each copy's pointers, slices and maps are its
// own, so that a caller may change it at will.

// clonePtr returns a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func cloneToken(t *drafts.Token) *drafts.Token {
	c := clonePtr(t)
	c.RevokedAt, c.Holder = clonePtr(t.RevokedAt), clonePtr(t.Holder)
	c.Audit = slices.Clone(t.Audit)
	return c
}

func cloneStoredDocument(sd *storedDocument) *storedDocument {
	c := clonePtr(sd)
	if sd.Document != nil {
		c.Document = clonePtr(sd.Document)
		c.AdoptedAt, c.Agreement = clonePtr(sd.AdoptedAt), clonePtr(sd.Agreement)
		c.Document.Audit = slices.Clone(sd.Document.Audit)
		c.LanguageVersions, c.LanguageStates = slices.Clone(sd.LanguageVersions), slices.Clone(sd.LanguageStates)
	}
	c.Audit = slices.Clone(sd.Audit)
	return c
}

func cloneProvisionStatuses(st *provisionStatuses) *provisionStatuses {
	c := clonePtr(st)
	c.Statuses, c.Log = maps.Clone(st.Statuses), slices.Clone(st.Log)
	return c
}

func cloneVersion(v *drafts.Version) *drafts.Version {
	c := clonePtr(v)
	c.Provisions = slices.Clone(v.Provisions)
	for i, p := range c.Provisions {
		if p.Original != nil { // a version read in a language
			o := clonePtr(p.Original)
			o.Change = slices.Clone(o.Change)
			c.Provisions[i].Original = o
		}
	}
	c.Merged = slices.Clone(v.Merged)
	c.Resolutions = slices.Clone(v.Resolutions)
	c.Attribution = slices.Clone(v.Attribution)
	c.AcceptedModified = slices.Clone(v.AcceptedModified)
	c.Obsolete = maps.Clone(v.Obsolete)
	c.MergedETags = maps.Clone(v.MergedETags)
	c.TitleNotes = slices.Clone(v.TitleNotes)
	c.Translated = cloneTranslated(v.Translated)
	return c
}

func cloneProposal(p *drafts.Proposal) *drafts.Proposal {
	c := clonePtr(p)
	c.Operations = slices.Clone(p.Operations)
	for i, o := range c.Operations {
		c.Operations[i].Number = clonePtr(o.Number)
	}
	c.Cosponsors, c.Comments = slices.Clone(p.Cosponsors), slices.Clone(p.Comments)
	c.ClosedAt = clonePtr(p.ClosedAt)
	c.Audit = slices.Clone(p.Audit)
	return c
}

func cloneUser(u *drafts.User) *drafts.User { return clonePtr(u) }

func cloneDelegation(d *drafts.Delegation) *drafts.Delegation { return clonePtr(d) }

func cloneEvent(e *drafts.Event) *drafts.Event { return clonePtr(e) }
