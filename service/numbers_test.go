package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// replace is a replace operation.
func replaceOp(provision, text string) drafts.Operation {
	return drafts.Operation{Op: drafts.OpReplace, Provision: provision, Text: text}
}

// TestProposalNumbers: proposals are numbered 1, 2, 3 in order of
// submission; a number names the proposal as its id does (the same
// object, the same ETag); a withdrawn proposal keeps its number and the
// next proposal does not reuse it; a number no proposal has is not found.
func TestProposalNumbers(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n\n3. Three.\n")
	var ps []*drafts.Proposal
	for i := 0; i < 3; i++ {
		p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[i].ID, fmt.Sprintf("Text %d.", i))}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Number != i+1 {
			t.Errorf("proposal %d has number %d", i+1, p.Number)
		}
		ps = append(ps, p)
	}
	for _, p := range ps {
		byID, err := f.svc.GetProposal(f.kz, f.doc, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		byNumber, err := f.svc.GetProposal(f.kz, f.doc, fmt.Sprint(p.Number))
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(byID)
		b, _ := json.Marshal(byNumber)
		if string(a) != string(b) || byID.ETag != byNumber.ETag || byID.ETag == "" {
			t.Errorf("proposal %d by number:\n%s (%s)\nby id:\n%s (%s)", p.Number, b, byNumber.ETag, a, byID.ETag)
		}
	}
	if _, err := f.svc.WithdrawProposal(f.kz, f.doc, "2", ""); err != nil {
		t.Fatal(err)
	}
	p4, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[1].ID, "Again.")}})
	if err != nil {
		t.Fatal(err)
	}
	if p4.Number != 4 {
		t.Errorf("after a withdrawal the next proposal is number %d, want 4", p4.Number)
	}
	for _, ref := range []string{"5", "0", "04"} {
		if _, err := f.svc.GetProposal(f.kz, f.doc, ref); !drafts.IsCode(err, drafts.ENOTFOUND) {
			t.Errorf("proposal %q: %v, want ENOTFOUND", ref, err)
		}
	}
	if _, err := f.svc.GetProposal(f.kz, f.doc, "5"); err == nil || !strings.Contains(drafts.ErrorMessage(err), "no proposal 5") {
		t.Errorf("proposal 5: %v, want \"no proposal 5\"", err)
	}
	// A number names the proposal to every method: a comment by number.
	if p, err := f.svc.CommentProposal(f.kz, f.doc, "3", "By number.", ""); err != nil || p.ID != ps[2].ID || len(p.Comments) != 1 {
		t.Errorf("comment on proposal 3: %+v, %v", p, err)
	}
}

// failingCreate fails the creation of keys containing match, once each
// time armed, as an unreachable store would.
type failingCreate struct {
	drafts.ObjectStore
	mu    sync.Mutex
	match string
	armed int
}

func (f *failingCreate) Create(ctx context.Context, key string, data []byte) (string, error) {
	f.mu.Lock()
	fail := f.armed > 0 && strings.Contains(key, f.match)
	if fail {
		f.armed--
	}
	f.mu.Unlock()
	if fail {
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "storage unreachable")
	}
	return f.ObjectStore.Create(ctx, key, data)
}

// TestFailedProposalLeavesAGapOfOne: a proposal whose storing fails after
// its number was claimed leaves that number unused, never given again:
// the gap is the failed request's, and nothing else stays behind.
func TestFailedProposalLeavesAGapOfOne(t *testing.T) {
	store := &failingCreate{ObjectStore: MustOpenLocal(t), match: "/proposals/"}
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	in := drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "Uno.")}}
	if p, err := f.svc.CreateProposal(f.kz, f.doc, in); err != nil || p.Number != 1 {
		t.Fatalf("first: %+v, %v", p, err)
	}
	store.mu.Lock()
	store.armed = 1
	store.mu.Unlock()
	if _, err := f.svc.CreateProposal(f.kz, f.doc, in); !drafts.IsCode(err, drafts.EUNAVAILABLE) {
		t.Fatalf("second: %v, want EUNAVAILABLE", err)
	}
	p, err := f.svc.CreateProposal(f.kz, f.doc, in)
	if err != nil || p.Number != 3 {
		t.Fatalf("third: %+v, %v; want number 3 (2 was claimed by the failed request)", p, err)
	}
	if _, err := f.svc.GetProposal(f.kz, f.doc, "2"); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("proposal 2: %v, want ENOTFOUND", err)
	}
	page, err := f.svc.ListProposals(f.kz, f.doc, drafts.ProposalFilter{}, drafts.ListOptions{})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("list: %d proposals, %v", len(page.Items), err)
	}
}

