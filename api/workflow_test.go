package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/api"
	"chancery/drafts"
	"chancery/service"
	"chancery/storage"
	"chancery/storage/s3test"
)

type collisionProblem struct {
	Status     int                `json:"status"`
	Collisions []drafts.Collision `json:"collisions"`
}

type mergeResult struct {
	version
	Accepted []string          `json:"accepted"`
	Modified []string          `json:"accepted_modified"`
	Obsolete map[string]string `json:"obsolete"`
}

// propose submits operations as a delegation and returns the proposal id.
func (e *testEnv) propose(doc, who string, base int, ops ...map[string]string) string {
	e.t.Helper()
	var p drafts.Proposal
	e.mustJSON(http.StatusCreated, &p, "POST", docPath(doc, "/proposals"), who, map[string]any{
		"base": base, "justification": "by " + who, "operations": ops,
	})
	return p.ID
}

func replace(id, text string) map[string]string {
	return map[string]string{"op": "replace", "provision": id, "text": text}
}

// TestNegotiationScenario: five delegations propose; two collide on the
// same words; the merge answers 409 with both texts; the chair resolves;
// the new version's diff attributes each change; the compilation before
// the merge groups two identical proposals.
func TestNegotiationScenario(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
		p7 := v1.provision(t, "silence procedure")
		p9 := v1.provision(t, "reviewed every four years")
		p12 := v1.provision(t, "headed by the Secretary General")
		p15 := v1.provision(t, "annual financial report")

		// KZ and IN change the same words of paragraph 7 differently.
		kz := e.propose(doc, "KZ", 1, replace(p7.ID, strings.Replace(p7.Text, "seventy-two hours", "forty-eight hours", 1)))
		in := e.propose(doc, "IN", 1, replace(p7.ID, strings.Replace(p7.Text, "seventy-two hours", "five working days", 1)))
		// CN and RU propose the same change to paragraph 9.
		cn := e.propose(doc, "CN", 1, replace(p9.ID, "The Catalogue of Confidence Building Measures shall be reviewed every five years."))
		ru := e.propose(doc, "RU", 1, replace(p9.ID, "The Catalogue of Confidence Building Measures shall be reviewed every five years."))
		// TR changes other words of paragraph 12, and paragraph 15.
		tr := e.propose(doc, "TR", 1,
			replace(p12.ID, strings.Replace(p12.Text, "three years", "four years", 1)),
			replace(p15.ID, strings.Replace(p15.Text, "annual financial report", "annual financial report and an audit", 1)))

		t.Run("compilation groups identical proposals", func(t *testing.T) {
			var c drafts.Compilation
			e.mustJSON(200, &c, "GET", docPath(doc, "/compilation?version=1"), "TR", nil)
			var entry *drafts.CompilationEntry
			var order []string
			for i := range c.Entries {
				if len(c.Entries[i].Proposals) > 0 {
					order = append(order, c.Entries[i].Provision.ID)
				}
				if c.Entries[i].Provision.ID == p9.ID {
					entry = &c.Entries[i]
				}
			}
			if entry == nil || len(entry.Proposals) != 1 {
				t.Fatalf("entry for provision 9 = %+v", entry)
			}
			if got := entry.Proposals[0].Delegations; len(got) != 2 || got[0] != "CN" || got[1] != "RU" {
				t.Fatalf("delegations = %v, want [CN RU]", got)
			}
			if want := []string{p7.ID, p9.ID, p12.ID, p15.ID}; strings.Join(order, ",") != strings.Join(want, ",") {
				t.Fatalf("entries in order %v, want document order %v", order, want)
			}
		})
		t.Run("compilation as HTML", func(t *testing.T) {
			r := e.do("GET", docPath(doc, "/compilation"), "TR", nil, "Accept", "text/html")
			r.MustStatus(200)
			if !strings.Contains(string(r.Body), "forty-eight") {
				t.Fatalf("compilation HTML lacks a proposal:\n%s", r.Body)
			}
		})

		all := []string{kz, in, cn, ru, tr}
		t.Run("collision answers 409 with both texts and changes nothing", func(t *testing.T) {
			before := storeKeys(t, e.store)
			var p collisionProblem
			e.mustJSON(http.StatusConflict, &p, "POST", docPath(doc, "/merges"), "chair", map[string]any{
				"base": 1, "proposals": all, "message": "merge all",
			})
			if len(p.Collisions) != 1 {
				t.Fatalf("collisions = %+v", p.Collisions)
			}
			c := p.Collisions[0]
			if c.Provision != p7.ID || c.BaseText != p7.Text || len(c.Proposals) != 2 {
				t.Fatalf("collision = %+v", c)
			}
			texts := c.Proposals[0].Text + "|" + c.Proposals[1].Text
			if !strings.Contains(texts, "forty-eight hours") || !strings.Contains(texts, "five working days") {
				t.Fatalf("competing texts = %s", texts)
			}
			if after := storeKeys(t, e.store); !equalKeysIgnoringEvents(before, after) {
				t.Fatal("a refused merge changed storage")
			}
		})
		compromise := strings.Replace(p7.Text, "seventy-two hours", "sixty hours", 1)
		var merged mergeResult
		t.Run("resolution merges", func(t *testing.T) {
			e.mustJSON(http.StatusCreated, &merged, "POST", docPath(doc, "/merges"), "chair", map[string]any{
				"base": 1, "proposals": all, "resolutions": map[string]string{p7.ID: compromise}, "message": "Chair's compilation merged",
			})
			if merged.Number != 2 || len(merged.Merged) != 5 {
				t.Fatalf("version %d merged %v", merged.Number, merged.Merged)
			}
			if got := merged.provision(t, "sixty hours"); got.ID != p7.ID {
				t.Fatalf("compromise not in provision 7")
			}
			if got := merged.provision(t, "four years, renewable"); got.ID != p12.ID {
				t.Fatalf("TR's change missing")
			}
			if len(merged.Modified) != 2 {
				t.Fatalf("accepted-modified = %v, want KZ's and IN's", merged.Modified)
			}
		})
		t.Run("proposal statuses", func(t *testing.T) {
			want := map[string]string{kz: "accepted-modified", in: "accepted-modified", cn: "accepted", ru: "accepted", tr: "accepted"}
			for id, status := range want {
				var p drafts.Proposal
				e.mustJSON(200, &p, "GET", docPath(doc, "/proposals/", id), "KZ", nil)
				if p.Status != status || p.MergedInto != 2 {
					t.Errorf("proposal %s (%s): status %s merged into %d, want %s into 2", id, p.Delegation, p.Status, p.MergedInto, status)
				}
			}
		})
		t.Run("tracked diff attributes each change", func(t *testing.T) {
			var d struct {
				Changes []drafts.Change `json:"changes"`
			}
			e.mustJSON(200, &d, "GET", docPath(doc, "/versions/2/diff?against=1"), "KZ", nil)
			got := map[string]string{}
			for _, c := range d.Changes {
				if c.Kind != drafts.ChangeUnchanged {
					got[c.Provision] = strings.Join(c.Delegations, ",")
				}
			}
			want := map[string]string{p9.ID: "CN,RU", p12.ID: "TR", p15.ID: "TR"}
			for id, w := range want {
				if got[id] != w {
					t.Errorf("provision %s attributed to %q, want %q", id, got[id], w)
				}
			}
			// The compromise is the chair's, not KZ's or IN's.
			if got[p7.ID] != "Chair (SWG)" {
				t.Errorf("provision 7 attributed to %q, want the chair's compromise", got[p7.ID])
			}
			r := e.do("GET", docPath(doc, "/versions/2/diff?against=1"), "KZ", nil, "Accept", "text/plain")
			if !strings.Contains(string(r.Body), "TR") {
				t.Errorf("text diff does not name TR:\n%s", r.Body)
			}
		})
		t.Run("rejecting and merging a closed proposal", func(t *testing.T) {
			e.do("POST", docPath(doc, "/proposals/", kz, "/reject"), "chair", map[string]string{"reason": "late"}).MustStatus(http.StatusConflict)
			x := e.propose(doc, "KZ", 2, replace(p15.ID, "The Secretariat reports."))
			var p drafts.Proposal
			e.mustJSON(200, &p, "POST", docPath(doc, "/proposals/", x, "/reject"), "chair", map[string]string{"reason": "Too short."})
			if p.Status != "rejected" || p.Reason != "Too short." {
				t.Fatalf("proposal = %+v", p)
			}
		})
		t.Run("a proposal on an old base is rebased", func(t *testing.T) {
			// Against version 1, a change to other words of paragraph 12, which TR changed in version 2.
			old := e.propose(doc, "IN", 1, replace(p12.ID, strings.Replace(p12.Text, "headed by", "led by", 1)))
			var m mergeResult
			e.mustJSON(http.StatusCreated, &m, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 2, "proposals": []string{old}})
			if got := m.provision(t, "led by the Secretary General").Text; !strings.Contains(got, "four years") {
				t.Fatalf("three-way merge lost the head's change: %q", got)
			}
		})
		t.Run("deleted provision makes a proposal obsolete", func(t *testing.T) {
			var d drafts.Document
			e.mustJSON(200, &d, "GET", docPath(doc), "KZ", nil)
			a := e.propose(doc, "CN", d.Head, map[string]string{"op": "delete", "provision": p15.ID})
			b := e.propose(doc, "RU", d.Head, replace(p15.ID, "The Secretariat shall present a report."))
			var m mergeResult
			e.mustJSON(http.StatusCreated, &m, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": d.Head, "proposals": []string{a}})
			if _, ok := m.Obsolete[b]; !ok {
				t.Fatalf("obsolete = %v, want %s", m.Obsolete, b)
			}
			var p drafts.Proposal
			e.mustJSON(200, &p, "GET", docPath(doc, "/proposals/", b), "KZ", nil)
			if p.Status != "obsolete" {
				t.Fatalf("status = %s", p.Status)
			}
		})
	})
}

