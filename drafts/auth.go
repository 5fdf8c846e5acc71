package drafts

import "context"

// Roles of users.
const (
	RoleSecretariat = "secretariat"
	RoleChair       = "chair"
	RoleDelegate    = "delegate"
	RoleObserver    = "observer"
)

// Delegation statuses.
const (
	StatusMember   = "member"
	StatusObserver = "observer"
)

// Document visibilities.
const (
	VisibilityMembers   = "members"   // member delegations, chairs, secretariat
	VisibilityObservers = "observers" // also observers
)

// Actions the policy decides on. Each route of the API performs one.
const (
	ActMeRead = "me:read"

	ActDelegationCreate = "delegation:create"
	ActDelegationList   = "delegation:list"
	ActUserCreate       = "user:create"
	ActUserList         = "user:list"
	ActTokenCreate      = "token:create"
	ActTokenRevoke      = "token:revoke"

	ActDocumentCreate = "document:create"
	ActDocumentList   = "document:list"
	ActDocumentRead   = "document:read" // also versions, diffs, PDFs, proposals, compilation, events
	ActVersionCreate  = "version:create"
	ActStatusSet      = "provision:status"

	ActProposalCreate    = "proposal:create"
	ActProposalWithdraw  = "proposal:withdraw"
	ActProposalCosponsor = "proposal:cosponsor"
	ActProposalComment   = "proposal:comment"
	ActProposalReject    = "proposal:reject"
	// ActProposalRecord: the chair records a proposal a delegation
	// made aloud in the meeting, credited to that delegation.
	ActProposalRecord = "proposal:record"
	ActMerge          = "merge:create"

	ActAdoptionOpen    = "adoption:open"
	ActAdoptionConsent = "adoption:consent"
	ActAdoptionObject  = "adoption:object"
	ActAdoptionClose   = "adoption:close"

	ActEventsVerify = "events:verify"

	// Live (issue 24): the provision under discussion; webhooks.
	ActFocusSet      = "focus:set"
	ActWebhookManage = "webhook:manage"
	// A delegation's positions (issue 22): recording one, and confirming
	// or withdrawing its own.
	ActPositionCreate   = "position:create"
	ActPositionWithdraw = "position:withdraw"
	// Language versions: sending a translation (the whole text or one
	// provision) and listing what needs translating.
	ActTranslationSet  = "translation:set"
	ActTranslationList = "translation:list"
)

// Subject is who acts, as the policy sees them.
type Subject struct {
	User             string // user id
	Role             string
	Delegation       string // delegation id, "" for none
	DelegationStatus string // StatusMember or StatusObserver, "" for none
	Body             string // for a chair: the body whose documents it chairs
}

// Resource is what an action is on, as the policy sees it: attributes, not
// one policy row per object.
type Resource struct {
	Type       string // "document", "proposal", "directory"
	Body       string // the owning body of the document
	Visibility string // the document's visibility
	// Delegation owning the resource (a proposal's delegation), "" if none.
	Delegation string
	// Sponsors are the co-sponsoring delegations of a proposal.
	Sponsors []string
}

// Authorizer decides whether a subject may perform an action on a resource.
// Implemented by package policy (casbin).
type Authorizer interface {
	// Authorize returns nil if allowed, or EFORBIDDEN with Permission set to
	// the action. It never returns the policy's internals.
	Authorize(s Subject, action string, r Resource) error
}

type userKey struct{}

// NewContextWithUser returns a copy of ctx carrying the authenticated user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the authenticated user of ctx, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// systemUser is who acts for trusted callers (the command line, the demo
// loader, timed settlements): the secretariat's powers.
var systemUser = User{ID: "system", Name: "System", Role: RoleSecretariat}

// NewSystemContext returns a copy of ctx acting as the system: the
// secretariat's powers, for trusted callers such as the command line and
// the demo loader. Never use it for a request from outside.
func NewSystemContext(ctx context.Context) context.Context {
	u := systemUser
	return NewContextWithUser(ctx, &u)
}
