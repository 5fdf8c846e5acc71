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
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"chancery/drafts"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
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

// snapshot is one loaded model and policy. The casbin enforcer is never
// modified after load, so it may evaluate requests from many goroutines at
// once.
//
// Casbin evaluates the matcher against every policy row on each request,
// tens of microseconds for the default policy, so the snapshot remembers
// its decisions. A decision is a function of the request's attributes
// alone (role, status, relations, visibility, action: never the user's or
// the document's id), which take few values, so the memory holds a few
// thousand entries at most whatever the number of users, and it goes away
// with the snapshot when the policy is reloaded.
type snapshot struct {
	enforcer *casbin.Enforcer
	sums     [2][sha256.Size]byte // of the model and policy text

	mu        sync.RWMutex
	decisions map[request]bool
}

// maxDecisions bounds the decisions a snapshot remembers. The default
// vocabulary has about 4 roles × 3 statuses × 23 actions × 18 relations;
// past the bound (only reachable with unexpected roles or actions),
// decisions are evaluated every time.
const maxDecisions = 1 << 14

// request is what casbin sees of a request.
type request struct {
	sub subject
	obj object
	act string
}

// decide returns casbin's decision on the request, remembered.
func (s *snapshot) decide(req request) (bool, error) {
	s.mu.RLock()
	ok, known := s.decisions[req]
	s.mu.RUnlock()
	if known {
		return ok, nil
	}
	ok, err := s.evaluate(req)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	if len(s.decisions) < maxDecisions {
		s.decisions[req] = ok
	}
	s.mu.Unlock()
	return ok, nil
}

// evaluate asks casbin.
func (s *snapshot) evaluate(req request) (bool, error) {
	return s.enforcer.Enforce(&req.sub, &req.obj, req.act)
}

// New returns an Enforcer with the embedded default model and policy.
func New() (*Enforcer, error) {
	return NewFromFiles("", "")
}

// NewFromFiles returns an Enforcer with the model and policy read from the
// given files; either path may be "" for the embedded default. It returns
// EINVALID if a file does not load.
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

func loadDefaults() (*snapshot, error) {
	m, err := defaults.ReadFile(defaultModelName)
	if err != nil {
		return nil, err
	}
	p, err := defaults.ReadFile(defaultPolicyName)
	if err != nil {
		return nil, err
	}
	return load(m, p)
}

// Attribute values of a request, as model.conf documents them.
const (
	relOwn   = "own"
	relOther = "other"
	relNone  = "none"
)

// subject is r.sub: the user's attributes.
type subject struct {
	Role   string
	Status string // drafts.StatusMember, drafts.StatusObserver or relNone
}

// object is r.obj: the resource's attributes relative to the user.
type object struct {
	Delegation string // relOwn, relOther or relNone
	Body       string // relOwn, relOther or relNone
	Visibility string // drafts.VisibilityObservers or drafts.VisibilityMembers
}

// newRequest computes the request's facts. It decides nothing: which facts
// grant which action is the policy's business. Unknown values fall to the
// least privileged reading (no status, members-only visibility).
func newRequest(s drafts.Subject, action string, r drafts.Resource) request {
	sub := subject{Role: s.Role, Status: relNone}
	switch s.DelegationStatus {
	case drafts.StatusMember, drafts.StatusObserver:
		sub.Status = s.DelegationStatus
	}
	obj := object{Delegation: relNone, Body: relNone, Visibility: drafts.VisibilityMembers}
	switch {
	case r.Delegation == "":
	case r.Delegation == s.Delegation:
		obj.Delegation = relOwn
	default:
		obj.Delegation = relOther
	}
	switch {
	case r.Body == "" || s.Body == "":
	case r.Body == s.Body:
		obj.Body = relOwn
	default:
		obj.Body = relOther
	}
	if r.Visibility == drafts.VisibilityObservers {
		obj.Visibility = drafts.VisibilityObservers
	}
	return request{sub: sub, obj: obj, act: action}
}

// denial is the message of a denied action: the missing permission in
// plain words, never the policy's rows.
func denial(action string) string {
	what := ""
	switch action {
	case drafts.ActMeRead:
		what = "read your own account"
	case drafts.ActDelegationCreate:
		what = "create delegations"
	case drafts.ActDelegationList:
		what = "list delegations"
	case drafts.ActUserCreate:
		what = "create users"
	case drafts.ActUserList:
		what = "list users"
	case drafts.ActTokenCreate:
		what = "issue tokens"
	case drafts.ActTokenRevoke:
		what = "revoke tokens"
	case drafts.ActDocumentCreate:
		what = "create documents of this body"
	case drafts.ActDocumentList:
		what = "list documents"
	case drafts.ActDocumentRead:
		what = "read this document"
	case drafts.ActVersionCreate:
		what = "publish a revised version of this document"
	case drafts.ActStatusSet:
		what = "set the status of provisions of this document"
	case drafts.ActProposalCreate:
		what = "submit proposals"
	case drafts.ActProposalWithdraw:
		what = "edit or withdraw this proposal"
	case drafts.ActProposalCosponsor:
		what = "co-sponsor this proposal"
	case drafts.ActProposalComment:
		what = "comment on proposals to this document"
	case drafts.ActProposalReject:
		what = "reject proposals to this document"
	case drafts.ActMerge:
		what = "merge proposals into this document"
	case drafts.ActAdoptionOpen:
		what = "open the adoption of this document"
	case drafts.ActAdoptionConsent:
		what = "join consensus on this document"
	case drafts.ActAdoptionObject:
		what = "object to this document or break silence"
	case drafts.ActAdoptionClose:
		what = "close the adoption of this document"
	case drafts.ActEventsVerify:
		what = "verify the audit trail of this document"
	}
	if what == "" {
		return fmt.Sprintf("permission %q is required", action)
	}
	return fmt.Sprintf("permission %q is required to %s", action, what)
}

