// Package storagetest holds the contract that every drafts.ObjectStore must
// meet, as one acceptance suite (in the manner of thanos-io/objstore's
// AcceptanceTest). Package storage runs it against the local directory, a
// real MinIO and a real versitygw; any future backend must pass it too.
package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"chancery/drafts"
)

// AcceptanceTest runs the contract suite, one named subtest per property.
// newBucket is called once per subtest, with that subtest's t; it may
// return a fresh store each time or the same shared one: every subtest
// works under its own key prefix, unique to this run, so subtests never
// see each other's objects, and a store that outlives a run can be used
// again.
//
// Beyond the letter of drafts.ObjectStore, the suite requires what both
// backends provide and callers may rely on: List's next is "" exactly when
// the listing is complete; ETags come without quotes, and a quoted ETag is
// accepted; Update and Delete refuse an empty or "*" ETag with EINVALID;
// List refuses a limit below 1 with EINVALID. Overlapping keys ("a/b" and
// "a/b/c") must be refused with ECONFLICT; a backend that stores them
// (MinIO) has that subtest skipped, since its listings then omit objects.
func AcceptanceTest(t *testing.T, newBucket func(t *testing.T) drafts.ObjectStore) {
	t.Helper()
	run := "acceptance-" + randomHex(t, 6) + "/"

	tests := []struct {
		name string
		fn   func(t *testing.T, s drafts.ObjectStore, prefix string)
	}{
		{"Ping", testPing},
		{"CreateGet", testCreateGet},
		{"CreateOnly", testCreateOnly},
		{"ConditionalUpdate", testConditionalUpdate},
		{"Missing", testMissing},
		{"Delete", testDelete},
		{"ListOrderAndPrefix", testListOrderAndPrefix},
		{"ListPagination", testListPagination},
		{"OverlappingKeys", testOverlappingKeys},
		{"LargeObject", testLargeObject},
		{"EmptyObject", testEmptyObject},
		{"UnicodeKeys", testUnicodeKeys},
		{"InvalidKeys", testInvalidKeys},
		{"InvalidArguments", testInvalidArguments},
		{"RaceCreate", testRaceCreate},
		{"RaceUpdate", testRaceUpdate},
		{"ReadsFollowWrites", testReadsFollowWrites},
		{"GetReturnsCopy", testGetReturnsCopy},
		{"MonotonicReads", testMonotonicReads},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newBucket(t), run+tt.name+"/")
		})
	}
}

// raceWriters is how many goroutines the race subtests run at once.
const raceWriters = 32

