package api_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/api"
	"chancery/drafts"
)

// tool returns the path of a command the test needs: the test fails
// without it under CI=true (test.sh installs it) and is skipped elsewhere.
func tool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; test.sh installs it", names[0])
	}
	t.Skipf("%s is not installed; test.sh installs it", names[0])
	return ""
}

// runTool runs a command with a time limit and returns its output.
func runTool(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestNotAgreedOverHTTP: opening a round while a provision is bracketed
// and a delegation cannot join is a 409 problem with code not_agreed, its
// detail in words and not_agreed listing both; GET …/adoption lists the
// members that have not answered, never an observer.
func TestNotAgreedOverHTTP(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "observers")
	p6, p7 := v.provision(t, "All decisions shall continue"), v.provision(t, "A decision may be adopted")
	e.mustJSON(200, nil, "PUT", docPath(doc, "/versions/1/provisions/", p7.ID, "/status"), "chair", map[string]string{"status": "bracketed"})
	var pos drafts.Position
	e.mustJSON(201, &pos, "POST", docPath(doc, "/positions"), "KZ", map[string]string{"provision": p6.ID, "kind": "cannot-join", "text": "Not as drafted."})
	if pos.Delegation != "KZ" || pos.Standing != "current" || pos.Number != "paragraph 6" || pos.Visibility != "members" {
		t.Fatalf("recorded %+v", pos)
	}
	e.do("POST", docPath(doc, "/positions"), "observer", map[string]string{"kind": "support"}).MustStatus(http.StatusForbidden)
	for _, bad := range []any{
		map[string]string{"kind": "veto"},
		map[string]string{"kind": "cannot-join"}, // without its reason
		map[string]string{"kind": "support", "provision": "nosuch"},
		map[string]string{"kind": "support", "visibility": "everyone"},
		map[string]string{"kind": "support", "delegation": "IN"}, // not a field of the route
		map[string]string{"kind": "statement", "text": "bell \a"},
	} {
		e.do("POST", docPath(doc, "/positions"), "IN", bad).MustStatus(http.StatusUnprocessableEntity)
	}
	e.do("POST", docPath(doc, "/positions"), "KZ2", map[string]string{"provision": p6.ID, "kind": "cannot-join", "text": "Again."}).MustStatus(http.StatusConflict)
	e.do("DELETE", docPath(doc, "/positions/nosuch"), "KZ", nil).MustStatus(http.StatusNotFound)
	e.do("POST", docPath(doc, "/positions/", pos.ID, "/confirm"), "IN", nil).MustStatus(http.StatusForbidden)
	e.mustJSON(200, nil, "POST", docPath(doc, "/positions/", pos.ID, "/confirm"), "KZ", map[string]string{"text": "Not as drafted, still."})
	var page drafts.Page[drafts.Position]
	e.mustJSON(200, &page, "GET", docPath(doc, "/positions"), "observer", nil)
	if len(page.Items) != 0 {
		t.Errorf("an observer lists a members-only position: %+v", page.Items)
	}

	var p api.Problem
	e.do("POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "consensus"}).MustStatus(http.StatusConflict).JSON(&p)
	var reasons []string
	for _, o := range p.NotAgreed {
		reasons = append(reasons, o.Reason+" "+o.Provision+" "+o.Delegation)
	}
	if p.Code != drafts.ENOTAGREED || !slices.Equal(reasons, []string{"bracketed " + p7.ID + " ", "cannot-join " + p6.ID + " KZ"}) ||
		!strings.Contains(p.Detail, "paragraph 7 is in square brackets") || !strings.Contains(p.Detail, "Kazakhstan (KZ) cannot join consensus on paragraph 6") {
		t.Fatalf("problem %+v", p)
	}
	e.mustJSON(200, nil, "PUT", docPath(doc, "/versions/1/provisions/", p7.ID, "/status"), "chair", map[string]string{"status": "agreed"})
	e.mustJSON(200, nil, "DELETE", docPath(doc, "/positions/", pos.ID), "KZ2", nil)
	var r drafts.AdoptionRound
	e.mustJSON(201, &r, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "consensus"})
	e.mustJSON(200, nil, "POST", docPath(doc, "/adoption/consent"), "IN", nil)
	e.mustJSON(200, &r, "GET", docPath(doc, "/adoption"), "observer", nil)
	if !slices.Equal(r.Awaiting, []string{"CN", "KZ", "RU", "TR"}) {
		t.Errorf("awaiting %q, want the members but India", r.Awaiting)
	}
	// The state of play in each of its formats (the client checks each
	// against the OpenAPI document).
	for accept, prefix := range map[string]string{"application/json": "{", "text/html": "<div", "application/pdf": "%PDF-", "image/svg+xml": "<svg"} {
		got := e.do("GET", docPath(doc, "/state"), "observer", nil, "Accept", accept).MustStatus(200)
		if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, accept) || !bytes.HasPrefix(got.Body, []byte(prefix)) {
			t.Errorf("state of play as %s: %s, %.20q", accept, ct, got.Body)
		}
	}
	e.do("GET", docPath(doc, "/state"), "observer", nil, "Accept", "text/plain").MustStatus(http.StatusNotAcceptable)
}

