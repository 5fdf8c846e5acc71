package policy

import "chancery/drafts"

// AuthorizeUncached is Authorize without the remembered decisions: what
// casbin costs on every request. For the benchmark only.
func (e *Enforcer) AuthorizeUncached(s drafts.Subject, action string, r drafts.Resource) (bool, error) {
	return e.cur.Load().evaluate(newRequest(s, action, r))
}
