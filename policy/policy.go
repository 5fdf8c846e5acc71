// Package policy decides who may do what in Chancery. It implements
// drafts.Authorizer with casbin: a model (model.conf) and a role policy
// (policy.csv), both embedded as defaults and overridable by files, which
// Watch reloads when they change.
//
// The policy is attribute based. A request carries the user's role and
// delegation status and how the resource relates to the user (own or other
// delegation, own or other body, visibility), so the policy has a row per
// role and action, never one per user, delegation or document, and the cost
// of a decision does not depend on how many users there are.
package policy

import (
	"context"
	"crypto/sha256"
	"embed"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"chancery/drafts"
)

//go:embed model.conf policy.csv
var defaults embed.FS

const (
	defaultModelName  = "model.conf"
	defaultPolicyName = "policy.csv"
)

var _ drafts.Authorizer = (*Enforcer)(nil)

// Enforcer is the casbin role policy of Chancery. It is safe for concurrent
// use: decisions read an immutable snapshot of the loaded policy, and a
// reload replaces the snapshot as a whole.
type Enforcer struct {
	modelPath  string // "" for the embedded default
	policyPath string // "" for the embedded default

	cur atomic.Pointer[snapshot]

	mu         sync.Mutex // serializes reloads; guards failedSums
	failedSums [2][sha256.Size]byte
}

// New returns an Enforcer with the embedded default model and policy.
func New() (*Enforcer, error) {
	return NewFromFiles("", "")
}

// NewFromFiles returns an Enforcer with the model and policy read from the
// given files; either path may be "" for the embedded default. It returns
// EINVALID if a file cannot be read or does not load: a policy line of the
// wrong length or with an unknown value, a matcher that cannot be
// evaluated. A model must keep the request r = sub, obj, act with the
// attributes model.conf documents, and its matcher must depend on the
// request alone: decisions are remembered until the next reload.
func NewFromFiles(modelPath, policyPath string) (*Enforcer, error) {
	e := &Enforcer{modelPath: modelPath, policyPath: policyPath}
	modelText, policyText, err := e.read()
	if err != nil {
		return nil, err
	}
	s, err := load(modelText, policyText)
	if err != nil {
		return nil, drafts.WrapError(drafts.EINVALID, err, "cannot load the role policy (%s, %s)", e.describeModel(), e.describePolicy())
	}
	e.cur.Store(s)
	return e, nil
}

// Authorize implements drafts.Authorizer. It returns nil if the policy
// allows s to perform action on r, EFORBIDDEN naming the missing permission
// if it does not, and EINTERNAL if the policy cannot be evaluated.
func (e *Enforcer) Authorize(s drafts.Subject, action string, r drafts.Resource) error {
	ok, err := e.cur.Load().decide(newRequest(s, action, r))
	if err != nil {
		return drafts.WrapError(drafts.EINTERNAL, err, "cannot evaluate the role policy for %q", action)
	}
	if !ok {
		return &drafts.Error{Code: drafts.EFORBIDDEN, Message: denial(action), Permission: action}
	}
	return nil
}

// Reload reads the model and policy files again and, if they changed,
// replaces the policy. If they do not load it keeps the current policy and
// returns EINVALID. An Enforcer without files has nothing to reload.
func (e *Enforcer) Reload() error {
	_, err := e.reload(false)
	return err
}

// Watch polls the model and policy files every interval until ctx is done,
// and reloads them when their content changes (an edit that keeps the
// modification time is seen too). A change that does not load is logged
// once and the previous policy stays in force; fix the file and it is
// picked up at the next poll. logf may be nil. Watch returns at once if
// both model and policy are the embedded defaults. Replace files
// atomically (write, then rename) so that a half-written file is never
// read.
func (e *Enforcer) Watch(ctx context.Context, interval time.Duration, logf func(format string, args ...any)) {
	if e.modelPath == "" && e.policyPath == "" {
		return
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := e.reload(true)
		switch {
		case err != nil:
			logf("policy: keeping the previous role policy: %v", err)
		case changed:
			logf("policy: reloaded the role policy (%s, %s)", e.describeModel(), e.describePolicy())
		}
	}
}

