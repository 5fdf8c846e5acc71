package drafts

import (
	"context"
)

// The services below are Chancery's application interface, one per
// aggregate, as every caller sees it: the HTTP API, the web workspace, the
// command line and the demo loader. Package service implements them all.
//
// Each method takes the acting user from the context (NewContextWithUser)
// and checks the policy itself, with the objects it loads anyway: a caller
// cannot forget a check, and nothing is read twice. A members-only
// document does not exist for an observer: every method answers ENOTFOUND
// for it, and lists leave it out.
//
// Besides the codes each method names, every method may return
// EUNAUTHORIZED when the context carries no user (except those that say
// they need none), EFORBIDDEN (with Error.Permission) when the policy
// refuses the action, EUNAVAILABLE when storage cannot be reached or the
// server's heavy work is full, and EINTERNAL when a stored object is
// damaged. A method that changes something and fails leaves storage as it
// was. Methods taking ifMatch compare it, when not "", with the ETag the
// client read: EPRECONDITION if the object changed since. List methods
// return EMALFORMED for a cursor the server did not give.

// Service is every service in one: what the HTTP API, the web workspace and
// the command line hold. A test fake may embed it and implement only the
// methods its test calls.
type Service interface {
	DocumentService
	ProposalService
	MergeService
	AdoptionService
	DirectoryService
	AuditService
	PublishingService
	SessionService
	MaintenanceService
	SettingsService
	FormService
	LiveService
	WebhookService
	PositionService
	TranslationService
}

// DocumentService manages documents, their versions and provision statuses.
type DocumentService interface {
	// CreateDocument creates a document and its version 1 from text (see
	// ParseText), with d's metadata; the visibility defaults to members
	// and the language to English. EINVALID naming the field or the line
	// of the text; ECONFLICT, naming the field, if another document has
	// the symbol; EFORBIDDEN for a chair of another body.
	CreateDocument(ctx context.Context, d *Document, text string) (*Document, *Version, error)
	// ImportWordDocument creates a document as CreateDocument does, from
	// a Word file that several delegations marked up (see
	// PlanWordImport): version 1 is in.File's Original text, and each
	// delegation of in.Authors gets a proposal against it of its authors'
	// tracked changes, credited to the delegation and submitted by the
	// caller. EINVALID naming the delegation whose changes do not apply or
	// change nothing, or that is unknown or not a member; then as
	// CreateDocument.
	ImportWordDocument(ctx context.Context, d *Document, in WordImport) (*Document, *Version, []*Proposal, error)
	// GetDocument returns a document with its head and the agreed share of
	// it, adopting first a silence procedure past its deadline. ENOTFOUND
	// if there is none.
	GetDocument(ctx context.Context, id string) (*Document, error)
	// ListDocuments returns one page of the documents the user may see.
	ListDocuments(ctx context.Context, opt ListOptions) (*Page[*Document], error)
	// GetVersion returns version n with its provisions' statuses.
	// ENOTFOUND if there is no such document or version.
	GetVersion(ctx context.Context, doc string, n int) (*Version, error)
	// ListVersions returns one page of a document's versions, oldest
	// first, without their provisions. ENOTFOUND if there is no document.
	ListVersions(ctx context.Context, doc string, opt ListOptions) (*Page[*Version], error)
	// CreateVersion stores the chair's revised text as the new head,
	// keeping the ids and statuses of the provisions it continues.
	// ENOTFOUND; EINVALID for the text or message; ECONFLICT if base is not
	// the head (or another version was made meanwhile), or the document is
	// adopted, withdrawn or under adoption.
	CreateVersion(ctx context.Context, doc string, base int, text, message string) (*Version, error)
	// RenumberVersion stores, as the new head, the head with its numbers
	// made a clean sequence (see Renumber); texts, ids and statuses stay.
	// ENOTFOUND; EINVALID for the message; ECONFLICT if in.Base is not the
	// head, the document is adopted, withdrawn or under adoption, or its
	// numbering is clean already.
	RenumberVersion(ctx context.Context, doc string, in RenumberInput) (*Version, error)
	// VersionDiff returns the tracked diff from version m to version n,
	// with both versions, each change attributed to the delegation whose
	// merged proposal made it or to the chair (ChairName). The diff is
	// shared: read only. ENOTFOUND for a missing version; EINVALID if m < 1.
	VersionDiff(ctx context.Context, doc string, n, m int) (*Diff, *Version, *Version, error)
	// SetProvisionStatus sets the status of provision id of the head
	// version n, and returns the provision and the version's new ETag.
	// ENOTFOUND for the document, version or provision; EINVALID for an
	// unknown status; ECONFLICT if n is superseded or the document is
	// adopted or withdrawn; EPRECONDITION if ifMatch is stale.
	SetProvisionStatus(ctx context.Context, doc string, n int, id, status, ifMatch string) (*Provision, string, error)
}

