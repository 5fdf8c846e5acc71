package api_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"chancery/drafts"
)

// TestDraftingScenario: a document from a corpus text, two delegations
// propose, diffs in three formats, the chair's new version, a stale base.
func TestDraftingScenario(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		text := corpus(t, "sample-draft-road-map.txt")
		doc, v1 := e.document(text, "members")

		t.Run("version 1 prints the text back", func(t *testing.T) {
			if got, want := v1.Text, text; got != want {
				t.Fatalf("text differs from the corpus file")
			}
			r := e.do("GET", docPath(doc, "/versions/1"), "KZ", nil, "Accept", "text/plain")
			r.MustStatus(200)
			if got, want := string(r.Body), text; got != want {
				t.Fatalf("text/plain differs from the corpus file")
			}
			if len(v1.Provisions) != 33 {
				t.Fatalf("provisions = %d, want 33", len(v1.Provisions))
			}
		})

		p6 := v1.provision(t, "All decisions shall continue")
		p9 := v1.provision(t, "reviewed every four years")
		var kz, in drafts.Proposal
		t.Run("KZ proposes operations", func(t *testing.T) {
			e.mustJSON(http.StatusCreated, &kz, "POST", docPath(doc, "/proposals"), "KZ", map[string]any{
				"base": 1, "justification": "Consensus is the rule; say so plainly.",
				"operations": []map[string]string{
					{"op": "replace", "provision": p6.ID, "text": "All decisions shall be taken by consensus of the Member States."},
					{"op": "insert", "after": p9.ID, "text": "9 bis. The review shall take into account the proposals of the coordinating countries."},
				},
			})
			if kz.Delegation != "KZ" || kz.Status != "open" || kz.ID == "" {
				t.Fatalf("proposal = %+v", kz)
			}
		})
		t.Run("IN proposes a whole edited text", func(t *testing.T) {
			edited := strings.Replace(text, "reviewed every four years", "reviewed every five years", 1)
			edited = strings.Replace(edited, "shall foster academic exchange and joint research", "shall foster academic exchange", 1)
			e.mustJSON(http.StatusCreated, &in, "POST", docPath(doc, "/proposals"), "IN", map[string]any{
				"base": 1, "justification": "A longer cycle.", "text": edited,
			})
			if got, want := len(in.Operations), 2; got != want {
				t.Fatalf("derived operations = %d, want %d: %+v", got, want, in.Operations)
			}
			if in.Operations[0].Provision != p9.ID && in.Operations[1].Provision != p9.ID {
				t.Fatalf("operations do not target provision 9 (%s): %+v", p9.ID, in.Operations)
			}
		})
		t.Run("list filtered by delegation and status", func(t *testing.T) {
			var page struct {
				Items []drafts.Proposal `json:"items"`
			}
			e.mustJSON(200, &page, "GET", docPath(doc, "/proposals?delegation=IN&status=open"), "KZ", nil)
			if len(page.Items) != 1 || page.Items[0].ID != in.ID {
				t.Fatalf("items = %+v", page.Items)
			}
		})
		t.Run("proposal diff JSON", func(t *testing.T) {
			var d struct {
				Changes []drafts.Change `json:"changes"`
			}
			e.mustJSON(200, &d, "GET", docPath(doc, "/proposals/", kz.ID, "/diff?against=base"), "IN", nil)
			var modified, inserted int
			for _, c := range d.Changes {
				switch c.Kind {
				case drafts.ChangeModified:
					modified++
					if c.Provision != p6.ID || len(c.Delegations) != 1 || c.Delegations[0] != "KZ" {
						t.Errorf("modified change = %+v", c)
					}
				case drafts.ChangeInserted:
					inserted++
				}
			}
			if modified != 1 || inserted != 1 {
				t.Fatalf("modified %d, inserted %d; want 1, 1", modified, inserted)
			}
		})
		t.Run("proposal diff text", func(t *testing.T) {
			r := e.do("GET", docPath(doc, "/proposals/", in.ID, "/diff"), "KZ", nil, "Accept", "text/plain")
			r.MustStatus(200)
			body := string(r.Body)
			for _, want := range []string{"[-four-]", "[+five+]"} {
				if !strings.Contains(body, want) {
					t.Errorf("text diff lacks %s:\n%s", want, body)
				}
			}
		})
		t.Run("proposal diff HTML", func(t *testing.T) {
			r := e.do("GET", docPath(doc, "/proposals/", in.ID, "/diff"), "KZ", nil, "Accept", "text/html")
			r.MustStatus(200)
			body := string(r.Body)
			if !strings.Contains(body, "<del") || !strings.Contains(body, "<ins") || !strings.Contains(body, "five") {
				t.Fatalf("html diff:\n%s", body)
			}
		})
		var v2 version
		t.Run("chair's revised version keeps ids", func(t *testing.T) {
			revised := strings.Replace(text, "# Cluster II. Decision-making\n\n", "# Cluster II. Decision-making\n\n6. The Member States reaffirm the principle of consensus.\n\n", 1)
			e.mustJSON(http.StatusCreated, &v2, "POST", docPath(doc, "/versions"), "chair", map[string]any{
				"base": 1, "text": revised, "message": "Chair's revision 1",
			})
			if v2.Number != 2 {
				t.Fatalf("number = %d", v2.Number)
			}
			// The old paragraph 6 keeps its id; the new paragraph has a new one.
			if got := v2.provision(t, "All decisions shall continue"); got.ID != p6.ID {
				t.Fatalf("provision 6 id %s → %s", p6.ID, got.ID)
			}
			if got := v2.provision(t, "reaffirm the principle"); got.ID == p6.ID {
				t.Fatalf("new provision took an old id")
			}
		})
		t.Run("version diff shows the insertion as a structural change", func(t *testing.T) {
			var d struct {
				Changes []drafts.Change `json:"changes"`
			}
			e.mustJSON(200, &d, "GET", docPath(doc, "/versions/2/diff?against=1"), "KZ", nil)
			var inserted, modified int
			for _, c := range d.Changes {
				switch c.Kind {
				case drafts.ChangeInserted:
					inserted++
				case drafts.ChangeModified:
					modified++
				}
			}
			if inserted != 1 || modified != 0 {
				t.Fatalf("inserted %d, modified %d; want 1, 0: %+v", inserted, modified, d.Changes)
			}
		})
		t.Run("versions list", func(t *testing.T) {
			var page struct {
				Items []version `json:"items"`
			}
			e.mustJSON(200, &page, "GET", docPath(doc, "/versions"), "IN", nil)
			if len(page.Items) != 2 || page.Items[0].Number != 1 || page.Items[1].Number != 2 || page.Items[1].Hash != v2.Hash {
				t.Fatalf("versions = %+v", page.Items)
			}
			e.mustJSON(200, &page, "GET", docPath(doc, "/versions?limit=1"), "IN", nil)
			if len(page.Items) != 1 {
				t.Fatalf("limit=1 gave %d", len(page.Items))
			}
		})
		t.Run("stale base is a 409", func(t *testing.T) {
			r := e.do("POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": text, "message": "stale"})
			r.MustStatus(http.StatusConflict)
		})
		t.Run("proposal against head", func(t *testing.T) {
			var d struct {
				Changes []drafts.Change `json:"changes"`
			}
			e.mustJSON(200, &d, "GET", docPath(doc, "/proposals/", kz.ID, "/diff?against=head"), "KZ", nil)
			if len(d.Changes) == 0 {
				t.Fatal("no changes")
			}
		})
		t.Run("withdraw by another delegate of the same delegation", func(t *testing.T) {
			var p drafts.Proposal
			e.mustJSON(200, &p, "POST", docPath(doc, "/proposals/", kz.ID, "/withdraw"), "KZ2", nil)
			if p.Status != drafts.ProposalWithdrawn {
				t.Fatalf("status = %s", p.Status)
			}
			e.do("POST", docPath(doc, "/proposals/", in.ID, "/withdraw"), "KZ", nil).MustStatus(http.StatusForbidden)
		})
		t.Run("cosponsor and comment", func(t *testing.T) {
			var p drafts.Proposal
			e.mustJSON(200, &p, "POST", docPath(doc, "/proposals/", in.ID, "/cosponsor"), "CN", nil)
			if len(p.Cosponsors) != 1 || p.Cosponsors[0] != "CN" {
				t.Fatalf("cosponsors = %v", p.Cosponsors)
			}
			r := e.mustJSON(201, &p, "POST", docPath(doc, "/proposals/", in.ID, "/comments"), "RU", map[string]string{"text": "We could agree."})
			if len(p.Comments) != 1 || p.Comments[0].Delegation != "RU" {
				t.Fatalf("comments = %+v", p.Comments)
			}
			// A change sent with a stale ETag is refused and changes nothing.
			etag := r.Header.Get("ETag")
			e.mustJSON(201, nil, "POST", docPath(doc, "/proposals/", in.ID, "/comments"), "TR", map[string]string{"text": "So could we."}, "If-Match", etag)
			e.do("POST", docPath(doc, "/proposals/", in.ID, "/comments"), "KZ", map[string]string{"text": "Late."}, "If-Match", etag).MustStatus(http.StatusPreconditionFailed)
			e.mustJSON(200, &p, "GET", docPath(doc, "/proposals/", in.ID), "KZ", nil)
			if len(p.Comments) != 2 {
				t.Fatalf("comments = %+v, want RU's and TR's", p.Comments)
			}
		})
	})
}

