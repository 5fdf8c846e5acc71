package web_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

// provisionNumbered returns the provision of the head of doc numbered n.
func (e *env) provisionNumbered(t *testing.T, doc string, n string) drafts.Provision {
	t.Helper()
	d, err := e.svc.GetDocument(e.as("chair"), doc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.GetVersion(e.as("chair"), doc, d.Head)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Provisions {
		if p.Number == n {
			return p
		}
	}
	t.Fatalf("no provision numbered %q", n)
	return drafts.Provision{}
}

// TestScreenPage: the screen shows the head with each open proposal in
// brackets under the provision it changes, credited to its delegations;
// the provision under discussion is marked; only the chair gets the
// focus buttons.
func TestScreenPage(t *testing.T) {
	e := newEnv(t)
	doc := e.Members.ID
	p6 := e.provisionNumbered(t, doc, "6.")
	p, err := e.svc.CreateProposal(e.as("KZ"), doc, drafts.ProposalInput{Base: 1, Justification: "Clearer.",
		Operations: []drafts.Operation{{Op: "replace", Provision: p6.ID, Text: strings.Replace(p6.Text, "shall", "should", 1)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CosponsorProposal(e.as("IN"), doc, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetFocus(e.as("chair"), doc, p6.ID); err != nil {
		t.Fatal(err)
	}
	chair := newClient(t, e, "chair")
	st, body := chair.get("/documents/" + doc + "/screen")
	if st != 200 {
		t.Fatalf("screen: %d", st)
	}
	for _, want := range []string{
		`class="sp paragraph depth-1 live-focus" id="p-` + p6.ID + `" aria-current="true"`,
		`<ins>should</ins>`, `— Kazakhstan (co-sponsored by India)`, `<span class="bracket">[</span>`,
		`Under discussion: 6`, `data-live-stream="/documents/` + doc + `/events/stream"`, `<script src="/static/live.js" defer></script>`,
		`name="provision" value="` + p6.ID + `"`, `Discuss 6.`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the chair's screen lacks %q", want)
		}
	}
	kz := newClient(t, e, "KZ")
	if _, body := kz.get("/documents/" + doc + "/screen"); strings.Contains(body, `action="/documents/`+doc+`/focus"`) || !strings.Contains(body, "Kazakhstan") {
		t.Errorf("a delegate's screen has the chair's forms, or lacks the proposal")
	}
	if st, _ := newClient(t, e, "JP").get("/documents/" + doc + "/screen"); st != 404 {
		t.Errorf("an observer's screen of a members-only document: %d", st)
	}
	// The document page says what is under discussion, for the chair with
	// the form to change it.
	if _, body := chair.get("/documents/" + doc); !strings.Contains(body, "Under discussion: 6") || !strings.Contains(body, `<select id="focus-provision" name="provision">`) {
		t.Errorf("the chair's document page lacks the focus or its form")
	}
	if _, body := kz.get("/documents/" + doc); !strings.Contains(body, `href="#p-`+p6.ID+`"`) || strings.Contains(body, "focus-provision") {
		t.Errorf("a delegate's document page lacks the focus, or has the chair's form")
	}
}

// TestFocusForm: the chair sets the focus with a form and returns to the
// page; from live.js (X-Chancery-Live) the answer is a 204; a delegate's
// form is refused.
func TestFocusForm(t *testing.T) {
	e := newEnv(t)
	doc := e.Members.ID
	p6 := e.provisionNumbered(t, doc, "6.")
	chair := newClient(t, e, "chair")
	st, _ := chair.post("/documents/"+doc+"/focus", url.Values{"provision": {p6.ID}, "back": {"screen"}})
	if st != 200 || chair.last != "/documents/"+doc+"/screen" {
		t.Fatalf("setting the focus: %d at %s", st, chair.last)
	}
	if f, _ := e.svc.GetFocus(e.as("KZ"), doc); f.Provision != p6.ID {
		t.Fatalf("focus %+v", f)
	}
	req, _ := http.NewRequest("POST", e.URL+"/documents/"+doc+"/focus", strings.NewReader(url.Values{"provision": {""}, "csrf": {chair.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Chancery-Live", "1")
	if st, _ := chair.do(req); st != http.StatusNoContent {
		t.Fatalf("from live.js: %d", st)
	}
	if f, _ := e.svc.GetFocus(e.as("KZ"), doc); f.Provision != "" {
		t.Fatalf("focus not cleared: %+v", f)
	}
	kz := newClient(t, e, "KZ")
	if st, body := kz.post("/documents/"+doc+"/focus", url.Values{"provision": {p6.ID}}); st != 403 || !strings.Contains(body, "only the chair") {
		t.Fatalf("a delegate's focus: %d", st)
	}
	if st, _ := chair.post("/documents/"+doc+"/focus", url.Values{"provision": {p6.ID}, "csrf": {"forged"}}); st != 403 {
		t.Fatalf("a forged form: %d", st)
	}
}

// TestWorkspaceStream: the workspace's pages follow the document through
// the session cookie; without a session the stream is not given.
func TestWorkspaceStream(t *testing.T) {
	e := newEnv(t)
	doc := e.Members.ID
	last, err := e.svc.LastEvent(e.as("KZ"), doc)
	if err != nil {
		t.Fatal(err)
	}
	kz := newClient(t, e, "KZ")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.URL+"/documents/"+doc+"/events/stream?after="+strconv.FormatInt(last, 10), nil)
	resp, err := kz.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("stream: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	p6 := e.provisionNumbered(t, doc, "6.")
	if _, err := e.svc.SetFocus(e.as("chair"), doc, p6.ID); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(10 * time.Second)
	for got := ""; !strings.Contains(got, "event: focus.set"); {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended: %q", got)
			}
			got += l + "\n"
		case <-deadline:
			t.Fatalf("no focus event: %q", got)
		}
	}
	anon, err := http.Get(e.URL + "/documents/" + doc + "/events/stream")
	if err != nil {
		t.Fatal(err)
	}
	anon.Body.Close()
	if anon.Request.URL.Path != "/signin" {
		t.Fatalf("without a session: at %s", anon.Request.URL.Path)
	}
}
