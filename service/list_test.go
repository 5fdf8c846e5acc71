package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
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

// TestOpenProposalsAsListed: the open proposals the document page shows
// are those the list of open proposals gives, in the order they were
// made, numbered, without the whole text sent and the audit entries; a
// second reader, nothing changed, gets the same ones without a read.
func TestOpenProposalsAsListed(t *testing.T) {
	store := &classStore{ObjectStore: MustOpenLocal(t), ops: map[string]int{}}
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n\n3. Three.\n")
	var made []string
	for i, del := range []string{"KZ", "IN", "RU", "FR"} {
		p, err := f.svc.CreateProposal(delegate("u"+del, del), f.doc, drafts.ProposalInput{Base: 1, Justification: "why " + del,
			Text: fmt.Sprintf("1. One %d.\n\n2. Two.\n\n3. Three.\n", i)})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p.ID)
	}
	if _, err := f.svc.WithdrawProposal(delegate("uIN", "IN"), f.doc, made[1], ""); err != nil {
		t.Fatal(err)
	}
	listed, err := f.svc.ListProposals(f.kz, f.doc, drafts.ProposalFilter{Status: drafts.ProposalOpen}, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*drafts.Proposal{}
	for _, p := range listed.Items {
		byID[p.ID] = p
	}
	f.svc.Drain() // the index, made after the first list
	open, err := f.svc.OpenProposals(f.kz, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range open {
		ids = append(ids, p.ID)
		want := *byID[p.ID]
		if want.ID == "" || p.Text != "" || p.Audit != nil || p.Number != want.Number || p.Number == 0 ||
			p.ETag != want.ETag || p.Justification != want.Justification || p.Delegation != want.Delegation {
			t.Errorf("open proposal %+v, listed as %+v", p, want)
		}
	}
	if want := []string{made[0], made[2], made[3]}; !slices.Equal(ids, want) {
		t.Errorf("open proposals %v, want %v (in the order made, the withdrawn one left out)", ids, want)
	}
	store.take()
	again, err := f.svc.OpenProposals(f.kz, f.doc)
	if err != nil || len(again) != len(open) || again[0] != open[0] {
		t.Fatalf("a second reader: %v, %v: not the proposals made for the first", again, err)
	}
	for op, n := range store.take() {
		if (strings.HasPrefix(op, "GET ") || strings.HasPrefix(op, "LIST ")) && strings.Contains(op, "/proposals/") {
			t.Errorf("a second reader, nothing changed: %s %d times", op, n)
		}
	}
	if _, err := f.svc.OpenProposals(f.kz, "nodoc"); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("no such document: %v, want ENOTFOUND", err)
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

// TestListsReadOnlyWhatChanged: a page of proposals is the document's
// record and one read of the end of its trail, once this process has
// listed the proposals (its first page, answered from a listing while
// the index is made from another, after the trail's hint) and read those
// listed; a fresh replica reads each once. Whatever another replica
// changes (a comment, a withdrawal) is read again at once: its event on
// the trail names it.
func TestListsReadOnlyWhatChanged(t *testing.T) {
	store := newCountingStore(MustOpenLocal(t))
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	var ids []string
	for i := 0; i < 40; i++ {
		p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[i%2].ID, Text: fmt.Sprintf("Text %d.", i)}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	replica := service.New(store, diffing.New(), MustPolicy(t))
	listOn := func(svc *service.Service, filter drafts.ProposalFilter) []*drafts.Proposal {
		t.Helper()
		page, err := svc.ListProposals(f.kz, f.doc, filter, drafts.ListOptions{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		svc.Drain() // the index, made in the background
		return page.Items
	}
	for _, tc := range []struct {
		name      string
		svc       *service.Service
		wantLists int
		// the document's record, the trail's hint (unless this replica
		// wrote it), the end of the trail, and the proposals read
		wantGets int
	}{
		{"on the replica that made them", f.svc, 2, 1 + 1},
		{"on a fresh replica", replica, 2, 1 + 1 + 1 + 40},
		{"on that replica again", replica, 0, 1 + 1},
	} {
		store.take()
		if got := listOn(tc.svc, drafts.ProposalFilter{}); len(got) != 40 {
			t.Fatalf("%s: %d proposals listed", tc.name, len(got))
		}
		if ops := store.take(); ops["list"] != tc.wantLists || ops["get"] != tc.wantGets || total(ops) != tc.wantLists+tc.wantGets {
			t.Errorf("%s: a page of 40 proposals made %v, want %d lists and %d gets", tc.name, ops, tc.wantLists, tc.wantGets)
		}
	}

	// Changed on the first replica: the other reads those two again, and
	// shows them as they are now.
	if _, err := f.svc.CommentProposal(f.kz, f.doc, ids[3], "Please consider.", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.WithdrawProposal(f.kz, f.doc, ids[7], ""); err != nil {
		t.Fatal(err)
	}
	store.take()
	got := listOn(replica, drafts.ProposalFilter{})
	// The document, the two events, the two proposals, the trail's end.
	if ops := store.take(); ops["get"] != 1+2+2+1 || total(ops) != 6 {
		t.Errorf("after two changes elsewhere the list made %v, want 6 gets", ops)
	}
	byID := map[string]*drafts.Proposal{}
	for _, p := range got {
		byID[p.ID] = p
	}
	if p := byID[ids[3]]; p == nil || len(p.Comments) != 1 {
		t.Errorf("commented proposal listed as %+v", p)
	}
	if p := byID[ids[7]]; p == nil || p.Status != drafts.ProposalWithdrawn {
		t.Errorf("withdrawn proposal listed as %+v", p)
	}
	if open := listOn(replica, drafts.ProposalFilter{Status: drafts.ProposalOpen}); len(open) != 39 {
		t.Errorf("%d open proposals listed, want 39", len(open))
	}
	// What a caller does to a listed proposal is its own copy.
	byID[ids[3]].Comments[0].Text = "changed by the caller"
	if again := listOn(replica, drafts.ProposalFilter{}); again[0].ID == "" || findComment(again, ids[3]) != "Please consider." {
		t.Errorf("a caller's change to a listed proposal reached the cache")
	}

	// Documents: one listing, and no read of a document seen before.
	sec := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "sec", Role: drafts.RoleSecretariat})
	for i, want := range []int{1, 0} {
		store.take()
		page, err := replica.ListDocuments(sec, drafts.ListOptions{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("documents: %v, %v", page, err)
		}
		if ops := store.take(); ops["list"] != 1 || ops["get"] != want {
			t.Errorf("documents page %d made %v, want 1 list and %d gets", i+1, ops, want)
		}
	}
}

func findComment(ps []*drafts.Proposal, id string) string {
	for _, p := range ps {
		if p.ID == id && len(p.Comments) > 0 {
			return p.Comments[0].Text
		}
	}
	return ""
}

// TestProposalsStoredBeforeFolders: proposals stored where they were kept
// before ids named a folder are still read, listed once, changed where they
// are and merged, beside proposals stored in folders.
func TestProposalsStoredBeforeFolders(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n\n3. Three.\n")
	ctx := context.Background()
	var ids []string
	for i := 0; i < 3; i++ {
		p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[i].ID, Text: fmt.Sprintf("Text %d.", i)}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	// The first two as an earlier Chancery stored them.
	prefix := "texts/" + f.doc + "/proposals/"
	for _, id := range ids[:2] {
		key := prefix + id[:1] + "/" + id + ".json"
		obj, err := local.Get(ctx, key)
		if err != nil {
			t.Fatalf("proposal %s is not at %s: %v", id, key, err)
		}
		if _, err := local.Create(ctx, prefix+id+".json", obj.Data); err != nil {
			t.Fatal(err)
		}
		if err := local.Delete(ctx, key, ""); err != nil {
			t.Fatal(err)
		}
	}
	svc := service.New(local, diffing.New(), MustPolicy(t)) // nothing cached
	for _, id := range ids {
		if p, err := svc.GetProposal(f.kz, f.doc, id); err != nil || p.Status != drafts.ProposalOpen {
			t.Fatalf("proposal %s: %+v, %v", id, p, err)
		}
	}
	seen := map[string]int{}
	opt := drafts.ListOptions{Limit: 1}
	for {
		page, err := svc.ListProposals(f.kz, f.doc, drafts.ProposalFilter{}, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			seen[p.ID]++
		}
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("proposal %s listed %d times in pages of one: %v", id, seen[id], seen)
		}
	}
	// Changed in place, merged, and settled in place.
	if _, err := svc.CommentProposal(f.kz, f.doc, ids[0], "Still here.", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: ids[:2], Message: "m"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:2] {
		p, err := svc.GetProposal(f.kz, f.doc, id)
		if err != nil || p.Status != drafts.ProposalAccepted {
			t.Errorf("merged proposal %s: %+v, %v", id, p, err)
		}
		if _, err := local.Get(ctx, prefix+id[:1]+"/"+id+".json"); !drafts.IsCode(err, drafts.ENOTFOUND) {
			t.Errorf("proposal %s was copied into a folder (%v): it must stay where it is", id, err)
		}
	}
	if p, _ := svc.GetProposal(f.kz, f.doc, ids[0]); p == nil || len(p.Comments) != 1 {
		t.Errorf("comment on the proposal stored before folders: %+v", p)
	}
}
