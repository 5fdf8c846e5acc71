package api_test

import (
	"net/http"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestRenumbering: a "6 bis" paragraph goes in by a merged proposal, then
// the chair renumbers: version 3 is version 2 with clean numbers, and its
// diff from version 2 (JSON, text, HTML) shows renumbering only.
func TestRenumbering(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
		p6 := v1.provision(t, "All decisions shall continue")
		pr := e.propose(doc, "KZ", 1, map[string]string{"op": "insert", "after": p6.ID, "text": "6 bis. Consensus shall be understood as the absence of a formal objection."})
		e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{pr}})

		path := docPath(doc, "/renumbering")
		e.do("POST", path, "KZ", map[string]any{"base": 2}).MustStatus(http.StatusForbidden)
		e.do("POST", path, "chair", map[string]any{"base": 1}).MustStatus(http.StatusConflict)
		e.do("POST", path, "chair", map[string]any{"base": 2, "message": strings.Repeat("x", 2001)}).MustStatus(http.StatusUnprocessableEntity)

		var v3 version
		e.mustJSON(http.StatusCreated, &v3, "POST", path, "chair", map[string]any{"base": 2, "message": "Renumbered before adoption"})
		if v3.Number != 3 {
			t.Fatalf("version %d", v3.Number)
		}
		bis := v3.provision(t, "absence of a formal objection")
		if bis.Number != "7." {
			t.Fatalf("6 bis. became %q, want 7.", bis.Number)
		}
		if last := v3.provision(t, "reviewed by the Senior Officials Committee as necessary"); last.Number != "21." {
			t.Fatalf("the last paragraph is %q, want 21.", last.Number)
		}

		var d drafts.Diff
		e.mustJSON(http.StatusOK, &d, "GET", docPath(doc, "/versions/3/diff?against=2"), "IN", nil)
		renumbered := 0
		for _, c := range d.Changes {
			switch {
			case c.Kind == drafts.ChangeUnchanged:
			case c.Kind == drafts.ChangeRenumbered && !c.Modified && !c.Moved && len(c.Segments) == 0:
				renumbered++
			default:
				t.Errorf("not a renumbering: %+v", c)
			}
		}
		if renumbered != 15 { // 6 bis … 20 become 7 … 21
			t.Errorf("%d provisions renumbered, want 15", renumbered)
		}
		text := string(e.do("GET", docPath(doc, "/versions/3/diff?against=2"), "IN", nil, "Accept", "text/plain").MustStatus(200).Body)
		if strings.Contains(text, "[-") || strings.Contains(text, "[+") || !strings.Contains(text, "6 bis. → 7.") {
			t.Errorf("text diff:\n%s", text)
		}
		html := string(e.do("GET", docPath(doc, "/versions/3/diff?against=2"), "IN", nil, "Accept", "text/html").MustStatus(200).Body)
		if strings.Count(html, "<del") != strings.Count(html, `<del class="number-old">`) || strings.Count(html, "<ins") != strings.Count(html, `<ins class="number-new">`) {
			t.Errorf("html diff marks words:\n%s", html)
		}
		e.do("GET", docPath(doc, "/versions/3/pdf?against=2"), "IN", nil).MustStatus(200)
		e.do("POST", path, "chair", map[string]any{"base": 3}).MustStatus(http.StatusConflict)
	})
}