// ProposalService manages proposals: amendments by delegations.
type ProposalService interface {
	// CreateProposal records a proposal by the caller's delegation against
	// in.Base, from operations or a whole edited text (whose operations
	// the server derives); the first proposal opens the negotiation.
	// ENOTFOUND; EINVALID, naming the field, for a missing or unknown
	// base, operations that do not apply or change nothing, or too many;
	// EFORBIDDEN for a user of no member delegation; ECONFLICT if the
	// document is adopted or withdrawn.
	CreateProposal(ctx context.Context, doc string, in ProposalInput) (*Proposal, error)
	// PreviewProposal checks in as CreateProposal does and returns the
	// tracked diff it would make against its base, attributed to the
	// caller's delegation, storing nothing. Its errors are
	// CreateProposal's.
	PreviewProposal(ctx context.Context, doc string, in ProposalInput) (*Diff, error)
	// EditProposal replaces an open proposal's base, justification and
	// operations; co-sponsors and comments stay. ENOTFOUND; EFORBIDDEN
	// unless the caller's delegation made it; EINVALID as CreateProposal;
	// ECONFLICT if it is not open or the document is adopted or withdrawn;
	// EPRECONDITION if ifMatch is stale.
	EditProposal(ctx context.Context, doc, id string, in ProposalInput, ifMatch string) (*Proposal, error)
	// GetProposal returns a proposal; id may be its id or its number.
	// ENOTFOUND if there is none.
	GetProposal(ctx context.Context, doc, id string) (*Proposal, error)
	// ProposalText returns a proposal and the text it makes: its base
	// version with its changes made (a sub-amendment's with those of the
	// proposal it amends), numbered as the base, with the base's
	// statuses. ENOTFOUND if there is none.
	ProposalText(ctx context.Context, doc, id string) (*Proposal, *Version, error)
	// ListProposals returns one page of a document's proposals that f
	// selects. ENOTFOUND if there is no document; EINVALID for an unknown
	// status.
	ListProposals(ctx context.Context, doc string, f ProposalFilter, opt ListOptions) (*Page[*Proposal], error)
	// OpenProposals returns a document's open proposals, numbered, in the
	// order they were made, without the whole text a delegation sent
	// (Proposal.Text) and the audit entries: what a list of them shows.
	// They are shared with other callers: read only. ENOTFOUND if there is
	// no document.
	OpenProposals(ctx context.Context, doc string) ([]*Proposal, error)
	// ProposalDiff returns the tracked diff of a proposal against its base
	// (against "" or "base") or the head ("head": the proposal rebased
	// onto it), attributed to its delegation. ENOTFOUND; EINVALID for
	// another against; ECONFLICT, with Error.Collisions, if it collides
	// with the head or no longer applies to it.
	ProposalDiff(ctx context.Context, doc, id, against string) (*Diff, error)
	// WithdrawProposal withdraws an open proposal. ENOTFOUND; EFORBIDDEN
	// unless the caller's delegation made it; ECONFLICT if it is not open;
	// EPRECONDITION if ifMatch is stale.
	WithdrawProposal(ctx context.Context, doc, id, ifMatch string) (*Proposal, error)
	// CosponsorProposal adds the caller's delegation to an open proposal's
	// co-sponsors (a second time changes nothing). ENOTFOUND; EFORBIDDEN
	// for a user of no member delegation; ECONFLICT if it is not open or is
	// the delegation's own; EPRECONDITION if ifMatch is stale.
	CosponsorProposal(ctx context.Context, doc, id, ifMatch string) (*Proposal, error)
	// CommentProposal adds a comment to a proposal. ENOTFOUND; EINVALID for
	// an empty or too long text; EPRECONDITION if ifMatch is stale.
	CommentProposal(ctx context.Context, doc, id, text, ifMatch string) (*Proposal, error)
	// RejectProposal rejects an open proposal with a reason. ENOTFOUND;
	// EINVALID for an empty or too long reason; ECONFLICT if it is not
	// open; EPRECONDITION if ifMatch is stale.
	RejectProposal(ctx context.Context, doc, id, reason, ifMatch string) (*Proposal, error)
}

