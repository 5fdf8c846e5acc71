package drafts

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Position kinds: where a delegation stands on a provision or on the
// whole text.
const (
	PositionReservation = "reservation" // reserves its position, in its words
	PositionAdRef       = "ad-ref"      // awaits instructions from its capital
	PositionCannotJoin  = "cannot-join" // cannot join consensus, with its reason
	PositionStatement   = "statement"   // an interpretative statement, recorded with the text
	PositionSupport     = "support"
)

// PositionKinds returns the kinds of position, in the order a form offers
// them.
func PositionKinds() []string {
	return []string{PositionSupport, PositionAdRef, PositionReservation, PositionStatement, PositionCannotJoin}
}

// Position states.
const (
	PositionOpen      = "open"
	PositionWithdrawn = "withdrawn"
)

// Where a position stands against the text of a version (Position.Standing).
const (
	// StandingCurrent: the provision (or the whole text) reads as it did
	// when the position was recorded or last confirmed.
	StandingCurrent = "current"
	// StandingEarlierText: the provision changed since; the position is on
	// an earlier text until its delegation confirms or withdraws it.
	StandingEarlierText = "earlier-text"
	// StandingRemoved: the provision is no longer in the text.
	StandingRemoved = "provision-removed"
)

// Position is a delegation's position on a provision of a document, or on
// the whole text (Provision ""). It is recorded on the head version and
// carries over to later versions while the provision's text is unchanged
// (TextHash); when it changes, the position stands on an earlier text
// until the delegation confirms it (on the new text) or withdraws it.
type Position struct {
	ID         string `json:"id"`
	Document   string `json:"document"`
	Delegation string `json:"delegation"`
	// DelegationName is the delegation's name when the position was
	// recorded, for printing ("Kazakhstan").
	DelegationName string `json:"delegation_name,omitempty"`
	Provision      string `json:"provision,omitempty"`
	Kind           string `json:"kind"`
	Text           string `json:"text,omitempty"`
	// Visibility is who may see it: "members" (the default), or
	// "observers" too, on a document observers may read.
	Visibility string `json:"visibility"`
	// Version is the version whose text the position is on: where it was
	// recorded, or last confirmed. Since is where it was first recorded.
	Version int `json:"version"`
	Since   int `json:"since"`
	// TextHash names the provision's text (or the whole text) at Version
	// (PositionTextHash).
	TextHash    string     `json:"text_hash"`
	Author      string     `json:"author"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	State       string     `json:"state"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
	// WithdrawnIn is the head version when it was withdrawn.
	WithdrawnIn int `json:"withdrawn_in,omitempty"`

	// Standing and Number say, for the version it was read with, where
	// the position stands (StandingCurrent...) and the provision's number
	// or the start of its text; the service sets them on reading.
	Standing string `json:"standing,omitempty"`
	Number   string `json:"number,omitempty"`
}

// PositionInput is what a delegation sends to record a position.
type PositionInput struct {
	// Provision is the provision's id; "" for the whole text.
	Provision  string
	Kind       string
	Text       string
	Visibility string
}

// Validate checks the input's kind, words and visibility: a reservation,
// a statement and cannot-join need words; ad ref and support may have
// them.
func (in *PositionInput) Validate() error {
	var fields []FieldError
	needsText := false
	switch in.Kind {
	case PositionReservation, PositionStatement, PositionCannotJoin:
		needsText = true
	case PositionAdRef, PositionSupport:
	default:
		fields = append(fields, FieldError{Field: "kind", Message: "one of " + strings.Join(PositionKinds(), ", ")})
	}
	if err := CheckNote("text", in.Text, 20000, needsText); err != nil {
		fields = append(fields, AsError(err).Fields...)
	}
	switch in.Visibility {
	case "", VisibilityMembers, VisibilityObservers:
	default:
		fields = append(fields, FieldError{Field: "visibility", Message: `"members" or "observers"`})
	}
	return fieldsError("invalid position", fields)
}

// Resource returns the position as the policy sees it, on document d: its
// delegation, and its visibility within what the document admits.
func (p *Position) Resource(d *Document) Resource {
	r := d.Resource()
	r.Type = "position"
	r.Delegation = p.Delegation
	if p.Visibility != VisibilityObservers {
		r.Visibility = VisibilityMembers
	}
	return r
}

// OpenIn reports whether the position was open in version n: recorded at
// or before it, and not withdrawn while n or an earlier version was the
// head.
func (p *Position) OpenIn(n int) bool {
	return p.Since <= n && (p.State == PositionOpen || p.WithdrawnIn > n)
}

// PositionTextHash names the text a position is on: provision id's text in
// v, or the whole text's provisions when id is "" (numbers aside, as for
// statuses: a renumbered provision is unchanged). ok is false when v has
// no such provision.
func PositionTextHash(v *Version, id string) (hash string, ok bool) {
	if id != "" {
		p, i := v.Provision(id)
		if i < 0 {
			return "", false
		}
		return HashText(p.Text), true
	}
	var b strings.Builder
	for _, p := range v.Provisions {
		b.WriteString(p.Text)
		b.WriteByte(0)
	}
	return HashText(b.String()), true
}

