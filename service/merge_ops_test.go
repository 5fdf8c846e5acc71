package service_test

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
	"chancery/storage"
)

// classStore counts the operations on a store by kind and class of key
// (the key with its ids and numbers taken out), to say where a request's
// storage operations go.
type classStore struct {
	drafts.ObjectStore
	mu  sync.Mutex
	ops map[string]int
}

// keyWords are the parts of keys that are not ids or numbers.
var keyWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("documents texts versions summaries status proposals rounds events translations numbers directory users tokens delegations events-head.json positions.json numbering.json focus.json symbols") {
		keyWords[w] = true
	}
}

func (c *classStore) count(op, key string) {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		if p != "" && !keyWords[p] {
			parts[i] = "*" + path.Ext(p)
		}
	}
	class := strings.Join(parts, "/")
	c.mu.Lock()
	c.ops[op+" "+class]++
	c.mu.Unlock()
}

// take returns the counts so far and starts again from zero.
func (c *classStore) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.ops
	c.ops = map[string]int{}
	return out
}

func (c *classStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	c.count("GET", key)
	return c.ObjectStore.Get(ctx, key)
}

func (c *classStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	c.count("PUT(create)", key)
	return c.ObjectStore.Create(ctx, key, data)
}

func (c *classStore) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	c.count("PUT(if-match)", key)
	return c.ObjectStore.Update(ctx, key, data, ifMatch)
}

func (c *classStore) Delete(ctx context.Context, key, ifMatch string) error {
	c.count("DELETE", key)
	return c.ObjectStore.Delete(ctx, key, ifMatch)
}

func (c *classStore) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	c.count("LIST", prefix)
	return c.ObjectStore.List(ctx, prefix, after, limit)
}

// describeOps lists ops by kind and class, most first.
func describeOps(ops map[string]int) string {
	var ks []string
	for k := range ops {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if ops[ks[i]] != ops[ks[j]] {
			return ops[ks[i]] > ops[ks[j]]
		}
		return ks[i] < ks[j]
	})
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "%4d %s\n", ops[k], k)
	}
	return b.String()
}

// BenchmarkMergeStorageOps counts the storage operations of a merge of 28
// proposals (the merge fixture) on a replica that created them, as the
// chair's merge runs after the delegations proposed on the same server:
// storage-ops/merge is the figure of issue 26 (at most 40), the rest are
// by kind. -v logs them by class of key.
func BenchmarkMergeStorageOps(b *testing.B) {
	var all map[string]int
	for i := 0; i < b.N; i++ {
		local, err := storage.OpenLocal(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		store := &classStore{ObjectStore: local, ops: map[string]int{}}
		f := newMergeFixtureOn(b, store)
		store.take()
		res, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: f.proposals, Resolutions: f.resolutions, Message: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Version.Merged) != 28 {
			b.Fatalf("merged %d", len(res.Version.Merged))
		}
		f.svc.Drain() // the trail's hint, moved after the answer, counts
		all = store.take()
		local.Close()
	}
	kinds := map[string]int{}
	for k, n := range all {
		kinds[strings.Fields(k)[0]] += n
	}
	b.ReportMetric(float64(total(all)), "storage-ops/merge")
	for k, n := range kinds {
		b.ReportMetric(float64(n), strings.ToLower(strings.TrimSuffix(strings.ReplaceAll(k, "(", "-"), ")"))+"/merge")
	}
	b.Logf("storage operations of one merge of 28 proposals:\n%s", describeOps(all))
}

