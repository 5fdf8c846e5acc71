package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/web"
)

// TestSharedPartsShowNothingOfTheUser: the parts of pages that many
// readers load at once are made once and served to all (shared.go); a
// part that uses a field of the user's own is never shared, so these stay
// shared only while nothing of the user goes into them. Put what is the
// user's own outside them (see COORDINATION / web/shared.go).
func TestSharedPartsShowNothingOfTheUser(t *testing.T) {
	for _, tt := range []struct {
		page, part string
		byLinks    bool
	}{
		{"compilation", "content", false},
		{"compilation", "compilation-entry-shared", false},
		{"diff", "content", false},
		// The open proposals, and the text with its positions: the
		// position forms' CSRF fields are put in for each reader
		// (Page.CSRFMark); the section with the form to record one is the
		// reader's own.
		{"document", "document-shared", false},
		{"document", "document-proposal-shared", false},
		// The text holds its provisions, each with the link to propose a
		// change to it: the text's key names what its provisions' keys
		// name (itemsKey).
		{"document", "document-text-shared", false},
		{"document", "document-provision-shared", true},
		{"document", "position-options-shared", false},
		{"document", "document-since-shared", false},
	} {
		shared, byLinks := web.Sharing(tt.page, tt.part)
		if !shared {
			t.Errorf("%s/%s is not shared: its templates use a field of the user's own (User, CSRF, Form, Error, Notice, Path, Now)", tt.page, tt.part)
		}
		if byLinks != tt.byLinks {
			t.Errorf("%s/%s shared by what the user may do: %v, want %v", tt.page, tt.part, byLinks, tt.byLinks)
		}
	}
	for _, tt := range []struct {
		src                     string
		shared, byLinks, byZone bool
	}{
		{`{{define "content"}}{{.Doc.Symbol}}{{end}}`, true, false, false},
		{`{{define "content"}}{{if .Links.Propose}}x{{end}}{{end}}`, true, true, false},
		{`{{define "content"}}{{range .Data}}{{if $.Links.Merge}}x{{end}}{{end}}{{end}}`, true, true, false},
		{`{{define "content"}}{{.User.Name}}{{end}}`, false, false, false},
		{`{{define "content"}}{{template "form" .}}{{end}}{{define "form"}}<input value="{{.CSRF}}">{{end}}`, false, false, false},
		{`{{define "content"}}{{with .Data}}{{$.Now}}{{end}}{{end}}`, false, false, false},
		// Issue 23's: a form's idempotency key, the message of the last
		// form, a saved form and the session are the user's own; times
		// are shown in the reader's zone, which the key then names.
		{`{{define "content"}}<input name="formkey" value="{{.FormKey}}">{{end}}`, false, false, false},
		{`{{define "content"}}{{with .Flash}}{{.}}{{end}}{{end}}`, false, false, false},
		{`{{define "content"}}{{.Field "text"}}{{end}}`, false, false, false},
		{`{{define "content"}}{{if .RenewSoon}}x{{end}}{{end}}`, false, false, false},
		{`{{define "content"}}{{range .Data}}{{$.Date .At}}{{end}}{{end}}`, true, false, true},
	} {
		shared, byLinks, byZone := web.SharingOfTemplate(tt.src)
		if shared != tt.shared || byLinks != tt.byLinks || byZone != tt.byZone {
			t.Errorf("%s: shared %v by links %v by zone %v, want %v %v %v", tt.src, shared, byLinks, byZone, tt.shared, tt.byLinks, tt.byZone)
		}
	}
}