func testPing(t *testing.T, s drafts.ObjectStore, _ string) {
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testCreateGet(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "documents/d1/versions/1"
	data := []byte("1. The Conference shall meet every four years.\n")
	etag := MustCreate(t, s, key, data)
	if etag == "" || strings.Contains(etag, `"`) {
		t.Fatalf("Create returned ETag %q, want non-empty and unquoted", etag)
	}
	obj := MustGet(t, s, key)
	if got, want := obj.Key, key; got != want {
		t.Errorf("Get: Key = %q, want %q", got, want)
	}
	if !bytes.Equal(obj.Data, data) {
		t.Errorf("Get: Data = %q, want %q", obj.Data, data)
	}
	if got, want := obj.ETag, etag; got != want {
		t.Errorf("Get: ETag = %q, want the ETag Create returned, %q", got, want)
	}
	if obj.ModTime.IsZero() {
		t.Errorf("Get: ModTime is zero")
	}
	infos, _, err := s.List(ctx, key, "", 10)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(infos) != 1 {
		t.Fatalf("List(%q) = %d objects, want 1", key, len(infos))
	}
	if got, want := infos[0], (drafts.ObjectInfo{Key: key, Size: int64(len(data)), ETag: etag, ModTime: infos[0].ModTime}); got != want {
		t.Errorf("List: %+v, want %+v", got, want)
	}
}

func testCreateOnly(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "versions/7"
	first := []byte("first")
	etag := MustCreate(t, s, key, first)
	_, err := s.Create(ctx, key, []byte("second"))
	if got, want := drafts.ErrorCode(err), drafts.ECONFLICT; got != want {
		t.Fatalf("second Create: code %q (%v), want %q", got, err, want)
	}
	obj := MustGet(t, s, key)
	if !bytes.Equal(obj.Data, first) || obj.ETag != etag {
		t.Errorf("after a refused Create: Get = %q (ETag %q), want %q (ETag %q)", obj.Data, obj.ETag, first, etag)
	}
}

func testConditionalUpdate(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "documents/d1/head"
	etag1 := MustCreate(t, s, key, []byte("version 1"))
	etag2, err := s.Update(ctx, key, []byte("version 2"), etag1)
	if err != nil {
		t.Fatalf("Update with the current ETag: %v", err)
	}
	if etag2 == "" || etag2 == etag1 {
		t.Fatalf("Update returned ETag %q, want a new one (old %q)", etag2, etag1)
	}
	if obj := MustGet(t, s, key); string(obj.Data) != "version 2" || obj.ETag != etag2 {
		t.Fatalf("Get after Update = %q (ETag %q), want %q (ETag %q)", obj.Data, obj.ETag, "version 2", etag2)
	}

	_, err = s.Update(ctx, key, []byte("lost update"), etag1)
	if got, want := drafts.ErrorCode(err), drafts.EPRECONDITION; got != want {
		t.Fatalf("Update with a stale ETag: code %q (%v), want %q", got, err, want)
	}
	if obj := MustGet(t, s, key); string(obj.Data) != "version 2" {
		t.Fatalf("a refused Update changed the object to %q", obj.Data)
	}

	// A quoted ETag, as HTTP clients send it, is the same ETag.
	etag3, err := s.Update(ctx, key, []byte("version 3"), `"`+etag2+`"`)
	if err != nil {
		t.Fatalf("Update with the current ETag in quotes: %v", err)
	}
	if obj := MustGet(t, s, key); string(obj.Data) != "version 3" || obj.ETag != etag3 {
		t.Fatalf("Get after Update = %q (ETag %q), want %q (ETag %q)", obj.Data, obj.ETag, "version 3", etag3)
	}
}

func testMissing(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "no/such/object"
	// An existing neighbour must not confuse any backend.
	MustCreate(t, s, prefix+"no/such/other", []byte("x"))

	_, err := s.Get(ctx, key)
	checkCode(t, "Get", err, drafts.ENOTFOUND)
	_, err = s.Update(ctx, key, []byte("x"), "0123456789abcdef0123456789abcdef")
	checkCode(t, "Update", err, drafts.ENOTFOUND)
	err = s.Delete(ctx, key, "")
	checkCode(t, "Delete", err, drafts.ENOTFOUND)
	err = s.Delete(ctx, key, "0123456789abcdef0123456789abcdef")
	checkCode(t, "Delete with an ETag", err, drafts.ENOTFOUND)
	// A key that is only a "directory" of other keys is not an object.
	_, err = s.Get(ctx, prefix+"no/such")
	checkCode(t, "Get of a key prefix", err, drafts.ENOTFOUND)
}

func testDelete(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	t.Run("Unconditional", func(t *testing.T) {
		key := prefix + "unconditional"
		MustCreate(t, s, key, []byte("x"))
		if err := s.Delete(ctx, key, ""); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		_, err := s.Get(ctx, key)
		checkCode(t, "Get after Delete", err, drafts.ENOTFOUND)
		err = s.Delete(ctx, key, "")
		checkCode(t, "second Delete", err, drafts.ENOTFOUND)
	})
	t.Run("WithETag", func(t *testing.T) {
		key := prefix + "with-etag"
		etag1 := MustCreate(t, s, key, []byte("one"))
		etag2, err := s.Update(ctx, key, []byte("two"), etag1)
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		err = s.Delete(ctx, key, etag1)
		checkCode(t, "Delete with a stale ETag", err, drafts.EPRECONDITION)
		if obj := MustGet(t, s, key); string(obj.Data) != "two" {
			t.Fatalf("a refused Delete changed the object to %q", obj.Data)
		}
		if err := s.Delete(ctx, key, etag2); err != nil {
			t.Fatalf("Delete with the current ETag: %v", err)
		}
		_, err = s.Get(ctx, key)
		checkCode(t, "Get after Delete", err, drafts.ENOTFOUND)
	})
	t.Run("CreateAgain", func(t *testing.T) {
		key := prefix + "again"
		MustCreate(t, s, key, []byte("old"))
		if err := s.Delete(ctx, key, ""); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		MustCreate(t, s, key, []byte("new"))
		if obj := MustGet(t, s, key); string(obj.Data) != "new" {
			t.Fatalf("Get = %q, want %q", obj.Data, "new")
		}
	})
}

// testReadsFollowWrites: an object read, then changed, is read as changed,
// however often it was read before (a backend may keep what it read).
func testReadsFollowWrites(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "tokens/t1"
	readTwice := func() *drafts.Object {
		t.Helper()
		MustGet(t, s, key)
		return MustGet(t, s, key)
	}
	etag := MustCreate(t, s, key, []byte("issued"))
	readTwice()
	etag, err := s.Update(ctx, key, []byte("revoked"), etag)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if obj := readTwice(); string(obj.Data) != "revoked" || obj.ETag != etag {
		t.Fatalf("Get after Update = %q (ETag %q), want %q (ETag %q)", obj.Data, obj.ETag, "revoked", etag)
	}
	infos, _, err := s.List(ctx, key, "", 10)
	if err != nil || len(infos) != 1 || infos[0].ETag != etag || infos[0].Size != int64(len("revoked")) {
		t.Fatalf("List after Update = %+v, %v; want one object with ETag %q", infos, err, etag)
	}
	if err := s.Delete(ctx, key, etag); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for range 2 {
		_, err = s.Get(ctx, key)
		checkCode(t, "Get after Delete", err, drafts.ENOTFOUND)
	}
	etag = MustCreate(t, s, key, []byte("issued again"))
	if obj := readTwice(); string(obj.Data) != "issued again" || obj.ETag != etag {
		t.Fatalf("Get after Delete and Create = %q (ETag %q), want %q (ETag %q)", obj.Data, obj.ETag, "issued again", etag)
	}
	if err := s.Delete(ctx, key, ""); err != nil {
		t.Fatalf("unconditional Delete: %v", err)
	}
	_, err = s.Get(ctx, key)
	checkCode(t, "Get after unconditional Delete", err, drafts.ENOTFOUND)
}

// testGetReturnsCopy: the bytes Get returns are the caller's; changing them
// changes neither the object nor what the next Get returns.
func testGetReturnsCopy(t *testing.T, s drafts.ObjectStore, prefix string) {
	key := prefix + "documents/d1/meta"
	MustCreate(t, s, key, []byte("head 1"))
	for range 2 {
		obj := MustGet(t, s, key)
		if string(obj.Data) != "head 1" {
			t.Fatalf("Get = %q, want %q", obj.Data, "head 1")
		}
		copy(obj.Data, "XXXX")
	}
}

// testMonotonicReads: while one writer updates an object again and again,
// concurrent readers each see its versions in order, never an older one
// after a newer, and every object read carries an ETag that belongs to its
// bytes; once the writer is done, a Get returns the last version.
func testMonotonicReads(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "statuses/d1"
	const updates, readers = 30, 4
	etag := MustCreate(t, s, key, []byte("0"))
	var mu sync.Mutex
	etags := map[string]string{etag: "0"} // ETag → bytes, as written
	done := make(chan struct{})
	var wg sync.WaitGroup
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				obj, err := s.Get(ctx, key)
				if err != nil {
					t.Errorf("reader %d: Get: %v", r, err)
					return
				}
				var n int
				if _, err := fmt.Sscan(string(obj.Data), &n); err != nil {
					t.Errorf("reader %d: Get = %q", r, obj.Data)
					return
				}
				mu.Lock()
				want, known := etags[obj.ETag]
				mu.Unlock()
				// The writer records an ETag after Update returns, so a
				// reader may see it first; it must not see it with other
				// bytes.
				if known && want != string(obj.Data) {
					t.Errorf("reader %d: Get = %q with the ETag of %q", r, obj.Data, want)
					return
				}
				if n < last {
					t.Errorf("reader %d: Get returned version %d after version %d", r, n, last)
					return
				}
				last = n
			}
		}()
	}
	for i := 1; i <= updates; i++ {
		data := fmt.Sprint(i)
		var err error
		if etag, err = s.Update(ctx, key, []byte(data), etag); err != nil {
			t.Errorf("Update %d: %v", i, err)
			break
		}
		mu.Lock()
		etags[etag] = data
		mu.Unlock()
	}
	close(done)
	wg.Wait()
	if obj := MustGet(t, s, key); string(obj.Data) != fmt.Sprint(updates) || obj.ETag != etag {
		t.Errorf("Get after the Updates = %q (ETag %q), want %d (ETag %q)", obj.Data, obj.ETag, updates, etag)
	}
}

