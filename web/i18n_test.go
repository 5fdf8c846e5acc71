package web_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/web"
)

// TestRussianComplete: every interface string of the templates and the Go
// code, and every state, role and status shown, has its Russian.
func TestRussianComplete(t *testing.T) {
	keys := map[string]bool{}
	lit := regexp.MustCompile(`\.T "((?:[^"\\]|\\.)*)"`)
	goLit := regexp.MustCompile(`(?:\.T|\bmsg)\("((?:[^"\\]|\\.)*)"`)
	files, _ := filepath.Glob("templates/*.html")
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range append(files, gofiles...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{lit, goLit} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				keys[m[1]] = true
			}
		}
	}
	for _, k := range []string{drafts.StateDrafting, drafts.StateNegotiation, drafts.StateAdoption, drafts.StateAdopted, drafts.StateWithdrawn,
		drafts.RoleSecretariat, drafts.RoleChair, drafts.RoleDelegate, drafts.RoleObserver, drafts.StatusMember, drafts.StatusObserver,
		drafts.ProvisionPending, drafts.ProvisionBracketed, drafts.ProvisionAgreedAdRef, drafts.ProvisionAgreed,
		drafts.ProposalOpen, drafts.ProposalAccepted, drafts.ProposalAcceptedModified, drafts.ProposalRejected, drafts.ProposalWithdrawn, drafts.ProposalObsolete,
		drafts.ProcedureConsensus, drafts.ProcedureSilence, drafts.RoundOpen, drafts.RoundAdopted, drafts.RoundFailed,
		"Documents", "Sign in", "Secretariat", "Document", "Versions", "Compilation", "Proposal", "Merge desk", "Adoption", "Audit trail",
		"Propose an amendment", "Provision status", "Tracked changes", "Version", "Error", "Sign-in link"} {
		keys[k] = true
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d interface strings; the pattern misses them", len(keys))
	}
	t.Logf("%d interface strings", len(keys))
	for k := range keys {
		if _, ok := web.Russian[k]; !ok {
			t.Errorf("no Russian for %q", k)
		}
	}
}

// TestLanguage: the interface follows Accept-Language until the user
// chooses, and the choice sticks.
func TestLanguage(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ accept, want string }{
		{"ru-RU,ru;q=0.9,en;q=0.8", `lang="ru"`},
		{"en-GB,en;q=0.9", `lang="en"`},
		{"fr-FR, ru;q=0.5, en;q=0.4", `lang="ru"`},
		{"de", `lang="en"`},
		{"", `lang="en"`},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/signin", nil)
		req.Header.Set("Accept-Language", tc.accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 400)
		n, _ := resp.Body.Read(b)
		resp.Body.Close()
		if !strings.Contains(string(b[:n]), tc.want) {
			t.Errorf("Accept-Language %q: want %s in %q", tc.accept, tc.want, b[:n])
		}
	}
	c := newClient(t, e, "KZ")
	if _, body := c.get("/lang?to=ru&next=/documents"); !strings.Contains(body, `lang="ru"`) || !strings.Contains(body, "Документы") {
		t.Error("choosing Russian does not give a Russian page")
	}
	if _, body := c.get("/documents/" + e.Members.ID); !strings.Contains(body, "С вашего последнего посещения") {
		t.Error("the choice of Russian does not stick (the client sends Accept-Language: en)")
	}
	// The language switch never sends anyone off the site.
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/lang?to=en&next=//evil.example/x", nil)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "/documents" {
		t.Errorf("open redirect: Location %q", loc)
	}
}

// TestErrorsOnRussianPages: a failure on a Russian page says in Russian
// what kind of failure it is, and marks the service's English words as
// English (for screen readers); an English page shows the words alone.
func TestErrorsOnRussianPages(t *testing.T) {
	e := newEnv(t)
	chair := newClient(t, e, "chair")
	taken := url.Values{"symbol": {e.Members.Symbol}, "title": {"T"}, "kind": {"statement"}, "body": {"SWG"},
		"language": {"en"}, "visibility": {"members"}, "text": {"1. A."}}
	st, body := chair.post("/documents", taken)
	if st != 409 || strings.Contains(body, "Невозможно") || strings.Contains(body, `<span lang="en">`) || !strings.Contains(body, "another document has the symbol") {
		t.Errorf("English page: %d, want the service's words alone", st)
	}
	chair.get("/lang?to=ru&next=/documents")
	st, body = chair.post("/documents", taken)
	if st != 409 || !strings.Contains(body, `Невозможно: это уже существует или состояние изменилось. <span lang="en">symbol: another document has the symbol `) {
		t.Errorf("Russian page: %d, want a Russian summary and the service's words marked English", st)
	}
	if n := strings.Count(body, "another document has the symbol"); n != 1 {
		t.Errorf("the refusal is said %d times, want once (a list of one field repeating the message is left out)", n)
	}
	// A list of fields that says more than the message is kept, marked English.
	taken.Set("symbol", "!!")
	if st, body = chair.post("/documents", taken); st != 422 || !strings.Contains(body, `Не принято: исправьте то, что указано ниже. <span lang="en">`) || !strings.Contains(body, `<ul lang="en"><li><code>symbol</code>`) {
		t.Errorf("Russian page, bad symbol: %d, want the Russian summary and the field list marked English", st)
	}
}

// TestActionsNamed: every action the domain records in the audit trail has
// words in English and Russian, so the audit trail page never shows a raw
// key such as "adoption.consent". The actions are read from the service
// package's source, where each is a literal.
func TestActionsNamed(t *testing.T) {
	files, _ := filepath.Glob("../service/*.go")
	lit := regexp.MustCompile(`"((?:document|version|provision|proposal|adoption|refused)\.[a-z-]+)"`)
	found := map[string]bool{"merge": true}
	// Settling a merged proposal records "proposal." + its new status.
	for _, st := range []string{drafts.ProposalAccepted, drafts.ProposalAcceptedModified, drafts.ProposalObsolete} {
		found["proposal."+st] = true
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			found[m[1]] = true
		}
	}
	if len(found) < 20 {
		t.Fatalf("found only %d actions in ../service; the pattern misses them", len(found))
	}
	for a := range found {
		words, ok := web.Actions[a]
		if !ok || words[0] == "" || words[1] == "" {
			t.Errorf("audit action %q has no words in English and Russian", a)
		}
		if web.Lang("en").Action(a) == a || web.Lang("ru").Action(a) == a {
			t.Errorf("audit action %q is shown as its raw key", a)
		}
	}
}