// load parses and checks a model and a policy, and returns them ready for
// decisions. Everything that can be checked before a request arrives is:
// the model's request shape, every policy line's type, arity and, for the
// columns the default model names, its values; and then every action of the
// policy is evaluated once for a spread of requests, so that a matcher
// that cannot be evaluated fails here rather than at a user's request.
func load(modelText, policyText []byte) (*snapshot, error) {
	m, err := model.NewModelFromString(string(modelText))
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	r, ok := m["r"]["r"]
	if !ok || !slices.Equal(r.Tokens, []string{"r_sub", "r_obj", "r_act"}) {
		return nil, errors.New("model: the request definition must be r = sub, obj, act")
	}
	ce, err := casbin.NewEnforcer(m, &adapter{text: policyText})
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	acts, err := ce.GetAllActions()
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if err := smoke(ce, acts); err != nil {
		return nil, err
	}
	return &snapshot{
		enforcer:  ce,
		sums:      [2][sha256.Size]byte{sha256.Sum256(modelText), sha256.Sum256(policyText)},
		decisions: make(map[request]bool),
	}, nil
}

// smoke evaluates the policy for every action and a spread of requests.
func smoke(ce *casbin.Enforcer, acts []string) error {
	roles := []string{drafts.RoleSecretariat, drafts.RoleChair, drafts.RoleDelegate, drafts.RoleObserver}
	statuses := []string{drafts.StatusMember, drafts.StatusObserver, relNone}
	rels := []string{relOwn, relOther, relNone}
	for _, act := range acts {
		for _, role := range roles {
			for i, status := range statuses {
				sub := &subject{Role: role, Status: status}
				obj := &object{Delegation: rels[i], Body: rels[(i+1)%3], Visibility: drafts.VisibilityMembers}
				if i == 0 {
					obj.Visibility = drafts.VisibilityObservers
				}
				if _, err := ce.Enforce(sub, obj, act); err != nil {
					return fmt.Errorf("policy: evaluating %q: %w", act, err)
				}
			}
		}
	}
	return nil
}

// adapter loads policy lines from text, strictly: unlike casbin's string
// adapter it reports a malformed line (with its number) instead of skipping
// it, so that a broken file never loads as a smaller policy.
type adapter struct {
	text []byte
}

var _ persist.Adapter = (*adapter)(nil)

// columnValues lists the values allowed in the columns the default model
// names; a typo in a policy file is then an error, not a silent deny.
func columnValues(column string) (values []string, ok bool) {
	switch column {
	case "role":
		return []string{"*", drafts.RoleSecretariat, drafts.RoleChair, drafts.RoleDelegate, drafts.RoleObserver}, true
	case "status":
		return []string{"*", drafts.StatusMember, drafts.StatusObserver, relNone}, true
	case "delegation", "body":
		return []string{"*", relOwn, relOther, relNone}, true
	case "visibility":
		return []string{"*", drafts.VisibilityMembers, drafts.VisibilityObservers}, true
	case "eft":
		return []string{"allow", "deny"}, true
	}
	return nil, false
}

var actionPattern = regexp.MustCompile(`^[a-z]+:[a-z]+$`)

// LoadPolicy implements persist.Adapter.
func (a *adapter) LoadPolicy(m model.Model) error {
	rules := 0
	for i, line := range strings.Split(string(a.text), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cr := csv.NewReader(strings.NewReader(line))
		cr.TrimLeadingSpace = true
		fields, err := cr.Read()
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		key := fields[0]
		if key == "" {
			return fmt.Errorf("line %d: no policy type", n)
		}
		ast, ok := m[key[:1]][key]
		if !ok {
			return fmt.Errorf("line %d: the model defines no policy type %q", n, key)
		}
		if got, want := len(fields)-1, len(ast.Tokens); got != want {
			return fmt.Errorf("line %d: %d values, the model's %s has %d", n, got, key, want)
		}
		for j, token := range ast.Tokens {
			v, name := fields[j+1], strings.TrimPrefix(token, key+"_")
			if v == "" {
				return fmt.Errorf("line %d: empty %s", n, name)
			}
			if key[:1] != "p" {
				continue
			}
			if allowed, ok := columnValues(name); ok && !slices.Contains(allowed, v) {
				return fmt.Errorf("line %d: %s %q is not one of %s", n, name, v, strings.Join(allowed, ", "))
			}
			if name == "act" && !actionPattern.MatchString(v) {
				return fmt.Errorf("line %d: action %q is not of the form noun:verb", n, v)
			}
		}
		if err := persist.LoadPolicyArray(fields, m); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		rules++
	}
	if rules == 0 {
		return errors.New("no rules: a policy that allows nothing is taken for a broken file")
	}
	return nil
}

var errReadOnly = errors.New("policy: the role policy is changed by editing its file")

// SavePolicy implements persist.Adapter; the policy is read only.
func (a *adapter) SavePolicy(model.Model) error { return errReadOnly }

// AddPolicy implements persist.Adapter; the policy is read only.
func (a *adapter) AddPolicy(string, string, []string) error { return errReadOnly }

// RemovePolicy implements persist.Adapter; the policy is read only.
func (a *adapter) RemovePolicy(string, string, []string) error { return errReadOnly }

// RemoveFilteredPolicy implements persist.Adapter; the policy is read only.
func (a *adapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }
