package drafts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
)

// TestImmutableCache: a version is read from storage once per process;
// statuses (mutable) every time; the cache stays within its bound; with
// the cache off every read goes to storage.
func TestImmutableCache(t *testing.T) {
	for _, tt := range []struct {
		name  string
		bytes int64
	}{
		{"default", 0},
		{"small", 4 << 10},
		{"off", -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := newCountingStore(MustOpenLocal(t))
			svc := drafts.NewService(store, diffing.New(), MustPolicy(t))
			svc.CacheBytes = tt.bytes
			chair := drafts.NewContextWithUser(context.Background(), &matrixSubjects[1].user)
			var docs []string
			for i := 0; i < 8; i++ {
				// About 1 KB per version.
				d, _, err := svc.CreateDocument(chair, &drafts.Document{Symbol: fmt.Sprintf("S/%d", i), Title: "T", Kind: "other", Body: "SWG"},
					"1. "+strings.Repeat("Words of the text. ", 50)+"\n")
				if err != nil {
					t.Fatal(err)
				}
				docs = append(docs, d.ID)
			}
			read := func(doc string) map[string]int {
				store.take()
				v, err := svc.GetVersion(chair, doc, 1)
				if err != nil || v.Number != 1 {
					t.Fatal(v, err)
				}
				return store.take()
			}
			first := read(docs[0])
			second := read(docs[0])
			st := svc.CacheStats()
			switch tt.name {
			case "off":
				if second["get"] != first["get"] || st.Hits != 0 || st.Objects != 0 {
					t.Errorf("cache off: first %v, second %v, stats %+v", first, second, st)
				}
			default:
				if second["get"] != first["get"]-1 || st.Hits == 0 {
					t.Errorf("second read of a version: %v after %v (stats %+v), want one get fewer", second, first, st)
				}
			}
			for _, d := range docs {
				read(d)
			}
			st = svc.CacheStats()
			if tt.bytes > 0 && (st.Bytes > tt.bytes || st.Objects >= len(docs)) {
				t.Errorf("cache of %d bytes holds %d bytes in %d objects", tt.bytes, st.Bytes, st.Objects)
			}
			if tt.bytes == 0 && st.Objects < len(docs) {
				t.Errorf("default cache holds only %d objects", st.Objects)
			}
		})
	}
}

// TestCachedVersionIsTheCallersOwn: changing what GetVersion returned
// does not change what the next caller gets.
func TestCachedVersionIsTheCallersOwn(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n")
	v, err := f.svc.GetVersion(f.kz, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	v.Provisions[0].Text = "Scribbled."
	v.Merged = append(v.Merged, "x")
	again, err := f.svc.GetVersion(f.kz, f.doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if again.Provisions[0].Text != "One." || len(again.Merged) != 0 {
		t.Fatalf("the cache kept a caller's change: %+v", again)
	}
}
