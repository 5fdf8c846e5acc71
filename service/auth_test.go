package service_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// countingStore counts the operations on a store, by kind.
type countingStore struct {
	drafts.ObjectStore
	mu  sync.Mutex
	ops map[string]int
}

func newCountingStore(s drafts.ObjectStore) *countingStore {
	return &countingStore{ObjectStore: s, ops: map[string]int{}}
}

func (c *countingStore) count(op string) {
	c.mu.Lock()
	c.ops[op]++
	c.mu.Unlock()
}

// take returns the counts so far and starts again from zero.
func (c *countingStore) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.ops
	c.ops = map[string]int{}
	return out
}

func (c *countingStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	c.count("get")
	return c.ObjectStore.Get(ctx, key)
}

func (c *countingStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	c.count("create")
	return c.ObjectStore.Create(ctx, key, data)
}

func (c *countingStore) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	c.count("update")
	return c.ObjectStore.Update(ctx, key, data, ifMatch)
}

func (c *countingStore) Delete(ctx context.Context, key, ifMatch string) error {
	c.count("delete")
	return c.ObjectStore.Delete(ctx, key, ifMatch)
}

func (c *countingStore) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	c.count("list")
	return c.ObjectStore.List(ctx, prefix, after, limit)
}

func total(ops map[string]int) int {
	n := 0
	for _, v := range ops {
		n += v
	}
	return n
}

// TestAuthenticationIsOneRead: a valid token costs one storage read once
// a replica has read its record (which carries the holder's role and
// delegation status): the credentials' epoch, which all requests at once
// share; a revoked one fails at once on another replica that had read
// it; a token stored before records carried their holder still works
// and gets its holder on first use.
func TestAuthenticationIsOneRead(t *testing.T) {
	local := MustOpenLocal(t)
	store := newCountingStore(local)
	svc := service.New(store, diffing.New(), MustPolicy(t))
	replica := service.New(store, diffing.New(), MustPolicy(t))
	sys := drafts.NewSystemContext(context.Background())
	if err := svc.CreateDelegation(sys, &drafts.Delegation{ID: "JP", Name: "Japan", Status: drafts.StatusObserver}); err != nil {
		t.Fatal(err)
	}
	u := &drafts.User{Name: "Observer", Role: drafts.RoleDelegate, Delegation: "JP"}
	plain, err := svc.CreateUser(sys, u)
	if err != nil {
		t.Fatal(err)
	}
	store.take()
	got, err := replica.Authenticate(context.Background(), plain)
	if err != nil {
		t.Fatal(err)
	}
	if ops := store.take(); total(ops) != 2 || ops["get"] != 2 {
		t.Errorf("first authentication made %v, want two gets (the epoch, the token)", ops)
	}
	if _, err := replica.Authenticate(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	if ops := store.take(); total(ops) != 1 || ops["get"] != 1 {
		t.Errorf("authentication made %v, want one get (the epoch)", ops)
	}
	if got.ID != u.ID || got.Role != drafts.RoleDelegate || got.Delegation != "JP" || got.DelegationStatus != drafts.StatusObserver {
		t.Errorf("authenticated as %+v", got)
	}

	// Revoked on one replica: refused on the other at once.
	id, _, _ := drafts.SplitToken(plain)
	if _, err := svc.RevokeToken(sys, id); err != nil {
		t.Fatal(err)
	}
	if _, err := replica.Authenticate(context.Background(), plain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Fatalf("revoked token: %v, want EUNAUTHORIZED", err)
	}

	// A token as stored before: no holder.
	tok, plain2, err := svc.IssueToken(sys, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := local.Get(context.Background(), "directory/tokens/"+tok.ID+".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(obj.Data, &raw); err != nil || raw["holder"] == nil {
		t.Fatalf("token record without holder: %s", obj.Data)
	}
	delete(raw, "holder")
	old, _ := json.Marshal(raw)
	if _, err := local.Update(context.Background(), "directory/tokens/"+tok.ID+".json", old, obj.ETag); err != nil {
		t.Fatal(err)
	}
	store.take()
	for i, want := range []int{4, 2, 1} { // epoch, token, user, delegation (and the upgrade); epoch and token; the epoch
		got, err := replica.Authenticate(context.Background(), plain2)
		if err != nil {
			t.Fatal(err)
		}
		if got.DelegationStatus != drafts.StatusObserver {
			t.Errorf("old token %d: delegation status %q", i, got.DelegationStatus)
		}
		if ops := store.take(); ops["get"] != want {
			t.Errorf("old token, use %d: %v, want %d gets", i+1, ops, want)
		}
	}
}
