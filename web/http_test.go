package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chancery/drafts"
)

// client is a plain HTTP client with cookies, signed in as one user.
type client struct {
	t    *testing.T
	e    *env
	http *http.Client
	csrf string
	// last is the path of the last page, after redirects.
	last string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newClient(t *testing.T, e *env, who string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, e: e, http: &http.Client{Jar: jar}}
	st, body := c.get("/signin")
	if st != 200 {
		t.Fatalf("sign-in page: %d", st)
	}
	c.csrf = csrfField.FindStringSubmatch(body)[1]
	if st, body := c.post("/signin", url.Values{"token": {e.tokens[who]}}); st != 200 || !strings.Contains(body, "Documents") {
		t.Fatalf("signing in as %s: %d", who, st)
	}
	_, body = c.get("/documents")
	c.csrf = csrfField.FindStringSubmatch(body)[1]
	return c
}

func (c *client) do(req *http.Request) (int, string) {
	c.t.Helper()
	req.Header.Set("Accept-Language", "en")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	c.last = resp.Request.URL.Path
	b, _ := io.ReadAll(resp.Body)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		c.t.Errorf("%s %s: Content-Security-Policy %q", req.Method, req.URL.Path, csp)
	}
	return resp.StatusCode, string(b)
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.URL+path, nil)
	return c.do(req)
}

