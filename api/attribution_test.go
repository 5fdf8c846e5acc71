package api_test

import (
	"net/http"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestTrueAttribution: KZ and IN both replace the same words of a
// provision and the chair merges a compromise through resolutions; later
// KZ changes other words of it, and the chair's revised version changes a
// third place. The tracked diff over all of it credits each change to its
// true author: the compromise and the revision to "Chair (SWG)", KZ's
// later change to KZ, nothing to IN, whose words were replaced.
func TestTrueAttribution(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		text := corpus(t, "sample-draft-road-map.txt")
		doc, v1 := e.document(text, "members")
		p7 := v1.provision(t, "silence procedure")
		p12 := v1.provision(t, "headed by the Secretary General")
		const chair = "Chair (SWG)"

		// Version 2: a compromise on paragraph 7, TR's change to 12.
		kz := e.propose(doc, "KZ", 1, replace(p7.ID, strings.Replace(p7.Text, "seventy-two hours", "forty-eight hours", 1)))
		in := e.propose(doc, "IN", 1, replace(p7.ID, strings.Replace(p7.Text, "seventy-two hours", "five working days", 1)))
		tr := e.propose(doc, "TR", 1, replace(p12.ID, strings.Replace(p12.Text, "three years", "four years", 1)))
		compromise := strings.Replace(p7.Text, "seventy-two hours", "sixty hours", 1)
		var v2 mergeResult
		e.mustJSON(http.StatusCreated, &v2, "POST", docPath(doc, "/merges"), "chair", map[string]any{
			"base": 1, "proposals": []string{kz, in, tr}, "resolutions": map[string]string{p7.ID: compromise}, "message": "Compromise on 7",
		})
		// Version 3: KZ changes other words of paragraph 7.
		p7v2 := v2.provision(t, "sixty hours")
		kz2 := e.propose(doc, "KZ", 2, replace(p7.ID, strings.Replace(p7v2.Text, "breaks silence in writing", "breaks silence by a note verbale", 1)))
		e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 2, "proposals": []string{kz2}})
		// Version 4: the chair's revised text changes a third place.
		var v3 version
		e.mustJSON(200, &v3, "GET", docPath(doc, "/versions/3"), "KZ", nil)
		revised := strings.Replace(v3.Text, "the Chairmanship circulates", "the Chair circulates", 1)
		e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 3, "text": revised, "message": "Chair's revision"})

		type seg struct{ op, text, by string }
		changed := func(against, n string) (map[string][]string, []seg) {
			t.Helper()
			var d struct {
				Changes []drafts.Change `json:"changes"`
			}
			e.mustJSON(200, &d, "GET", docPath(doc, "/versions/"+n+"/diff?against="+against), "IN", nil)
			by := map[string][]string{}
			var segs []seg
			for _, c := range d.Changes {
				if c.Kind == drafts.ChangeUnchanged {
					continue
				}
				by[c.Provision] = c.Delegations
				if c.Provision == p7.ID {
					for _, s := range c.Segments {
						if s.Op != drafts.SegEqual {
							segs = append(segs, seg{s.Op, s.Text, s.Delegation})
						}
					}
				}
			}
			return by, segs
		}
		credited := func(segs []seg, op, text string) string {
			var who []string
			for _, s := range segs {
				if s.op == op && strings.Contains(text, strings.TrimSpace(s.text)) && strings.TrimSpace(s.text) != "" {
					who = append(who, s.by)
				}
			}
			return strings.Join(who, ",")
		}

		t.Run("compromise", func(t *testing.T) {
			by, segs := changed("1", "2")
			if got := strings.Join(by[p7.ID], ","); got != chair {
				t.Errorf("paragraph 7 credited to %q, want %q", got, chair)
			}
			if got := strings.Join(by[p12.ID], ","); got != "TR" {
				t.Errorf("paragraph 12 credited to %q, want TR", got)
			}
			if got := credited(segs, drafts.SegInsert, "sixty"); got != chair {
				t.Errorf("the inserted compromise word is credited to %q, want %q (segments %v)", got, chair, segs)
			}
		})
		t.Run("across several merges and a revision", func(t *testing.T) {
			by, segs := changed("1", "4")
			if got := strings.Join(by[p7.ID], ","); got != chair+",KZ" {
				t.Errorf("paragraph 7 credited to %q, want %q", got, chair+",KZ")
			}
			for _, c := range []struct{ op, text, want string }{
				{drafts.SegDelete, "seventy-two", chair},
				{drafts.SegInsert, "sixty", chair},
				{drafts.SegDelete, "in writing", "KZ"},
				{drafts.SegInsert, "by a note verbale", "KZ"},
				{drafts.SegDelete, "Chairmanship", chair},
				{drafts.SegInsert, "Chair", chair},
			} {
				if got := credited(segs, c.op, c.text); got == "" || strings.Trim(strings.ReplaceAll(got, c.want, ""), ",") != "" {
					t.Errorf("%s %q credited to %q, want %q (segments %v)", c.op, c.text, got, c.want, segs)
				}
			}
			for _, s := range segs {
				if s.by == "IN" {
					t.Errorf("segment %+v credited to IN, whose proposal the compromise replaced", s)
				}
			}
			r := e.do("GET", docPath(doc, "/versions/4/diff?against=1"), "IN", nil, "Accept", "text/plain")
			r.MustStatus(200)
			if body := string(r.Body); !strings.Contains(body, "{"+chair+"}") || !strings.Contains(body, "{KZ}") || strings.Contains(body, "{IN}") {
				t.Errorf("text diff:\n%s", body)
			}
		})
		t.Run("a revision alone", func(t *testing.T) {
			by, _ := changed("3", "4")
			if got := strings.Join(by[p7.ID], ","); got != chair {
				t.Errorf("paragraph 7 credited to %q, want %q", got, chair)
			}
		})
	})
}
