package api_test

import (
	"net/http"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestReplicasNeverServeStale: two servers on one bucket, each with its
// caches warm; whatever one changes, the other shows on its next request:
// a withdrawn proposal, a new head, a status, a closed round, a revoked
// token (TestRevocation).
func TestReplicasNeverServeStale(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		a := newEnv(t, store)
		b := newEnv(t, store)
		a.forum()
		b.tokens = a.tokens
		doc, v1 := a.document("1. One.\n\n2. Two.\n\n3. Three.\n", "members")
		p := a.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Uno."))

		var d drafts.Document
		var prop drafts.Proposal
		var page struct {
			Items []drafts.Proposal `json:"items"`
		}
		var comp drafts.Compilation
		warm := func() {
			b.mustJSON(200, &d, "GET", docPath(doc), "KZ", nil)
			b.mustJSON(200, nil, "GET", docPath(doc, "/versions/1"), "KZ", nil)
			b.mustJSON(200, &prop, "GET", docPath(doc, "/proposals/", p), "KZ", nil)
			b.mustJSON(200, &page, "GET", docPath(doc, "/proposals?status=open"), "KZ", nil)
			b.mustJSON(200, &comp, "GET", docPath(doc, "/compilation"), "KZ", nil)
		}
		warm()
		if prop.Status != "open" || len(page.Items) != 1 || len(comp.Entries[0].Proposals) != 1 {
			t.Fatalf("before: %s, %d open, compilation %+v", prop.Status, len(page.Items), comp.Entries[0])
		}

		// Commented on a: the comment is in b's list (the proposal's
		// status, which the filter reads, has not changed).
		a.mustJSON(201, nil, "POST", docPath(doc, "/proposals/", p, "/comments"), "KZ", map[string]string{"text": "Seen on a."})
		var all struct {
			Items []drafts.Proposal `json:"items"`
		}
		b.mustJSON(200, &all, "GET", docPath(doc, "/proposals"), "KZ", nil)
		if len(all.Items) != 1 || len(all.Items[0].Comments) != 1 {
			t.Fatalf("after a comment on a, b lists %+v", all.Items)
		}

		// Withdrawn on a: gone from b's lists and compilation.
		a.mustJSON(200, nil, "POST", docPath(doc, "/proposals/", p, "/withdraw"), "KZ", nil)
		warm()
		if prop.Status != "withdrawn" || len(page.Items) != 0 || len(comp.Entries[0].Proposals) != 0 {
			t.Fatalf("after withdrawal, b sees %s, %d open, compilation %+v", prop.Status, len(page.Items), comp.Entries[0])
		}

		// A new head on a.
		a.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 1, "text": "1. One.\n\n2. Two.\n\n3. Three.\n\n4. Four.\n", "message": "m"})
		warm()
		var v2 version
		b.mustJSON(200, &v2, "GET", docPath(doc, "/versions/2"), "KZ", nil)
		if d.Head != 2 || !strings.Contains(v2.Text, "Four") || comp.Version != 2 {
			t.Fatalf("after a new version, b sees head %d, compilation of %d, %q", d.Head, comp.Version, v2.Text)
		}

		// A status set on a.
		a.mustJSON(200, nil, "PUT", docPath(doc, "/versions/2/provisions/", v1.Provisions[1].ID, "/status"), "chair", map[string]string{"status": "agreed"})
		b.mustJSON(200, &v2, "GET", docPath(doc, "/versions/2"), "KZ", nil)
		if v2.provision(t, "Two").Status != "agreed" {
			t.Fatalf("after a status change, b sees %+v", v2.Provisions)
		}

		// A round opened and closed on a.
		var round drafts.AdoptionRound
		a.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "consensus"})
		b.mustJSON(200, &round, "GET", docPath(doc, "/adoption"), "KZ", nil)
		if round.State != drafts.RoundOpen {
			t.Fatalf("b sees the round %s", round.State)
		}
		a.mustJSON(200, nil, "POST", docPath(doc, "/adoption/close"), "chair", nil)
		b.mustJSON(200, &round, "GET", docPath(doc, "/adoption"), "KZ", nil)
		b.mustJSON(200, &d, "GET", docPath(doc), "KZ", nil)
		if round.State != drafts.RoundAdopted || d.State != drafts.StateAdopted || d.Adopted != 2 {
			t.Fatalf("after closing, b sees round %s, document %s (adopted %d)", round.State, d.State, d.Adopted)
		}
	})
}