// post sends a form with the session's CSRF token.
func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.e.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var inlineScript = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|\son[a-z]+\s*=|\sstyle\s*=|javascript:`)

// TestHostileInput sends every form odd values (empty, huge, invalid
// UTF-8, markup, unknown ids) and odd paths: nothing makes a 500, every page
// escapes what it shows, and no page carries inline script or style.
func TestHostileInput(t *testing.T) {
	e := newEnv(t)
	doc := "/documents/" + e.Members.ID
	para := e.firstParagraph(t)
	values := []string{"", " ", "<script>alert(1)</script>", "\xff\xfe", strings.Repeat("x", 300000), "0", "-1", "99999999999999999999",
		"../../etc/passwd", "^start", para, "\x00", "replace", "insert", "delete", "move", "silence", "2026-13-45T99:99"}
	forms := map[string][]string{
		doc + "/proposals":                     {"base", "mode", "open", "text." + para, "ins." + para, "del." + para, "move." + para, "whole", "justification", "action", "form", "formkey", "on_behalf_of"},
		doc + "/proposals/preview":             {"base", "open", "text." + para, "ins.^start", "move." + para, "justification"},
		doc + "/merges":                        {"base", "proposals", "mode." + para, "res." + para, "tr." + para, "message", "action", "form", "confirm", "f.section", "f.state"},
		doc + "/merges/preview":                {"base", "proposals", "mode." + para, "res." + para, "f.delegation"},
		doc + "/proposals/nope/withdraw":       {"confirm"},
		doc + "/adoption/close":                {"confirm"},
		"/session/renew":                       {"from"},
		doc + "/adoption":                      {"version", "procedure", "deadline"},
		doc + "/adoption/objection":            {"reason"},
		doc + "/versions/1/statuses":           {"status." + para},
		doc + "/proposals/nope/comments":       {"comment"},
		"/secretariat/delegations":             {"id", "name", "name_ru", "status"},
		"/secretariat/users":                   {"name", "role", "delegation", "body"},
		"/secretariat/tokens/revoke":           {"token"},
		"/secretariat/users/nope/signin-links": {},
		"/signin":                              {"token", "next"},
		"/signin/link":                         {"link"},
	}
	statuses := map[int]int{}
	for _, who := range []string{"KZ", "chair", "secretariat", "JP"} {
		c := newClient(t, e, who)
		for path, fields := range forms {
			for i, v := range values {
				form := url.Values{}
				for j, f := range fields {
					form.Set(f, values[(i+j)%len(values)])
				}
				if len(fields) > 0 {
					form.Set(fields[0], v)
				}
				st, body := c.post(path, form)
				statuses[st]++
				if st >= 500 {
					t.Errorf("%s: POST %s with %q: status %d", who, path, excerpt(v), st)
				}
				if strings.Contains(body, "<script>alert(1)</script>") || inlineScript.MatchString(body) {
					t.Errorf("%s: POST %s: unescaped markup or inline script in the page", who, path)
				}
			}
		}
		for _, p := range []string{"/", "/documents?state=<b>&body=%ff", doc + "/versions/0", doc + "/versions/x/diff?against=y",
			doc + "/versions/1/diff?against=1", doc + "/versions/1/diff", doc + "/versions/1/pdf?against=abc", doc + "/compilation?version=-3",
			doc + "/events?cursor=../x", doc + "/events?verify=1", doc + "/proposals/%3Cb%3E", "/documents/%2e%2e", "/nope", "/static/nope.css",
			"/lang?to=xx&next=//evil.example", doc + "/proposals/new?provision=<x>&op=<y>", doc + "/merges/new", "/secretariat",
			doc + "/proposals/new?form=../x&preview=1", doc + "/proposals/box?provision=<x>&base=-1", doc + "/merges/new?form=nope&section=<b>&state=x&preview=1",
			doc + "/merges/confirm?form=%ff", doc + "/proposals/nope/reject?reason=<b>", doc + "/adoption/close", "/secretariat/tokens/revoke?token=<x>"} {
			st, body := c.get(p)
			if st >= 500 {
				t.Errorf("%s: GET %s: status %d", who, p, st)
			}
			if inlineScript.MatchString(body) {
				t.Errorf("%s: GET %s: inline script or style in the page", who, p)
			}
		}
	}
	// The forms reached their handlers: not everything was refused.
	if statuses[422] == 0 || statuses[200] == 0 {
		t.Errorf("statuses %v: the forms never got past the CSRF check or the policy", statuses)
	}
	t.Logf("statuses: %v", statuses)
}

// TestFailedFormKeepsInput: a refused proposal shows the service's message
// and keeps every field the delegate typed.
func TestFailedFormKeepsInput(t *testing.T) {
	e := newEnv(t)
	c := newClient(t, e, "KZ")
	doc := "/documents/" + e.Members.ID
	para := e.firstParagraph(t)
	st, body := c.post(doc+"/proposals", url.Values{"base": {"1"}, "open": {para}, "text." + para: {"Text the delegate typed & kept"},
		"text.no-such-provision": {"Elsewhere"}, "justification": {"Because <reasons>"}, "action": {"submit"}})
	if st != 422 && st != 404 {
		t.Fatalf("status %d, want 422", st)
	}
	for _, want := range []string{"Text the delegate typed &amp; kept", "Because &lt;reasons&gt;", `class="error"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the failed form lacks %q", want)
		}
	}
	// The same message as the API's.
	if !strings.Contains(body, "no-such-provision") {
		t.Errorf("the error does not name the provision:\n%s", excerpt(body))
	}
	// A justification over the limit: the API's words for it.
	st, body = c.post(doc+"/proposals", url.Values{"base": {"1"}, "open": {para}, "text." + para: {"New words"},
		"justification": {strings.Repeat("j", 20001)}, "action": {"submit"}})
	if st != 422 || !strings.Contains(body, "justification") {
		t.Errorf("long justification: status %d", st)
	}
	fmt.Fprint(io.Discard, body)
}