// TestSharedPagesKeepEachReadersView: readers who may do different things
// get their own shared parts, and a change (a new proposal) is seen at
// once by the next reader, whoever made the page before.
func TestSharedPagesKeepEachReadersView(t *testing.T) {
	e := newEnv(t)
	kz, jp := newClient(t, e, "KZ"), newClient(t, e, "JP")
	doc := "/documents/" + e.Open.ID
	const propose = "/proposals/new?provision="
	// The member first, then the observer: the observer gets no forms.
	if _, body := kz.get(doc); !strings.Contains(body, propose) {
		t.Fatalf("member's document page has no propose links")
	}
	if _, body := jp.get(doc); strings.Contains(body, propose) {
		t.Errorf("observer's document page shows the member's propose links")
	}
	if _, body := kz.get(doc); !strings.Contains(body, "Delegate of Kazakhstan") || strings.Contains(body, "Observer of Japan") {
		t.Errorf("member's page does not name the member alone")
	}
	// A new proposal shows at once on the pages made before it.
	_, before := jp.get(doc + "/compilation")
	v, err := e.svc.GetVersion(e.as("KZ"), e.Open.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.CreateProposal(e.as("KZ"), e.Open.ID, drafts.ProposalInput{Base: 1, Justification: "Sharper.",
		Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: v.Provisions[0].ID, Text: "The Working Group met in Almaty."}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client{jp, kz} {
		if _, body := c.get(doc + "/compilation"); body == before || !strings.Contains(body, "Almaty") {
			t.Errorf("compilation page does not show the new proposal")
		}
		if _, body := c.get(doc); !strings.Contains(body, "Sharper.") {
			t.Errorf("document page does not list the new proposal")
		}
	}
}

// TestSharedTextNamesWhatItsProvisionsShow: the text is made of its
// provisions' parts, and the provisions show the link to propose a change
// to each. Under a policy that lets observers propose, an observer and
// the chair see the same positions (with no form: neither has a
// delegation's own), but the observer may propose and the chair may not:
// each gets its own links, whoever loaded the text first.
func TestSharedTextNamesWhatItsProvisionsShow(t *testing.T) {
	const propose = "/proposals/new?provision="
	links := func(first, then string) (int, int) {
		e := newEnvWith(t, func(ws *web.Server) { ws.Auth = observersPropose{ws.Auth} })
		doc := "/documents/" + e.Open.ID
		_, a := newClient(t, e, first).get(doc)
		_, b := newClient(t, e, then).get(doc)
		return strings.Count(a, propose), strings.Count(b, propose)
	}
	observer, chair := links("JP", "chair")
	if observer == 0 || chair != 0 {
		t.Fatalf("observer first: %d links to propose a change, then the chair %d; want some, then none", observer, chair)
	}
	if c, o := links("chair", "JP"); c != 0 || o != observer {
		t.Errorf("chair first: %d links, then the observer %d; want none, then %d", c, o, observer)
	}
}

// observersPropose is a policy that also lets observers propose.
type observersPropose struct{ drafts.Authorizer }

func (a observersPropose) Authorize(s drafts.Subject, action string, r drafts.Resource) error {
	if action == drafts.ActProposalCreate && s.Role == drafts.RoleObserver {
		return nil
	}
	return a.Authorizer.Authorize(s, action, r)
}

var withdrawForm = regexp.MustCompile(`<form method="post" action="(/documents/[^"]+/positions/[^"]+/withdraw)">`)

// TestSharedTextGivesEachReaderItsOwnForms: the document's text with its
// positions is made once for the readers who see the same, but the forms
// in it (withdraw a position of one's own delegation) carry each reader's
// own CSRF token and a new form key on every load; another delegation
// sees the position without the form; the form works.
func TestSharedTextGivesEachReaderItsOwnForms(t *testing.T) {
	e := newEnv(t)
	doc := "/documents/" + e.Members.ID
	p6 := e.paragraph(t, "6.")
	if _, err := e.svc.RecordPosition(e.as("KZ"), e.Members.ID, drafts.PositionInput{Provision: p6, Kind: drafts.PositionReservation, Text: "Consensus must stay the rule."}); err != nil {
		t.Fatal(err)
	}
	kz, in := newClient(t, e, "KZ"), newClient(t, e, "IN")
	load := func(c *client) (string, []string) {
		t.Helper()
		st, body := c.get(doc)
		if st != 200 {
			t.Fatalf("document page: %d", st)
		}
		if strings.Contains(body, "chancery:csrf") {
			t.Fatalf("the page still holds the CSRF mark")
		}
		var keys []string
		for _, m := range formKeyField.FindAllStringSubmatch(body, -1) {
			keys = append(keys, m[1])
		}
		return body, keys
	}
	first, keys1 := load(kz)
	_, keys2 := load(kz)
	forms := withdrawForm.FindAllStringSubmatch(first, -1)
	if len(forms) != 1 {
		t.Fatalf("KZ's page has %d forms to withdraw a position, want 1 (its own)", len(forms))
	}
	if len(keys1) == 0 || len(keys1) != len(keys2) || keys1[0] == keys2[0] {
		t.Errorf("form keys %v then %v: want a new key on each load", keys1, keys2)
	}
	seen := map[string]bool{}
	for _, k := range keys1 {
		if seen[k] {
			t.Errorf("form key %s given to two forms of one page", k)
		}
		seen[k] = true
	}
	// The form to record a position starts on the provision asked for,
	// and a form that failed keeps the provision chosen.
	if st, body := kz.get(doc + "?position=" + p6); st != 200 || !strings.Contains(body, `<option value="`+p6+`" selected>`) {
		t.Errorf("?position=: status %d, the provision is not selected", st)
	}
	if st, body := kz.post(doc+"/positions", url.Values{"provision": {p6}, "kind": {drafts.PositionStatement}}); st != 422 || !strings.Contains(body, `<option value="`+p6+`" selected>`) {
		t.Errorf("a statement without words: status %d, the provision chosen is not kept", st)
	}
	body, _ := load(in)
	if !strings.Contains(body, "Consensus must stay the rule.") {
		t.Errorf("India's page does not show Kazakhstan's position")
	}
	if n := len(withdrawForm.FindAllString(body, -1)); n != 0 {
		t.Errorf("India's page offers %d forms to withdraw Kazakhstan's position", n)
	}
	// The form as KZ's page gave it, with its own token.
	csrf := csrfField.FindStringSubmatch(first[strings.Index(first, forms[0][0]):])[1]
	if st, _ := kz.post(forms[0][1], url.Values{"csrf": {csrf}, "formkey": {keys1[len(keys1)-1]}}); st != 200 {
		t.Fatalf("withdrawing with the page's form: status %d", st)
	}
	if body, _ := load(in); strings.Contains(body, "Consensus must stay the rule.") {
		t.Errorf("after the withdrawal India's page still shows the position")
	}
}

// TestSharedPartsGoCompressedOnce: the pages made of shared parts (the
// document, its compilation, the tracked changes) read the same
// compressed as plain, but for what is each load's own (the form keys).
func TestSharedPartsGoCompressedOnce(t *testing.T) {
	e := newEnv(t)
	kz := newClient(t, e, "KZ")
	doc := "/documents/" + e.Members.ID
	own := regexp.MustCompile(`name="(csrf|formkey)" value="[^"]+"`)
	load := func(path, encoding string) (string, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, e.URL+path, nil)
		req.Header.Set("Accept-Encoding", encoding) // set: the body stays as sent
		resp, err := kz.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s (%s): status %d, %v", path, encoding, resp.StatusCode, err)
		}
		if resp.Header.Get("Content-Encoding") == "gzip" {
			// Spliced from parts: each part ends with a sync flush.
			if !bytes.Contains(body, []byte{0, 0, 0xff, 0xff}) {
				t.Errorf("%s: compressed whole, not from its parts", path)
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		return resp.Header.Get("Content-Encoding"), own.ReplaceAllString(string(body), "")
	}
	v1, err := e.svc.GetVersion(e.as("chair"), e.Members.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateVersion(e.as("chair"), e.Members.ID, 1, strings.Replace(v1.Text(), "shall", "should", 1), "Softer"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{doc, doc + "/compilation", doc + "/versions/2/diff?against=1"} {
		load(path, "identity") // the first visit: the page says so once
		_, plain := load(path, "identity")
		for i := 0; i < 2; i++ { // made, then kept
			enc, zipped := load(path, "gzip")
			if enc != "gzip" || zipped != plain {
				t.Errorf("%s: Content-Encoding %q, same page as plain: %v", path, enc, zipped == plain)
				a, b := plain, zipped
				for k := 0; k < len(a) && k < len(b); k++ {
					if a[k] != b[k] {
						t.Logf("first difference at %d: plain %q, gzip %q", k, a[max(0, k-80):min(len(a), k+200)], b[max(0, k-80):min(len(b), k+200)])
						break
					}
				}
			}
		}
		if strings.Contains(plain, "chancery:piece") {
			t.Errorf("%s: the page still holds the mark of a part", path)
		}
	}
}