// TestAdoptedTextFootnotes: the adopted text's PDF and .docx record the
// delegations' reservations and interpretative statements as footnotes
// in the forum's words, which pdftotext and LibreOffice find; an ad ref
// or a support is not recorded, and a members-only position is not in an
// observer's copy.
func TestAdoptedTextFootnotes(t *testing.T) {
	pdftotext := tool(t, "pdftotext")
	soffice := tool(t, "soffice", "libreoffice")
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "observers")
	p6 := v.provision(t, "All decisions shall continue")
	for _, pos := range []struct {
		who  string
		body map[string]string
	}{
		{"KZ", map[string]string{"provision": p6.ID, "kind": "reservation", "text": "Consensus must remain the rule", "visibility": "observers"}},
		{"IN", map[string]string{"kind": "statement", "text": "India understands the Road Map as a political commitment."}},
		{"CN", map[string]string{"provision": p6.ID, "kind": "ad-ref"}},
	} {
		e.mustJSON(201, nil, "POST", docPath(doc, "/positions"), pos.who, pos.body)
	}
	e.mustJSON(201, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "consensus"})
	e.mustJSON(200, nil, "POST", docPath(doc, "/adoption/close"), "chair", nil)

	reservation := "The delegation of Kazakhstan reserved its position on this paragraph: Consensus must remain the rule."
	statement := "Statement by the delegation of India: India understands the Road Map as a political commitment."
	dir := t.TempDir()
	for _, who := range []string{"chair", "observer"} {
		pdf := e.do("GET", docPath(doc, "/versions/1/pdf"), who, nil).MustStatus(200).Body
		path := filepath.Join(dir, who+".pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(runTool(t, pdftotext, "-enc", "UTF-8", path, "-")), " ")
		if !strings.Contains(text, reservation) || strings.Contains(text, "ad ref") {
			t.Errorf("%s's adopted PDF: reservation %v, an ad ref printed %v", who, strings.Contains(text, reservation), strings.Contains(text, "ad ref"))
		}
		if got, want := strings.Contains(text, statement), who == "chair"; got != want {
			t.Errorf("%s's adopted PDF has India's members-only statement: %v, want %v", who, got, want)
		}
	}
	word := e.do("GET", docPath(doc, "/versions/1"), "chair", nil, "Accept", drafts.WordMediaType).MustStatus(200).Body
	if err := os.WriteFile(filepath.Join(dir, "adopted.docx"), word, 0o644); err != nil {
		t.Fatal(err)
	}
	runTool(t, soffice, "-env:UserInstallation=file://"+t.TempDir(), "--headless", "--norestore", "--convert-to", "fodt", "--outdir", dir, filepath.Join(dir, "adopted.docx"))
	fodt, err := os.ReadFile(filepath.Join(dir, "adopted.fodt"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(fodt, []byte(`<text:note text:id=`)); n != 2 {
		t.Errorf("LibreOffice finds %d footnotes in the adopted .docx, want 2", n)
	}
	for _, w := range []string{"The delegation of Kazakhstan reserved its position on this paragraph", "Statement by the delegation of India"} {
		if !bytes.Contains(fodt, []byte(w)) {
			t.Errorf("LibreOffice does not find %q in the adopted .docx", w)
		}
	}
}