// MergeService compiles the open proposals of a version and merges
// proposals into new versions.
type MergeService interface {
	// Compile returns the compilation of version n (0 for the head) and
	// the version (see CompileProposals). ENOTFOUND for a missing version.
	Compile(ctx context.Context, doc string, n int) (*Compilation, *Version, error)
	// Merge merges open proposals onto the head (which must be in.Base) as
	// a new version, rebasing those on older versions per provision; the
	// merged proposals become accepted (or accepted-modified where a
	// resolution replaced their text), those it makes impossible obsolete.
	// With in.Preview it stores nothing and returns the version and diff
	// it would make; a collision no resolution settles is then no error:
	// its provision keeps the head's text and the result lists it.
	// ENOTFOUND; EINVALID, naming the field, for the message, an unknown
	// proposal or a resolution of a provision no merged proposal changes;
	// ECONFLICT, with Error.Collisions, for overlapping changes without a
	// resolution, and if in.Base is not the head, a proposal is not open,
	// none can be merged, or the document is adopted, withdrawn or under
	// adoption. Of concurrent merges onto one head exactly one succeeds.
	Merge(ctx context.Context, doc string, in MergeInput) (*MergeResult, error)
}

// AdoptionService runs adoption rounds.
type AdoptionService interface {
	// OpenAdoption opens a round by consensus or silence procedure on the
	// head (in.Version 0 for the head), listing the proposals still open.
	// ENOTFOUND; EINVALID for the procedure or deadline (a silence
	// procedure needs one within the service's bounds); ECONFLICT if a
	// round is open, in.Version is not the head, a version is being made,
	// or the document is adopted or withdrawn.
	OpenAdoption(ctx context.Context, doc string, in AdoptionInput) (*AdoptionRound, error)
	// GetAdoption returns the current or last round, adopting first a
	// silence procedure past its deadline. ENOTFOUND if there was none.
	GetAdoption(ctx context.Context, doc string) (*AdoptionRound, error)
	// Consent joins the consensus of the open round for the caller's
	// delegation. ENOTFOUND; EFORBIDDEN for a user of no member
	// delegation; ECONFLICT if no consensus round is open.
	Consent(ctx context.Context, doc string) (*AdoptionRound, error)
	// Object records the caller's delegation's objection; in a silence
	// procedure before its deadline it breaks silence and ends the round.
	// ENOTFOUND; EFORBIDDEN as Consent; EINVALID for an empty or too long
	// reason; ECONFLICT if no round is open.
	Object(ctx context.Context, doc, reason string) (*AdoptionRound, error)
	// CloseAdoption closes a consensus round: adopted if no delegation
	// objects, failed otherwise. ENOTFOUND; ECONFLICT if no round is open
	// or it is a silence procedure.
	CloseAdoption(ctx context.Context, doc string) (*AdoptionRound, error)
}
