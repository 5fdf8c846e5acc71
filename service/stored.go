package service

import (
	"slices"

	"chancery/drafts"
)

// Objects as stored: the domain's object with the audit entries of its
// changes (drafts.AuditEntry, see audit.go), which the domain types keep
// in a field the API never shows (json:"-"). Every write of one of these
// objects goes through its stored form, so that no write drops the
// entries it read. (storedDocument, in document.go, is the document's.)

// storedProposal is a proposal as stored.
type storedProposal struct {
	*drafts.Proposal
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

func storeProposal(p *drafts.Proposal) *storedProposal {
	return &storedProposal{Proposal: p, Audit: p.Audit}
}

// proposal returns the proposal with its entries, nil for a stored "null".
func (sp *storedProposal) proposal() *drafts.Proposal {
	if sp == nil || sp.Proposal == nil {
		return nil
	}
	sp.Proposal.Audit = sp.Audit
	return sp.Proposal
}

// proposalSansText is a stored proposal decoded without the whole text
// a delegation sent (Proposal.Text), for what never reads it.
type proposalSansText struct {
	storedProposal
	Text skipped `json:"text,omitempty"`
}

func cloneStoredProposal(sp *storedProposal) *storedProposal {
	c := &storedProposal{Audit: slices.Clone(sp.Audit)}
	if sp.Proposal != nil {
		c.Proposal = cloneProposal(sp.Proposal)
	}
	return c
}

// storedRound is an adoption round as stored.
type storedRound struct {
	*drafts.AdoptionRound
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

func storeRound(r *drafts.AdoptionRound) *storedRound {
	return &storedRound{AdoptionRound: r, Audit: r.Audit}
}

// storedVersion is a version as stored. Readers of its text decode a
// drafts.Version and leave the entry out.
type storedVersion struct {
	*drafts.Version
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

// storedToken is a token as stored.
type storedToken struct {
	*drafts.Token
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

func storeToken(t *drafts.Token) *storedToken {
	return &storedToken{Token: t, Audit: t.Audit}
}

// token returns the token with its entries, nil for a stored "null".
func (st *storedToken) token() *drafts.Token {
	if st == nil || st.Token == nil {
		return nil
	}
	st.Token.Audit = st.Audit
	return st.Token
}

func cloneStoredToken(st *storedToken) *storedToken {
	c := &storedToken{Audit: slices.Clone(st.Audit)}
	if st.Token != nil {
		c.Token = cloneToken(st.Token)
	}
	return c
}

// storedDelegation and storedUser are a delegation and a user as stored:
// each is made once, and its entry records that.
type storedDelegation struct {
	*drafts.Delegation
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

type storedUser struct {
	*drafts.User
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}