func testListOrderAndPrefix(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	// Created out of order. Byte order puts '-' (0x2d) < '/' (0x2f) < '0'
	// (0x30), which a naive directory walk gets wrong.
	keys := []string{"p/a0", "p/a/b", "p/a-b", "p/b", "q/a", "p/a/c/d", "pa"}
	for _, k := range keys {
		MustCreate(t, s, prefix+k, []byte(k))
	}
	tests := []struct {
		name, prefix, after string
		want                []string
	}{
		{"All", "", "", []string{"p/a-b", "p/a/b", "p/a/c/d", "p/a0", "p/b", "pa", "q/a"}},
		{"Prefix", "p/", "", []string{"p/a-b", "p/a/b", "p/a/c/d", "p/a0", "p/b"}},
		{"PartialSegment", "p/a", "", []string{"p/a-b", "p/a/b", "p/a/c/d", "p/a0"}},
		{"DirectoryPrefix", "p/a/", "", []string{"p/a/b", "p/a/c/d"}},
		{"BarePrefix", "p", "", []string{"p/a-b", "p/a/b", "p/a/c/d", "p/a0", "p/b", "pa"}},
		{"NoMatch", "p/z", "", nil},
		{"DeepPrefix", "p/a/c/", "", []string{"p/a/c/d"}},
		{"MissingFolderPrefix", "p/zz/y/", "", nil},
		{"PrefixThroughAnObject", "p/b/", "", nil},
		{"PrefixThroughAnObjectDeeper", "q/a/x/", "", nil},
		{"AfterExisting", "p/", "p/a-b", []string{"p/a/b", "p/a/c/d", "p/a0", "p/b"}},
		{"AfterAbsent", "p/", "p/a.", []string{"p/a/b", "p/a/c/d", "p/a0", "p/b"}},
		{"AfterDirectoryName", "p/", "p/a", []string{"p/a-b", "p/a/b", "p/a/c/d", "p/a0", "p/b"}},
		{"AfterInsideDirectory", "p/", "p/a/b", []string{"p/a/c/d", "p/a0", "p/b"}},
		{"AfterBeforePrefix", "p/a/", "p/", []string{"p/a/b", "p/a/c/d"}},
		{"AfterEverything", "p/", "p/z", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := ""
			if tt.after != "" {
				after = prefix + tt.after
			}
			infos, next, err := s.List(ctx, prefix+tt.prefix, after, 100)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			if next != "" {
				t.Errorf("List: next = %q, want \"\" for a complete listing", next)
			}
			if got, want := keysOf(infos, prefix), tt.want; !slices.Equal(got, want) {
				t.Errorf("List(%q, after %q) = %q, want %q", tt.prefix, tt.after, got, want)
			}
			for _, info := range infos {
				name := strings.TrimPrefix(info.Key, prefix)
				if info.Size != int64(len(name)) || info.ETag == "" {
					t.Errorf("List: %+v, want size %d and an ETag", info, len(name))
				}
			}
		})
	}
}

