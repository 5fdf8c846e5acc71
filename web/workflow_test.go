package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/web"
)

// TestDraftingForms: the chair creates a document and publishes a revised
// text; a delegation proposes a whole edited text (with a preview) and
// edits its proposal; the compilation lists it.
func TestDraftingForms(t *testing.T) {
	e := newEnv(t)
	chair := newClient(t, e, "chair")
	st, body := chair.post("/documents", url.Values{"symbol": {"CICA/SWG/2026/R.9"}, "title": {"Statement on <dialogue>"}, "kind": {"statement"},
		"body": {"SWG"}, "language": {"en"}, "visibility": {"members"}, "text": {"1. The Member States met.\n\n2. They agreed.\n"}})
	if st != 200 || !strings.HasPrefix(chair.last, "/documents/") || !strings.Contains(body, "Statement on &lt;dialogue&gt;") {
		t.Fatalf("creating a document: %d at %s", st, chair.last)
	}
	doc := chair.last
	// A bad symbol: the service's words, what was typed kept.
	st, body = chair.post("/documents", url.Values{"symbol": {"!!"}, "title": {"Kept title"}, "kind": {"statement"}, "body": {"SWG"},
		"language": {"en"}, "visibility": {"members"}, "text": {"1. Kept text."}})
	if st != 422 || !strings.Contains(body, "symbol") || !strings.Contains(body, "Kept title") || !strings.Contains(body, "1. Kept text.") {
		t.Errorf("bad symbol: %d", st)
	}
	// A symbol another document has: refused, saying which, what was typed kept.
	st, body = chair.post("/documents", url.Values{"symbol": {"CICA/SWG/2026/R.9"}, "title": {"Kept title"}, "kind": {"statement"}, "body": {"SWG"},
		"language": {"en"}, "visibility": {"members"}, "text": {"1. Kept text."}})
	if st != 409 || !strings.Contains(body, "another document has the symbol CICA/SWG/2026/R.9") || !strings.Contains(body, "Kept title") || !strings.Contains(body, "1. Kept text.") {
		t.Errorf("symbol taken: %d", st)
	}
	st, _ = chair.post(doc+"/versions", url.Values{"base": {"1"}, "text": {"1. The Member States met in Astana.\n\n2. They agreed.\n"}, "message": {"Chair's revision"}})
	if st != 200 || !strings.Contains(chair.last, "/versions/2/diff") {
		t.Fatalf("chair's revised text: %d at %s", st, chair.last)
	}
	// A stale base: the API's conflict message.
	st, body = chair.post(doc+"/versions", url.Values{"base": {"1"}, "text": {"1. Other.\n"}, "message": {""}})
	if st != 409 || !strings.Contains(body, "not the head") {
		t.Errorf("stale base: %d", st)
	}

	// Renumbering a clean text is refused in the service's words.
	st, body = chair.post(doc+"/renumbering", url.Values{"base": {"2"}})
	if st != 409 || !strings.Contains(body, "nothing to renumber") {
		t.Errorf("renumbering a clean text: %d", st)
	}

	kz := newClient(t, e, "KZ")
	whole := "1. The Member States met in Astana and Almaty.\n\n2. They agreed.\n\n3. They will meet again.\n"
	st, body = kz.post(doc+"/proposals", url.Values{"base": {"2"}, "mode": {"whole"}, "whole": {whole}, "justification": {"Both cities."}, "action": {"preview"}})
	if st != 200 || !strings.Contains(body, "<ins>and Almaty</ins>") && !strings.Contains(body, "Almaty</ins>") {
		t.Fatalf("preview of a whole text: %d\n%s", st, excerpt(body))
	}
	if !strings.Contains(body, "They will meet again.") || !strings.Contains(body, "Inserted") {
		t.Errorf("the preview lacks the inserted provision")
	}
	st, _ = kz.post(doc+"/proposals", url.Values{"base": {"2"}, "mode": {"whole"}, "whole": {whole}, "justification": {"Both cities."}, "action": {"submit"}})
	if st != 200 || !strings.Contains(kz.last, "/proposals/") {
		t.Fatalf("submitting a whole text: %d at %s", st, kz.last)
	}
	prop := kz.last
	st, body = kz.get(prop + "/edit")
	if st != 200 || !strings.Contains(body, "Almaty") {
		t.Fatalf("edit form: %d", st)
	}
	st, body = kz.post(prop, url.Values{"base": {"2"}, "mode": {"whole"}, "whole": {strings.Replace(whole, "Almaty", "Shymkent", 1)}, "justification": {"Three cities."}, "action": {"submit"}})
	if st != 200 || !strings.Contains(body, "Shymkent") || !strings.Contains(body, "Three cities.") {
		t.Fatalf("editing: %d\n%s", st, excerpt(body))
	}
	// Another delegation may not edit it: the service refuses, in words.
	in := newClient(t, e, "IN")
	st, body = in.post(prop, url.Values{"base": {"2"}, "mode": {"whole"}, "whole": {"1. Mine.\n"}, "justification": {"x"}, "action": {"submit"}})
	if st != 403 || !strings.Contains(body, "only the delegation") {
		t.Errorf("another delegation editing: %d", st)
	}
	_, body = chair.get(doc + "/compilation")
	if !strings.Contains(body, "Shymkent") || !strings.Contains(body, "KZ") {
		t.Errorf("the compilation lacks the edited proposal")
	}
}