// reload loads the files if their content differs from the loaded one. It
// reports whether the policy was replaced. With quiet, a content that
// already failed to load is not tried (nor reported) again.
func (e *Enforcer) reload(quiet bool) (bool, error) {
	if e.modelPath == "" && e.policyPath == "" {
		return false, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	modelText, policyText, err := e.read()
	if err != nil {
		return false, err
	}
	sums := [2][sha256.Size]byte{sha256.Sum256(modelText), sha256.Sum256(policyText)}
	if sums == e.cur.Load().sums || (quiet && sums == e.failedSums) {
		return false, nil
	}
	s, err := load(modelText, policyText)
	if err != nil {
		e.failedSums = sums
		return false, drafts.WrapError(drafts.EINVALID, err, "cannot load the role policy (%s, %s)", e.describeModel(), e.describePolicy())
	}
	e.failedSums = [2][sha256.Size]byte{}
	e.cur.Store(s)
	return true, nil
}

// read returns the model and policy text, from the files or the defaults.
func (e *Enforcer) read() (modelText, policyText []byte, err error) {
	if modelText, err = readOr(e.modelPath, defaultModelName); err != nil {
		return nil, nil, err
	}
	if policyText, err = readOr(e.policyPath, defaultPolicyName); err != nil {
		return nil, nil, err
	}
	return modelText, policyText, nil
}

func readOr(path, name string) ([]byte, error) {
	if path == "" {
		b, err := defaults.ReadFile(name)
		if err != nil {
			return nil, drafts.WrapError(drafts.EINTERNAL, err, "cannot read the embedded %s", name)
		}
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, drafts.WrapError(drafts.EINVALID, err, "cannot read the role policy file %s", path)
	}
	return b, nil
}

func (e *Enforcer) describeModel() string {
	if e.modelPath == "" {
		return "embedded model"
	}
	return "model " + e.modelPath
}

func (e *Enforcer) describePolicy() string {
	if e.policyPath == "" {
		return "embedded policy"
	}
	return "policy " + e.policyPath
}

// Actions returns, sorted, every action the embedded default policy knows.
func Actions() []string {
	s, err := loadDefaults()
	if err != nil {
		panic("policy: the embedded default policy does not load: " + err.Error())
	}
	acts, err := s.enforcer.GetAllActions()
	if err != nil {
		panic("policy: the embedded default policy has no actions: " + err.Error())
	}
	slices.Sort(acts)
	return slices.Compact(acts)
}

// denial is the message of a denied action: in words, never the policy's
// rows or the permission's internal name (the problem's "permission"
// member carries that for programs).
func denial(action string) string {
	switch action {
	case drafts.ActMeRead:
		return "you may not read your account"
	case drafts.ActDelegationCreate:
		return "only the secretariat may create delegations"
	case drafts.ActDelegationList:
		return "you may not list delegations"
	case drafts.ActUserCreate:
		return "only the secretariat may create users"
	case drafts.ActUserList:
		return "only the secretariat may list users"
	case drafts.ActTokenCreate:
		return "only the secretariat may issue tokens"
	case drafts.ActTokenRevoke:
		return "only the secretariat may revoke tokens"
	case drafts.ActDocumentCreate:
		return "only the secretariat or the chair of this body may create its documents"
	case drafts.ActDocumentList:
		return "you may not list documents"
	case drafts.ActDocumentRead:
		return "you may not read this document"
	case drafts.ActVersionCreate:
		return "only the chair of this document's body may publish a revised version"
	case drafts.ActStatusSet:
		return "only the chair of this document's body may set the status of its provisions"
	case drafts.ActProposalCreate:
		return "only a member delegation may submit proposals"
	case drafts.ActProposalWithdraw:
		return "only the delegation that made this proposal may edit or withdraw it"
	case drafts.ActProposalCosponsor:
		return "only another member delegation may co-sponsor this proposal"
	case drafts.ActProposalComment:
		return "only member delegations and the chair may comment on proposals to this document"
	case drafts.ActProposalReject:
		return "only the chair of this document's body may reject proposals"
	case drafts.ActProposalRecord:
		return "only the chair of this document's body may record a proposal a delegation made orally"
	case drafts.ActMerge:
		return "only the chair of this document's body may merge proposals into it"
	case drafts.ActAdoptionOpen:
		return "only the chair of this document's body may open its adoption"
	case drafts.ActAdoptionConsent:
		return "only a member delegation may join consensus on this document"
	case drafts.ActAdoptionObject:
		return "only a member delegation may object to this document or break silence"
	case drafts.ActAdoptionClose:
		return "only the chair of this document's body may close its adoption"
	case drafts.ActEventsVerify:
		return "you may not verify the audit trail of this document"
	case drafts.ActFocusSet:
		return "only the chair of this document's body may set the provision under discussion"
	case drafts.ActWebhookManage:
		return "only the secretariat may manage webhooks"
	case drafts.ActPositionCreate:
		return "only a member delegation may record a position on this document"
	case drafts.ActPositionWithdraw:
		return "only the delegation that recorded this position may confirm or withdraw it"
	case drafts.ActTranslationSet:
		return "only the secretariat or the chair of this document's body may send its translations"
	case drafts.ActTranslationList:
		return "only the secretariat and chairs may list what needs translating"
	}
	return "you may not do this"
}