// TestProvisionStatus: the chair sets statuses, the document reports the
// agreed share, and a new version keeps unchanged provisions' statuses.
func TestProvisionStatus(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document("# Title\n\n1. First paragraph.\n\n2. Second paragraph here.\n", "members")
	etag := e.mustJSON(200, nil, "GET", docPath(doc, "/versions/1"), "chair", nil).Header.Get("ETag")
	for _, p := range v1.Provisions[:2] {
		r := e.mustJSON(200, nil, "PUT", docPath(doc, "/versions/1/provisions/", p.ID, "/status"), "chair", map[string]string{"status": "agreed"}, "If-Match", etag)
		etag = r.Header.Get("ETag")
	}
	// A chair working from a stale copy is refused.
	stale := e.mustJSON(200, nil, "GET", docPath(doc, "/versions/1"), "chair", nil).Header.Get("ETag")
	if stale != etag {
		t.Fatalf("GET gives ETag %s, PUT gave %s", stale, etag)
	}
	e.mustJSON(200, nil, "PUT", docPath(doc, "/versions/1/provisions/", v1.Provisions[2].ID, "/status"), "chair", map[string]string{"status": "bracketed"})
	e.do("PUT", docPath(doc, "/versions/1/provisions/", v1.Provisions[1].ID, "/status"), "chair", map[string]string{"status": "pending"}, "If-Match", stale).MustStatus(http.StatusPreconditionFailed)
	e.mustJSON(200, nil, "PUT", docPath(doc, "/versions/1/provisions/", v1.Provisions[2].ID, "/status"), "chair", map[string]string{"status": "bracketed"})
	var d drafts.Document
	e.mustJSON(200, &d, "GET", docPath(doc), "KZ", nil)
	if d.Agreement == nil || d.Agreement.AgreedProvisions != 2 || d.Agreement.Provisions != 3 {
		t.Fatalf("agreement = %+v", d.Agreement)
	}
	if got, want := d.Agreement.CleanShareWords, 3.0/6.0; got < want-1e-9 || got > want+1e-9 {
		t.Fatalf("clean share by words = %v, want %v", got, want)
	}
	var v2 version
	e.mustJSON(201, &v2, "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "# Title\n\n1. First paragraph, amended.\n\n2. Second paragraph here.\n"})
	want := map[string]string{v1.Provisions[0].ID: "agreed", v1.Provisions[1].ID: "pending", v1.Provisions[2].ID: "bracketed"}
	for _, p := range v2.Provisions {
		if p.Status != want[p.ID] {
			t.Errorf("provision %s: status %s, want %s", p.Number, p.Status, want[p.ID])
		}
	}
}

// TestConcurrentMerges: 32 merges of different proposals onto one head:
// exactly one new version, the rest 409, no proposal lost or accepted twice.
func TestConcurrentMerges(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
		var ids []string
		for i := 0; i < 32; i++ {
			p := v1.Provisions[1+i%30]
			ids = append(ids, e.propose(doc, []string{"KZ", "IN", "CN", "RU", "TR"}[i%5], 1, replace(p.ID, p.Text+" (rev "+itoa(i)+")")))
		}
		codes := make([]int, 32)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				codes[i] = e.do("POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{ids[i]}}).Status
			}(i)
		}
		wg.Wait()
		winner := -1
		for i, c := range codes {
			switch c {
			case 201:
				if winner >= 0 {
					t.Fatalf("two merges succeeded: %d and %d", winner, i)
				}
				winner = i
			case 409:
			default:
				t.Fatalf("merge %d: status %d", i, c)
			}
		}
		if winner < 0 {
			t.Fatal("no merge succeeded")
		}
		var d drafts.Document
		e.mustJSON(200, &d, "GET", docPath(doc), "KZ", nil)
		if d.Head != 2 {
			t.Fatalf("head = %d, want 2", d.Head)
		}
		for i, id := range ids {
			var p drafts.Proposal
			e.mustJSON(200, &p, "GET", docPath(doc, "/proposals/", id), "KZ", nil)
			want := "open"
			if i == winner {
				want = "accepted"
			}
			if p.Status != want {
				t.Errorf("proposal %d: %s, want %s", i, p.Status, want)
			}
		}
	})
}

