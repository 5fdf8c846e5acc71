package drafts

import (
	"context"
)

// The services below are Chancery's application interface, one per
// aggregate, as every caller sees it: the HTTP API, the web workspace, the
// command line and the demo loader. Each method takes the acting user from
// the context (NewContextWithUser) and checks the policy itself, with the
// objects it loads anyway: a caller cannot forget a check, and nothing is
// read twice. A members-only document does not exist for an observer: every
// method answers ENOTFOUND for it, and lists leave it out. *Service
// implements them all.

// DocumentService manages documents, their versions and provision statuses.
type DocumentService interface {
	CreateDocument(ctx context.Context, d *Document, text string) (*Document, *Version, error)
	GetDocument(ctx context.Context, id string) (*Document, error)
	ListDocuments(ctx context.Context, opt ListOptions) (*Page[*Document], error)
	GetVersion(ctx context.Context, doc string, n int) (*Version, error)
	ListVersions(ctx context.Context, doc string, opt ListOptions) (*Page[*Version], error)
	CreateVersion(ctx context.Context, doc string, base int, text, message string) (*Version, error)
	RenumberVersion(ctx context.Context, doc string, in RenumberInput) (*Version, error)
	VersionDiff(ctx context.Context, doc string, n, m int) (*Diff, *Version, *Version, error)
	SetProvisionStatus(ctx context.Context, doc string, n int, id, status, ifMatch string) (*Provision, string, error)
}

// ProposalService manages proposals, their compilation and their merging.
type ProposalService interface {
	CreateProposal(ctx context.Context, doc string, in ProposalInput) (*Proposal, error)
	EditProposal(ctx context.Context, doc, id string, in ProposalInput, ifMatch string) (*Proposal, error)
	GetProposal(ctx context.Context, doc, id string) (*Proposal, error)
	ListProposals(ctx context.Context, doc string, f ProposalFilter, opt ListOptions) (*Page[*Proposal], error)
	ProposalDiff(ctx context.Context, doc, id, against string) (*Diff, error)
	WithdrawProposal(ctx context.Context, doc, id, ifMatch string) (*Proposal, error)
	CosponsorProposal(ctx context.Context, doc, id, ifMatch string) (*Proposal, error)
	CommentProposal(ctx context.Context, doc, id, text, ifMatch string) (*Proposal, error)
	RejectProposal(ctx context.Context, doc, id, reason, ifMatch string) (*Proposal, error)
	Compile(ctx context.Context, doc string, n int) (*Compilation, *Version, error)
	Merge(ctx context.Context, doc string, in MergeInput) (*MergeResult, error)
}

// AdoptionService runs adoption rounds.
type AdoptionService interface {
	OpenAdoption(ctx context.Context, doc string, in AdoptionInput) (*AdoptionRound, error)
	GetAdoption(ctx context.Context, doc string) (*AdoptionRound, error)
	Consent(ctx context.Context, doc string) (*AdoptionRound, error)
	Object(ctx context.Context, doc, reason string) (*AdoptionRound, error)
	CloseAdoption(ctx context.Context, doc string) (*AdoptionRound, error)
	// SettleDue adopts silence procedures past their deadline; it acts as
	// the system, for every document.
	SettleDue(ctx context.Context) error
}

// DirectoryService manages delegations, users and tokens.
type DirectoryService interface {
	Me(ctx context.Context) (*User, error)
	CreateDelegation(ctx context.Context, d *Delegation) error
	GetDelegation(ctx context.Context, id string) (*Delegation, error)
	ListDelegations(ctx context.Context, opt ListOptions) (*Page[*Delegation], error)
	CreateUser(ctx context.Context, u *User) (plain string, err error)
	GetUser(ctx context.Context, id string) (*User, error)
	ListUsers(ctx context.Context, opt ListOptions) (*Page[*User], error)
	IssueToken(ctx context.Context, userID string) (*Token, string, error)
	RevokeToken(ctx context.Context, id string) (*Token, error)
	// Authenticate needs no user in ctx: it finds the user of a token.
	Authenticate(ctx context.Context, plain string) (*User, error)
}

// AuditService reads and verifies a document's audit trail.
type AuditService interface {
	ListEvents(ctx context.Context, doc string, opt ListOptions) (*Page[*Event], error)
	VerifyEvents(ctx context.Context, doc string) (*Verification, error)
}

// PDF is a printed file, made once and kept: its bytes, an ETag and the
// file name to offer.
type PDF struct {
	Data     []byte
	ETag     string
	Filename string
}

// PublishingService prints documents: the clean text of a version, the
// changes between two versions, the compilation. PDFs are cached in the
// store under keys that name the document and everything printed.
type PublishingService interface {
	// VersionPDF prints version n; with against > 0, the changes from
	// version against to n.
	VersionPDF(ctx context.Context, doc string, n, against int) (*PDF, error)
	// CompilationPDF prints the compilation of version n (0 for the head).
	CompilationPDF(ctx context.Context, doc string, n int) (*PDF, error)
	// CompilationHTML writes the compilation of version n as HTML.
	CompilationHTML(ctx context.Context, doc string, n int) ([]byte, error)
}

var (
	_ DocumentService   = (*Service)(nil)
	_ ProposalService   = (*Service)(nil)
	_ AdoptionService   = (*Service)(nil)
	_ DirectoryService  = (*Service)(nil)
	_ AuditService      = (*Service)(nil)
	_ PublishingService = (*Service)(nil)
)
