package drafts

import (
	"io"
	"strings"
	"time"
)

// StateOfPlay sums up where the negotiation of a document's head stands,
// for the chair to circulate before a meeting: every provision with its
// status, the open proposals on it and the delegations' positions; how
// much is agreed overall and per section; and the agreed share of every
// version so far.
type StateOfPlay struct {
	Document string    `json:"document"`
	Version  int       `json:"version"`
	Created  time.Time `json:"version_created_at"`
	// AsOf is the time of the latest change the state counts: the version,
	// a status, a proposal or a position.
	AsOf     time.Time        `json:"as_of"`
	Overall  Tally            `json:"overall"`
	Sections []SectionState   `json:"sections"`
	Items    []ProvisionState `json:"provisions"`
	// WholeText are the positions on the text as a whole; Removed those on
	// provisions no longer in it.
	WholeText []*Position `json:"whole_text"`
	Removed   []*Position `json:"positions_on_removed_provisions"`
	// History is the agreed share of every version, oldest first, the
	// head last.
	History []HistoryPoint `json:"history"`
	// NotAgreed is what keeps the head from adoption now (see NotAgreed).
	NotAgreed     []Obstacle `json:"not_agreed"`
	OpenProposals int        `json:"open_proposals"`
	OpenPositions int        `json:"open_positions"`
}

// Tally counts provisions by status. AgreedShare is the share agreed,
// ad referendum included, as the document's Agreement counts it.
type Tally struct {
	Provisions  int     `json:"provisions"`
	Agreed      int     `json:"agreed"`
	AgreedAdRef int     `json:"agreed_ad_ref"`
	Bracketed   int     `json:"bracketed"`
	Pending     int     `json:"pending"`
	AgreedShare float64 `json:"agreed_share"`
}

// Add counts one provision of a status ("" is pending).
func (t *Tally) Add(status string) {
	t.Provisions++
	switch status {
	case ProvisionAgreed:
		t.Agreed++
	case ProvisionAgreedAdRef:
		t.AgreedAdRef++
	case ProvisionBracketed:
		t.Bracketed++
	default:
		t.Pending++
	}
	t.AgreedShare = float64(t.Agreed+t.AgreedAdRef) / float64(t.Provisions)
}

// TallyOf counts the provisions of a text by status.
func TallyOf(ps []Provision) Tally {
	var t Tally
	for _, p := range ps {
		t.Add(p.Status)
	}
	return t
}

// SectionState is one section of a text: a heading and the provisions up
// to the next one. A heading directly followed by another belongs to the
// section of the next (a chapter's heading goes with its first rule's), so
// every section but the last has text of its own; the provisions before
// the first heading make a section with no heading (ID "").
type SectionState struct {
	// ID is the id of the heading that names the section, Title its
	// number and words on one line ("Cluster II. Decision-making").
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Provisions []string `json:"provisions"`
	Tally      Tally    `json:"tally"`
}

// ProvisionState is one provision of the head with what is open on it.
type ProvisionState struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Number  string `json:"number"`
	Text    string `json:"text"`
	Status  string `json:"status"`
	Section string `json:"section"`
	// Proposals are the open proposals that change the provision (or
	// insert after it), in the order they were made.
	Proposals []ProposalRef `json:"proposals"`
	Positions []*Position   `json:"positions"`
}

// HistoryPoint is how much of one version was agreed.
type HistoryPoint struct {
	Version int       `json:"version"`
	Created time.Time `json:"created_at"`
	Tally   Tally     `json:"tally"`
}