// TestConsensus: members consent or object; the chair closes; an observer
// cannot take part; an adopted text is final.
func TestConsensus(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "observers")
	var r drafts.AdoptionRound
	e.mustJSON(201, &r, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "consensus"})
	e.do("POST", docPath(doc, "/adoption/consent"), "observer", nil).MustStatus(http.StatusForbidden)
	e.mustJSON(200, nil, "POST", docPath(doc, "/adoption/consent"), "KZ", nil)
	e.mustJSON(200, nil, "POST", docPath(doc, "/adoption/objection"), "IN", map[string]string{"reason": "Paragraph 7 needs work."})
	// IN withdraws its objection by consenting.
	e.mustJSON(200, &r, "POST", docPath(doc, "/adoption/consent"), "IN", nil)
	if len(r.Objections) != 0 || len(r.Consents) != 2 {
		t.Fatalf("round = %+v", r)
	}
	e.do("POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "1. Changed."}).MustStatus(http.StatusConflict)
	e.mustJSON(200, &r, "POST", docPath(doc, "/adoption/close"), "chair", nil)
	if r.State != "adopted" {
		t.Fatalf("state = %s", r.State)
	}
	var d drafts.Document
	e.mustJSON(200, &d, "GET", docPath(doc), "KZ", nil)
	if d.State != "adopted" || d.Adopted != 1 || d.AdoptedBy != "consensus" {
		t.Fatalf("document = %+v", d)
	}
	e.do("POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "1. Changed."}).MustStatus(http.StatusConflict)
	e.do("POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 1, "text": "1. Changed."}).MustStatus(http.StatusConflict)
	var events struct {
		Items []drafts.Event `json:"items"`
	}
	e.mustJSON(200, &events, "GET", docPath(doc, "/events?limit=500"), "KZ", nil)
	var refused int
	for _, ev := range events.Items {
		if ev.Action == "refused.adopted" {
			refused++
		}
	}
	if refused != 2 {
		t.Fatalf("refused attempts recorded = %d, want 2", refused)
	}
}

// TestSilenceProcedure: kept silence adopts at the deadline, broken silence
// returns the text to negotiation; both with the server restarted between
// opening and deadline, on both backends.
func TestSilenceProcedure(t *testing.T) {
	type reopen func(t *testing.T) drafts.ObjectStore
	stores := map[string]func(t *testing.T) reopen{
		"local": func(t *testing.T) reopen {
			dir := t.TempDir()
			return func(t *testing.T) drafts.ObjectStore {
				l, err := storage.OpenLocal(dir)
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
		},
		"minio": func(t *testing.T) reopen {
			srv := s3test.StartMinIO(t)
			return func(t *testing.T) drafts.ObjectStore {
				s, err := storage.OpenS3(t.Context(), srv.Config())
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		},
	}
	for name, mk := range stores {
		for _, broken := range []bool{false, true} {
			sub := name + "/kept"
			if broken {
				sub = name + "/broken"
			}
			t.Run(sub, func(t *testing.T) {
				open := mk(t)
				store := open(t)
				// Both servers read one clock that the test moves past the
				// deadline, so a slow restart cannot outlast it.
				clock := &settableClock{now: time.Now().UTC()}
				withClock := func(svc *service.Service, _ *api.Server) { svc.Clock = clock.Now }
				e := newEnvWith(t, store, withClock)
				e.forum()
				doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
				// A deadline shorter than the minimum is refused.
				e.do("POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": clock.Now().Add(100 * time.Millisecond)}).MustStatus(http.StatusUnprocessableEntity)
				deadline := clock.Now().Add(2500 * time.Millisecond)
				e.mustJSON(201, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 1, "procedure": "silence", "deadline": deadline})
				// An observer cannot break silence on a members-only text: it does not see it.
				if broken {
					e.do("POST", docPath(doc, "/adoption/objection"), "observer", map[string]string{"reason": "x"}).MustStatus(http.StatusNotFound)
				}
				// Restart: the server and its store go, new ones come.
				e.srv.Close(t.Context())
				store.(storage.Bucket).Close()
				store2 := open(t)
				t.Cleanup(func() { store2.(storage.Bucket).Close() })
				e2 := newEnvWith(t, store2, withClock)
				e2.tokens = e.tokens
				if broken {
					var r drafts.AdoptionRound
					e2.mustJSON(200, &r, "POST", docPath(doc, "/adoption/objection"), "TR", map[string]string{"reason": "We break silence."})
					if r.State != "failed" {
						t.Fatalf("state after breaking silence = %s", r.State)
					}
				}
				clock.Add(deadline.Sub(clock.Now()) + 200*time.Millisecond)
				var r drafts.AdoptionRound
				e2.mustJSON(200, &r, "GET", docPath(doc, "/adoption"), "KZ", nil)
				var d drafts.Document
				e2.mustJSON(200, &d, "GET", docPath(doc), "KZ", nil)
				want, wantDoc := "adopted", "adopted"
				if broken {
					want, wantDoc = "failed", "negotiation"
				}
				if r.State != want || d.State != wantDoc {
					t.Fatalf("broken=%v: round %s, document %s; want %s, %s", broken, r.State, d.State, want, wantDoc)
				}
				if !broken && d.AdoptedBy != "silence" {
					t.Fatalf("adopted by %q", d.AdoptedBy)
				}
			})
		}
	}
}

// TestSilenceSettledOnce: several replicas settling the same due round
// record one adoption.
func TestSilenceSettledOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
		deadline := time.Now().Add(time.Second).UTC()
		e.mustJSON(201, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"procedure": "silence", "deadline": deadline})
		time.Sleep(time.Until(deadline) + 100*time.Millisecond)
		replicas := make([]*testEnv, 4)
		for i := range replicas {
			replicas[i] = newEnv(t, store)
		}
		var wg sync.WaitGroup
		for _, r := range replicas {
			for k := 0; k < 4; k++ {
				wg.Add(1)
				go func(r *testEnv) {
					defer wg.Done()
					if err := r.svc.SettleDue(t.Context()); err != nil {
						t.Error(err)
					}
				}(r)
			}
		}
		wg.Wait()
		var events struct {
			Items []drafts.Event `json:"items"`
		}
		e.mustJSON(200, &events, "GET", docPath(doc, "/events?limit=500"), "KZ", nil)
		adopted := 0
		for _, ev := range events.Items {
			if ev.Action == "adoption.adopted" {
				adopted++
			}
		}
		if adopted != 1 {
			t.Fatalf("adoption recorded %d times", adopted)
		}
		var v drafts.Verification
		e.mustJSON(200, &v, "GET", docPath(doc, "/events/verify"), "KZ", nil)
		if !v.OK {
			t.Fatalf("verify = %+v", v)
		}
	})
}

