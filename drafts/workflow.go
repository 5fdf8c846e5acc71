package drafts

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Compilation is the negotiators' working document for one version: every
// open proposal grouped under the provision it touches, in document order.
type Compilation struct {
	Document string             `json:"document"`
	Version  int                `json:"version"`
	Entries  []CompilationEntry `json:"entries"`
	// WholeText are the delegations' positions on the text as a whole
	// (see CompilationEntry.Positions).
	WholeText []*Position `json:"whole_text,omitempty"`
	// Delegations are the directory's entries of the delegations it
	// names, by code: their names, to name proposals (ProposalRef.Name).
	Delegations map[string]Delegation `json:"delegations,omitempty"`
	// Key, when not empty, names everything the compilation was made
	// from (the version with its statuses, each open proposal at its
	// ETag): two compilations with one Key are equal, so what is made of
	// one (a page, an encoding) may be kept under it.
	Key string `json:"-"`
}

// CompilationEntry is one provision of the version and the proposals on it.
// Proposals inserting new text after a provision are listed under it; those
// inserting at the very start under an entry with an empty provision id.
type CompilationEntry struct {
	Provision Provision          `json:"provision"`
	Proposals []CompiledProposal `json:"proposals"`
	// Positions are the delegations' positions on the provision open in
	// the version, as the reader may see them.
	Positions []*Position `json:"positions,omitempty"`
	// Colliding is set when the proposals' changes to the provision
	// cannot all apply (see MarkCollisions): the chair must resolve them.
	Colliding bool `json:"colliding,omitempty"`
	// Key, when not empty, names everything the entry holds (its
	// provision and the changes to it, by content, and the positions the
	// reader sees): two entries with one Key are equal, so what is made
	// of one may be kept under it, from one version to the next.
	Key string `json:"-"`
}

// CompiledProposal is one proposed change to a provision. Identical changes
// by several delegations are one CompiledProposal listing them all.
type CompiledProposal struct {
	Op          string    `json:"op"`
	Proposals   []string  `json:"proposals"`
	Delegations []string  `json:"delegations"`
	Cosponsors  []string  `json:"cosponsors,omitempty"`
	Text        string    `json:"text,omitempty"`  // the proposed text (replace, insert)
	After       string    `json:"after,omitempty"` // for a move: the provision it would follow
	Segments    []Segment `json:"segments,omitempty"`
	// Justifications of the proposals, in the order of Proposals.
	Justifications []string `json:"justifications,omitempty"`
	// Refs name the proposals, in the order of Proposals: numbers, and
	// which were made orally.
	Refs []ProposalRef `json:"refs"`
	// SubAmendments are the open sub-amendments to these proposals that
	// give the provision another text: each its text, its Segments the
	// changes to the text above.
	SubAmendments []CompiledProposal `json:"sub_amendments,omitempty"`
	// Language is the language the proposed text is in, when it is not
	// the compilation's (see TranslationService.CompileIn).
	Language string `json:"language,omitempty"`
}

// Counts returns how many proposals, and from how many delegations, the
// compilation lists.
func (c *Compilation) Counts() (proposals, delegations int) {
	seenP := map[string]bool{}
	seenD := map[string]bool{}
	var count func(cps []CompiledProposal)
	count = func(cps []CompiledProposal) {
		for _, p := range cps {
			for _, id := range p.Proposals {
				seenP[id] = true
			}
			for _, d := range p.Delegations {
				seenD[d] = true
			}
			count(p.SubAmendments)
		}
	}
	for _, e := range c.Entries {
		count(e.Proposals)
	}
	return len(seenP), len(seenD)
}

// Adoption procedures and round states.
const (
	ProcedureConsensus = "consensus"
	ProcedureSilence   = "silence"

	RoundOpen    = "open"
	RoundAdopted = "adopted"
	RoundFailed  = "failed" // closed with objections, or silence broken
)

