package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"chancery/drafts"
)

// TestNumbersOnTwoReplicas: 64 proposals sent at once to two servers on
// one MinIO bucket get 64 distinct numbers, with no gap larger than the
// requests that failed; a proposal answers by its number as by its id,
// body and ETag, on either server, and so do the routes under it.
func TestNumbersOnTwoReplicas(t *testing.T) {
	store := backends()["minio"](t)
	a := newEnv(t, store)
	b := newEnv(t, store)
	a.forum()
	b.tokens = a.tokens
	doc, v := a.document(corpus(t, "sample-draft-road-map.txt"), "members")
	who := []string{"KZ", "IN", "CN", "RU", "TR", "KZ2"}
	const n = 64
	status := make([]int, n)
	details := make([]string, n)
	numbers := make([]int, n)
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := []*testEnv{a, b}[i%2]
			r := env.client.Do("POST", docPath(doc, "/proposals"), a.tokens[who[i%len(who)]], map[string]any{
				"base": 1, "operations": []map[string]string{replace(v.Provisions[1+i%10].ID, fmt.Sprintf("Text %d.", i))},
			})
			status[i] = r.Status
			if r.Status != http.StatusCreated {
				details[i] = string(r.Body)
			}
			if r.Status == http.StatusCreated {
				var p drafts.Proposal
				r.JSON(&p)
				numbers[i], ids[i] = p.Number, p.ID
			}
		}()
	}
	wg.Wait()
	failed, seen, highest := 0, map[int]bool{}, 0
	for i := range status {
		if status[i] != http.StatusCreated {
			failed++
			t.Logf("request %d: %d %s", i, status[i], details[i])
			continue
		}
		if seen[numbers[i]] {
			t.Errorf("number %d given twice", numbers[i])
		}
		seen[numbers[i]] = true
		highest = max(highest, numbers[i])
	}
	if len(seen)+failed != n || highest > n || failed > 0 {
		t.Fatalf("%d numbers, highest %d, %d requests failed (statuses %v)", len(seen), highest, failed, status)
	}

	// By number as by id, on both servers: the same body, the same ETag.
	for _, i := range []int{0, 7, 63} {
		for _, env := range []*testEnv{a, b} {
			byID := env.do("GET", docPath(doc, "/proposals/", ids[i]), "KZ", nil).MustStatus(http.StatusOK)
			byNumber := env.do("GET", docPath(doc, "/proposals/", itoa(numbers[i])), "KZ", nil).MustStatus(http.StatusOK)
			if !bytes.Equal(byID.Body, byNumber.Body) || byID.Header.Get("ETag") != byNumber.Header.Get("ETag") || byID.Header.Get("ETag") == "" {
				t.Errorf("proposal %d by number differs from by id:\n%s %s\n%s %s", numbers[i], byNumber.Body, byNumber.Header.Get("ETag"), byID.Body, byID.Header.Get("ETag"))
			}
			dID := env.do("GET", docPath(doc, "/proposals/", ids[i], "/diff?against=head"), "KZ", nil).MustStatus(http.StatusOK)
			dNumber := env.do("GET", docPath(doc, "/proposals/", itoa(numbers[i]), "/diff?against=head"), "KZ", nil).MustStatus(http.StatusOK)
			if !bytes.Equal(dID.Body, dNumber.Body) {
				t.Errorf("diff of proposal %d by number differs from by id", numbers[i])
			}
		}
	}
	// A number no proposal has, and one not written as a number, are 404.
	a.do("GET", docPath(doc, "/proposals/65"), "KZ", nil).MustStatus(http.StatusNotFound)
	a.do("GET", docPath(doc, "/proposals/07"), "KZ", nil).MustStatus(http.StatusNotFound)
	// The routes under a proposal take its number: KZ's own, withdrawn by number.
	mine := -1
	for i := range ids {
		if who[i%len(who)] == "KZ" {
			mine = i
			break
		}
	}
	var w drafts.Proposal
	b.mustJSON(http.StatusOK, &w, "POST", docPath(doc, "/proposals/", itoa(numbers[mine]), "/withdraw"), "KZ", nil)
	if w.ID != ids[mine] || w.Status != drafts.ProposalWithdrawn {
		t.Errorf("withdrawn by number: %+v", w)
	}
	// Numbers go on after the 64, on either server.
	var next drafts.Proposal
	a.mustJSON(http.StatusCreated, &next, "POST", docPath(doc, "/proposals"), "IN", map[string]any{"base": 1, "operations": []map[string]string{replace(v.Provisions[1].ID, "After.")}})
	if next.Number != n+1 {
		t.Errorf("the next proposal is number %d, want %d", next.Number, n+1)
	}
}

