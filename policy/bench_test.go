package policy_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"chancery/drafts"
	"chancery/policy"
)

// workload is a realistic stream of requests: users of many delegations,
// documents of several bodies, proposals of member delegations.
type workload struct {
	subjects  []drafts.Subject
	actions   []string
	resources []drafts.Resource
}

// newWorkload returns n requests drawn from the given number of delegation
// users (10 per delegation, one delegation in five an observer), plus 10
// Secretariat officers and one chair per body.
func newWorkload(users, n int) *workload {
	rng := rand.New(rand.NewPCG(1, 2))
	bodies := []string{"CONF", "SOC", "SWG-1", "SWG-2", "SWG-3"}
	delegation := func(i int) string { return fmt.Sprintf("D%03d", i) }
	delegations := max(users/10, 1)

	var subjects []drafts.Subject
	for i := range users {
		d := i / 10 % delegations
		s := drafts.Subject{User: fmt.Sprintf("u%05d", i), Role: drafts.RoleDelegate, Delegation: delegation(d), DelegationStatus: drafts.StatusMember}
		if d%5 == 4 {
			s.DelegationStatus = drafts.StatusObserver
			if i%2 == 0 {
				s.Role = drafts.RoleObserver
			}
		}
		subjects = append(subjects, s)
	}
	for i := range 10 {
		subjects = append(subjects, drafts.Subject{User: fmt.Sprintf("s%02d", i), Role: drafts.RoleSecretariat})
	}
	for i, b := range bodies {
		subjects = append(subjects, drafts.Subject{User: fmt.Sprintf("c%02d", i), Role: drafts.RoleChair, Delegation: delegation(i), DelegationStatus: drafts.StatusMember, Body: b})
	}

	// Actions with their share of traffic: mostly reading.
	mix := []struct {
		act    string
		weight int
	}{
		{drafts.ActDocumentRead, 50}, {drafts.ActDocumentList, 10}, {drafts.ActMeRead, 5},
		{drafts.ActProposalCreate, 5}, {drafts.ActProposalComment, 5}, {drafts.ActProposalCosponsor, 4},
		{drafts.ActProposalWithdraw, 3}, {drafts.ActAdoptionConsent, 3}, {drafts.ActAdoptionObject, 2},
		{drafts.ActEventsVerify, 2}, {drafts.ActMerge, 2}, {drafts.ActVersionCreate, 2},
		{drafts.ActStatusSet, 2}, {drafts.ActProposalReject, 1}, {drafts.ActAdoptionOpen, 1},
		{drafts.ActDelegationList, 1}, {drafts.ActTokenCreate, 1}, {drafts.ActUserCreate, 1},
	}
	var actions []string
	for _, m := range mix {
		for range m.weight {
			actions = append(actions, m.act)
		}
	}

	w := &workload{}
	for range n {
		s := subjects[rng.IntN(len(subjects))]
		act := actions[rng.IntN(len(actions))]
		r := drafts.Resource{Type: "document", Body: bodies[rng.IntN(len(bodies))], Visibility: drafts.VisibilityMembers}
		if rng.IntN(10) < 3 {
			r.Visibility = drafts.VisibilityObservers
		}
		if act == drafts.ActProposalWithdraw || act == drafts.ActProposalCosponsor || act == drafts.ActProposalComment || act == drafts.ActProposalReject {
			r.Type = "proposal"
			r.Delegation = delegation(rng.IntN(delegations))
			if rng.IntN(2) == 0 { // half the time the user's own
				r.Delegation = s.Delegation
			}
		}
		w.subjects = append(w.subjects, s)
		w.actions = append(w.actions, act)
		w.resources = append(w.resources, r)
	}
	return w
}

// BenchmarkAuthorize measures a decision with the full default policy, on
// a realistic mix of requests and decisions. The policy is attribute based
// (no row per user or delegation), so the number of users cannot change
// the cost: the users=10 / 1000 / 10000 runs show it. "uncached" is what
// casbin's evaluation costs when a decision is not yet remembered (the
// first time a kind of request is seen after a (re)load).
func BenchmarkAuthorize(b *testing.B) {
	const n = 1 << 12
	e, err := policy.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, users := range []int{10, 1000, 10000} {
		w := newWorkload(users, n)
		allowed := 0
		for i := range n { // warm up, and count the mix
			if e.Authorize(w.subjects[i], w.actions[i], w.resources[i]) == nil {
				allowed++
			}
		}
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				_ = e.Authorize(w.subjects[i], w.actions[i], w.resources[i])
				i = (i + 1) % n
			}
			b.ReportMetric(float64(allowed)/n*100, "%allowed")
		})
	}

	w := newWorkload(1000, n)
	b.Run("parallel/users=1000", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(n)
			for pb.Next() {
				_ = e.Authorize(w.subjects[i], w.actions[i], w.resources[i])
				i = (i + 1) % n
			}
		})
	})
	b.Run("uncached/users=1000", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := e.AuthorizeUncached(w.subjects[i], w.actions[i], w.resources[i]); err != nil {
				b.Fatal(err)
			}
			i = (i + 1) % n
		}
	})
}