// TestMergeReadsWhatChanged: a merge takes the proposals it names from one
// listing of the document's proposals, reading only those this replica has
// not decoded at the listed ETag: a proposal edited on another replica is
// read again (once) and merged as edited, the others are not read; proposals
// named by number are the same proposals; a name of no proposal refuses
// the merge and changes nothing.
func TestMergeReadsWhatChanged(t *testing.T) {
	local, err := storage.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	store := &classStore{ObjectStore: local, ops: map[string]int{}}
	f := newMergeFixtureOn(t, store)
	other := service.New(store, diffing.New(), MustPolicy(t))
	del := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "u5", Role: drafts.RoleDelegate, Delegation: "D05", DelegationStatus: drafts.StatusMember})
	p, err := other.GetProposal(del, f.doc, f.proposals[5])
	if err != nil {
		t.Fatal(err)
	}
	ops := p.Operations
	ops[0].Text = "Edited on the other replica."
	if _, err := other.EditProposal(del, f.doc, p.ID, drafts.ProposalInput{Base: 1, Justification: "edited", Operations: ops}, p.ETag); err != nil {
		t.Fatal(err)
	}

	names := append([]string{}, f.proposals...)
	names[7] = "8" // proposals are numbered in order of submission
	names = append(names, "1")
	store.take()
	_, err = f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: append(names, "nosuchproposal"), Resolutions: f.resolutions})
	if e := drafts.AsError(err); e == nil || e.Code != drafts.EINVALID || !strings.Contains(e.Message, "nosuchproposal") {
		t.Fatalf("merge naming no proposal: %v, want EINVALID naming it", err)
	}
	got := store.take()
	for k, n := range got {
		if !strings.HasPrefix(k, "GET") && !strings.HasPrefix(k, "LIST") {
			t.Errorf("refused merge made %d %s", n, k)
		}
	}
	if n := got["GET texts/*/proposals/*/*.json"]; n != 1 {
		t.Errorf("merge read %d proposals, want only the one edited on the other replica:\n%s", n, describeOps(got))
	}
	res, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: names, Resolutions: f.resolutions, Message: "merge"})
	if err != nil {
		t.Fatal(err)
	}
	// The edited proposal was read by the refused merge: now none is.
	got = store.take()
	if n := got["GET texts/*/proposals/*/*.json"]; n != 0 {
		t.Errorf("merge read %d proposals, want none:\n%s", n, describeOps(got))
	}
	if len(res.Version.Merged) != 28 {
		t.Errorf("merged %d proposals, want 28", len(res.Version.Merged))
	}
	if !strings.Contains(res.Version.Text(), "Edited on the other replica.") {
		t.Error("the merged version does not hold the proposal as edited on the other replica")
	}
	for _, id := range f.proposals {
		p, err := other.GetProposal(f.chair, f.doc, id)
		if err != nil || (p.Status != drafts.ProposalAccepted && p.Status != drafts.ProposalAcceptedModified) || p.MergedInto != 2 {
			t.Errorf("proposal %s after the merge: %+v, %v", id, p, err)
		}
	}
}

// TestProposalStorageOps: a delegation never changes once made, so a
// replica reads it once, not for every proposal that names it; and a
// proposal makes no more operations than it needs (the document, the
// trail's head, its number, itself and its event, and now and then the
// trail's hint).
func TestProposalStorageOps(t *testing.T) {
	store := &classStore{ObjectStore: MustOpenLocal(t), ops: map[string]int{}}
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n\n3. Three.\n")
	sec := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "sec", Role: drafts.RoleSecretariat})
	if err := f.svc.CreateDelegation(sec, &drafts.Delegation{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember}); err != nil {
		t.Fatal(err)
	}
	kz := delegate("uKZ", "KZ")
	for i := range 3 {
		store.take()
		p, err := f.svc.CreateProposal(kz, f.doc, drafts.ProposalInput{Base: 1, Justification: "why",
			Text: fmt.Sprintf("1. One %d.\n\n2. Two.\n\n3. Three.\n", i)})
		if err != nil {
			t.Fatal(err)
		}
		f.svc.Drain()
		got := store.take()
		if n := got["GET directory/delegations/*.json"]; n != 0 && i > 0 {
			t.Errorf("proposal %d read its delegation %d times, read already:\n%s", p.Number, n, describeOps(got))
		}
		// The trail's hint is moved now and then (the seventh).
		if n := total(got); n > 7 && i > 0 {
			t.Errorf("proposal %d made %d storage operations, want at most 7:\n%s", p.Number, n, describeOps(got))
		}
		if i == 2 {
			t.Logf("storage operations of a proposal:\n%s", describeOps(got))
		}
	}
	pr, err := f.svc.GetProposal(kz, f.doc, "3")
	if err != nil {
		t.Fatal(err)
	}
	if es, err := f.svc.ListEvents(f.chair, f.doc, drafts.ListOptions{Limit: 100}); err != nil || !strings.Contains(es.Items[len(es.Items)-1].Detail, "Kazakhstan") {
		t.Errorf("the last event does not name proposal %d's delegation: %v", pr.Number, err)
	}
}
