package policy_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/policy"
)

var (
	observer   = drafts.Subject{User: "o1", Role: drafts.RoleObserver, Delegation: "UN", DelegationStatus: drafts.StatusObserver}
	membersDoc = drafts.Resource{Type: "document", Body: "SWG", Visibility: drafts.VisibilityMembers}
)

// observerAllow is a policy row the default policy does not have.
const observerAllow = "\np, observer, proposal:create, *, *, *, *, allow\n"

// observerMayAct reports whether e lets an observer propose (observerAllow).
func observerMayAct(e *policy.Enforcer) bool {
	return e.Authorize(observer, drafts.ActProposalCreate, membersDoc) == nil
}

// MustRead returns the content of a file of the package (the defaults).
func MustRead(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// MustWrite replaces path with content atomically, as an operator should.
func MustWrite(tb testing.TB, path, content string) {
	tb.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
}

// MustFiles writes the default model and the given policy to a temporary
// directory and returns their paths.
func MustFiles(tb testing.TB, policyText string) (modelPath, policyPath string) {
	tb.Helper()
	dir := tb.TempDir()
	modelPath, policyPath = filepath.Join(dir, "model.conf"), filepath.Join(dir, "policy.csv")
	MustWrite(tb, modelPath, MustRead(tb, "model.conf"))
	MustWrite(tb, policyPath, policyText)
	return modelPath, policyPath
}

// roleBlindModel returns the default model without its role check, under
// which an observer may do what the Secretariat does.
func roleBlindModel(tb testing.TB) string {
	tb.Helper()
	const check = `(p.role == "*" || p.role == r.sub.Role) && `
	model := MustRead(tb, "model.conf")
	if !strings.Contains(model, check) {
		tb.Fatalf("model.conf has no %q", check)
	}
	return strings.Replace(model, check, "", 1)
}

func TestNewFromFiles(t *testing.T) {
	defaultPolicy := MustRead(t, "policy.csv")
	t.Run("defaults", func(t *testing.T) {
		e, err := policy.NewFromFiles("", "")
		if err != nil {
			t.Fatal(err)
		}
		if observerMayAct(e) {
			t.Error("observer may propose under the default policy")
		}
	})
	t.Run("policy file", func(t *testing.T) {
		_, policyPath := MustFiles(t, defaultPolicy+observerAllow)
		e, err := policy.NewFromFiles("", policyPath)
		if err != nil {
			t.Fatal(err)
		}
		if !observerMayAct(e) {
			t.Error("the policy file is not in force")
		}
	})
	t.Run("model file", func(t *testing.T) {
		modelPath, _ := MustFiles(t, defaultPolicy)
		MustWrite(t, modelPath, roleBlindModel(t))
		e, err := policy.NewFromFiles(modelPath, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Authorize(observer, drafts.ActUserCreate, drafts.Resource{}); err != nil {
			t.Errorf("the model file is not in force: %v", err)
		}
	})

	broken := []struct {
		name, model, policy, want string
	}{
		{"missing model", "-", defaultPolicy, "cannot read"},
		{"request shape", "[request_definition]\nr = sub, act\n[policy_definition]\np = sub, act\n[policy_effect]\ne = some(where (p.eft == allow))\n[matchers]\nm = r.act == p.act\n", defaultPolicy, "r = sub, obj, act"},
		{"matcher attribute", strings.Replace(MustRead(t, "model.conf"), "p.status == r.sub.Status", "p.status == r.sub.Nope", 1), defaultPolicy, "evaluating"},
		{"matcher attribute of few rows", strings.Replace(MustRead(t, "model.conf"), "p.body == r.obj.Body", "p.body == r.obj.Bodyy", 1), defaultPolicy, "evaluating"},
		{"matcher syntax", strings.Replace(MustRead(t, "model.conf"), "p.act == r.act &&", "p.act == r.act && (", 1), defaultPolicy, "evaluating"},
		{"arity", "", defaultPolicy + "\np, chair, merge:create, *, *, own, *\n", "6 values, the model's p has 7"},
		{"typo in a role", "", defaultPolicy + "\np, chiar, merge:create, *, *, own, *, allow\n", `role "chiar"`},
		{"typo in a status", "", defaultPolicy + "\np, delegate, merge:create, memebr, *, own, *, allow\n", `status "memebr"`},
		{"typo in an effect", "", defaultPolicy + "\np, chair, merge:create, *, *, own, *, alow\n", `eft "alow"`},
		{"action", "", defaultPolicy + "\np, chair, merge create, *, *, own, *, allow\n", `action "merge create"`},
		{"policy type", "", defaultPolicy + "\nq, chair\n", `policy type "q"`},
		{"quotes", "", defaultPolicy + "\np, \"chair, merge:create\n", "line"},
		{"empty", "", "# nothing here\n\n", "no rules"},
	}
	for _, tt := range broken {
		t.Run(tt.name, func(t *testing.T) {
			modelPath, policyPath := MustFiles(t, tt.policy)
			switch tt.model {
			case "-":
				modelPath = filepath.Join(t.TempDir(), "nope.conf")
			case "":
			default:
				MustWrite(t, modelPath, tt.model)
			}
			e, err := policy.NewFromFiles(modelPath, policyPath)
			if err == nil {
				t.Fatalf("loaded: %v", e)
			}
			if got, want := drafts.ErrorCode(err), drafts.EINVALID; got != want {
				t.Errorf("code %q, want %q (%v)", got, want, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestReload(t *testing.T) {
	defaultPolicy := MustRead(t, "policy.csv")
	_, policyPath := MustFiles(t, defaultPolicy)
	e, err := policy.NewFromFiles("", policyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(); err != nil {
		t.Fatalf("Reload of unchanged files: %v", err)
	}

	MustWrite(t, policyPath, defaultPolicy+observerAllow)
	if err := e.Reload(); err != nil {
		t.Fatal(err)
	}
	if !observerMayAct(e) {
		t.Fatal("the changed policy is not in force")
	}

	MustWrite(t, policyPath, defaultPolicy+"\np, observer, proposal:create\n")
	if err := e.Reload(); drafts.ErrorCode(err) != drafts.EINVALID {
		t.Fatalf("Reload of a broken policy: %v, want EINVALID", err)
	}
	if !observerMayAct(e) {
		t.Fatal("a broken policy replaced the previous one")
	}

	if err := os.Remove(policyPath); err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(); err == nil {
		t.Fatal("Reload of a missing file succeeded")
	}
	if !observerMayAct(e) {
		t.Fatal("a missing file replaced the previous policy")
	}

	defaults, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := defaults.Reload(); err != nil {
		t.Fatalf("Reload of the embedded defaults: %v", err)
	}
}

// logRecorder collects what Watch logs.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

// eventually waits up to 10 seconds for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestWatch(t *testing.T) {
	defaultPolicy := MustRead(t, "policy.csv")
	modelPath, policyPath := MustFiles(t, defaultPolicy)
	e, err := policy.NewFromFiles(modelPath, policyPath)
	if err != nil {
		t.Fatal(err)
	}
	var log logRecorder
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.Watch(ctx, 5*time.Millisecond, log.logf)
	}()
	defer func() {
		cancel()
		<-done
	}()

	if observerMayAct(e) {
		t.Fatal("observer may propose before the change")
	}
	MustWrite(t, policyPath, defaultPolicy+observerAllow)
	eventually(t, "the changed policy", func() bool { return observerMayAct(e) })
	eventually(t, "the reload to be logged", func() bool { return log.count("reloaded") == 1 })

	// A broken policy is logged, once, and the previous one stays.
	MustWrite(t, policyPath, defaultPolicy+observerAllow+"p, observer, adoption:consent, *, *, *, *, alow\n")
	eventually(t, "the failure to be logged", func() bool { return log.count("keeping the previous") == 1 })
	time.Sleep(50 * time.Millisecond) // ten more polls
	if n := log.count("keeping the previous"); n != 1 {
		t.Errorf("the same broken file was reported %d times", n)
	}
	if !observerMayAct(e) {
		t.Fatal("a broken policy replaced the previous one")
	}
	if !strings.Contains(strings.Join(log.lines, "\n"), `eft "alow"`) {
		t.Errorf("the log does not say what is wrong: %q", log.lines)
	}

	// Fixed, it loads.
	MustWrite(t, policyPath, defaultPolicy)
	eventually(t, "the fixed policy", func() bool { return !observerMayAct(e) })

	// A change of the model file is watched too.
	MustWrite(t, modelPath, roleBlindModel(t))
	eventually(t, "the changed model", func() bool {
		return e.Authorize(observer, drafts.ActUserCreate, drafts.Resource{}) == nil
	})

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return when its context ended")
	}
}

// TestConcurrentReload decides from many goroutines while the policy is
// reloaded; run with -race.
func TestConcurrentReload(t *testing.T) {
	defaultPolicy := MustRead(t, "policy.csv")
	_, policyPath := MustFiles(t, defaultPolicy)
	e, err := policy.NewFromFiles("", policyPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			s := drafts.Subject{User: fmt.Sprint("u", i), Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}
			for ctx.Err() == nil {
				for _, act := range allActions {
					if err := e.Authorize(s, act, membersDoc); err != nil && drafts.ErrorCode(err) != drafts.EFORBIDDEN {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	for i := range 4 {
		text := defaultPolicy
		if i%2 == 0 {
			text += observerAllow
		}
		MustWrite(t, policyPath, text)
		if err := e.Reload(); err != nil {
			t.Error(err)
		}
		if got, want := observerMayAct(e), i%2 == 0; got != want {
			t.Errorf("reload %d: observer may propose = %v, want %v", i, got, want)
		}
	}
	cancel()
	wg.Wait()
}
