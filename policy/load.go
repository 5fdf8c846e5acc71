package policy

import (
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"chancery/drafts"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
)

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
// with the snapshot when the policy is reloaded. (A model whose matcher
// looked at anything but the request, the time of day say, would need
// this memory gone; the default one does not.)
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
// least privileged reading (no status, members-only visibility). The
// resource's Type and Sponsors are not among the facts: no rule needs
// them (co-sponsoring one's own proposal is refused by the delegation
// relation; co-sponsoring twice is the domain's business).
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

// smoke evaluates every action of the policy for a spread of requests, and
// every policy row for a request made to match it (its "*" taken as some
// value): with the matcher's short-circuits, that evaluates each attribute
// any row looks at.
func smoke(ce *casbin.Enforcer, acts []string) error {
	var reqs []request
	roles := []string{drafts.RoleSecretariat, drafts.RoleChair, drafts.RoleDelegate, drafts.RoleObserver}
	statuses := []string{drafts.StatusMember, drafts.StatusObserver, relNone}
	rels := []string{relOwn, relOther, relNone}
	for _, act := range acts {
		for _, role := range roles {
			for i, status := range statuses {
				req := request{
					sub: subject{Role: role, Status: status},
					obj: object{Delegation: rels[i], Body: rels[(i+1)%3], Visibility: drafts.VisibilityMembers},
					act: act,
				}
				if i == 0 {
					req.obj.Visibility = drafts.VisibilityObservers
				}
				reqs = append(reqs, req)
			}
		}
	}
	for ptype, ast := range ce.GetModel()["p"] {
		for _, rule := range ast.Policy {
			req := request{
				sub: subject{Role: drafts.RoleDelegate, Status: drafts.StatusMember},
				obj: object{Delegation: relOwn, Body: relOwn, Visibility: drafts.VisibilityMembers},
			}
			for i, token := range ast.Tokens {
				v := rule[i]
				if v == "*" {
					continue
				}
				switch strings.TrimPrefix(token, ptype+"_") {
				case "act":
					req.act = v
				case "role":
					req.sub.Role = v
				case "status":
					req.sub.Status = v
				case "delegation":
					req.obj.Delegation = v
				case "body":
					req.obj.Body = v
				case "visibility":
					req.obj.Visibility = v
				}
			}
			reqs = append(reqs, req)
		}
	}
	for _, req := range reqs {
		if _, err := ce.Enforce(&req.sub, &req.obj, req.act); err != nil {
			return fmt.Errorf("policy: evaluating %q: %w", req.act, err)
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

var actionPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]+:[a-z]+$`) })

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
			if name == "act" && !actionPattern().MatchString(v) {
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
