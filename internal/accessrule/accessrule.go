// Package accessrule is DESIGN.md's access rule written in Go, independently
// of the policy files, for the access-matrix tests of the service and of
// the HTTP API: both compare what really happens with this one table.
package accessrule

import "strings"

// Subject is what the rule needs to know of a user.
type Subject struct {
	Observer    bool // an observer, or in an observer delegation
	Member      bool // a delegate of a member delegation
	Owner       bool // of the delegation that owns the proposal
	Chair       bool // chair of the document's body
	Secretariat bool
}

// Outcome is what an action comes to.
type Outcome int

// The outcomes: a document an observer may not read does not exist for
// them (Hidden); any other refusal is Denied.
const (
	Allowed Outcome = iota
	Denied
	Hidden
)

// Expected returns what subject s may do with action on a document that
// is members-only or visible to observers.
func Expected(action string, s Subject, membersOnly bool) Outcome {
	onDocument := !strings.HasPrefix(action, "delegation:") && !strings.HasPrefix(action, "user:") &&
		!strings.HasPrefix(action, "token:") && !strings.HasPrefix(action, "webhook:") && action != "me:read" && action != "document:list" && action != "document:create"
	if onDocument && s.Observer && membersOnly {
		return Hidden
	}
	ok := false
	switch action {
	case "me:read", "delegation:list", "document:list", "document:read", "events:verify":
		ok = true
	case "delegation:create", "user:create", "user:list", "token:create", "token:revoke":
		ok = s.Secretariat
	case "document:create":
		ok = s.Secretariat || s.Chair
	case "version:create", "provision:status", "proposal:reject", "merge:create", "adoption:open", "adoption:close", "proposal:record":
		ok = s.Chair
	case "proposal:create", "adoption:consent", "adoption:object":
		ok = s.Member
	case "proposal:withdraw":
		ok = s.Member && s.Owner
	case "proposal:cosponsor":
		ok = s.Member && !s.Owner
	case "proposal:comment":
		ok = s.Member || s.Chair
	case "focus:set":
		ok = s.Chair
	case "webhook:manage":
		ok = s.Secretariat
	case "position:create":
		ok = s.Member
	case "position:withdraw":
		ok = s.Member && s.Owner
	case "translation:set":
		ok = s.Secretariat || s.Chair
	}
	if ok {
		return Allowed
	}
	return Denied
}