// TestConcurrentVersions: of 16 concurrent revisions on one head exactly
// one becomes version 2.
func TestConcurrentVersions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		text := corpus(t, "sample-draft-road-map.txt")
		doc, _ := e.document(text, "members")
		var wg sync.WaitGroup
		codes := make([]int, 16)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r := e.do("POST", docPath(doc, "/versions"), "chair", map[string]any{
					"base": 1, "text": strings.Replace(text, "eight clusters", "nine clusters", 1), "message": "race " + itoa(i),
				})
				codes[i] = r.Status
			}(i)
		}
		wg.Wait()
		created := 0
		for _, c := range codes {
			switch c {
			case 201:
				created++
			case 409:
			default:
				t.Errorf("status %d", c)
			}
		}
		if created != 1 {
			t.Fatalf("created = %d, want 1 (%v)", created, codes)
		}
	})
}

// TestBadInput: bad input gets a clear problem, never a 500, and changes
// nothing.
func TestBadInput(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	tests := []struct {
		name, method, path, who string
		body                    any
		want                    int
	}{
		{"invalid UTF-8", "POST", docPath(doc, "/versions"), "chair", []byte("{\"base\": 1, \"text\": \"1. ok\xff\"}"), 422},
		{"NUL", "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "1. a\x00b"}, 422},
		{"text over 2 MiB", "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "1. " + strings.Repeat("word ", 420000)}, 422},
		{"body over the limit", "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "1. " + strings.Repeat("word ", 2000000)}, 413},
		{"empty text", "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "\n\n"}, 422},
		{"not JSON", "POST", docPath(doc, "/versions"), "chair", "{not json", 400},
		{"wrong type", "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": "one"}, 422},
		{"control character in a justification", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "justification": "a\u0007b", "text": "1. x"}, 422},
		{"message too long", "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{"x"}, "message": strings.Repeat("m", 2001)}, 422},
		{"unknown op", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "operations": []map[string]string{{"op": "explode"}}}, 422},
		{"unknown provision", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "operations": []map[string]string{{"op": "delete", "provision": "nope"}}}, 422},
		{"base out of range", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 7, "operations": []map[string]string{{"op": "delete", "provision": "x"}}}, 422},
		{"no such document", "GET", docPath("nosuchdoc"), "KZ", nil, 404},
		{"no such version", "GET", docPath(doc, "/versions/99"), "KZ", nil, 404},
		{"version not a number", "GET", docPath(doc, "/versions/abc"), "KZ", nil, 404},
		{"bad limit", "GET", "/v1/documents?limit=0", "KZ", nil, 400},
		{"bad status", "PUT", docPath(doc, "/versions/1/provisions/x/status"), "chair", map[string]string{"status": "maybe"}, 422},
		{"bad delegation", "POST", "/v1/delegations", "secretariat", map[string]string{"id": "kz", "name": "", "status": "friend"}, 422},
	}
	before := storeKeys(t, e.store)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.who, tt.body)
			r.MustStatus(tt.want)
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
		})
	}
	if after := storeKeys(t, e.store); !equalKeysIgnoringEvents(before, after) {
		t.Fatalf("failed requests changed storage:\nbefore %v\nafter  %v", before, after)
	}
}

