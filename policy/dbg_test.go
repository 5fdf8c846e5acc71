package policy_test

import (
	"os"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/policy"
)

func TestDbg(t *testing.T) {
	_, p := MustFiles(t, MustRead(t, "policy.csv"))
	m := strings.Replace(MustRead(t, "model.conf"), "r.sub.Status", "r.sub.Nope", 1)
	mp := p + ".conf"
	os.WriteFile(mp, []byte(m), 0o644)
	e, err := policy.NewFromFiles(mp, p)
	t.Log(err)
	t.Log(e.Authorize(drafts.Subject{Role: "delegate", DelegationStatus: "member"}, "proposal:create", drafts.Resource{}))
}
