package storagetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"chancery/drafts"
)

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
