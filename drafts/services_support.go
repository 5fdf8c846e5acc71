package drafts

import (
	"context"
	"time"
)

// The services that support the drafting (see services.go for what every
// method may return): the directory and its sessions, the audit trail,
// printing, and what operators and the server itself run.

// DirectoryService manages delegations, users and tokens.
type DirectoryService interface {
	// Me returns the user of ctx.
	Me(ctx context.Context) (*User, error)
	// CreateDelegation adds a delegation. EINVALID for its fields;
	// ECONFLICT if the id is taken.
	CreateDelegation(ctx context.Context, d *Delegation) error
	// GetDelegation returns a delegation. ENOTFOUND if there is none.
	GetDelegation(ctx context.Context, id string) (*Delegation, error)
	// ListDelegations returns one page of delegations, by id.
	ListDelegations(ctx context.Context, opt ListOptions) (*Page[*Delegation], error)
	// CreateUser adds a user (setting its id and time) and issues its
	// first token, returned in plain text once. EINVALID for its fields or
	// a delegation that does not exist.
	CreateUser(ctx context.Context, u *User) (plain string, err error)
	// GetUser returns a user. ENOTFOUND if there is none.
	GetUser(ctx context.Context, id string) (*User, error)
	// ListUsers returns one page of users.
	ListUsers(ctx context.Context, opt ListOptions) (*Page[*User], error)
	// IssueToken issues a new token for a user and returns it with the
	// plain token, shown once; only its hash is stored. ENOTFOUND if there
	// is no such user.
	IssueToken(ctx context.Context, userID string) (*Token, string, error)
	// RevokeToken revokes a token, at once on every replica. ENOTFOUND if
	// there is none.
	RevokeToken(ctx context.Context, id string) (*Token, error)
	// Authenticate returns the user holding a plain token, with its
	// delegation's status; it needs no user in ctx. EUNAUTHORIZED for an
	// unknown, malformed or revoked token (the message never repeats it).
	Authenticate(ctx context.Context, plain string) (*User, error)
	// RecoverAccess issues a new token to a user for a trusted caller (the
	// command line, with NewSystemContext), when the only secretariat
	// token is lost, and records it in the directory's audit trail; with
	// in.RevokeOthers it revokes the user's other tokens. ENOTFOUND if the
	// user does not exist; if the event cannot be recorded, no token is
	// issued and the error is returned.
	RecoverAccess(ctx context.Context, in RecoverAccessInput) (*RecoverAccessResult, error)
	// DirectoryEvents returns the directory's audit trail, oldest first,
	// with the result of checking its hash chain.
	DirectoryEvents(ctx context.Context) ([]*Event, *Verification, error)
}

// SessionService keeps the web workspace's sessions, its one-time
// sign-in links and what each user last saw of each document.
type SessionService interface {
	// CreateSession starts a session for the user of ctx lasting ttl and
	// returns it with the plain secret to set as a cookie, shown once;
	// revoking tokenID (the API token the user signed in with, "" for
	// none) ends it. EINVALID for a ttl that is not positive.
	CreateSession(ctx context.Context, tokenID string, ttl time.Duration) (*Session, string, error)
	// GetSession returns the session of a plain secret and its user; it
	// needs no user in ctx. EUNAUTHORIZED for an unknown, malformed or
	// expired session, or one whose token was revoked.
	GetSession(ctx context.Context, plain string) (*Session, *User, error)
	// DeleteSession ends a session (signing out); ending one that is gone
	// is not an error.
	DeleteSession(ctx context.Context, plain string) error
	// RenewSession extends a live session to last ttl from now, at most
	// MaxSessionAge from when it began, and returns it. EUNAUTHORIZED as
	// GetSession; EINVALID for a ttl that is not positive.
	RenewSession(ctx context.Context, plain string, ttl time.Duration) (*Session, error)
	// CreateSignInLink issues a one-time sign-in secret for a user, valid
	// for ttl, and returns it (shown once) with its expiry. ENOTFOUND if
	// there is no such user; EINVALID for a ttl outside a minute to 30 days.
	CreateSignInLink(ctx context.Context, userID string, ttl time.Duration) (string, time.Time, error)
	// RedeemSignInLink uses a one-time sign-in secret and returns the user
	// it was for; it needs no user in ctx, and of concurrent redemptions
	// exactly one succeeds. EUNAUTHORIZED for an unknown, used or expired
	// link.
	RedeemSignInLink(ctx context.Context, plain string) (*User, error)
	// LastVisit returns what the user of ctx last saw of a document; a
	// zero Visit if they never opened it. ENOTFOUND for a malformed id.
	LastVisit(ctx context.Context, doc string) (*Visit, error)
	// RecordVisit remembers that the user of ctx has seen a document up to
	// version head and audit event lastSeq. ENOTFOUND for a malformed id.
	RecordVisit(ctx context.Context, doc string, head int, lastSeq int64) error
}