// TestAuditTrailTamper: changing, removing, reordering or duplicating a
// stored event makes verify name it, on each backend, while the server
// runs. The trail: the document's creation and version 1 (one object,
// events 1 and 2), then a proposal each in events 3, 4 and 5.
func TestAuditTrailTamper(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
		for i := 0; i < 3; i++ {
			e.propose(doc, "KZ", 1, replace(v1.Provisions[i+1].ID, "Text "+itoa(i)))
		}
		verify := func() drafts.Verification {
			var v drafts.Verification
			e.mustJSON(200, &v, "GET", docPath(doc, "/events/verify"), "KZ", nil)
			return v
		}
		if v := verify(); !v.OK || v.Checked != 5 {
			t.Fatalf("fresh trail: %+v", v)
		}
		key := func(seq int) string { return "texts/" + doc + "/events/" + pad(seq) + ".json" }
		get := func(k string) *drafts.Object {
			o, err := store.Get(t.Context(), k)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		// put replaces what key holds and returns a function that puts it back.
		put := func(k string, data []byte) func() {
			o := get(k)
			if _, err := store.Update(t.Context(), k, data, o.ETag); err != nil {
				t.Fatal(err)
			}
			return func() {
				if _, err := store.Update(t.Context(), k, o.Data, get(k).ETag); err != nil {
					t.Fatal(err)
				}
				if v := verify(); !v.OK {
					t.Fatalf("restored trail: %+v", v)
				}
			}
		}
		t.Run("changed", func(t *testing.T) {
			restore := put(key(3), []byte(strings.Replace(string(get(key(3)).Data), `"actor":"`, `"actor":"x`, 1)))
			if v := verify(); v.OK || v.FirstBad == nil || *v.FirstBad != 3 {
				t.Fatalf("verify = %+v, want first bad 3", v)
			}
			restore()
		})
		t.Run("changed in a batch", func(t *testing.T) {
			data := string(get(key(1)).Data)
			i := strings.Index(data, `"more":`)
			if i < 0 {
				t.Fatalf("event 1 holds no batch: %s", data)
			}
			restore := put(key(1), []byte(data[:i]+strings.Replace(data[i:], `"actor":"`, `"actor":"x`, 1)))
			if v := verify(); v.OK || v.FirstBad == nil || *v.FirstBad != 2 {
				t.Fatalf("verify = %+v, want first bad 2", v)
			}
			restore()
		})
		t.Run("reordered", func(t *testing.T) {
			a, b := get(key(3)), get(key(4))
			restoreA := put(key(3), b.Data)
			put(key(4), a.Data)
			if v := verify(); v.OK || v.FirstBad == nil || *v.FirstBad != 3 {
				t.Fatalf("verify = %+v, want first bad 3", v)
			}
			put(key(4), b.Data)
			restoreA()
		})
		t.Run("duplicated", func(t *testing.T) {
			copied := get(key(3))
			if _, err := store.Create(t.Context(), key(6), copied.Data); err != nil {
				t.Fatal(err)
			}
			v := verify()
			var ev drafts.Event
			json.Unmarshal(copied.Data, &ev)
			if v.OK || v.FirstBad == nil || *v.FirstBad != 6 || !slices.Equal(v.Duplicates, []string{ev.Change}) {
				t.Fatalf("verify = %+v, want first bad 6 and %s duplicated", v, ev.Change)
			}
			if err := store.Delete(t.Context(), key(6), ""); err != nil {
				t.Fatal(err)
			}
			if v := verify(); !v.OK {
				t.Fatalf("restored trail: %+v", v)
			}
		})
		t.Run("removed", func(t *testing.T) {
			if err := store.Delete(t.Context(), key(4), ""); err != nil {
				t.Fatal(err)
			}
			if v := verify(); v.OK || v.FirstBad == nil || *v.FirstBad != 4 || len(v.Unrecorded) != 1 {
				t.Fatalf("verify = %+v, want first bad 4 and its change unrecorded", v)
			}
		})
		t.Run("last removed", func(t *testing.T) {
			if err := store.Delete(t.Context(), key(5), ""); err != nil {
				t.Fatal(err)
			}
			if v := verify(); v.OK {
				t.Fatalf("verify = %+v after removing the last event", v)
			}
		})
	})
}

