package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"chancery/drafts"
)

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
