package storage_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"chancery/drafts"
	"chancery/storage"
	"chancery/storage/storagetest"
)

// TestLocalCache_ServesFromMemory shows that the cache is used at all: once
// read, an object is served as it was even if its file is changed behind
// the store's back (which the package documentation forbids for that
// reason), and the caller gets its own copy of the bytes.
func TestLocalCache_ServesFromMemory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	l := MustOpenLocal(t, dir)
	etag := storagetest.MustCreate(t, l, "tokens/t1", []byte("one"))
	if storage.LocalCached(l, "tokens/t1") {
		t.Fatal("Create filled the cache; only Get should")
	}
	first := storagetest.MustGet(t, l, "tokens/t1")
	if !storage.LocalCached(l, "tokens/t1") {
		t.Fatal("Get did not fill the cache")
	}
	first.Data[0] = 'X' // the caller's copy
	if err := os.WriteFile(filepath.Join(dir, "objects", "tokens", "t1"), []byte("behind its back"), 0o600); err != nil {
		t.Fatal(err)
	}
	obj, err := l.Get(ctx, "tokens/t1")
	if err != nil {
		t.Fatal(err)
	}
	if string(obj.Data) != "one" || obj.ETag != etag || !obj.ModTime.Equal(first.ModTime) {
		t.Errorf("cached Get = %q (ETag %q, %v), want %q (ETag %q, %v)", obj.Data, obj.ETag, obj.ModTime, "one", etag, first.ModTime)
	}
	infos, _, err := l.List(ctx, "tokens/", "", 10)
	if err != nil || len(infos) != 1 || infos[0].ETag != etag || infos[0].Size != 3 {
		t.Errorf("List of a cached object = %+v, %v; want its cached ETag %q", infos, err, etag)
	}
}

// TestLocalCache_Coherence orders a Get that read a file before a change
// against that change, with hooks, and checks that the bytes it read never
// reach a later Get.
func TestLocalCache_Coherence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		// absent starts without the object; otherwise it holds "old".
		absent bool
		// change changes key and returns what a Get must see afterwards
		// ("" for ENOTFOUND); etag is the object's, if there is one.
		change func(t *testing.T, l *storage.Local, key, etag string) string
	}{
		{"Update", false, func(t *testing.T, l *storage.Local, key, etag string) string {
			if _, err := l.Update(ctx, key, []byte("new"), etag); err != nil {
				t.Fatalf("Update: %v", err)
			}
			return "new"
		}},
		{"Delete", false, func(t *testing.T, l *storage.Local, key, etag string) string {
			if err := l.Delete(ctx, key, etag); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			return ""
		}},
		{"UnconditionalDelete", false, func(t *testing.T, l *storage.Local, key, _ string) string {
			if err := l.Delete(ctx, key, ""); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			return ""
		}},
		{"DeleteThenCreate", false, func(t *testing.T, l *storage.Local, key, _ string) string {
			if err := l.Delete(ctx, key, ""); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			storagetest.MustCreate(t, l, key, []byte("created again"))
			return "created again"
		}},
		{"Create", true, func(t *testing.T, l *storage.Local, key, _ string) string {
			storagetest.MustCreate(t, l, key, []byte("created"))
			return "created"
		}},
	}
	// start makes the object "old", or none, and returns its ETag and what
	// get returns for it.
	start := func(t *testing.T, l *storage.Local, absent bool) (etag, got string) {
		if absent {
			return "", notFound
		}
		return storagetest.MustCreate(t, l, "documents/d1", []byte("old")), "old"
	}
	check := func(t *testing.T, l *storage.Local, key, want string) {
		t.Helper()
		for range 2 { // the first may read the file, the second the cache
			obj, err := l.Get(ctx, key)
			switch {
			case want == "":
				if !drafts.IsCode(err, drafts.ENOTFOUND) {
					t.Fatalf("Get after the change = %v, %v; want ENOTFOUND", obj, err)
				}
			case err != nil:
				t.Fatalf("Get after the change: %v", err)
			case string(obj.Data) != want || obj.ETag != sha(obj.Data):
				t.Fatalf("Get after the change = %q (ETag %q), want %q", obj.Data, obj.ETag, want)
			}
		}
		infos, _, err := l.List(ctx, key, "", 10)
		switch {
		case err != nil:
			t.Fatalf("List after the change: %v", err)
		case want == "" && len(infos) != 0:
			t.Fatalf("List after the change = %+v, want nothing", infos)
		case want != "" && (len(infos) != 1 || infos[0].ETag != sha([]byte(want))):
			t.Fatalf("List after the change = %+v, want the ETag of %q", infos, want)
		}
	}

	for _, tt := range tests {
		// A Get reads the file, the change happens whole, then the Get
		// offers what it read to the cache.
		t.Run(tt.name+"/AfterRead", func(t *testing.T) {
			t.Parallel()
			l := MustOpenLocal(t, t.TempDir())
			etag, before := start(t, l, tt.absent)
			read, resume := make(chan struct{}), make(chan struct{})
			var once sync.Once
			storage.SetLocalReadHook(l, func(string) {
				once.Do(func() { close(read); <-resume })
			})
			got := make(chan string)
			go func() { got <- get(l, "documents/d1") }()
			<-read
			want := tt.change(t, l, "documents/d1", etag)
			close(resume)
			if g := <-got; g != before {
				t.Fatalf("the Get that read before the change returned %q, want %q", g, before)
			}
			check(t, l, "documents/d1", want)
		})
		// A Get reads the file; the change replaces or removes it; before
		// the change has ended, the Get offers what it read to the cache
		// and another Get reads the file: no later Get may go back to the
		// old bytes.
		t.Run(tt.name+"/DuringChange", func(t *testing.T) {
			t.Parallel()
			l := MustOpenLocal(t, t.TempDir())
			etag, before := start(t, l, tt.absent)
			read, resume := make(chan struct{}), make(chan struct{})
			oldGet := make(chan string)
			var readOnce, changedOnce sync.Once
			storage.SetLocalReadHook(l, func(string) {
				readOnce.Do(func() { close(read); <-resume })
			})
			storage.SetLocalChangedHook(l, func(key string) {
				changedOnce.Do(func() {
					close(resume)
					if g := <-oldGet; g != before {
						t.Errorf("the Get that read before the change returned %q, want %q", g, before)
					}
					if g := get(l, key); g == before {
						t.Errorf("a Get after the file changed returned what was there before, %q", g)
					}
				})
			})
			go func() { oldGet <- get(l, "documents/d1") }()
			<-read
			want := tt.change(t, l, "documents/d1", etag)
			check(t, l, "documents/d1", want)
		})
	}
}