// AuditService reads and verifies a document's audit trail.
type AuditService interface {
	// ListEvents returns one page of a document's audit trail, oldest
	// first. ENOTFOUND if there is no document.
	ListEvents(ctx context.Context, doc string, opt ListOptions) (*Page[*Event], error)
	// ListEventsSince returns one page of the events that since selects,
	// oldest first, found without reading the whole trail; a cursor takes
	// over from since. ENOTFOUND; EINVALID for a negative sequence number.
	ListEventsSince(ctx context.Context, doc string, since EventsSince, opt ListOptions) (*Page[*Event], error)
	// VerifyEvents recomputes a document's hash chain and checks that
	// every stored change has its event; the Verification names the first
	// event damaged, missing, out of order or altered, and the changes no
	// event records. ENOTFOUND if there is no document.
	VerifyEvents(ctx context.Context, doc string) (*Verification, error)
}

// PublishingService prints documents: the clean text of a version, the
// changes between two versions, the compilation. A print is made once
// and kept. Every method returns ENOTFOUND for a missing document or
// version, EINVALID naming the characters a text holds that no font can
// print, and EINTERNAL when the service has no Renderer.
type PublishingService interface {
	// VersionPDF prints version n; with against > 0, the changes from
	// version against to n, each attributed.
	VersionPDF(ctx context.Context, doc string, n, against int) (*PDF, error)
	// CompilationPDF prints the compilation of version n (0 for the head).
	CompilationPDF(ctx context.Context, doc string, n int) (*PDF, error)
	// CompilationHTML writes the compilation of version n (0 for the
	// head) as an HTML fragment.
	CompilationHTML(ctx context.Context, doc string, n int) ([]byte, error)
}

// MaintenanceService is what the server and its operators run: health,
// the first user, the background sweeps, and counts for the metrics.
// Sweeps act as the system on every document and need no user in ctx.
type MaintenanceService interface {
	// Ping checks the storage. EUNAVAILABLE if it cannot be reached.
	Ping(ctx context.Context) error
	// Bootstrap creates the first secretariat user when there is none and
	// returns its plain token ("" if users exist); given, when not "", is
	// the token to use. EINVALID for a given token of the wrong shape.
	Bootstrap(ctx context.Context, given string) (string, error)
	// SettleDue adopts every silence procedure past its deadline. Every
	// replica may run it at once.
	SettleDue(ctx context.Context) error
	// CompleteEvents writes the events of a document's stored changes
	// that have none (a crash or a storage failure came between a change
	// and its event), marked as recorded late, and returns how many it
	// wrote. It reads storage past every cache; a damaged trail is left
	// as it is, for verification to name.
	CompleteEvents(ctx context.Context, doc string) (int, error)
	// CompleteAllEvents runs CompleteEvents on the directory's trail and
	// every document's.
	CompleteAllEvents(ctx context.Context) (int, error)
	// SweepEvents is CompleteAllEvents reading through the service's
	// caches: the periodic sweep for the events a replica that died owes.
	SweepEvents(ctx context.Context) (int, error)
	// RetryEvents completes the trails whose events this process could
	// not write; what still fails waits for the next call, and the first
	// error is returned.
	RetryEvents(ctx context.Context) error
	// PendingEvents returns how many trails wait for RetryEvents.
	PendingEvents() int
	// CacheStats returns the counts of the cache of immutable objects.
	CacheStats() CacheStats
	// WorkStats returns how many heavy computations run and wait.
	WorkStats() WorkStats
	// Work runs f within the bound on heavy work: once one of a few slots
	// is free, after a bounded wait in a bounded queue (EUNAVAILABLE, a
	// 503 that says when to come back, beyond either). It is for work
	// outside the service that weighs as much (reading and writing Word
	// files): f loads its inputs once it runs. The service's own heavy
	// work inside f, called with the ctx f gets, takes no second slot.
	Work(ctx context.Context, f func(ctx context.Context) error) error
}

// SettingsService tells callers what they must agree with the service on:
// its clock, its ids, its bounds of texts.
type SettingsService interface {
	// Now returns the time on the service's clock.
	Now() time.Time
	// NewID returns a new id for a document, proposal or provision.
	NewID() string
	// Limits returns the bounds of texts the service applies.
	Limits() Limits
}

// Page is one page of a list: the items and the cursor of the next page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// ListOptions pages a list: at most Limit items (50 when 0, at most 500),
// after Cursor, the NextCursor of the page before ("" for the first).
type ListOptions struct {
	Limit  int
	Cursor string
}

// PDF is a printed file, made once and kept: its bytes, an ETag and the
// file name to offer.
type PDF struct {
	Data     []byte
	ETag     string
	Filename string
}

// CacheStats counts the lookups of the cache of immutable objects.
type CacheStats struct {
	Hits, Misses uint64
	// Bytes is the stored size of what the cache holds; Objects how many.
	Bytes   int64
	Objects int
}

// WorkStats says how many heavy computations run and how many wait.
type WorkStats struct {
	Running, Waiting int
}