func testListPagination(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	var want []string
	for i := range 11 {
		k := fmt.Sprintf("items/%02d", i)
		want = append(want, k)
		MustCreate(t, s, prefix+k, []byte(k))
	}
	MustCreate(t, s, prefix+"other/00", []byte("not listed"))

	for _, limit := range []int{1, 3, 4, 11, 12} {
		t.Run(fmt.Sprintf("Limit%d", limit), func(t *testing.T) {
			var got []string
			after := ""
			for page := 0; ; page++ {
				if page > len(want)+1 {
					t.Fatalf("pagination does not end: %q so far", got)
				}
				infos, next, err := s.List(ctx, prefix+"items/", after, limit)
				if err != nil {
					t.Fatalf("List page %d: %v", page, err)
				}
				if len(infos) > limit {
					t.Fatalf("List page %d: %d objects, limit %d", page, len(infos), limit)
				}
				got = append(got, keysOf(infos, prefix)...)
				if next == "" {
					break
				}
				if len(infos) == 0 || next != infos[len(infos)-1].Key {
					t.Fatalf("List page %d: next = %q, want the last key returned", page, next)
				}
				after = next
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages = %q, want %q", got, want)
			}
		})
	}
	t.Run("NextOnlyWhenMore", func(t *testing.T) {
		infos, next, err := s.List(ctx, prefix+"items/", prefix+"items/07", 3)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if got, want := keysOf(infos, prefix), want[8:]; !slices.Equal(got, want) {
			t.Fatalf("List = %q, want %q", got, want)
		}
		if next != "" {
			t.Errorf("last page: next = %q, want \"\"", next)
		}
		_, next, err = s.List(ctx, prefix+"items/", "", 10)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if got, want := next, prefix+"items/09"; got != want {
			t.Errorf("first page of 10 of 11: next = %q, want %q", got, want)
		}
	})
}

