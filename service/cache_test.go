package service_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
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
			svc := service.New(store, diffing.New(), MustPolicy(t))
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

// TestDecodedMutableObjectsNeverStale: the decodings kept of mutable
// objects (tokens, documents, statuses) save only the decoding, never the
// read: a change another replica makes is seen at the next read, and what
// a caller does to what it got is not seen by the next caller.
func TestDecodedMutableObjectsNeverStale(t *testing.T) {
	store := MustOpenLocal(t)
	a := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	b := service.New(store, diffing.New(), MustPolicy(t)) // a second replica

	// Document: a caller scribbles on what it got (the second read is
	// decoded already), then the head moves on replica a.
	for i := 0; i < 3; i++ {
		d, err := b.GetDocument(a.kz, a.doc)
		if err != nil || d.Head != 1 || d.Title != "T" {
			t.Fatalf("read %d: %+v, %v", i, d, err)
		}
		d.Title, d.Head = "Scribbled", 7
	}
	if _, err := a.svc.CreateVersion(a.chair, a.doc, 1, "1. One.\n\n2. Two, changed.\n", "m"); err != nil {
		t.Fatal(err)
	}
	if d, err := b.GetDocument(a.kz, a.doc); err != nil || d.Head != 2 || d.Title != "T" {
		t.Fatalf("replica b after a new head: %+v, %v", d, err)
	}

	// Statuses: a provision agreed on replica a (the agreed share is
	// counted once per statuses).
	v, err := b.GetVersion(a.kz, a.doc, 2)
	if err != nil || v.Provisions[0].Status != drafts.ProvisionPending {
		t.Fatal(v, err)
	}
	for i := 0; i < 2; i++ {
		if d, err := b.GetDocument(a.kz, a.doc); err != nil || d.Agreement.AgreedProvisions != 0 {
			t.Fatalf("replica b's agreed share before a status change: %+v, %v", d.Agreement, err)
		}
	}
	if _, _, err := a.svc.SetProvisionStatus(a.chair, a.doc, 2, v.Provisions[0].ID, drafts.ProvisionAgreed, ""); err != nil {
		t.Fatal(err)
	}
	if v, err = b.GetVersion(a.kz, a.doc, 2); err != nil || v.Provisions[0].Status != drafts.ProvisionAgreed {
		t.Fatalf("replica b after a status change: %+v, %v", v, err)
	}
	if d, err := b.GetDocument(a.kz, a.doc); err != nil || d.Agreement.AgreedProvisions != 1 || d.Agreement.Provisions != 2 {
		t.Fatalf("replica b's agreed share after a status change: %+v, %v", d.Agreement, err)
	}

	// Token: revoked on replica a.
	plain, err := a.svc.Bootstrap(context.Background(), "")
	if err != nil || plain == "" {
		t.Fatal(plain, err)
	}
	u, err := b.Authenticate(context.Background(), plain)
	if err != nil {
		t.Fatal(err)
	}
	role := u.Role
	for i := 0; i < 3; i++ {
		u.Role = drafts.RoleDelegate
		if u, err = b.Authenticate(context.Background(), plain); err != nil || u.Role != role {
			t.Fatalf("authentication %d on b: %+v, %v (a caller's change kept?)", i, u, err)
		}
	}
	id, _, _ := drafts.SplitToken(plain)
	sec := drafts.NewContextWithUser(context.Background(), u)
	if _, err := a.svc.RevokeToken(sec, id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(context.Background(), plain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Fatalf("revoked token on replica b: %v, want EUNAUTHORIZED", err)
	}
}

// TestDecodedCopiesWholeAndOwn: the copy a cache hands out of a decoded
// record has every exported field of the original (a field added later
// and forgotten in clone fails here), and shares nothing with it: filling
// the copy with other values leaves the original as it was.
func TestDecodedCopiesWholeAndOwn(t *testing.T) {
	for name, r := range service.DecodedRecords {
		t.Run(name, func(t *testing.T) {
			orig, want := r.New(), r.New()
			fill(reflect.ValueOf(orig), 1)
			fill(reflect.ValueOf(want), 1)
			c := r.Clone(orig)
			if !reflect.DeepEqual(c, orig) {
				t.Fatalf("copy %+v differs from the original %+v", c, orig)
			}
			fill(reflect.ValueOf(c), 2)
			if !reflect.DeepEqual(orig, want) {
				t.Fatalf("changing the copy changed the original: %+v", orig)
			}
		})
	}
}

// fill sets every exported field reachable from v to a value made from
// seed, in place: through pointers, slice elements and map entries that
// are there already, making them when they are not.
func fill(v reflect.Value, seed int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), seed)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(int64(seed), 0).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		}
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), seed)
		}
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, 0)
		fill(e, seed)
		v.SetMapIndex(k, e)
	case reflect.String:
		v.SetString(fmt.Sprint("s", seed))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(seed))
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		v.SetUint(uint64(seed))
	case reflect.Float64, reflect.Float32:
		v.SetFloat(float64(seed) + 0.5)
	case reflect.Bool:
		v.SetBool(seed%2 == 1)
	}
}
