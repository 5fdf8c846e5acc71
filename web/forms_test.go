package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/drafts"
)

var formKeyField = regexp.MustCompile(`name="formkey" value="([^"]+)"`)

// TestSameFormTwice: the editor's form sent twice with its key (a double
// click, Reload, Back and Send again, two tabs) makes one proposal; the
// second is sent where the first led, and told so. Sent at once from
// two connections, it still makes one.
func TestSameFormTwice(t *testing.T) {
	e := newEnv(t)
	kz := newClient(t, e, "KZ")
	doc := "/documents/" + e.Members.ID
	para := e.firstParagraph(t)
	count := func() int {
		t.Helper()
		page, err := e.svc.ListProposals(e.as("chair"), e.Members.ID, drafts.ProposalFilter{}, listAll)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	form := func() url.Values {
		t.Helper()
		_, body := kz.get(doc + "/proposals/new?provision=" + para)
		m := formKeyField.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the editor's form has no idempotency key")
		}
		return url.Values{"formkey": {m[1]}, "base": {"1"}, "open": {para}, "text." + para: {"Once only."}, "justification": {"j"}, "action": {"submit"}}
	}
	f := form()
	st, body := kz.post(doc+"/proposals", f)
	if st != 200 || !strings.Contains(kz.last, "/proposals/") || !strings.Contains(body, "submitted") {
		t.Fatalf("first send: %d at %s", st, kz.last)
	}
	first := kz.last
	st, body = kz.post(doc+"/proposals", f)
	if st != 200 || kz.last != first || !strings.Contains(body, "nothing was done twice") {
		t.Errorf("second send: %d at %s, want %s saying it was sent already", st, kz.last, first)
	}
	if n := count(); n != 1 {
		t.Fatalf("the same form sent twice made %d proposals", n)
	}

	f = form()
	var wg sync.WaitGroup
	f.Set("csrf", kz.csrf)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, e.URL+doc+"/proposals", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := kz.http.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("sent at once: %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if n := count(); n != 2 {
		t.Errorf("the same form sent at once from two connections: %d proposals in all, want 2", n)
	}
	// A form that failed can be corrected and sent again with its key.
	f = form()
	f.Set("justification", strings.Repeat("j", 20001))
	if st, _ := kz.post(doc+"/proposals", f); st != 422 {
		t.Fatalf("an over-long justification: %d", st)
	}
	f.Set("justification", "Shorter.")
	if st, _ := kz.post(doc+"/proposals", f); st != 200 || count() != 3 {
		t.Errorf("the corrected form: %d, %d proposals", st, count())
	}
}

// TestRenewSession: a delegate signed in by a one-time link renews the
// session before it ends, from the header, and stays signed in past its
// first end.
func TestRenewSession(t *testing.T) {
	e := newEnv(t)
	link, _, err := e.svc.CreateSignInLink(e.as("secretariat"), e.users["IN"].ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, e, "KZ") // then signed in again as India, by the link
	if st, _ := c.post("/signout", url.Values{}); st != 200 {
		t.Fatalf("signing out: %d", st)
	}
	_, body := c.get("/signin/link?t=" + url.QueryEscape(link))
	c.csrf = csrfField.FindStringSubmatch(body)[1]
	if st, _ := c.post("/signin/link", url.Values{"link": {link}}); st != 200 || c.last != "/documents" {
		t.Fatalf("signing in by link: %d at %s", st, c.last)
	}
	_, body = c.get("/documents")
	c.csrf = csrfField.FindStringSubmatch(body)[1]
	if strings.Contains(body, `class="renew"`) {
		t.Error("the header offers to renew a session that has hours left")
	}
	e.clock.Advance(11*time.Hour + 30*time.Minute)
	_, body = c.get("/documents")
	if !strings.Contains(body, `class="renew"`) || !strings.Contains(body, "Stay signed in") {
		t.Fatalf("half an hour before the end, the header does not offer to renew:\n%s", excerpt(body))
	}
	st, body := c.post("/session/renew", url.Values{"from": {"/documents/" + e.Members.ID}})
	if st != 200 || c.last != "/documents/"+e.Members.ID || !strings.Contains(body, "You stay signed in until") {
		t.Fatalf("renewing: %d at %s", st, c.last)
	}
	e.clock.Advance(2 * time.Hour) // past the first end
	if st, _ := c.get("/documents"); st != 200 || c.last != "/documents" {
		t.Errorf("after the first end: %d at %s, want still signed in", st, c.last)
	}
}