// storeKeys lists every key in the store.
func storeKeys(t *testing.T, s drafts.ObjectStore) []string {
	t.Helper()
	var keys []string
	after := ""
	for {
		objs, next, err := s.List(t.Context(), "", after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			keys = append(keys, o.Key+"@"+o.ETag)
		}
		if next == "" {
			return keys
		}
		after = next
	}
}

// equalKeysIgnoringEvents compares two listings, ignoring the audit trail
// (refused attempts are recorded there on purpose).
func equalKeysIgnoringEvents(a, b []string) bool {
	strip := func(ks []string) []string {
		var out []string
		for _, k := range ks {
			if !strings.Contains(k, "/events") {
				out = append(out, k)
			}
		}
		return out
	}
	a, b = strip(a), strip(b)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestEditProposal: any delegate of the owning delegation edits an open
// proposal; other delegations cannot; a stale ETag is a 412.
func TestEditProposal(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	id := e.propose(doc, "KZ", 1, replace(v.Provisions[2].ID, "First idea."))
	var p drafts.Proposal
	r := e.mustJSON(200, &p, "GET", docPath(doc, "/proposals/", id), "KZ", nil)
	etag := r.Header.Get("ETag")
	edit := map[string]any{"base": 1, "justification": "Better.", "operations": []map[string]string{replace(v.Provisions[2].ID, "Second idea.")}}
	e.do("PUT", docPath(doc, "/proposals/", id), "IN", edit).MustStatus(http.StatusForbidden)
	e.mustJSON(200, &p, "PUT", docPath(doc, "/proposals/", id), "KZ2", edit, "If-Match", etag)
	if p.Justification != "Better." || p.Operations[0].Text != "Second idea." || p.Delegation != "KZ" {
		t.Fatalf("edited proposal = %+v", p)
	}
	e.do("PUT", docPath(doc, "/proposals/", id), "KZ", edit, "If-Match", etag).MustStatus(http.StatusPreconditionFailed)
	e.mustJSON(200, nil, "POST", docPath(doc, "/proposals/", id, "/withdraw"), "KZ", nil)
	e.do("PUT", docPath(doc, "/proposals/", id), "KZ", edit).MustStatus(http.StatusConflict)
}