// TestLocalCache_Bounds: objects above the per-object bound are not kept,
// and the whole cache stays under its bound, least recently used out first.
func TestLocalCache_Bounds(t *testing.T) {
	t.Parallel()
	const maxBytes, maxObject = 4000, 300
	l := MustOpenLocal(t, t.TempDir())
	storage.SetLocalCacheLimits(l, maxBytes, maxObject)

	storagetest.MustCreate(t, l, "big", make([]byte, maxObject+1))
	storagetest.MustGet(t, l, "big")
	if storage.LocalCached(l, "big") {
		t.Errorf("an object of %d bytes was cached (bound %d)", maxObject+1, maxObject)
	}
	storagetest.MustCreate(t, l, "empty", nil)
	if obj := storagetest.MustGet(t, l, "empty"); len(obj.Data) != 0 || obj.ETag != sha(nil) {
		t.Errorf("Get of an empty object = %q (ETag %q)", obj.Data, obj.ETag)
	}
	if obj := storagetest.MustGet(t, l, "empty"); len(obj.Data) != 0 || obj.ETag != sha(nil) || !storage.LocalCached(l, "empty") {
		t.Errorf("cached Get of an empty object = %q (ETag %q)", obj.Data, obj.ETag)
	}

	keys := make([]string, 20)
	for i := range keys {
		keys[i] = fmt.Sprintf("objects/%02d", i)
		storagetest.MustCreate(t, l, keys[i], make([]byte, maxObject))
	}
	storagetest.MustGet(t, l, keys[0])
	for _, k := range keys[1:] {
		storagetest.MustGet(t, l, k)
		storagetest.MustGet(t, l, keys[0]) // kept in use
		if n, _, size, _ := storage.LocalCacheStats(l); size > maxBytes || n == 0 {
			t.Fatalf("after Get %s the cache holds %d objects, %d bytes (bound %d)", k, n, size, maxBytes)
		}
	}
	if !storage.LocalCached(l, keys[0]) {
		t.Errorf("the object read most often was evicted")
	}
	if storage.LocalCached(l, keys[1]) {
		t.Errorf("the least recently used object is still cached")
	}
	if !storage.LocalCached(l, keys[len(keys)-1]) {
		t.Errorf("the object read last is not cached")
	}

	// Absences have a share of their own: asking for many keys that do
	// not exist pushes out older absences, never objects.
	objects, _, _, _ := storage.LocalCacheStats(l)
	for i := range 100 {
		if _, err := l.Get(context.Background(), fmt.Sprintf("tokens/none-%d", i)); !drafts.IsCode(err, drafts.ENOTFOUND) {
			t.Fatalf("Get of a missing key: %v", err)
		}
	}
	n, absences, _, missing := storage.LocalCacheStats(l)
	if n != objects || absences == 0 || missing > maxBytes/16 {
		t.Errorf("after 100 missing keys the cache holds %d objects (was %d) and %d absences, %d bytes (bound %d)", n, objects, absences, missing, maxBytes/16)
	}
	if !storage.LocalCached(l, "tokens/none-99") || storage.LocalCached(l, "tokens/none-0") {
		t.Errorf("absences are not kept least recently used out first")
	}
	_, first := l.Get(context.Background(), "tokens/other") // from the disk
	_, again := l.Get(context.Background(), "tokens/other") // from the cache
	if !storage.LocalCached(l, "tokens/other") || !drafts.IsCode(again, drafts.ENOTFOUND) || drafts.ErrorMessage(again) != drafts.ErrorMessage(first) {
		t.Errorf("a cached absence answers %v, the first Get %v", again, first)
	}
}

// notFound is what get returns for an absent object.
const notFound = "(not found)"

// get returns the object's bytes as a string, notFound if there is none, or
// the error.
func get(l *storage.Local, key string) string {
	obj, err := l.Get(context.Background(), key)
	switch {
	case drafts.IsCode(err, drafts.ENOTFOUND):
		return notFound
	case err != nil:
		return err.Error()
	}
	return string(obj.Data)
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