// TestDeskWithoutScript: every step of the merge desk works as a form
// post that comes back to the desk (post/redirect/get): filter, select
// the uncontested, start from a text, preview with the collision open,
// then resolved; deleting in a compromise needs its own choice; the
// merge asks first and is done once.
func TestDeskWithoutScript(t *testing.T) {
	e := newEnv(t)
	f := newDeskFixture(t, e, 40)
	chair := newClient(t, e, "chair")
	doc := "/documents/" + f.doc.ID
	step := func(form url.Values) string {
		t.Helper()
		form.Set("base", "1")
		st, body := chair.post(doc+"/merges", form)
		if st != 200 || !strings.Contains(chair.last, "/merges/") {
			t.Fatalf("%s: %d at %s", form.Get("action"), st, chair.last)
		}
		return body
	}
	body := step(url.Values{"action": {"pick:all"}})
	formID := regexp.MustCompile(`name="form" value="([^"]+)"`).FindStringSubmatch(body)[1]
	uncontested := strings.Count(body, "checked data-unc")
	if uncontested == 0 || strings.Count(body, " checked") < uncontested {
		t.Fatalf("select all uncontested checked %d boxes", uncontested)
	}
	picked := regexp.MustCompile(`value="([a-z0-9]+)" checked`).FindAllStringSubmatch(body, -1)
	form := url.Values{"form": {formID}}
	for _, m := range picked {
		form.Add("proposals", m[1])
	}
	for _, pr := range f.Colliding {
		form.Add("proposals", pr.ID)
	}
	form.Set("action", "preview")
	body = step(form)
	if !strings.Contains(body, "Collisions still open") || !strings.Contains(body, `href="#col-`+f.Target.ID+`"`) {
		t.Errorf("the preview does not mark the open collision")
	}
	// Deleting in a compromise is a choice of its own: an empty
	// compromise is refused, not taken for a deletion.
	form.Set("mode."+f.Target.ID, "text")
	form.Set("res."+f.Target.ID, "")
	body = step(form)
	if !strings.Contains(body, "the compromise for") || !strings.Contains(body, "is empty") {
		t.Errorf("an empty compromise is not refused in the preview")
	}
	form.Set("action", "start:"+f.Target.ID+":1")
	body = step(form)
	if !strings.Contains(body, "amended9") || !strings.Contains(body, `id="mode-`+f.Target.ID+`-text" name="mode.`+f.Target.ID+`" value="text" checked`) {
		t.Errorf("start from this text did not fill the compromise")
	}
	form.Set("res."+f.Target.ID, f.Colliding[1].Operations[0].Text)
	form.Set("action", "merge")
	form.Set("message", "Without script")
	body = step(form)
	if !strings.Contains(chair.last, "/merges/confirm") || !strings.Contains(body, "Merge now") {
		t.Fatalf("Merge… leads to %s", chair.last)
	}
	key := formKeyField.FindAllStringSubmatch(body, -1)
	confirm := url.Values{"confirm": {"yes"}, "action": {"confirm"}, "form": {formID}, "formkey": {key[len(key)-1][1]}, "proposals": form["proposals"],
		"mode." + f.Target.ID: {"text"}, "res." + f.Target.ID: {f.Colliding[1].Operations[0].Text}, "message": {"Without script"}}
	for i := 0; i < 2; i++ {
		st, body := chair.post(doc+"/merges", confirm)
		if st != 200 || !strings.Contains(chair.last, "/versions/2/diff") || !strings.Contains(body, "Version 2 published") {
			t.Fatalf("merging (send %d): %d at %s", i+1, st, chair.last)
		}
	}
	d, err := e.svc.GetDocument(e.as("chair"), f.doc.ID)
	if err != nil || d.Head != 2 {
		t.Fatalf("head %d after merging twice with one key, want 2 (%v)", d.Head, err)
	}
	if _, body := chair.get(doc + "/merges/confirm?form=" + formID); !strings.Contains(body, "This merge is done") {
		t.Errorf("the confirmation page after the merge does not say it is done")
	}
}

// TestCSRFMasked: a page never carries the session's CSRF token as it
// is (compressed pages would give it away, BREACH): every response masks
// it afresh, and a masked token of another page still serves.
func TestCSRFMasked(t *testing.T) {
	e := newEnv(t)
	kz := newClient(t, e, "KZ")
	_, a := kz.get("/documents")
	_, b := kz.get("/documents")
	ta, tb := csrfField.FindStringSubmatch(a)[1], csrfField.FindStringSubmatch(b)[1]
	if ta == tb {
		t.Fatal("two pages carry the same CSRF value")
	}
	doc := "/documents/" + e.Members.ID
	para := e.firstParagraph(t)
	st, _ := kz.post(doc+"/proposals", url.Values{"csrf": {ta}, "base": {"1"}, "open": {para}, "text." + para: {"Masked."}, "justification": {"j"}, "action": {"submit"}})
	if st != 200 || !strings.Contains(kz.last, "/proposals/") {
		t.Errorf("a form with an older page's masked token: %d at %s", st, kz.last)
	}
}