// subDocument makes a document on which proposals 1 to 6 (withdrawn) come
// first, so that Kazakhstan's proposal is number 7, China's 8, and India's
// sub-amendment to 7 number 9. It returns the document and version 1.
func subDocument(t *testing.T, e *testEnv) (string, version, drafts.Proposal, drafts.Proposal) {
	t.Helper()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	for i := 1; i <= 6; i++ {
		id := e.propose(doc, "TR", 1, replace(v.Provisions[12].ID, fmt.Sprintf("Filler %d.", i)))
		e.mustJSON(http.StatusOK, nil, "POST", docPath(doc, "/proposals/", id, "/withdraw"), "TR", nil)
	}
	target := v.provision(t, "The Senior Officials Committee shall prepare")
	text := strings.Replace(target.Text, "shall prepare", "shall draft", 1)
	var p7, p9 drafts.Proposal
	e.mustJSON(http.StatusCreated, &p7, "POST", docPath(doc, "/proposals"), "KZ", map[string]any{
		"base": 1, "justification": "Drafting is the word.", "operations": []map[string]string{replace(target.ID, text)}})
	e.propose(doc, "CN", 1, replace(v.provision(t, "All decisions shall").ID, "All decisions shall be taken by consensus of the Member States."))
	// amends as a JSON number.
	e.mustJSON(http.StatusCreated, &p9, "POST", docPath(doc, "/proposals"), "IN", map[string]any{
		"amends": 7, "justification": "Drafts are tabled.", "operations": []map[string]string{replace(target.ID, strings.Replace(text, "shall draft", "shall draft and table", 1))}})
	if p7.Number != 7 || p9.Number != 9 || p9.Amends != p7.ID || p9.AmendsNumber != 7 {
		t.Fatalf("proposal 7 %+v\nsub-amendment %+v", p7, p9)
	}
	return doc, v, p7, p9
}

// TestSubAmendmentOverHTTP: India amends Kazakhstan's proposal 7: its
// diff against the amended proposal marks only its words; merged alone it
// is a 422; the compilation nests it under proposal 7 in JSON, HTML, PDF
// (pdftotext reads "Proposal 9 (India), amending Proposal 7") and .docx;
// merged with proposal 7 its text is the version's.
func TestSubAmendmentOverHTTP(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _, p7, p9 := subDocument(t, e)

	var d struct {
		Proposal string          `json:"proposal"`
		Number   int             `json:"number"`
		Against  string          `json:"against"`
		Changes  []drafts.Change `json:"changes"`
	}
	e.mustJSON(http.StatusOK, &d, "GET", docPath(doc, "/proposals/9/diff?against=amended"), "KZ", nil)
	var marked []string
	for _, c := range d.Changes {
		for _, s := range c.Segments {
			if s.Op != drafts.SegEqual {
				marked = append(marked, s.Op+" "+strings.TrimSpace(s.Text)+" "+s.Delegation)
			}
		}
	}
	if d.Proposal != p9.ID || d.Number != 9 || d.Against != "amended" || strings.Join(marked, "; ") != "insert and table IN" {
		t.Errorf("diff against the amended proposal: %s %d %s %v", d.Proposal, d.Number, d.Against, marked)
	}
	html := e.do("GET", docPath(doc, "/proposals/9/diff?against=amended"), "KZ", nil, "Accept", "text/html").MustStatus(http.StatusOK)
	if strings.Count(string(html.Body), "<ins") != 1 || strings.Contains(string(html.Body), "<del") {
		t.Errorf("HTML diff against the amended proposal marks more than its words:\n%s", html.Body)
	}
	e.do("GET", docPath(doc, "/proposals/7/diff?against=amended"), "KZ", nil).MustStatus(http.StatusUnprocessableEntity)
	// An amendment to the sub-amendment, and one on a provision 7 does not touch: 422.
	e.do("POST", docPath(doc, "/proposals"), "CN", map[string]any{"amends": "9", "operations": []map[string]string{replace(p7.Operations[0].Provision, "X.")}}).MustStatus(http.StatusUnprocessableEntity)
	// Merged alone: 422, saying so.
	var problem struct {
		Detail string `json:"detail"`
	}
	e.mustJSON(http.StatusUnprocessableEntity, &problem, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{"9"}})
	if !strings.Contains(problem.Detail, "Proposal 9 (India), amending Proposal 7, cannot be merged alone") {
		t.Errorf("merge of the sub-amendment alone: %q", problem.Detail)
	}

	checkNestedCompilation(t, e, doc, p7, p9)

	var merged struct {
		version
		Accepted []string `json:"accepted"`
		Modified []string `json:"accepted_modified"`
	}
	e.mustJSON(http.StatusCreated, &merged, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{"7", p9.ID}, "message": "7 as amended by 9"})
	if !strings.Contains(merged.Text, "shall draft and table the elements") || merged.Accepted[0] != p9.ID || merged.Modified[0] != p7.ID {
		t.Errorf("merged: %+v", merged)
	}
	var got7 drafts.Proposal
	e.mustJSON(http.StatusOK, &got7, "GET", docPath(doc, "/proposals/7"), "KZ", nil)
	if got7.Status != drafts.ProposalAcceptedModified || got7.Reason != "merged as amended by Proposal 9 (India), amending Proposal 7" {
		t.Errorf("proposal 7 after the merge: %s %q", got7.Status, got7.Reason)
	}
}

