package render

import (
	"strings"

	"chancery/drafts"
)

// Names of proposals in compilations, made by drafts.ProposalName: "Proposal
// 7 (Kazakhstan)", an oral one followed by drafts.OralNote, with the
// delegations' names in the document's language from the compilation's
// directory entries (their codes when it has none). A compilation that
// does not number its proposals (no Refs) names their delegations.

// proposers names the proposals of cp in lang, joined.
func proposers(c *drafts.Compilation, cp *drafts.CompiledProposal, lang string) string {
	if len(cp.Refs) == 0 {
		return strings.Join(delegationNames(c, cp.Delegations, lang), ", ")
	}
	names := make([]string, len(cp.Refs))
	for i, r := range cp.Refs {
		names[i] = r.Name(lang, drafts.DelegationNamed(c.Delegations, r.Delegation))
		if r.Source == drafts.SourceOral {
			names[i] += ", " + drafts.OralNote(lang)
		}
	}
	return strings.Join(names, "; ")
}

// delegationNames names the delegations codes in lang.
func delegationNames(c *drafts.Compilation, codes []string, lang string) []string {
	out := make([]string, len(codes))
	for i, code := range codes {
		out[i] = code
		if d := drafts.DelegationNamed(c.Delegations, code); d != nil {
			out[i] = d.NameIn(lang)
		}
	}
	return out
}
