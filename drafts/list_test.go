package drafts_test

import (
	"context"
	"fmt"
	"strings"
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

// TestListProposalsStatusFilter: a known status filters the list; a
// mistyped one is refused with a 422 naming the field, rather than an
// empty list that reads as "no proposals".
func TestListProposalsStatusFilter(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n")
	if _, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[0].ID, Text: "Uno."}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status string
		want   int    // proposals listed
		code   string // error code, "" for none
	}{
		{"", 1, ""},
		{drafts.ProposalOpen, 1, ""},
		{drafts.ProposalWithdrawn, 0, ""},
		{drafts.ProposalAcceptedModified, 0, ""},
		{"opn", 0, drafts.EINVALID},
		{"Open", 0, drafts.EINVALID},
		{"open ", 0, drafts.EINVALID},
	} {
		page, err := f.svc.ListProposals(f.kz, f.doc, drafts.ProposalFilter{Status: tc.status}, drafts.ListOptions{})
		if got := drafts.ErrorCode(err); got != tc.code {
			t.Errorf("status %q: error code %q (%v), want %q", tc.status, got, err, tc.code)
			continue
		}
		if err == nil && len(page.Items) != tc.want {
			t.Errorf("status %q: %d proposals, want %d", tc.status, len(page.Items), tc.want)
		}
	}
}

// TestProposalBaseMessages: a proposal without a base is told the base is
// required (JSON without "base" arrives as 0), not that "version 0" does
// not exist; a base that is not a version says so.
func TestProposalBaseMessages(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n")
	ops := []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[0].ID, Text: "Uno."}}
	for _, tc := range []struct {
		base        int
		field, want string // FieldError message and words of the message
	}{
		{0, "required", "base: required"},
		{7, "no such version", "base: no version 7 (the head is 1)"},
		{-2, "no such version", "base: no version -2"},
	} {
		_, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: tc.base, Operations: ops})
		e := drafts.AsError(err)
		if e == nil || e.Code != drafts.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "base" || e.Fields[0].Message != tc.field ||
			!strings.Contains(e.Message, tc.want) {
			t.Errorf("base %d: %#v, want a 422 on field base (%q) saying %q", tc.base, err, tc.field, tc.want)
		}
	}
}

// TestCosponsorTwiceRecordsOnce: a delegation that co-sponsors a proposal
// it already co-sponsors gets the proposal back unchanged, and the audit
// trail records its co-sponsorship once.
func TestCosponsorTwiceRecordsOnce(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n")
	in := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "in", Role: drafts.RoleDelegate, Delegation: "IN", DelegationStatus: drafts.StatusMember})
	p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[0].ID, Text: "Uno."}}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := f.svc.CosponsorProposal(in, f.doc, p.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.svc.CosponsorProposal(in, f.doc, p.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Cosponsors) != 1 || second.Cosponsors[0] != "IN" || second.ETag != first.ETag {
		t.Errorf("second co-sponsorship: cosponsors %v, etag %s (first %s); want [IN], unchanged", second.Cosponsors, second.ETag, first.ETag)
	}
	page, err := f.svc.ListEvents(f.kz, f.doc, drafts.ListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range page.Items {
		if e.Action == "proposal.cosponsor" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d proposal.cosponsor events, want 1", n)
	}
}
