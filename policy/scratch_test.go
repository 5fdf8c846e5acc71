package policy_test

import (
	"testing"

	"chancery/drafts"
	"chancery/policy"
)

func BenchmarkScratch(b *testing.B) {
	e, err := policy.New()
	if err != nil {
		b.Fatal(err)
	}
	s := drafts.Subject{User: "u1", Role: "delegate", Delegation: "KZ", DelegationStatus: "member"}
	r := drafts.Resource{Type: "proposal", Body: "SWG", Visibility: "members", Delegation: "KZ"}
	for _, act := range []string{"me:read", "document:read", "proposal:withdraw", "merge:create"} {
		b.Run(act, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Authorize(s, act, r)
			}
		})
	}
}
