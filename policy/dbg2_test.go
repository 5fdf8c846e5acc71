package policy

import (
	"strings"
	"testing"
)

func TestDbg2(t *testing.T) {
	m, _ := defaults.ReadFile("model.conf")
	p, _ := defaults.ReadFile("policy.csv")
	mm := strings.Replace(string(m), "r.sub.Status", "r.sub.Nope", 1)
	s, err := load([]byte(mm), p)
	t.Log(err)
	ok, err := s.enforcer.Enforce(&subject{Role: "delegate", Status: "member"}, &object{}, "proposal:create")
	t.Log(ok, err)
	ok, err = s.enforcer.Enforce(&subject{Role: "delegate", Status: "observer"}, &object{}, "proposal:create")
	t.Log(ok, err)
	t.Log(s.enforcer.GetModel()["m"]["m"].Value)
}
