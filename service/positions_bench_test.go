package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
)

// keyedStore counts storage operations by the key (or prefix) they touch.
type keyedStore struct {
	drafts.ObjectStore
	mu  sync.Mutex
	ops []string // "get texts/…", "list texts/…/proposals/"
}

func (k *keyedStore) note(op, key string) {
	k.mu.Lock()
	k.ops = append(k.ops, op+" "+key)
	k.mu.Unlock()
}

func (k *keyedStore) take() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := k.ops
	k.ops = nil
	return out
}

func (k *keyedStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	k.note("get", key)
	return k.ObjectStore.Get(ctx, key)
}

func (k *keyedStore) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	k.note("list", prefix)
	return k.ObjectStore.List(ctx, prefix, after, limit)
}

func (k *keyedStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	k.note("create", key)
	return k.ObjectStore.Create(ctx, key, data)
}

func (k *keyedStore) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	k.note("update", key)
	return k.ObjectStore.Update(ctx, key, data, ifMatch)
}

// stateBench is a document of 300 provisions (10 clusters of a heading
// and 29 paragraphs) in 5 versions with statuses set, 200 open proposals
// by 28 delegations and 100 open positions.
type stateBench struct {
	svc   *service.Service
	store *keyedStore
	chair context.Context
	doc   string
	head  int
}

func newStateBench(tb testing.TB) *stateBench {
	tb.Helper()
	local, err := storage.OpenLocal(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { local.Close() })
	f := &stateBench{store: &keyedStore{ObjectStore: local}}
	f.svc = service.New(f.store, diffing.New(), MustPolicy(tb))
	f.svc.Renderer = render.New(render.WithDeterministic(true))
	f.chair = drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"})
	var b strings.Builder
	for c := 1; c <= 10; c++ {
		fmt.Fprintf(&b, "# Cluster %d\n\n", c)
		for p := 1; p <= 29; p++ {
			fmt.Fprintf(&b, "%d. The Member States shall cooperate on measure %d of cluster %d and report to the Senior Officials Committee every year.\n\n", (c-1)*29+p, p, c)
		}
	}
	text := strings.TrimSuffix(b.String(), "\n")
	d, v, err := f.svc.CreateDocument(f.chair, &drafts.Document{Symbol: "B/STATE", Title: "Bench", Kind: "other", Body: "SWG", Language: "en", Visibility: drafts.VisibilityMembers}, text)
	if err != nil {
		tb.Fatal(err)
	}
	if len(v.Provisions) != 300 {
		tb.Fatalf("%d provisions", len(v.Provisions))
	}
	f.doc = d.ID
	statuses := []string{drafts.ProvisionAgreed, drafts.ProvisionAgreedAdRef, drafts.ProvisionBracketed}
	for n := 1; n <= 5; n++ {
		if n > 1 {
			text = strings.Replace(text, fmt.Sprintf("measure %d of cluster 1 ", n), fmt.Sprintf("measure %d of cluster 1 (revised in version %d) ", n, n), 1)
			if _, err := f.svc.CreateVersion(f.chair, f.doc, n-1, text, "revision"); err != nil {
				tb.Fatal(err)
			}
		}
		for i := 0; i < 40; i++ {
			p := v.Provisions[(n*40+i*7)%300]
			if _, _, err := f.svc.SetProvisionStatus(f.chair, f.doc, n, p.ID, statuses[i%3], ""); err != nil {
				tb.Fatal(err)
			}
		}
	}
	f.head = 5
	delegate := func(k int) context.Context {
		return drafts.NewContextWithUser(context.Background(), &drafts.User{ID: fmt.Sprintf("u%d", k), Role: drafts.RoleDelegate,
			Delegation: fmt.Sprintf("D%02d", k), DelegationStatus: drafts.StatusMember})
	}
	for i := 0; i < 200; i++ {
		p := v.Provisions[(i*13)%300]
		if _, err := f.svc.CreateProposal(delegate(i%28), f.doc, drafts.ProposalInput{Base: 1 + i%5, Justification: "bench",
			Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p.ID, Text: fmt.Sprintf("Proposal %d's words.", i)}}}); err != nil {
			tb.Fatal(err)
		}
	}
	kinds := drafts.PositionKinds()
	for i := 0; i < 100; i++ {
		in := drafts.PositionInput{Provision: v.Provisions[(i*3)%300].ID, Kind: kinds[i%len(kinds)], Text: "Our position."}
		if in.Kind == drafts.PositionCannotJoin && i%2 == 0 {
			in.Provision = ""
		}
		if _, err := f.svc.RecordPosition(delegate(i%28), f.doc, in); err != nil {
			tb.Fatal(err)
		}
	}
	return f
}