// AdoptionRound is one attempt to adopt a version, by consensus or by
// silence procedure.
type AdoptionRound struct {
	ID         string     `json:"id"`
	Document   string     `json:"document"`
	Version    int        `json:"version"`
	Procedure  string     `json:"procedure"`
	Deadline   *time.Time `json:"deadline,omitempty"`
	State      string     `json:"state"`
	OpenedBy   string     `json:"opened_by"`
	OpenedAt   time.Time  `json:"opened_at"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	Consents   []Response `json:"consents"`
	Objections []Response `json:"objections"`
	// OpenProposals lists proposals on the version still open when the
	// round was opened.
	OpenProposals []string `json:"open_proposals,omitempty"`
	// Awaiting lists, as the round is read, the member delegations that
	// have neither consented nor objected (observers never); null when
	// the directory could not be read.
	Awaiting []string `json:"awaiting"`
	ETag     string   `json:"-"`
	// Audit holds the events of the round's changes (stored, not shown).
	Audit []AuditEntry `json:"-"`
}

// Response is a delegation's consent or objection in a round.
type Response struct {
	Delegation string    `json:"delegation"`
	Author     string    `json:"author"`
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
}

// Event is one entry of a document's audit trail. Hash is the sha-256 of
// the event's fields and PrevHash, so the trail is a hash chain.
type Event struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Delegation string    `json:"delegation"`
	Action     string    `json:"action"`
	Ref        string    `json:"ref"`
	Detail     string    `json:"detail,omitempty"`
	// Change names the stored change the event records ("proposal/<id>",
	// "proposal/<id>/<rev>", "version/<n>", "round/<id>", "status/<n>/<rev>",
	// "document/<id>"...), once per change: verification checks that every
	// stored change has exactly one. Events of no stored change (a refused
	// attempt) have none.
	Change   string `json:"change,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// ChainHash returns the event's hash over its fields and PrevHash: what
// Hash must be for the trail's chain to hold.
func (e *Event) ChainHash() string {
	h := sha256.New()
	// Length-prefixed fields, so no two events share an encoding.
	fields := []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		e.Actor, e.Delegation, e.Action, e.Ref, e.Detail, e.PrevHash,
	}
	if e.Change != "" {
		// Only then: events recorded before changes were named keep their hashes.
		fields = append(fields, "change", e.Change)
	}
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Verification is the result of recomputing a document's event chain.
type Verification struct {
	OK       bool   `json:"ok"`
	Checked  int64  `json:"checked"`
	FirstBad *int64 `json:"first_bad"`
	Problem  string `json:"problem,omitempty"`
	// Unrecorded names the stored changes that no event records
	// ("proposal/<id>", "version/<n>", "round/<id>", "status/<n>/<rev>").
	Unrecorded []string `json:"unrecorded,omitempty"`
	// Duplicates names the changes that more than one event records.
	Duplicates []string `json:"duplicates,omitempty"`
}

// AuditEntry is the event a change owes, stored with the change itself, in
// the same write: the changed object keeps the entries of all its changes
// (its Audit field). The service chains an entry as an Event (with Change
// set to the entry's Change) before it answers, and whatever a failure or
// a crash left unchained is chained later from the stored entries: so a
// stored change can never lose its event. Entries are never shown through
// the API; the events are.
type AuditEntry struct {
	Change     string    `json:"change"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Delegation string    `json:"delegation,omitempty"`
	Action     string    `json:"action"`
	Ref        string    `json:"ref"`
	Detail     string    `json:"detail,omitempty"`
}

// Event returns the entry as an event, not yet chained.
func (a *AuditEntry) Event() *Event {
	return &Event{Actor: a.Actor, Delegation: a.Delegation, Action: a.Action, Ref: a.Ref, Detail: a.Detail, Change: a.Change}
}

// Renderer writes texts, tracked diffs and compilations for people: plain
// text, HTML fragments and PDF. Implemented by package render.
//
// The PDF methods return EINVALID naming the characters when a text holds
// characters no configured font can show.
type Renderer interface {
	// DiffText writes d as plain text, [+inserted+] and [-deleted-].
	DiffText(w io.Writer, d *Diff) error
	// DiffHTML writes d as an HTML fragment with <ins> and <del>, escaped.
	DiffHTML(w io.Writer, d *Diff) error
	// CompilationHTML writes c as an HTML fragment.
	CompilationHTML(w io.Writer, doc *Document, v *Version, c *Compilation) error

	// AgreedPDF writes the clean text of v; round is the adoption round
	// that adopted it, or nil.
	AgreedPDF(w io.Writer, doc *Document, v *Version, round *AdoptionRound) error
	// ChangesPDF writes the tracked changes from one version to another.
	ChangesPDF(w io.Writer, doc *Document, from, to *Version, d *Diff) error
	// CompilationPDF writes the compilation of v.
	CompilationPDF(w io.Writer, doc *Document, v *Version, c *Compilation) error

	StateRenderer
}

// AdoptionInput opens a round.
type AdoptionInput struct {
	Version   int
	Procedure string
	Deadline  *time.Time
}

// EventsSince selects the events a client has not seen: those after a
// sequence number, or those recorded after a time. The zero value selects
// them all.
type EventsSince struct {
	// Seq, when positive, selects the events numbered after it.
	Seq int64
	// Time, when set, selects the events recorded after it.
	Time time.Time
}

// RendererIdentity is implemented by a Renderer whose output depends on its
// configuration (the forum's name, the fonts): Identity names that
// configuration, so that cached prints of differently configured replicas
// never cross.
type RendererIdentity interface {
	// Identity names the configuration; it never fails.
	Identity() string
}