// TestConcurrentNumbersTwoServices: two services on one store (replicas)
// make 64 proposals at once; they get 64 distinct numbers, 1 to 64. (The
// HTTP test does the same on MinIO.)
func TestConcurrentNumbersTwoServices(t *testing.T) {
	store := MustOpenLocal(t)
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	other := service.New(store, diffing.New(), MustPolicy(t))
	svcs := []*service.Service{f.svc, other}
	numbers := make([]int, 64)
	errs := make([]error, 64)
	var wg sync.WaitGroup
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[i%2].ID, fmt.Sprintf("Text %d.", i))}}
			p, err := svcs[i%2].CreateProposal(f.kz, f.doc, in)
			if err == nil {
				numbers[i] = p.Number
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	seen := map[int]bool{}
	for i, n := range numbers {
		if errs[i] != nil {
			t.Fatalf("proposal %d: %v", i, errs[i])
		}
		if seen[n] || n < 1 || n > 64 {
			t.Errorf("number %d given twice or out of 1..64", n)
		}
		seen[n] = true
	}
}

// unnumber makes the document's proposals as a Chancery before numbers
// stored them (unnumberAll).
func unnumber(t *testing.T, store drafts.ObjectStore, doc string) {
	t.Helper()
	if err := unnumberAll(store, doc); err != nil {
		t.Fatal(err)
	}
}

// TestProposalsStoredBeforeNumbers: proposals stored before numbers
// existed are numbered in the order they were made when first met, the
// same by two services meeting them at once, with one event; numbers go
// on after them.
func TestProposalsStoredBeforeNumbers(t *testing.T) {
	store := MustOpenLocal(t)
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n\n3. Three.\n")
	clock := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	f.svc.Clock = func() time.Time { return clock }
	var ids []string
	// Made in the order 0, 1, 2, at times the ids do not sort by.
	for i := 0; i < 3; i++ {
		clock = clock.Add(time.Minute)
		p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[i].ID, fmt.Sprintf("Text %d.", i))}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	unnumber(t, store, f.doc)

	a := service.New(store, diffing.New(), MustPolicy(t))
	b := service.New(store, diffing.New(), MustPolicy(t))
	var wg sync.WaitGroup
	got := make([]map[string]int, 2)
	for i, svc := range []*service.Service{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = map[string]int{}
			page, err := svc.ListProposals(f.kz, f.doc, drafts.ProposalFilter{}, drafts.ListOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			for _, p := range page.Items {
				got[i][p.ID] = p.Number
			}
		}()
	}
	wg.Wait()
	for i, id := range ids {
		for s := range got {
			if got[s][id] != i+1 {
				t.Errorf("service %d: proposal made %d-th has number %d", s, i+1, got[s][id])
			}
		}
		if p, err := a.GetProposal(f.kz, f.doc, fmt.Sprint(i+1)); err != nil || p.ID != id {
			t.Errorf("proposal %d: %+v, %v", i+1, p, err)
		}
	}
	p, err := b.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{replaceOp(f.v.Provisions[0].ID, "New.")}})
	if err != nil || p.Number != 4 {
		t.Fatalf("next proposal: %+v, %v; want number 4", p, err)
	}
	events, err := a.ListEvents(f.kz, f.doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	numbered := 0
	for _, e := range events.Items {
		if e.Action == "proposal.numbered" {
			numbered++
			if e.Actor != "system" || !strings.Contains(e.Detail, "1 = "+ids[0]) || !strings.Contains(e.Detail, "3 = "+ids[2]) {
				t.Errorf("numbering event %+v", e)
			}
		}
	}
	if numbered != 1 {
		t.Errorf("%d numbering events, want 1", numbered)
	}
	if v, err := a.VerifyEvents(f.kz, f.doc); err != nil || !v.OK {
		t.Errorf("verify: %+v, %v", v, err)
	}
}
