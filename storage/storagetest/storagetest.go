// Package storagetest holds the contract that every drafts.ObjectStore must
// meet, as one acceptance suite (in the manner of thanos-io/objstore's
// AcceptanceTest). Package storage runs it against the local directory, a
// real MinIO and a real versitygw; any future backend must pass it too.
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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

// randomHex returns n random bytes in hex.
func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}