// beyondHead returns the operations of ops that do not read the head
// (the document, the head version and its statuses).
func (f *stateBench) beyondHead(ops []string) []string {
	var out []string
	for _, op := range ops {
		switch op {
		case "get documents/" + f.doc + ".json",
			fmt.Sprintf("get texts/%s/versions/%08d.json", f.doc, f.head),
			fmt.Sprintf("get texts/%s/status/%08d.json", f.doc, f.head):
			continue
		}
		out = append(out, op)
	}
	return out
}

// TestStateOfPlayStorageOperations: once the objects are in the cache (a
// replica that has served the document before), the state of play of 300
// provisions, 200 open proposals and 100 positions costs at most three
// storage operations beyond reading the head.
func TestStateOfPlayStorageOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large fixture")
	}
	f := newStateBench(t)
	f.store.take()
	first, err := f.svc.StateOfPlay(f.chair, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	cold := f.store.take()
	if first.OpenProposals != 200 || first.OpenPositions != 100 || len(first.Items) != 300 || len(first.History) != 5 {
		t.Fatalf("the fixture: %d proposals, %d positions, %d provisions, %d versions", first.OpenProposals, first.OpenPositions, len(first.Items), len(first.History))
	}
	if _, err := f.svc.StateOfPlay(f.chair, f.doc); err != nil {
		t.Fatal(err)
	}
	warm := f.store.take()
	replica := service.New(f.store, diffing.New(), MustPolicy(t))
	if _, err := replica.StateOfPlay(f.chair, f.doc); err != nil {
		t.Fatal(err)
	}
	fresh := f.store.take()
	t.Logf("storage operations: %d the first time (%d beyond the head), then %d (%d beyond the head: %q); %d on a replica that never read the document",
		len(cold), len(f.beyondHead(cold)), len(warm), len(f.beyondHead(warm)), f.beyondHead(warm), len(fresh))
	if beyond := f.beyondHead(warm); len(beyond) > 3 {
		t.Errorf("the state of play made %d storage operations beyond reading the head: %q", len(beyond), beyond)
	}
}

// BenchmarkStateOfPlay builds the state of play of 300 provisions in 5
// versions, 200 open proposals and 100 positions, as a replica that has
// served the document before does; it reports the storage operations of
// each build beyond reading the head (ops/op), and those of the first,
// cold build (cold-ops). Its chart (SVG) and print (PDF, made once, then
// from the cache) are measured alongside.
func BenchmarkStateOfPlay(b *testing.B) {
	f := newStateBench(b)
	f.store.take()
	if _, err := f.svc.StateOfPlay(f.chair, f.doc); err != nil {
		b.Fatal(err)
	}
	cold := len(f.beyondHead(f.store.take()))
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		f.store.take()
		for i := 0; i < b.N; i++ {
			if _, err := f.svc.StateOfPlay(f.chair, f.doc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(f.beyondHead(f.store.take())))/float64(b.N), "ops/op")
		b.ReportMetric(float64(cold), "cold-ops")
	})
	b.Run("svg", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.svc.StateOfPlaySVG(f.chair, f.doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pdf", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.svc.StateOfPlayPDF(f.chair, f.doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