// PositionsIn returns the positions of all open in version v, each a copy
// with its Standing and Number for v, in the order given. wholeHash is
// PositionTextHash(v, ""), "" to compute it.
func PositionsIn(v *Version, all []*Position, wholeHash string) []*Position {
	if len(all) == 0 {
		return []*Position{}
	}
	at := make(map[string]int, len(v.Provisions))
	for i, p := range v.Provisions {
		at[p.ID] = i
	}
	out := []*Position{}
	for _, p := range all {
		if !p.OpenIn(v.Number) {
			continue
		}
		c := *p
		c.Standing, c.Number = StandingCurrent, ""
		switch i, ok := at[p.Provision]; {
		case p.Provision == "":
			if wholeHash == "" { // the whole text hashed only when a position is on it
				wholeHash, _ = PositionTextHash(v, "")
			}
			if p.TextHash != wholeHash {
				c.Standing = StandingEarlierText
			}
		case !ok:
			c.Standing = StandingRemoved
		default:
			c.Number = ProvisionName(v.Provisions[i])
			if HashText(v.Provisions[i].Text) != p.TextHash {
				c.Standing = StandingEarlierText
			}
		}
		out = append(out, &c)
	}
	return out
}

// ProvisionName names a provision for people: "paragraph 7", "Rule 3",
// "sub-paragraph (a)", or the start of its text in quotes.
func ProvisionName(p Provision) string {
	n := strings.TrimSuffix(p.Number, ".")
	switch {
	case n == "" || strings.HasPrefix(n, "#"):
		t := strings.Join(strings.Fields(p.Text), " ")
		if utf8.RuneCountInString(t) > 40 {
			t = string([]rune(t)[:40]) + "…"
		}
		return "“" + t + "”"
	case p.Kind == KindItem:
		return "sub-paragraph " + n
	case p.Kind == KindHeading:
		return n
	}
	return "paragraph " + n
}

// Obstacle is what stands in the way of adopting a text: a provision in
// square brackets, or a delegation that cannot join consensus.
type Obstacle struct {
	// Reason is ProvisionBracketed or PositionCannotJoin.
	Reason     string `json:"reason"`
	Provision  string `json:"provision,omitempty"`
	Name       string `json:"name,omitempty"` // the provision as ProvisionName says, "" for the whole text
	Delegation string `json:"delegation,omitempty"`
	// DelegationName is the delegation's name, as its position records it.
	DelegationName string `json:"delegation_name,omitempty"`
	Position       string `json:"position,omitempty"`
	Text           string `json:"text,omitempty"` // the delegation's reason
	Standing       string `json:"standing,omitempty"`
}

// NotAgreed returns what stands in the way of adopting v: its bracketed
// provisions, in order, then the cannot-join positions among positions
// (those open in v, as PositionsIn gives them), whatever text they stand
// on: a delegation that said it cannot join is asked before the text is
// adopted, even if the provision changed since.
func NotAgreed(v *Version, positions []*Position) []Obstacle {
	var out []Obstacle
	for _, p := range v.Provisions {
		if p.Status == ProvisionBracketed {
			out = append(out, Obstacle{Reason: ProvisionBracketed, Provision: p.ID, Name: ProvisionName(p)})
		}
	}
	for _, p := range positions {
		if p.Kind == PositionCannotJoin {
			out = append(out, Obstacle{Reason: PositionCannotJoin, Provision: p.Provision, Name: p.Number,
				Delegation: p.Delegation, DelegationName: p.DelegationName, Position: p.ID, Text: p.Text, Standing: p.Standing})
		}
	}
	return out
}

// ENOTAGREED is the code of a refusal to open or close an adoption round
// while the text is not agreed (409); Error.NotAgreed lists why.
const ENOTAGREED = "not_agreed"

// NotAgreedError is the refusal to adopt a text for its obstacles (none:
// nil), in words a chair reads out: what is bracketed, who cannot join.
func NotAgreedError(obs []Obstacle) error {
	if len(obs) == 0 {
		return nil
	}
	var parts []string
	for _, o := range obs {
		where := o.Name
		if o.Reason == ProvisionBracketed {
			parts = append(parts, where+" is in square brackets")
			continue
		}
		if where == "" {
			where = "the text"
			if o.Provision != "" {
				where = "a provision no longer in the text"
			}
		}
		who := o.Delegation
		if o.DelegationName != "" {
			who = o.DelegationName + " (" + o.Delegation + ")"
		}
		s := fmt.Sprintf("%s cannot join consensus on %s", who, where)
		if o.Standing == StandingEarlierText {
			s += " (on an earlier text: the delegation may confirm or withdraw it)"
		}
		if o.Text != "" {
			s += ": “" + o.Text + "”"
		}
		parts = append(parts, s)
	}
	return &Error{Code: ENOTAGREED, NotAgreed: obs,
		Message: "the text is not agreed: " + strings.Join(parts, "; ")}
}
