package service

import (
	"fmt"

	"chancery/drafts"
)

// mergeSet is what a merge reads of the proposals it names: each as
// stored (read, by id), the sub-amendments merged with the proposals they
// amend (pairs: the amended proposal by the sub-amendment's id), and how
// to name a proposal in a refusal.
type mergeSet struct {
	read  map[string]*drafts.Proposal
	pairs map[string]*drafts.Proposal
	name  func(*drafts.Proposal) string
}

// pair returns the proposals to merge, in the order named, a
// sub-amendment and the proposal it amends as one: drafts.Combine of the
// two, in the proposal's place, under the sub-amendment's id (its texts
// take the place of the amended texts). A sub-amendment named without
// the proposal it amends, or two sub-amendments of one proposal, are
// refused: EINVALID naming the field proposals.
func (m *mergeSet) pair(ps []*drafts.Proposal) ([]*drafts.Proposal, error) {
	subs := map[string]*drafts.Proposal{}
	for _, p := range ps {
		if p.Amends == "" {
			continue
		}
		amended := m.read[p.Amends]
		if amended == nil {
			return nil, mergeRefusal(fmt.Sprintf("%s, cannot be merged alone: merge it together with Proposal %d, which it amends", m.name(p), p.AmendsNumber))
		}
		if other := subs[p.Amends]; other != nil {
			return nil, mergeRefusal(fmt.Sprintf("%s and %s both amend %s: merge it with one of them", m.name(other), m.name(p), m.name(amended)))
		}
		subs[p.Amends] = p
	}
	out := make([]*drafts.Proposal, 0, len(ps))
	for _, p := range ps {
		switch sub := subs[p.ID]; {
		case p.Amends != "":
		case sub != nil:
			m.pairs[sub.ID] = p
			out = append(out, drafts.Combine(p, sub))
		default:
			out = append(out, p)
		}
	}
	return out, nil
}

// mergeRefusal is the EINVALID error of the field proposals of a merge.
func mergeRefusal(msg string) error {
	return &drafts.Error{Code: drafts.EINVALID, Message: "proposals: " + msg, Fields: []drafts.FieldError{{Field: "proposals", Message: msg}}}
}

// withAmended credits, beside each merged sub-amendment, the proposal it
// amends with every provision they changed (the version's attribution
// then gives each word to the proposal whose text holds it), and makes
// the amended proposal obsolete with it.
func (m *mergeSet) withAmended(rb *drafts.RebaseResult) {
	for subID, amended := range m.pairs {
		for id, ps := range rb.Touched {
			for i, p := range ps {
				if p.ID == subID {
					rb.Touched[id] = append(append(append([]*drafts.Proposal{}, ps[:i]...), amended), ps[i:]...)
					break
				}
			}
		}
		if why, gone := rb.Obsolete[subID]; gone {
			rb.Obsolete[amended.ID] = why
		}
	}
}