// checkNestedCompilation checks that the compilation, in every format,
// lists sub-amendment p9 under proposal p7 and names it.
func checkNestedCompilation(t *testing.T, e *testEnv, doc string, p7, p9 drafts.Proposal) {
	t.Helper()
	var comp drafts.Compilation
	e.mustJSON(http.StatusOK, &comp, "GET", docPath(doc, "/compilation"), "KZ", nil)
	found := false
	for _, en := range comp.Entries {
		for _, cp := range en.Proposals {
			if cp.Proposals[0] == p9.ID {
				t.Errorf("the sub-amendment is listed on its own")
			}
			if cp.Proposals[0] == p7.ID && len(cp.SubAmendments) == 1 && cp.SubAmendments[0].Proposals[0] == p9.ID && cp.Refs[0].Number == 7 {
				found = true
			}
		}
	}
	if !found || comp.Delegations["IN"].Name != "India" {
		t.Errorf("the JSON compilation does not nest proposal 9 under 7: %+v", comp)
	}
	html := string(e.do("GET", docPath(doc, "/compilation"), "KZ", nil, "Accept", "text/html").MustStatus(http.StatusOK).Body)
	at7, at9 := strings.Index(html, `data-proposals="`+p7.ID+`"`), strings.Index(html, `<div class="proposal sub-amendment" data-proposals="`+p9.ID+`"`)
	if at7 < 0 || at9 < at7 || !strings.Contains(html, "Proposal 9 (India), amending Proposal 7") {
		t.Errorf("the HTML compilation does not nest proposal 9 under 7")
	}
	pdf := e.do("GET", docPath(doc, "/compilation"), "KZ", nil, "Accept", "application/pdf").MustStatus(http.StatusOK).Body
	flat := strings.Join(strings.Fields(pdfToText(t, pdf)), " ")
	i7, i9 := strings.Index(flat, "Amendment — Proposal 7 (Kazakhstan)"), strings.Index(flat, "Sub-amendment — Proposal 9 (India), amending Proposal 7")
	if i7 < 0 || i9 < i7 {
		t.Errorf("the PDF compilation does not read \"Proposal 9 (India), amending Proposal 7\" under proposal 7:\n%s", flat)
	}
	word := zipPart(t, e.do("GET", docPath(doc, "/compilation"), "KZ", nil, "Accept", wordType).MustStatus(http.StatusOK).Body, "word/document.xml")
	w7, w9 := strings.Index(word, "Proposal 7 (Kazakhstan): "), strings.Index(word, "Proposal 9 (India), amending Proposal 7: ")
	if w7 < 0 || w9 < w7 || !strings.Contains(word[w9-300:w9], `<w:ind w:left="1134"/>`) {
		t.Errorf("the .docx compilation does not nest proposal 9 under 7, indented")
	}
}

