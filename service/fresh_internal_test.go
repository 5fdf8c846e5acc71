package service

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestFreshReadsNeverJoinAReadUnderWay: callers asking while a read is
// under way share the next read, which begins after they asked; callers
// asking together share one read.
func TestFreshReadsNeverJoinAReadUnderWay(t *testing.T) {
	var g freshReads
	var reads atomic.Int64
	var version atomic.Int64 // the record's content; bumped by "writes"
	started, release := make(chan struct{}), make(chan struct{})
	read := func(ctx context.Context) (any, error) {
		n := reads.Add(1)
		v := version.Load()
		if n == 1 {
			close(started)
			<-release
		}
		return v, nil
	}
	ctx := context.Background()
	first := make(chan any, 1)
	go func() {
		v, _ := g.do(ctx, "k", read)
		first <- v
	}()
	<-started
	// Written after the first read began: everyone asking now must see it.
	version.Store(1)
	var wg sync.WaitGroup
	got := make([]any, 50)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = g.do(ctx, "k", read)
		}()
	}
	// Let them all queue behind the first read, then let it end.
	for {
		g.mu.Lock()
		st := g.state["k"]
		queued := st != nil && st.next != nil && st.next.callers == len(got)
		g.mu.Unlock()
		if queued {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if v := <-first; v != int64(0) {
		t.Errorf("first read: %v, want 0", v)
	}
	for i, v := range got {
		if v != int64(1) {
			t.Fatalf("caller %d got %v, a read that began before it asked", i, v)
		}
	}
	if n := reads.Load(); n != 2 {
		t.Errorf("%d reads for 51 callers, want 2", n)
	}
}
