package drafts

import (
	"strconv"
	"time"
)

// MaxOperations bounds the changes of one proposal, counting each inserted
// provision.
const MaxOperations = 1000

// Proposal statuses.
const (
	ProposalOpen             = "open"
	ProposalAccepted         = "accepted"
	ProposalAcceptedModified = "accepted-modified"
	ProposalRejected         = "rejected"
	ProposalWithdrawn        = "withdrawn"
	ProposalObsolete         = "obsolete"
)

// Proposal is an amendment by a delegation against a base version: a list
// of operations on provisions, with a justification.
//
// People name it by its Number ("Proposal 7 (Kazakhstan)", see
// ProposalName). A sub-amendment (Amends set) amends another open
// proposal: its operations replace texts that proposal gives provisions
// (see CheckSubAmendment and Combine). An oral proposal (Source
// SourceOral) was made aloud in the meeting and recorded by the chair
// (RecordedBy, also its Author); it is credited to Delegation.
type Proposal struct {
	ID       string `json:"id"`
	Document string `json:"document"`
	// Number is 1, 2, 3... per document in order of submission, never
	// reused; 0 only for a proposal stored before numbers were given and
	// not numbered yet (the service numbers those when it first meets them).
	Number int `json:"number"`
	// Amends is the id of the proposal this sub-amendment amends, and
	// AmendsNumber its number; "" and 0 for a proposal to the text.
	Amends       string `json:"amends,omitempty"`
	AmendsNumber int    `json:"amends_number,omitempty"`
	// Source is SourceOral for a proposal made aloud and recorded by the
	// chair (RecordedBy, the chair's user id); "" for a written one.
	Source        string      `json:"source,omitempty"`
	RecordedBy    string      `json:"recorded_by,omitempty"`
	Delegation    string      `json:"delegation"`
	Author        string      `json:"author"`
	Base          int         `json:"base"`
	Justification string      `json:"justification"`
	Operations    []Operation `json:"operations"`
	// Text is the whole edited text when the delegation sent one; the
	// operations were derived from it.
	Text       string     `json:"text,omitempty"`
	Status     string     `json:"status"`
	Reason     string     `json:"reason,omitempty"` // why it was rejected or made obsolete
	Cosponsors []string   `json:"cosponsors"`
	Comments   []Comment  `json:"comments"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	// MergedInto is the version that accepted it.
	MergedInto int `json:"merged_into,omitempty"`
	// Language is the language version the proposal was written in, ""
	// for the original language: its operations' texts are in it, and
	// merging it needs the chair's text in the original language
	// (MergeInput.Translations).
	Language string `json:"language,omitempty"`
	ETag     string `json:"-"`
	// Audit holds the events of the proposal's changes (stored, not shown).
	Audit []AuditEntry `json:"-"`
}

// ProposalInput is what a delegation sends: operations, or a whole edited
// text the server aligns to the base.
type ProposalInput struct {
	Base          int
	Justification string
	Operations    []Operation
	Text          string
	// Amends, for a sub-amendment, is the id or number of the open
	// proposal it amends; its operations are replacements of texts that
	// proposal gives provisions, and Base may be left 0.
	Amends string
	// OnBehalfOf and Source, from a chair only: a proposal the delegation
	// OnBehalfOf made aloud in the meeting (Source SourceOral).
	OnBehalfOf string
	Source     string
	// Language is the language version the proposal is written in, ""
	// (or the original language) for the original.
	Language string
}

// ProposalFilter selects proposals by status and delegation ("" for any).
type ProposalFilter struct {
	Status     string
	Delegation string
}

// Comment is a remark on a proposal by a delegation or the chair.
type Comment struct {
	Author     string    `json:"author"`
	Delegation string    `json:"delegation,omitempty"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
}

// Resource returns the proposal as the policy sees it, on document d.
func (p *Proposal) Resource(d *Document) Resource {
	r := d.Resource()
	r.Type = "proposal"
	r.Delegation = p.Delegation
	r.Sponsors = p.Cosponsors
	return r
}

// Touches returns the ids of the base provisions the proposal changes, or
// inserts after, in the order its operations name them. Provisions the
// proposal inserts itself are not among them.
func (p *Proposal) Touches() []string {
	var ids []string
	seen := map[string]bool{}
	for _, o := range p.Operations {
		if o.Op == OpInsert && o.ID != "" {
			seen[o.ID] = true // its own
		}
	}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, o := range p.Operations {
		switch o.Op {
		case OpInsert:
			add(o.After)
		case OpMove:
			add(o.Provision)
			add(o.After)
		default:
			add(o.Provision)
		}
	}
	return ids
}

// ValidateProposalInput checks the parts of a new proposal a client sends.
func ValidateProposalInput(justification string, ops []Operation, text string) error {
	var fields []FieldError
	if err := CheckNote("justification", justification, 20000, false); err != nil {
		fields = append(fields, AsError(err).Fields...)
	}
	switch {
	case len(ops) == 0 && IsBlank(text):
		fields = append(fields, FieldError{Field: "operations", Message: "give operations or a whole edited text"})
	case len(ops) > 0 && text != "":
		fields = append(fields, FieldError{Field: "text", Message: "give operations or a whole edited text, not both"})
	case len(ops) > MaxOperations:
		fields = append(fields, FieldError{Field: "operations", Message: "at most " + strconv.Itoa(MaxOperations) + " operations"})
	}
	for i, o := range ops {
		if err := o.Validate(); err != nil {
			fields = append(fields, FieldError{Field: "operations[" + strconv.Itoa(i) + "]", Message: ErrorMessage(err)})
		}
	}
	return fieldsError("invalid proposal", fields)
}

// CheckOpen returns ECONFLICT unless the proposal is open: only an open
// proposal can be edited, withdrawn, co-sponsored, rejected or merged.
func (p *Proposal) CheckOpen() error {
	if p.Status != ProposalOpen {
		if p.Number > 0 {
			return Errorf(ECONFLICT, "%s is %s, no longer open", p.Name("en", nil), p.Status)
		}
		return Errorf(ECONFLICT, "proposal %s is %s, no longer open", p.ID, p.Status)
	}
	return nil
}

// ReplacementText returns the text the proposal gives provision id by a
// replace operation (its last one), and whether it has one.
func (p *Proposal) ReplacementText(id string) (string, bool) {
	text, ok := "", false
	for _, o := range p.Operations {
		if o.Op == OpReplace && o.Provision == id {
			text, ok = o.Text, true
		}
	}
	return text, ok
}
