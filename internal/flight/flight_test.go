package flight

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestCacheCountsKeys: the cache's bound counts each key with its bytes
// (a key may name a whole provision), and the least recently used goes
// first.
func TestCacheCountsKeys(t *testing.T) {
	c := NewCache(800)                                                                    // an entry of at most 100 bytes is kept
	key := func(i int) string { return fmt.Sprintf("%02d", i) + strings.Repeat("k", 88) } // 90 bytes
	for i := range 8 {
		c.Add(key(i), []byte("12345"))
	}
	if c.size != 8*95 {
		t.Fatalf("size %d after 8 entries of a 90-byte key and 5 bytes, want %d", c.size, 8*95)
	}
	if _, ok := c.Get(key(0)); !ok { // now the most recently used
		t.Fatal("an entry gone before the bound was reached")
	}
	c.Add(key(8), []byte("12345")) // 855 > 800: key 1, the least recently used, goes
	if _, ok := c.Get(key(1)); ok {
		t.Error("the least recently used entry is still kept past the bound")
	}
	for _, i := range []int{0, 2, 8} {
		if _, ok := c.Get(key(i)); !ok {
			t.Errorf("entry %d gone", i)
		}
	}
	if c.size != 8*95 || c.Len() != 8 {
		t.Errorf("size %d for %d entries, want %d for 8", c.size, c.Len(), 8*95)
	}
	// Larger than an eighth of the bound with its key: made, not kept.
	c.Add(strings.Repeat("x", 96), []byte("12345"))
	if _, ok := c.Get(strings.Repeat("x", 96)); ok {
		t.Error("an entry over an eighth of the bound, key included, is kept")
	}
}

// TestCacheMakesOnce: callers asking for one key at the same time share
// one making, and later callers get what was kept.
func TestCacheMakesOnce(t *testing.T) {
	c := NewCache(1 << 20)
	var mu sync.Mutex
	made := 0
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := c.Make(context.Background(), "k", func() ([]byte, error) {
				<-release
				mu.Lock()
				made++
				mu.Unlock()
				return []byte("made"), nil
			})
			if err != nil || string(data) != "made" {
				t.Errorf("Make: %q, %v", data, err)
			}
		}()
	}
	close(release)
	wg.Wait()
	if _, err := c.Make(context.Background(), "k", func() ([]byte, error) { return []byte("again"), nil }); err != nil {
		t.Fatal(err)
	}
	if data, _ := c.Get("k"); string(data) != "made" {
		t.Errorf("kept %q, want the first making's", data)
	}
	if made != 1 {
		t.Errorf("made %d times, want once", made)
	}
}