// BuildStateOfPlay sums up head v: open are its document's open proposals
// (in the order they were made), positions those open in v as the reader
// may see them (PositionsIn), history the points of the versions before v
// (v's own is added). It stores and reads nothing.
func BuildStateOfPlay(v *Version, open []*Proposal, positions []*Position, history []HistoryPoint) *StateOfPlay {
	s := &StateOfPlay{
		Document: v.Document, Version: v.Number, Created: v.CreatedAt, AsOf: v.CreatedAt,
		Sections: []SectionState{}, Items: make([]ProvisionState, len(v.Provisions)),
		WholeText: []*Position{}, Removed: []*Position{}, NotAgreed: NotAgreed(v, positions),
		OpenProposals: len(open), OpenPositions: len(positions),
	}
	if s.NotAgreed == nil {
		s.NotAgreed = []Obstacle{}
	}
	at := make(map[string]int, len(v.Provisions))
	for i, p := range v.Provisions {
		at[p.ID] = i
		s.Items[i] = ProvisionState{ID: p.ID, Kind: p.Kind, Number: p.Number, Text: p.Text, Status: p.Status,
			Proposals: []ProposalRef{}, Positions: []*Position{}}
		if s.Items[i].Status == "" {
			s.Items[i].Status = ProvisionPending
		}
	}
	s.Sections = sections(v.Provisions, s.Items)
	for _, p := range open {
		for _, id := range p.Touches() {
			if i, ok := at[id]; ok {
				s.Items[i].Proposals = append(s.Items[i].Proposals, p.Ref())
			}
		}
		s.AsOf = later(s.AsOf, p.UpdatedAt)
	}
	for _, p := range positions {
		i, ok := at[p.Provision]
		switch {
		case p.Provision == "":
			s.WholeText = append(s.WholeText, p)
		case !ok:
			s.Removed = append(s.Removed, p)
		default:
			s.Items[i].Positions = append(s.Items[i].Positions, p)
		}
		s.AsOf = later(s.AsOf, p.CreatedAt)
		if p.ConfirmedAt != nil {
			s.AsOf = later(s.AsOf, *p.ConfirmedAt)
		}
	}
	s.Overall = TallyOf(v.Provisions)
	s.History = append(append([]HistoryPoint{}, history...), HistoryPoint{Version: v.Number, Created: v.CreatedAt, Tally: s.Overall})
	return s
}

// sections splits a text into its sections (see SectionState), noting
// each item's section.
func sections(ps []Provision, items []ProvisionState) []SectionState {
	var out []SectionState
	var pending []int // headings waiting for text of their own
	open := func(i int) {
		out = append(out, SectionState{ID: ps[i].ID, Title: headingTitle(ps[i]), Provisions: []string{}})
	}
	add := func(i int) {
		sec := &out[len(out)-1]
		sec.Provisions = append(sec.Provisions, ps[i].ID)
		sec.Tally.Add(ps[i].Status)
		items[i].Section = sec.ID
	}
	for i, p := range ps {
		if p.Kind == KindHeading {
			pending = append(pending, i)
			continue
		}
		if len(pending) > 0 {
			open(pending[len(pending)-1])
			for _, h := range pending {
				add(h)
			}
			pending = pending[:0]
		} else if len(out) == 0 {
			out = append(out, SectionState{Provisions: []string{}})
		}
		add(i)
	}
	if len(pending) > 0 { // headings at the very end
		open(pending[len(pending)-1])
		for _, h := range pending {
			add(h)
		}
	}
	return out
}

// headingTitle is a heading's number and words on one line.
func headingTitle(p Provision) string {
	t := strings.Join(strings.Fields(p.Text), " ")
	if numbered := p.Number != "" && !strings.HasPrefix(p.Number, "#"); numbered {
		return strings.TrimSpace(p.Number + " " + t)
	}
	return t
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// StateRenderer prints the state of play: as a PDF with its chart, as an
// HTML fragment, and the chart alone as an SVG image, each legible in
// black and white. Implemented by package render.
type StateRenderer interface {
	StateOfPlayPDF(w io.Writer, doc *Document, s *StateOfPlay) error
	StateOfPlayHTML(w io.Writer, doc *Document, s *StateOfPlay) error
	StateOfPlaySVG(w io.Writer, doc *Document, s *StateOfPlay) error
}
