package storagetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"chancery/drafts"
)

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

// raceWriters is how many goroutines the race subtests run at once.
const raceWriters = 32

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