func pad(n int) string {
	s := itoa(n)
	return strings.Repeat("0", 12-len(s)) + s
}

// TestProposalEdgeCases: inserts of several provisions, ids sent by
// clients, replacement texts that would smuggle in provisions, stray
// resolutions, and a proposal too large to apply.
func TestProposalEdgeCases(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p4 := v.provision(t, "The Charter shall define")
	p9 := v.provision(t, "reviewed every four years")

	t.Run("an insert of several provisions survives an unrelated merge and shows whole in the compilation", func(t *testing.T) {
		kz := e.propose(doc, "KZ", 1, map[string]string{"op": "insert", "after": p4.ID, "text": "(e) one;\n\n(f) two."})
		in := e.propose(doc, "IN", 1, replace(p9.ID, "The Catalogue shall be reviewed every five years."))
		var c drafts.Compilation
		e.mustJSON(200, &c, "GET", docPath(doc, "/compilation"), "KZ", nil)
		var texts []string
		for _, entry := range c.Entries {
			if entry.Provision.ID == p4.ID {
				for _, cp := range entry.Proposals {
					texts = append(texts, cp.Text)
				}
			}
		}
		if strings.Join(texts, "|") != "(e) one;|(f) two." {
			t.Fatalf("compilation under provision 4: %q", texts)
		}
		var m mergeResult
		e.mustJSON(201, &m, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{in}})
		if len(m.Obsolete) != 0 {
			t.Fatalf("unrelated merge made proposals obsolete: %v", m.Obsolete)
		}
		var p drafts.Proposal
		e.mustJSON(200, &p, "GET", docPath(doc, "/proposals/", kz), "KZ", nil)
		if p.Status != "open" {
			t.Fatalf("KZ's proposal is %s", p.Status)
		}
	})
	t.Run("clients do not choose provision ids", func(t *testing.T) {
		e.do("POST", docPath(doc, "/proposals"), "CN", map[string]any{
			"base": 2, "operations": []map[string]string{{"op": "insert", "after": p9.ID, "text": "9 bis.", "id": p4.ID}},
		}).MustStatus(http.StatusUnprocessableEntity)
		var p drafts.Proposal
		e.mustJSON(201, &p, "POST", docPath(doc, "/proposals"), "CN", map[string]any{
			"base": 2, "operations": []map[string]string{{"op": "insert", "after": p9.ID, "text": "9 bis."}},
		})
		if p.Operations[0].ID == p4.ID || p.Operations[0].ID == "" {
			t.Fatalf("insert id = %q", p.Operations[0].ID)
		}
	})
	t.Run("a replacement is one provision", func(t *testing.T) {
		for _, text := range []string{"Alpha.\n\n7. Injected paragraph.", "", "Alpha.\r\n\r\n# Heading", "   "} {
			e.do("POST", docPath(doc, "/proposals"), "CN", map[string]any{"base": 2, "operations": []map[string]string{replace(p9.ID, text)}}).MustStatus(http.StatusUnprocessableEntity)
		}
	})
	t.Run("a resolution for a provision no merged proposal changes is refused", func(t *testing.T) {
		tr := e.propose(doc, "TR", 2, replace(p9.ID, "The Catalogue shall be reviewed every six years."))
		e.do("POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 2, "proposals": []string{tr}, "resolutions": map[string]string{p4.ID: "Something else."}}).MustStatus(http.StatusUnprocessableEntity)
	})
	// How fast the refusal comes is for benchmarks, not for a wall
	// clock under a loaded test machine.
	t.Run("a proposal too large is refused", func(t *testing.T) {
		var b strings.Builder
		for i := 0; i < 20000; i++ {
			b.WriteString("(x) item.\n\n")
		}
		ops := []map[string]string{}
		for i := 0; i < 4; i++ {
			ops = append(ops, map[string]string{"op": "insert", "after": p4.ID, "text": b.String()})
		}
		e.do("POST", docPath(doc, "/proposals"), "CN", map[string]any{"base": 2, "operations": ops}).MustStatus(http.StatusUnprocessableEntity)
	})
}
