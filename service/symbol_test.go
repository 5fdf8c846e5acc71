package service_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// TestSymbolNamesOneDocument: a second document under a symbol taken
// already, written in other letter case or spacing, or made at the same
// moment on another replica, is refused with a 409 naming the field, and
// leaves nothing stored.
func TestSymbolNamesOneDocument(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n") // symbol "S/1"
	ctx := context.Background()
	count := func() int {
		objs, _, err := local.List(ctx, "", "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		return len(objs)
	}
	before := count()
	for _, symbol := range []string{"S/1", "s/1", "S/1 "} {
		_, _, err := f.svc.CreateDocument(f.chair, &drafts.Document{Symbol: symbol, Title: "Other", Kind: "other", Body: "SWG"}, "1. Other.\n")
		if e := drafts.AsError(err); e == nil || e.Code != drafts.ECONFLICT || len(e.Fields) != 1 || e.Fields[0].Field != "symbol" {
			t.Errorf("second document as %q: %v, want a conflict on the symbol", symbol, err)
		}
	}
	if n := count(); n != before {
		t.Errorf("refused creations left %d objects", n-before)
	}

	// Two replicas, eight creations at once: one document.
	replica := service.New(local, diffing.New(), MustPolicy(t))
	var wg sync.WaitGroup
	var mu sync.Mutex
	made := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := f.svc
			if i%2 == 1 {
				svc = replica
			}
			_, _, err := svc.CreateDocument(f.chair, &drafts.Document{Symbol: "CICA/SWG/2026/R.2", Title: "T", Kind: "other", Body: "SWG"}, "1. A.\n")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				made++
			case !drafts.IsCode(err, drafts.ECONFLICT):
				t.Errorf("creation %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if made != 1 {
		t.Errorf("%d documents made under one symbol at once, want 1", made)
	}
}

// TestSymbolClaimsLeftBehind: a claim whose document was never made (its
// creation died) holds the symbol while that creation may still be under
// way, and is taken over after; documents stored before symbols were
// claimed get their claim at the first sweep.
func TestSymbolClaimsLeftBehind(t *testing.T) {
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n")
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f.svc.Clock = func() time.Time { return now }
	key := func(symbol string) string {
		sum := sha256.Sum256([]byte(symbol))
		return "symbols/" + hex.EncodeToString(sum[:]) + ".json"
	}
	claim := `{"symbol":"X/1","document":"gone","at":"2026-11-30T08:55:00Z"}`
	if _, err := local.Create(ctx, key("X/1"), []byte(claim)); err != nil {
		t.Fatal(err)
	}
	create := func(symbol string) error {
		_, _, err := f.svc.CreateDocument(f.chair, &drafts.Document{Symbol: symbol, Title: "T", Kind: "other", Body: "SWG"}, "1. A.\n")
		return err
	}
	if err := create("X/1"); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Fatalf("symbol claimed 5 minutes ago by a creation not finished: %v, want a conflict", err)
	}
	now = now.Add(10 * time.Minute)
	if err := create("X/1"); err != nil {
		t.Fatalf("symbol claimed 15 minutes ago by a document never made: %v, want it taken over", err)
	}

	// The fixture's document as stored before claims: its claim removed.
	if err := local.Delete(ctx, key("S/1"), ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SettleDue(drafts.NewSystemContext(ctx)); err != nil {
		t.Fatal(err)
	}
	if err := create("S/1"); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Errorf("symbol of a document stored before claims, after the first sweep: %v, want a conflict", err)
	}
}