// TestCSRFNeverFromTheURL: a form's CSRF token counts in its body or in
// the X-CSRF-Token header, never in the query string (which is logged,
// kept in histories and sent on as a Referer).
func TestCSRFNeverFromTheURL(t *testing.T) {
	e := newEnv(t)
	c := newClient(t, e, "KZ")
	path := "/documents/" + e.Members.ID + "/proposals/nope/comments"
	send := func(target string, form url.Values, header string) int {
		req, _ := http.NewRequest(http.MethodPost, e.URL+target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if header != "" {
			req.Header.Set("X-CSRF-Token", header)
		}
		st, _ := c.do(req)
		return st
	}
	comment := url.Values{"comment": {"A remark."}}
	if st := send(path+"?csrf="+url.QueryEscape(c.csrf), comment, ""); st != http.StatusForbidden {
		t.Errorf("token in the query string: status %d, want 403", st)
	}
	// In the body or the header it passes the check (and the handler says
	// there is no such proposal).
	if st := send(path, url.Values{"comment": {"A remark."}, "csrf": {c.csrf}}, ""); st == http.StatusForbidden {
		t.Errorf("token in the body: refused")
	}
	if st := send(path, comment, c.csrf); st == http.StatusForbidden {
		t.Errorf("token in the X-CSRF-Token header: refused")
	}
}

// TestEditFormOwnDelegationOnly: the edit form of a proposal is shown to
// its own delegation only (submitting it is refused to others anyway),
// and only while the proposal is open.
func TestEditFormOwnDelegationOnly(t *testing.T) {
	e := newEnv(t)
	pr, err := e.svc.CreateProposal(e.as("KZ"), e.Members.ID, drafts.ProposalInput{Base: 1, Justification: "Why.",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: e.firstParagraph(t), Text: "Changed by KZ."}}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/documents/" + e.Members.ID + "/proposals/" + pr.ID + "/edit"
	// JP, an observer, does not see the members' document at all.
	for who, want := range map[string]int{"KZ": 200, "IN": 403, "JP": 404, "chair": 403, "secretariat": 403} {
		c := newClient(t, e, who)
		st, body := c.get(path)
		if st != want {
			t.Errorf("%s: edit form: status %d, want %d", who, st, want)
		}
		if want == 403 && strings.Contains(body, `name="justification"`) {
			t.Errorf("%s: the refusal shows the form", who)
		}
	}
	if _, err := e.svc.WithdrawProposal(e.as("KZ"), e.Members.ID, pr.ID, ""); err != nil {
		t.Fatal(err)
	}
	if st, _ := newClient(t, e, "KZ").get(path); st != 409 {
		t.Errorf("edit form of a withdrawn proposal: status %d, want 409", st)
	}
}

// TestVerificationPage: the audit trail's page says what verification
// found: an intact chain, or the event missing and the change it no
// longer records.
func TestVerificationPage(t *testing.T) {
	e := newEnv(t)
	pr, err := e.svc.CreateProposal(e.as("KZ"), e.Members.ID, drafts.ProposalInput{Base: 1, Justification: "Why.",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: e.firstParagraph(t), Text: "Changed by KZ."}}})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, e, "KZ")
	path := "/documents/" + e.Members.ID + "/events?verify=1"
	if st, body := c.get(path); st != 200 || !strings.Contains(body, "The chain is intact") {
		t.Fatalf("verification page: %d %s", st, excerpt(body))
	}
	page, err := e.svc.ListEvents(e.as("KZ"), e.Members.ID, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	last := page.Items[len(page.Items)-1]
	if last.Change != "proposal/"+pr.ID {
		t.Fatalf("last event %+v, want the proposal's", last)
	}
	if err := e.store.Delete(t.Context(), fmt.Sprintf("texts/%s/events/%012d.json", e.Members.ID, last.Seq), ""); err != nil {
		t.Fatal(err)
	}
	st, body := c.get(path)
	if st != 200 || !strings.Contains(body, "Stored changes without an event:") || !strings.Contains(body, "proposal/"+pr.ID) {
		t.Fatalf("verification page after an event was removed: %d %s", st, excerpt(body))
	}
}

// TestSecretariatNamesDelegationInRussian: the secretariat's form gives a
// new delegation its Russian name, which the page then lists.
func TestSecretariatNamesDelegationInRussian(t *testing.T) {
	e := newEnv(t)
	c := newClient(t, e, "secretariat")
	st, body := c.post("/secretariat/delegations", url.Values{"id": {"TJ"}, "name": {"Tajikistan"}, "name_ru": {"Таджикистан"}, "status": {"member"}})
	if st != http.StatusOK || !strings.Contains(body, "Таджикистан") {
		t.Fatalf("add a delegation with its Russian name: %d, page without it", st)
	}
	page, err := e.svc.ListDelegations(e.as("secretariat"), drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	ds := page.Items
	for _, d := range ds {
		if d.ID == "TJ" {
			if d.NameRu != "Таджикистан" {
				t.Errorf("TJ stored with name_ru %q", d.NameRu)
			}
			return
		}
	}
	t.Errorf("TJ not stored: %+v", ds)
}