// TestSilenceProcedure: the chair opens a silence procedure with a
// deadline; the page shows the time left; a member breaks silence with a
// reason.
func TestSilenceProcedure(t *testing.T) {
	e := newEnv(t)
	e.svc.SilenceMin = time.Hour
	chair := newClient(t, e, "chair")
	doc := "/documents/" + e.Members.ID
	deadline := e.clock.Now().Add(50 * time.Hour).Format("2006-01-02T15:04")
	st, body := chair.post(doc+"/adoption", url.Values{"version": {"1"}, "procedure": {"silence"}, "deadline": {deadline}})
	if st != 200 || !strings.Contains(body, "2d 2h 0m") {
		t.Fatalf("opening a silence procedure: %d\n%s", st, excerpt(body))
	}
	st, body = chair.post(doc+"/adoption", url.Values{"version": {"1"}, "procedure": {"silence"}, "deadline": {"tomorrow"}})
	if st != 422 && st != 409 {
		t.Errorf("a second round with a bad deadline: %d", st)
	}
	e.clock.Advance(26 * time.Hour)
	kz := newClient(t, e, "KZ")
	_, body = kz.get(doc + "/adoption")
	if !strings.Contains(body, "1d 0h 0m") || !strings.Contains(body, "Break silence") {
		t.Fatalf("the delegate's adoption page:\n%s", excerpt(body))
	}
	st, body = kz.post(doc+"/adoption/objection", url.Values{"reason": {"Paragraph 1 needs <more> work."}})
	if st != 200 || !strings.Contains(body, "Paragraph 1 needs &lt;more&gt; work.") || !strings.Contains(body, "failed") {
		t.Fatalf("breaking silence: %d\n%s", st, excerpt(body))
	}
	r, err := e.svc.GetAdoption(e.as("chair"), e.Members.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != drafts.RoundFailed || len(r.Objections) != 1 {
		t.Errorf("round %s with %d objections", r.State, len(r.Objections))
	}
}

// TestRevokedTokenEndsSession: the secretariat revokes a token on its page;
// the browser signed in with it is sent back to sign in.
func TestRevokedTokenEndsSession(t *testing.T) {
	e := newEnv(t)
	kz := newClient(t, e, "KZ")
	sec := newClient(t, e, "secretariat")
	id, _, _ := drafts.SplitToken(e.tokens["KZ"])
	if st, body := sec.post("/secretariat/tokens/revoke", url.Values{"token": {id}}); st != 200 || !strings.Contains(body, "will stop working") {
		t.Fatalf("revoking without confirming: %d (want the confirmation page)", st)
	}
	if st, _ := sec.post("/secretariat/tokens/revoke", url.Values{"token": {id}, "confirm": {"yes"}}); st != 200 {
		t.Fatalf("revoking: %d", st)
	}
	st, body := kz.get("/documents")
	if st != 200 || !strings.HasPrefix(kz.last, "/signin") || !strings.Contains(body, "session has ended") {
		t.Errorf("after the revocation: %d at %s", st, kz.last)
	}
}

// TestSignInFailuresLimited: an address that fails to sign in too often is
// told to wait when it fails again, but a valid token still signs in (a
// delegation behind one proxy shares an address); other pages still
// answer.
func TestSignInFailuresLimited(t *testing.T) {
	e := newEnvWith(t, func(ws *web.Server) { ws.SignInFailures = 3 })
	c := &client{t: t, e: e, http: &http.Client{}}
	jar, _ := cookiejar.New(nil)
	c.http.Jar = jar
	_, body := c.get("/signin")
	c.csrf = csrfField.FindStringSubmatch(body)[1]
	for i := 0; i < 3; i++ {
		if st, _ := c.post("/signin", url.Values{"token": {"chy_abcdefghij_wrongwrongwrongwrong"}}); st != 401 {
			t.Fatalf("failed sign-in %d: status %d, want 401", i, st)
		}
	}
	st, body := c.post("/signin", url.Values{"token": {"chy_abcdefghij_wrongwrongwrongwrong"}})
	if st != 429 || !strings.Contains(body, "wait a minute") {
		t.Fatalf("a fourth failed sign-in: status %d, want 429", st)
	}
	if st, _ := c.get("/signin"); st != 200 {
		t.Errorf("the sign-in page itself: %d", st)
	}
	if st, body := c.post("/signin", url.Values{"token": {e.tokens["KZ"]}}); st != 200 || !strings.Contains(body, "Documents") {
		t.Fatalf("a valid token after 4 failures: status %d at %s, want signed in", st, c.last)
	}
	// A colleague behind the same address, with a valid link, too.
	link, _, err := e.svc.CreateSignInLink(e.as("secretariat"), e.users["IN"].ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	in := &client{t: t, e: e, http: &http.Client{}}
	jar, _ = cookiejar.New(nil)
	in.http.Jar = jar
	_, body = in.get("/signin/link?t=" + url.QueryEscape(link))
	in.csrf = csrfField.FindStringSubmatch(body)[1]
	if st, body := in.post("/signin/link", url.Values{"link": {link}}); st != 200 || !strings.Contains(body, "Documents") {
		t.Fatalf("a valid sign-in link after 4 failures: status %d at %s", st, in.last)
	}
}

// TestRenumbering: the chair renumbers a text with "1 bis" in it.
func TestRenumbering(t *testing.T) {
	e := newEnv(t)
	chair := newClient(t, e, "chair")
	st, _ := chair.post("/documents", url.Values{"symbol": {"CICA/SWG/2026/R.10"}, "title": {"Numbers"}, "kind": {"decision"},
		"body": {"SWG"}, "language": {"en"}, "visibility": {"members"}, "text": {"1. First.\n\n1 bis. Inserted.\n\n2. Second.\n"}})
	if st != 200 {
		t.Fatalf("creating: %d", st)
	}
	doc := chair.last
	st, body := chair.post(doc+"/renumbering", url.Values{"base": {"1"}})
	if st != 200 || !strings.Contains(chair.last, "/versions/2/diff") || !strings.Contains(body, "Renumbered from 1 bis.") {
		t.Fatalf("renumbering: %d at %s\n%s", st, chair.last, excerpt(body))
	}
}

// TestProposalActions: another delegation co-sponsors and comments, the
// proposing delegation may not co-sponsor its own, withdraws one proposal,
// and the chair rejects another with a reason.
func TestProposalActions(t *testing.T) {
	e := newEnv(t)
	doc := "/documents/" + e.Members.ID
	para := e.firstParagraph(t)
	kz := newClient(t, e, "KZ")
	propose := func(text string) string {
		st, _ := kz.post(doc+"/proposals", url.Values{"base": {"1"}, "open": {para}, "text." + para: {text}, "justification": {"j"}, "action": {"submit"}})
		if st != 200 || !strings.Contains(kz.last, "/proposals/") {
			t.Fatalf("proposing: %d at %s", st, kz.last)
		}
		return kz.last
	}
	p1, p2 := propose("First wording."), propose("Second wording.")
	if st, body := kz.post(p1+"/cosponsor", url.Values{}); st != 403 || !strings.Contains(body, `class="error"`) {
		t.Errorf("co-sponsoring one's own proposal: %d", st)
	}
	in := newClient(t, e, "IN")
	if st, body := in.post(p1+"/cosponsor", url.Values{}); st != 200 || !strings.Contains(body, "<dd>India (IN)</dd>") || !strings.Contains(body, "You co-sponsor") {
		t.Errorf("co-sponsoring: %d", st)
	}
	if st, body := in.post(p1+"/comments", url.Values{"comment": {"We support <this>."}}); st != 200 || !strings.Contains(body, "We support &lt;this&gt;.") {
		t.Errorf("commenting: %d", st)
	}
	if st, body := in.post(p1+"/comments", url.Values{"comment": {""}}); st != 422 || !strings.Contains(body, "comment") && !strings.Contains(body, "text") {
		t.Errorf("an empty comment: %d", st)
	}
	// Withdrawing and rejecting ask first, on a page of their own; a form
	// that did not come from it is sent there.
	if st, body := kz.get(p1 + "/withdraw"); st != 200 || !strings.Contains(body, "cannot be undone") || !strings.Contains(body, `name="confirm" value="yes"`) {
		t.Errorf("the confirmation of a withdrawal: %d", st)
	}
	if st, body := kz.post(p1+"/withdraw", url.Values{}); st != 200 || !strings.Contains(kz.last, "/withdraw") || !strings.Contains(body, "cannot be undone") {
		t.Errorf("withdrawing without confirming: %d at %s", st, kz.last)
	}
	if st, body := kz.post(p1+"/withdraw", url.Values{"confirm": {"yes"}}); st != 200 || !strings.Contains(body, "withdrawn") {
		t.Errorf("withdrawing: %d", st)
	}
	chair := newClient(t, e, "chair")
	if st, body := chair.post(p2+"/reject", url.Values{"reason": {"Out of scope."}, "confirm": {"yes"}}); st != 200 || !strings.Contains(body, "rejected") || !strings.Contains(body, "Out of scope.") {
		t.Errorf("rejecting: %d", st)
	}
	if st, _ := in.post(p2+"/reject", url.Values{"reason": {"No."}, "confirm": {"yes"}}); st != 403 && st != 409 {
		t.Errorf("a delegate rejecting: %d", st)
	}
}

// TestSinceLastVisit: the document page lists what happened since the
// user's last visit, and only that: nothing on a first visit, then the
// one proposal made in between, then nothing new.
func TestSinceLastVisit(t *testing.T) {
	e := newEnv(t)
	doc := "/documents/" + e.Members.ID
	in := newClient(t, e, "IN")
	since := func() string {
		t.Helper()
		st, body := in.get(doc)
		if st != 200 {
			t.Fatalf("document page: %d", st)
		}
		i := strings.Index(body, `<section class="since"`)
		j := strings.Index(body[max(i, 0):], "</section>")
		if i < 0 || j < 0 {
			t.Fatalf("no since section:\n%s", excerpt(body))
		}
		return body[i : i+j]
	}
	if got := since(); !strings.Contains(got, "first visit") {
		t.Errorf("first visit:\n%s", got)
	}
	p, err := e.svc.CreateProposal(e.as("KZ"), e.Members.ID, drafts.ProposalInput{Base: 1,
		Operations: []drafts.Operation{{Op: "replace", Provision: e.firstParagraph(t), Text: "New words."}}, Justification: "j"})
	if err != nil {
		t.Fatal(err)
	}
	got := since()
	if n := strings.Count(got, "<li>"); n != 1 || !strings.Contains(got, doc+"/proposals/"+p.ID) || !strings.Contains(got, "(KZ)") {
		t.Errorf("after KZ's proposal: %d events listed, want that one:\n%s", n, got)
	}
	if got := since(); !strings.Contains(got, "Nothing has changed") {
		t.Errorf("a visit with nothing new:\n%s", got)
	}
}