// pdfToText is pdftotext's text of a PDF: the test fails without the tool
// under CI=true and is skipped elsewhere.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is not installed (./test.sh installs poppler-utils)")
		}
		t.Skip("pdftotext is not installed")
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestOralProposalOverHTTP: the chair records Kazakhstan's oral proposal:
// credited to Kazakhstan in its diff and the compilation, marked oral and
// recorded by the chair; the audit trail names the chair; a delegate
// cannot record one (403).
func TestOralProposalOverHTTP(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	body := map[string]any{"base": 1, "on_behalf_of": "KZ", "source": "oral", "operations": []map[string]string{replace(v.Provisions[2].ID, "Said aloud.")}}
	e.do("POST", docPath(doc, "/proposals"), "IN", body).MustStatus(http.StatusForbidden)
	e.do("POST", docPath(doc, "/proposals"), "soc-chair", body).MustStatus(http.StatusForbidden)
	var p drafts.Proposal
	e.mustJSON(http.StatusCreated, &p, "POST", docPath(doc, "/proposals"), "chair", body)
	var me drafts.User
	e.mustJSON(http.StatusOK, &me, "GET", "/v1/me", "chair", nil)
	if p.Delegation != "KZ" || p.Source != "oral" || p.RecordedBy != me.ID || p.Number != 1 {
		t.Fatalf("oral proposal %+v", p)
	}
	var d struct {
		Changes []drafts.Change `json:"changes"`
	}
	e.mustJSON(http.StatusOK, &d, "GET", docPath(doc, "/proposals/1/diff"), "CN", nil)
	if len(d.Changes) < 3 || d.Changes[2].Text != "Said aloud." || strings.Join(d.Changes[2].Delegations, ",") != "KZ" {
		t.Errorf("diff credits %+v", d.Changes)
	}
	html := string(e.do("GET", docPath(doc, "/compilation"), "CN", nil, "Accept", "text/html").MustStatus(http.StatusOK).Body)
	if !strings.Contains(html, "Proposal 1 (Kazakhstan), made orally, recorded by the chair") {
		t.Errorf("the compilation does not mark the oral proposal")
	}
	var events struct {
		Items []drafts.Event `json:"items"`
	}
	e.mustJSON(http.StatusOK, &events, "GET", docPath(doc, "/events"), "CN", nil)
	var actions []string
	for _, ev := range events.Items {
		actions = append(actions, ev.Action)
		if ev.Action == "proposal.create" && (ev.Actor != me.ID || !strings.Contains(ev.Detail, "recorded by the chair")) {
			t.Errorf("creation event %+v does not name the chair", ev)
		}
	}
	sort.Strings(actions)
	if !strings.Contains(strings.Join(actions, " "), "proposal.create") {
		t.Errorf("events %v", actions)
	}
	// Kazakhstan withdraws it as its own.
	e.mustJSON(http.StatusOK, nil, "POST", docPath(doc, "/proposals/1/withdraw"), "KZ2", nil)
}

// TestSubAmendmentFromWord: India downloads proposal 7's text as .docx,
// edits it with Track Changes and sends it back amending proposal 7: the
// sub-amendment replaces the paragraph it changed, and its diff against
// proposal 7 marks only India's words. A file without tracked changes is
// refused.
func TestSubAmendmentFromWord(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _, p7, _ := subDocument(t, e)
	r := e.do("GET", docPath(doc, "/proposals/7"), "IN", nil, "Accept", wordType).MustStatus(http.StatusOK)
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "-proposal-7.docx") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if body := zipPart(t, r.Body, "word/document.xml"); !strings.Contains(body, "Proposal 7 (Kazakhstan)") || !strings.Contains(body, "shall draft the elements") {
		t.Fatalf("the exported proposal lacks its name or its text")
	}
	const rev = ` w:id="951" w:author="Delegate of India" w:date="2026-03-02T10:00:00Z"`
	edited := editZip(t, r.Body, func(name, body string) string {
		if name != "word/document.xml" {
			return body
		}
		return mustReplace(t, body, "The Senior Officials Committee shall draft ",
			`The Senior Officials Committee shall draft </w:t></w:r><w:ins`+rev+`><w:r><w:t xml:space="preserve">and table </w:t></w:r></w:ins><w:r><w:t xml:space="preserve">`)
	}, nil)
	ct, body := form(t, edited, map[string]string{"amends": "7", "justification": "Drafts are tabled."})
	var s drafts.Proposal
	e.mustJSON(http.StatusCreated, &s, "POST", docPath(doc, "/proposals"), "CN", body, "Content-Type", ct)
	if s.AmendsNumber != 7 || len(s.Operations) != 1 || s.Operations[0].Op != "replace" || s.Operations[0].Provision != p7.Operations[0].Provision ||
		!strings.Contains(s.Operations[0].Text, "shall draft and table the elements") {
		t.Fatalf("sub-amendment from Word: %+v", s)
	}
	var d struct {
		Changes []drafts.Change `json:"changes"`
	}
	e.mustJSON(http.StatusOK, &d, "GET", docPath(doc, "/proposals/", s.ID, "/diff?against=amended"), "KZ", nil)
	var marked []string
	for _, c := range d.Changes {
		for _, sg := range c.Segments {
			if sg.Op != drafts.SegEqual {
				marked = append(marked, sg.Op+" "+strings.TrimSpace(sg.Text))
			}
		}
	}
	if strings.Join(marked, "; ") != "insert and table" {
		t.Errorf("marked %v", marked)
	}
	// The same file untracked: refused, saying why.
	var problem struct {
		Detail string `json:"detail"`
	}
	ct, body = form(t, r.Body, map[string]string{"amends": "7"})
	e.mustJSON(http.StatusUnprocessableEntity, &problem, "POST", docPath(doc, "/proposals"), "CN", body, "Content-Type", ct)
	if !strings.Contains(problem.Detail, "Track Changes") {
		t.Errorf("untracked file: %q", problem.Detail)
	}
}
