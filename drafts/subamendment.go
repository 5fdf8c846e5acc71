package drafts

import (
	"fmt"
	"strings"
)

// A sub-amendment amends an open proposal: for provisions that proposal
// writes (inserts, or whose text or number it changes), it gives another
// text in place of the proposal's. It is stored with its own replacements
// only (Proposal.Amends names the proposal it amends); Combine makes of the
// two the proposal to the text that the sub-amendment amounts to, which is
// what is diffed against the base and the head, compiled and merged. One
// level deep: a sub-amendment cannot be amended.

// CheckAmendable returns EINVALID, naming the field amends, unless p can
// be amended: an open proposal to the text, not itself a sub-amendment.
func CheckAmendable(p *Proposal) error {
	name := ProposalName("en", p.Number, "", 0)
	switch {
	case p.Amends != "":
		return amendsError(fmt.Sprintf("%s is itself an amendment to %s, and an amendment cannot be amended: amend %s instead",
			name, ProposalName("en", p.AmendsNumber, "", 0), ProposalName("en", p.AmendsNumber, "", 0)))
	case p.Status != ProposalOpen:
		return amendsError(fmt.Sprintf("%s is %s; only an open proposal can be amended", name, p.Status))
	}
	return nil
}

func amendsError(msg string) error {
	return &Error{Code: EINVALID, Message: "amends: " + msg, Fields: []FieldError{{Field: "amends", Message: msg}}}
}

// AmendableProvisions returns the provisions of result, a proposal's text
// (its operations applied to base), that the proposal writes: those it
// inserts and those whose text or number it changes, in the text's order.
// A sub-amendment may replace the texts of these, and of no others.
func AmendableProvisions(base, result []Provision) []Provision {
	was := make(map[string]Provision, len(base))
	for _, p := range base {
		was[p.ID] = p
	}
	var out []Provision
	for _, p := range result {
		if old, ok := was[p.ID]; !ok || old.Text != p.Text || old.Number != p.Number {
			out = append(out, p)
		}
	}
	return out
}

// CheckSubAmendment checks the operations of a sub-amendment to amended,
// whose AmendableProvisions are amendable (base, its base's provisions,
// names the others in messages): each must replace the text of one of
// them, once, with a text that is a provision's, and together they must
// change something. EINVALID naming the operation.
func CheckSubAmendment(amended *Proposal, base, amendable []Provision, ops []Operation, lim Limits) error {
	name := ProposalName("en", amended.Number, "", 0)
	byID := make(map[string]Provision, len(amendable))
	var listed []string
	for _, p := range amendable {
		byID[p.ID] = p
		listed = append(listed, provisionLabel(p))
	}
	seen := map[string]bool{}
	changed := false
	for i, o := range ops {
		fail := operationFailure(i, o)
		p, ok := byID[o.Provision]
		switch {
		case o.Op != OpReplace:
			return fail("a sub-amendment only replaces texts that %s gives provisions; to %s, make a proposal of your own", name, o.Op)
		case !ok:
			which := fmt.Sprintf("%q", o.Provision)
			if bp, i := provisionByID(base, o.Provision); i >= 0 {
				which = provisionLabel(bp)
			}
			return fail("%s does not change provision %s: a sub-amendment may replace only the texts it gives (provisions %s)", name, which, strings.Join(listed, ", "))
		case seen[o.Provision]:
			return fail("provision %s is replaced twice", provisionLabel(p))
		}
		seen[o.Provision] = true
		number := p.Number
		if o.Number != nil {
			number = *o.Number
		}
		if err := CheckProvisionText(number, o.Text, lim); err != nil {
			return fail("%s", ErrorMessage(err))
		}
		if o.Text != p.Text || number != p.Number {
			changed = true
		}
	}
	if !changed {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("the sub-amendment gives the same texts as %s: it changes nothing", name),
			Fields: []FieldError{{Field: "operations", Message: "no change"}}}
	}
	return nil
}

// provisionLabel names a provision in a message: its number, or the
// start of its text when it has none.
func provisionLabel(p Provision) string {
	if n := strings.TrimSuffix(strings.TrimSpace(p.Number), "."); n != "" && n != "#" {
		return n
	}
	r := []rune(p.Text)
	if len(r) > 30 {
		return "“" + string(r[:30]) + "…”"
	}
	return "“" + p.Text + "”"
}

// Combine returns the proposal to the text that sub-amendment sub to
// amended amounts to: sub itself (its id, number, delegation, status...)
// with amended's base, and amended's operations followed by its own
// replacements. Its ReplacementText of a provision is sub's text where sub
// replaces it. sub is not changed.
func Combine(amended, sub *Proposal) *Proposal {
	c := *sub
	c.Base = amended.Base
	c.Operations = make([]Operation, 0, len(amended.Operations)+len(sub.Operations))
	c.Operations = append(c.Operations, amended.Operations...)
	c.Operations = append(c.Operations, sub.Operations...)
	return &c
}
