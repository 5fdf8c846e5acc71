package web_test

import (
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
		// document-shared is no longer shared: the positions of issue 22,
		// with their forms (a CSRF token), are inside it.
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
		src             string
		shared, byLinks bool
	}{
		{`{{define "content"}}{{.Doc.Symbol}}{{end}}`, true, false},
		{`{{define "content"}}{{if .Links.Propose}}x{{end}}{{end}}`, true, true},
		{`{{define "content"}}{{range .Data}}{{if $.Links.Merge}}x{{end}}{{end}}{{end}}`, true, true},
		{`{{define "content"}}{{.User.Name}}{{end}}`, false, false},
		{`{{define "content"}}{{template "form" .}}{{end}}{{define "form"}}<input value="{{.CSRF}}">{{end}}`, false, false},
		{`{{define "content"}}{{with .Data}}{{$.Now}}{{end}}{{end}}`, false, false},
	} {
		shared, byLinks := web.SharingOfTemplate(tt.src)
		if shared != tt.shared || byLinks != tt.byLinks {
			t.Errorf("%s: shared %v by links %v, want %v %v", tt.src, shared, byLinks, tt.shared, tt.byLinks)
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