func testOverlappingKeys(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	parent, child := prefix+"documents/d1", prefix+"documents/d1/versions/1"
	MustCreate(t, s, parent, []byte("parent"))
	if _, err := s.Create(ctx, child, []byte("child")); err == nil {
		t.Skip("this backend stores a key under another key (MinIO does, and then leaves it out of listings): keys must never overlap")
	} else {
		checkCode(t, "Create of a key under an object", err, drafts.ECONFLICT)
	}
	_, err := s.Get(ctx, child)
	checkCode(t, "Get of the refused key", err, drafts.ENOTFOUND)
	if obj := MustGet(t, s, parent); string(obj.Data) != "parent" {
		t.Errorf("Get(parent) = %q", obj.Data)
	}

	// The other way round: a key that is a "directory" of objects.
	MustCreate(t, s, prefix+"b/c/d", []byte("d"))
	_, err = s.Create(ctx, prefix+"b/c", []byte("c"))
	checkCode(t, "Create of a key above an object", err, drafts.ECONFLICT)
	_, err = s.Get(ctx, prefix+"b/c")
	checkCode(t, "Get of a key above an object", err, drafts.ENOTFOUND)
	err = s.Delete(ctx, prefix+"b/c", "")
	checkCode(t, "Delete of a key above an object", err, drafts.ENOTFOUND)

	// Once the objects below are gone, the key is free.
	if err := s.Delete(ctx, prefix+"b/c/d", ""); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	MustCreate(t, s, prefix+"b/c", []byte("c"))
	infos, _, err := s.List(ctx, prefix, "", 10)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if got, want := keysOf(infos, prefix), []string{"b/c", "documents/d1"}; !slices.Equal(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
}

func testLargeObject(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "large"
	data := make([]byte, 10<<20)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	etag := MustCreate(t, s, key, data)
	obj := MustGet(t, s, key)
	if !bytes.Equal(obj.Data, data) {
		t.Fatalf("Get: %d bytes differ from the %d created", len(obj.Data), len(data))
	}
	if obj.ETag != etag {
		t.Errorf("Get: ETag = %q, want %q", obj.ETag, etag)
	}
	data[0] ^= 0xff
	etag2, err := s.Update(ctx, key, data, etag)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if etag2 == etag {
		t.Errorf("Update of one byte kept ETag %q", etag)
	}
	infos, _, err := s.List(ctx, key, "", 1)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(infos) != 1 || infos[0].Size != int64(len(data)) || infos[0].ETag != etag2 {
		t.Errorf("List = %+v, want one object of %d bytes with ETag %q", infos, len(data), etag2)
	}
}

func testEmptyObject(t *testing.T, s drafts.ObjectStore, prefix string) {
	key := prefix + "empty"
	etag := MustCreate(t, s, key, nil)
	obj := MustGet(t, s, key)
	if len(obj.Data) != 0 || obj.ETag != etag {
		t.Errorf("Get = %q (ETag %q), want empty (ETag %q)", obj.Data, obj.ETag, etag)
	}
}

func testUnicodeKeys(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	keys := []string{
		"Договор/пункт 1",
		"草案/第一条",
		"🙂/draft",
		"naïve/ÉTÉ%20&+?#=;:@,$!'()[]",
		"मसौदा/अनुच्छेद",
	}
	want := make([]string, len(keys))
	for i, k := range keys {
		MustCreate(t, s, prefix+k, []byte("text of "+k))
		want[i] = k
	}
	slices.Sort(want)
	infos, next, err := s.List(ctx, prefix, "", 100)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if got := keysOf(infos, prefix); !slices.Equal(got, want) || next != "" {
		t.Fatalf("List = %q (next %q), want %q", got, next, want)
	}
	for _, k := range keys {
		if obj := MustGet(t, s, prefix+k); string(obj.Data) != "text of "+k {
			t.Errorf("Get(%q) = %q", k, obj.Data)
		}
	}
	infos, _, err = s.List(ctx, prefix+"草案/", "", 10)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if got, want := keysOf(infos, prefix), []string{"草案/第一条"}; !slices.Equal(got, want) {
		t.Errorf("List(草案/) = %q, want %q", got, want)
	}
}

func testInvalidKeys(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	keys := map[string]string{
		"Empty":         "",
		"LeadingSlash":  "/" + prefix + "a",
		"TrailingSlash": prefix + "a/",
		"EmptySegment":  prefix + "a//b",
		"DotDot":        prefix + "a/../b",
		"Dot":           prefix + "a/./b",
		"OnlyDotDot":    "..",
		"NUL":           prefix + "a\x00b",
		"Newline":       prefix + "a\nb",
		"InvalidUTF8":   prefix + "a\xffb",
		"TooLong":       prefix + strings.Repeat("x", 1025),
	}
	for name, key := range keys {
		t.Run(name, func(t *testing.T) {
			_, err := s.Get(ctx, key)
			checkCode(t, "Get", err, drafts.EINVALID)
			_, err = s.Create(ctx, key, []byte("x"))
			checkCode(t, "Create", err, drafts.EINVALID)
			_, err = s.Update(ctx, key, []byte("x"), "0123456789abcdef")
			checkCode(t, "Update", err, drafts.EINVALID)
			err = s.Delete(ctx, key, "")
			checkCode(t, "Delete", err, drafts.EINVALID)
		})
	}
}

func testInvalidArguments(t *testing.T, s drafts.ObjectStore, prefix string) {
	ctx := context.Background()
	key := prefix + "x"
	MustCreate(t, s, key, []byte("x"))
	_, err := s.Update(ctx, key, []byte("y"), "")
	checkCode(t, "Update without an ETag", err, drafts.EINVALID)
	_, err = s.Update(ctx, key, []byte("y"), "*")
	checkCode(t, "Update with ETag *", err, drafts.EINVALID)
	_, _, err = s.List(ctx, prefix, "", 0)
	checkCode(t, "List with limit 0", err, drafts.EINVALID)
	_, _, err = s.List(ctx, prefix+"\xff", "", 1)
	checkCode(t, "List with an invalid prefix", err, drafts.EINVALID)
	if obj := MustGet(t, s, key); string(obj.Data) != "x" {
		t.Errorf("a refused Update changed the object to %q", obj.Data)
	}
}

func testRaceCreate(t *testing.T, s drafts.ObjectStore, prefix string) {
	key := prefix + "documents/d1/versions/7"
	race(t, s, key, "Creates", drafts.ECONFLICT, func(data []byte) (string, error) {
		return s.Create(context.Background(), key, data)
	})
}

func testRaceUpdate(t *testing.T, s drafts.ObjectStore, prefix string) {
	key := prefix + "documents/d1/head"
	base := MustCreate(t, s, key, []byte("head: version 6"))
	race(t, s, key, "Updates with one ETag", drafts.EPRECONDITION, func(data []byte) (string, error) {
		return s.Update(context.Background(), key, data, base)
	})
}

// race starts raceWriters goroutines that write key at once with write,
// and checks that exactly one wins, the others lose with lostCode, and the
// object holds the winner's data and ETag. what names the writes.
func race(t *testing.T, s drafts.ObjectStore, key, what, lostCode string, write func(data []byte) (string, error)) {
	type result struct {
		data []byte
		etag string
		err  error
	}
	results := make([]result, raceWriters)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range raceWriters {
		wg.Go(func() {
			data := fmt.Appendf(nil, "version 7 by writer %d", i)
			<-start
			etag, err := write(data)
			results[i] = result{data, etag, err}
		})
	}
	close(start)
	wg.Wait()

	var winner *result
	for i := range results {
		r := &results[i]
		switch drafts.ErrorCode(r.err) {
		case "":
			if winner != nil {
				t.Errorf("two %s succeeded: %q and %q", what, winner.data, r.data)
			}
			winner = r
		case lostCode:
		default:
			t.Errorf("writer %d: %v, want success or %s", i, r.err, lostCode)
		}
	}
	if winner == nil {
		t.Fatalf("none of the %s succeeded", what)
	}
	if obj := MustGet(t, s, key); !bytes.Equal(obj.Data, winner.data) || obj.ETag != winner.etag {
		t.Errorf("Get = %q (ETag %q), want the winner's %q (ETag %q)", obj.Data, obj.ETag, winner.data, winner.etag)
	}
}

// MustCreate creates key with data in s and returns its ETag, failing the
// test on error.
func MustCreate(tb testing.TB, s drafts.ObjectStore, key string, data []byte) string {
	tb.Helper()
	etag, err := s.Create(context.Background(), key, data)
	if err != nil {
		tb.Fatalf("Create(%q): %v", key, err)
	}
	return etag
}

// MustGet returns the object at key in s, failing the test on error.
func MustGet(tb testing.TB, s drafts.ObjectStore, key string) *drafts.Object {
	tb.Helper()
	obj, err := s.Get(context.Background(), key)
	if err != nil {
		tb.Fatalf("Get(%q): %v", key, err)
	}
	return obj
}

// checkCode reports an error unless err carries code.
func checkCode(tb testing.TB, what string, err error, code string) {
	tb.Helper()
	if got := drafts.ErrorCode(err); got != code {
		tb.Errorf("%s: code %q (%v), want %q", what, got, err, code)
	}
}

// keysOf returns the keys of infos without prefix.
func keysOf(infos []drafts.ObjectInfo, prefix string) []string {
	var keys []string
	for _, info := range infos {
		keys = append(keys, strings.TrimPrefix(info.Key, prefix))
	}
	return keys
}

// randomHex returns n random bytes in hex.
func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}
