package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"chancery/drafts"
)

// Proposals and delegations are named on every page one way, here.
// Proposals as people say them, by drafts.ProposalName: "Proposal 7
// (Kazakhstan)", "Предложение 7 (Казахстан)", "Proposal 9 (India),
// amending Proposal 7" (ProposalName, RefName for a compilation's);
// delegations by name in the page's language (DelegationName), with their
// code where a list or a form needs it (Del, Dels: "Kazakhstan (KZ)"). The
// names come from the directory, read once per page when a name is first
// needed.

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

// Del names a delegation with its code, in the page's language:
// "Kazakhstan (KZ)"; a code the directory does not know is shown as it
// is.
func (p *Page) Del(code string) string {
	if name := p.DelegationName(code); name != code && name != "" {
		return name + " (" + code + ")"
	}
	return code
}

// Dels names delegations, joined by commas.
func (p *Page) Dels(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = p.Del(c)
	}
	return strings.Join(out, ", ")
}

// proposalRef is how a proposal is referred to in addresses: its number
// (every route under .../proposals/{p} takes one), its id before numbers.
func proposalRef(pr *drafts.Proposal) string {
	if pr.Number > 0 {
		return strconv.Itoa(pr.Number)
	}
	return pr.ID
}

// delegationNames maps the code of every delegation in the directory to
// its name in the page's language (for live.js).
func (p *Page) delegationNames() map[string]string {
	dir := p.directory.get()
	out := make(map[string]string, len(dir))
	for code := range dir {
		out[code] = p.DelegationName(code)
	}
	return out
}

// memberOptions lists the member delegations as a form's choices, by
// name in the page's language.
func (p *Page) memberOptions() []deskOption {
	var out []deskOption
	for code, d := range p.directory.get() {
		if d.Status == drafts.StatusMember {
			out = append(out, deskOption{Value: code, Label: p.Del(code)})
		}
	}
	slices.SortFunc(out, func(a, b deskOption) int { return strings.Compare(a.Label, b.Label) })
	return out
}
