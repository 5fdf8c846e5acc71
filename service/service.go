// Package service implements Chancery's services (drafts.Service and the
// interfaces it is made of) over an object store: the policy checked inside
// every method, the audit trail, the caches and bounds of heavy work, and
// every storage key. It imports drafts and the standard library only; the
// command wires it to the storage, diffing, render and policy adapters.
//
// Files follow the aggregates:
//
//   - documents: document.go, symbol.go (one document per symbol);
//   - versions: version.go, renumbering.go, status.go (provision
//     statuses), version_diff.go (VersionDiff);
//   - proposals: proposal.go (making one), proposal_read.go,
//     proposal_change.go (withdraw, co-sponsor, comment, reject),
//     proposal_diff.go (ProposalDiff, PreviewProposal);
//   - merges: merge.go, then completion.go, where the merged proposals
//     become accepted or accepted-modified and others obsolete
//     (settleMergedProposals), after every new version; attribution.go
//     credits each change to whoever made it;
//   - compilation.go; adoption.go and adoption_due.go (silence procedures
//     ending by time); directory.go and access_recovery.go; sessions.go;
//     publishing.go (prints);
//   - the audit trail: audit.go (how every change gets exactly one
//     event, and completion), trail.go (how events are stored and read),
//     events.go (appending), verify.go, events_since.go, changes.go (the
//     stored changes of each kind), stored.go (objects with their
//     changes' entries);
//   - the machinery: access.go (the policy), keys.go (every storage key,
//     made and read back), store.go, cache.go and clone.go, work.go (the
//     bound on heavy work).
package service

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"chancery/drafts"
)

// Service implements drafts.Service: documents, versions, proposals, the
// directory and the audit trail, kept in an ObjectStore. It holds no
// state of its own, so any number of replicas can share one bucket: every
// creation is a create-only write and every update carries the ETag it read.
//
// Every method takes the acting user from the context and asks the
// Authorizer itself. Set the fields before the first call.
type Service struct {
	Store  drafts.ObjectStore
	Differ drafts.Differ
	// Auth decides every action; without it nothing is allowed.
	Auth drafts.Authorizer
	// Renderer prints PDFs and HTML (drafts.PublishingService).
	Renderer drafts.Renderer
	// Clock is the clock (Now).
	Clock func() time.Time
	// MakeID returns new ids for documents, proposals, provisions and
	// rounds (NewID).
	MakeID func() string
	// TextLimits bounds texts (Limits).
	TextLimits drafts.Limits
	// SilenceMin is the shortest silence procedure allowed.
	SilenceMin time.Duration
	// SilenceMax is the furthest deadline a silence procedure may have;
	// zero means no limit.
	SilenceMax time.Duration
	// Log receives failures that do not fail the request.
	Log *slog.Logger
	// CacheBytes bounds the in-process cache of immutable objects
	// (versions, version summaries, written events, and listed proposals,
	// documents and directory entries at the ETag listed), in stored bytes:
	// DefaultCacheBytes when zero, no cache when negative.
	CacheBytes int64
	// ReadParallelism is how many objects a list or a compilation reads
	// at once (DefaultReadParallelism when zero).
	ReadParallelism int

	// WorkSlots is how many heavy computations (diffs, compilations,
	// prints) run at once: one per CPU, at least 2, when zero. WorkQueue
	// (DefaultWorkQueue when zero, none when negative) more wait, each at
	// most WorkWait (DefaultWorkWait when zero); others get EUNAVAILABLE.
	WorkSlots, WorkQueue int
	WorkWait             time.Duration

	cacheOnce sync.Once
	cache     *lru
	// decodings keeps the last decoding of hot mutable objects (tokens,
	// documents, statuses) with the bytes it was decoded from.
	decodings *lru
	workOnce  sync.Once
	workLimit *workLimit
	flights   flights
	owed      owedTrails
	after     afterAnswers
	fresh     freshReads
	// numbers are hints of the last proposal number claimed, per document.
	numbers numberHints
	// sweptAll is set once SettleDue has looked through every document.
	sweptAll atomic.Bool

	// Live paces and bounds the event streams (live.go); Webhooks
	// configures the deliveries (webhook.go).
	Live     LiveOptions
	Webhooks WebhookOptions
	live     liveHub
	hooks    hookState
	// VisitDelay, when not zero, stores users' visits to documents that
	// long after the page that made them (visits.go); FlushVisits stores
	// them at once.
	VisitDelay time.Duration
	visits     visitState
	// turns has a turn (a channel of one) per audit trail, and per
	// document's proposal numbers: appends to a trail, and claims of a
	// number, take it in turn (takeTurn).
	turns sync.Map
	// creds are the tokens and sessions read, by the credentials' epoch
	// they were read under (credentials.go).
	credsOnce sync.Once
	creds     *lru
	// carried counts the proposals' diffs a compilation took over from
	// the version before (carryOver).
	carried atomic.Int64
	// hints are the last hint of each trail this process read or wrote,
	// with its ETag (trailHints).
	hints trailHints
	// indexes are the proposals' keys and ETags of the documents read,
	// kept up to date from their trails (proposalIndex).
	indexes proposalIndexes
	// listings are the directory's folders listed, kept while its trail
	// has not moved (directoryListing).
	listings directoryListings
	// lastCompiled is what each document's last compilation was made from.
	lastCompiled compiledFrom
	// lastHeads is each document's head as GetDocument last showed it
	// (document id to version number).
	lastHeads sync.Map
}

var _ drafts.Service = (*Service)(nil)

// DefaultSilenceMax is the furthest silence deadline allowed by default.
const DefaultSilenceMax = 90 * 24 * time.Hour

// New returns a Service with the default clock, ids and limits.
func New(store drafts.ObjectStore, differ drafts.Differ, auth drafts.Authorizer) *Service {
	return &Service{
		Store:      store,
		Differ:     differ,
		Auth:       auth,
		Clock:      func() time.Time { return time.Now().UTC() },
		MakeID:     func() string { return drafts.RandomID(10) },
		SilenceMin: 72 * time.Hour,
		SilenceMax: DefaultSilenceMax,
		Log:        slog.New(slog.DiscardHandler),
	}
}

// Now returns the time on the service's clock.
func (s *Service) Now() time.Time { return s.Clock() }

// NewID returns a new id.
func (s *Service) NewID() string { return s.MakeID() }

// Limits returns the bounds of texts.
func (s *Service) Limits() drafts.Limits { return s.TextLimits }

// now is the time recorded in what the service stores: UTC, to the
// millisecond.
func (s *Service) now() time.Time { return s.Clock().UTC().Truncate(time.Millisecond) }

// Ping checks the storage.
func (s *Service) Ping(ctx context.Context) (err error) {
	defer markOp(&err, "service.Ping")
	return s.Store.Ping(ctx)
}

// markOp marks *err with the operation op that raised it (drafts.E), for
// logs. Every exported method defers it first.
func markOp(err *error, op string) { *err = drafts.E(op, *err) }
