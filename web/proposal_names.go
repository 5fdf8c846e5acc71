package web

import (
	"context"
	"sync"

	"chancery/drafts"
)

// Proposals are named on every page as people say them, by
// drafts.ProposalName: "Proposal 7 (Kazakhstan)", "Предложение 7
// (Казахстан)", "Proposal 9 (India), amending Proposal 7", with the
// delegations' names in the page's language from the directory, read once
// per page when a name is first needed.

// delegationDirectory is the directory's delegations, read on first use.
type delegationDirectory struct {
	once sync.Once
	load func() map[string]drafts.Delegation
	m    map[string]drafts.Delegation
}

// get returns the delegations by code (none if they cannot be read: the
// codes then stand for the names).
func (d *delegationDirectory) get() map[string]drafts.Delegation {
	if d == nil {
		return nil
	}
	d.once.Do(func() { d.m = d.load() })
	return d.m
}

// directoryOf returns the delegations the service lists to the user of ctx.
func (s *Server) directoryOf(ctx context.Context) *delegationDirectory {
	return &delegationDirectory{load: func() map[string]drafts.Delegation {
		out := map[string]drafts.Delegation{}
		opt := drafts.ListOptions{Limit: 500}
		for {
			page, err := s.Service.ListDelegations(ctx, opt)
			if err != nil {
				return out
			}
			for _, d := range page.Items {
				out[d.ID] = *d
			}
			if page.NextCursor == "" {
				return out
			}
			opt.Cursor = page.NextCursor
		}
	}}
}

// ProposalName names a proposal in the page's language.
func (p *Page) ProposalName(pr *drafts.Proposal) string {
	return pr.Name(string(p.L), drafts.DelegationNamed(p.directory.get(), pr.Delegation))
}

// DelegationName names a delegation by its code in the page's language.
func (p *Page) DelegationName(code string) string {
	if d := drafts.DelegationNamed(p.directory.get(), code); d != nil {
		return d.NameIn(string(p.L))
	}
	return code
}

// OralNote says that a proposal was made orally and recorded by the chair.
func (p *Page) OralNote() string { return drafts.OralNote(string(p.L)) }

// RefName names, in the page's language, a proposal a compilation lists.
func (p *Page) RefName(c *drafts.Compilation, r drafts.ProposalRef) string {
	return r.Name(string(p.L), drafts.DelegationNamed(c.Delegations, r.Delegation))
}
