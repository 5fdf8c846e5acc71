package drafts

import (
	"strconv"
	"strings"
)

// SourceOral is the Source of a proposal a delegation made aloud in the
// meeting, recorded by the chair.
const SourceOral = "oral"

// ProposalName is how people name a proposal aloud and in print, in
// language lang ("ru..." Russian, anything else English):
//
//	Proposal 7 (Kazakhstan)                    Предложение 7 (Казахстан)
//	Proposal 9 (India), amending Proposal 7    Предложение 9 (Индия), поправка к предложению 7
//
// number is the proposal's number, delegation the name of its delegation
// in lang (Delegation.NameIn; "" leaves the parentheses out), amends the
// number of the proposal a sub-amendment amends (0 for none). It is the
// one place these names are made: pages, PDFs, Word files, compilations,
// events and messages all call it (or Proposal.Name, ProposalRef.Name).
func ProposalName(lang string, number int, delegation string, amends int) string {
	ru := isRussian(lang)
	var b strings.Builder
	if ru {
		b.WriteString("Предложение ")
	} else {
		b.WriteString("Proposal ")
	}
	b.WriteString(strconv.Itoa(number))
	if delegation != "" {
		b.WriteString(" (" + delegation + ")")
	}
	if amends > 0 {
		if ru {
			b.WriteString(", поправка к предложению ")
		} else {
			b.WriteString(", amending Proposal ")
		}
		b.WriteString(strconv.Itoa(amends))
	}
	return b.String()
}

// OralNote says, in language lang, that a proposal was made aloud and
// recorded by the chair: "made orally, recorded by the chair". Printed
// after the proposal's name wherever an oral proposal is listed.
func OralNote(lang string) string {
	if isRussian(lang) {
		return "внесено устно, записано председателем"
	}
	return "made orally, recorded by the chair"
}

func isRussian(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "ru") }

// Name is ProposalName of p in lang; d is its delegation as the directory
// has it (nil: the delegation's code stands for its name).
func (p *Proposal) Name(lang string, d *Delegation) string {
	return p.Ref().Name(lang, d)
}

// ProposalRef is what a list needs to name a proposal without reading
// it: its id, number, delegation and co-sponsors, its base version, the
// number of the proposal it amends, and whether it was made orally.
type ProposalRef struct {
	ID           string   `json:"id"`
	Number       int      `json:"number"`
	Delegation   string   `json:"delegation"`
	Cosponsors   []string `json:"cosponsors,omitempty"`
	Base         int      `json:"base"`
	AmendsNumber int      `json:"amends_number,omitempty"`
	Source       string   `json:"source,omitempty"`
}

// Ref returns what names p.
func (p *Proposal) Ref() ProposalRef {
	return ProposalRef{ID: p.ID, Number: p.Number, Delegation: p.Delegation, Cosponsors: p.Cosponsors, Base: p.Base, AmendsNumber: p.AmendsNumber, Source: p.Source}
}

// Name is ProposalName of the proposal r names, in lang; d is its
// delegation as the directory has it (nil: its code).
func (r ProposalRef) Name(lang string, d *Delegation) string {
	who := r.Delegation
	if d != nil {
		who = d.NameIn(lang)
	}
	return ProposalName(lang, r.Number, who, r.AmendsNumber)
}

// NameIn returns the delegation's name in language lang: NameRu for
// Russian when it has one, else Name, else its code.
func (d *Delegation) NameIn(lang string) string {
	switch {
	case d == nil:
		return ""
	case isRussian(lang) && d.NameRu != "":
		return d.NameRu
	case d.Name != "":
		return d.Name
	}
	return d.ID
}

// DelegationNamed returns the delegation with code id from ds, or nil: for
// the Name methods, which take the code when they get nil.
func DelegationNamed(ds map[string]Delegation, id string) *Delegation {
	if d, ok := ds[id]; ok {
		return &d
	}
	return nil
}

// ProposalNumber returns the number a route's proposal reference ref
// gives ("7", in canonical decimal: "07" is not a number), and false when
// ref is not one (then it is an id). Proposal ids are never all digits
// (the service sees to it).
func ProposalNumber(ref string) (int, bool) {
	if ref == "" || len(ref) > 9 {
		return 0, false
	}
	for _, r := range ref {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(ref)
	if err != nil || n < 1 || strconv.Itoa(n) != ref {
		return 0, false
	}
	return n, true
}

// Proposers names, in lang, who made the compiled change cp of c: each
// of its proposals by name ("Proposal 7 (Kazakhstan); Proposal 8
// (Kyrgyzstan)"), an oral one followed by OralNote; the names of its
// delegations when the compilation does not number them (no Refs).
func (c *Compilation) Proposers(cp *CompiledProposal, lang string) string {
	if len(cp.Refs) == 0 {
		return strings.Join(c.DelegationNames(cp.Delegations, lang), ", ")
	}
	names := make([]string, len(cp.Refs))
	for i, r := range cp.Refs {
		names[i] = r.Name(lang, DelegationNamed(c.Delegations, r.Delegation))
		if r.Source == SourceOral {
			names[i] += ", " + OralNote(lang)
		}
	}
	return strings.Join(names, "; ")
}

// DelegationNames names the delegations codes in lang, from the
// compilation's directory entries (a code stands for a delegation it has
// none of).
func (c *Compilation) DelegationNames(codes []string, lang string) []string {
	out := make([]string, len(codes))
	for i, code := range codes {
		out[i] = code
		if d := DelegationNamed(c.Delegations, code); d != nil {
			out[i] = d.NameIn(lang)
		}
	}
	return out
}
