package drafts_test

import (
	"fmt"
	"testing"

	"chancery/drafts"
)

// TestPaginationStableWhileProposalsArrive: paging through a document's
// proposals while others are made returns every proposal that was there
// at the start exactly once, and nothing twice.
func TestPaginationStableWhileProposalsArrive(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n")
	propose := func(i int) string {
		p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[i%2].ID, Text: fmt.Sprintf("Text %d.", i)}}})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	before := map[string]bool{}
	for i := 0; i < 30; i++ {
		before[propose(i)] = true
	}
	seen := map[string]int{}
	opt := drafts.ListOptions{Limit: 7}
	for pages := 0; ; pages++ {
		page, err := f.svc.ListProposals(f.kz, f.doc, drafts.ProposalFilter{}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > 7 {
			t.Fatalf("page of %d", len(page.Items))
		}
		for _, p := range page.Items {
			seen[p.ID]++
			if p.ETag == "" {
				t.Fatalf("listed proposal %s has no ETag", p.ID)
			}
		}
		for i := 0; i < 3; i++ {
			propose(100 + pages*3 + i)
		}
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	for id := range before {
		if seen[id] != 1 {
			t.Errorf("proposal %s listed %d times", id, seen[id])
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("proposal %s listed %d times", id, n)
		}
	}
}
