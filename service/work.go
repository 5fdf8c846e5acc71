package service

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"chancery/drafts"
)

// Default bounds of the heavy work (diffing, compiling, rendering) when the
// Service's fields are zero.
const (
	// DefaultWorkQueue is how many heavy requests may wait for a slot.
	DefaultWorkQueue = 64
	// DefaultWorkWait is how long one waits at most.
	DefaultWorkWait = 20 * time.Second
)

// workLimit bounds the heavy work in progress: at most cap(slots) run, at
// most queue more wait, each for at most wait; any other is refused at
// once with EUNAVAILABLE (a 503 that says when to come back). A request
// whose client went away stops waiting.
type workLimit struct {
	slots   chan struct{}
	queue   int64
	waiting atomic.Int64
	wait    time.Duration
}

// work returns the limit, made on first use from the Service's fields.
func (s *Service) work() *workLimit {
	s.workOnce.Do(func() {
		slots, queue, wait := s.WorkSlots, s.WorkQueue, s.WorkWait
		if slots <= 0 {
			slots = max(2, runtime.GOMAXPROCS(0))
		}
		if queue == 0 {
			queue = DefaultWorkQueue
		}
		if wait <= 0 {
			wait = DefaultWorkWait
		}
		s.workLimit = &workLimit{slots: make(chan struct{}, slots), queue: int64(max(queue, 0)), wait: wait}
	})
	return s.workLimit
}

// errBusy is the refusal of a server whose heavy work is full.
func errBusy() error {
	return drafts.Errorf(drafts.EUNAVAILABLE, "the server is busy diffing and rendering for others; try again in a few seconds")
}

// heavy runs f inside the work limit (see Work).
func (s *Service) heavy(ctx context.Context, f func() error) error {
	return s.Work(ctx, func(context.Context) error { return f() })
}

// sharedWork runs load, heavy work on immutable inputs named by key, in a
// slot of the work limit, once for all the callers asking at the same
// time, and gives each its value: the room asking for the same new diff
// takes one slot, not one each, and is not turned away for a full queue.
// A caller already in a slot loads in it, never waiting on another
// caller's wait for a slot.
func (s *Service) sharedWork(ctx context.Context, key string, load func(ctx context.Context) (any, error)) (any, error) {
	if ctx.Value(slotKey{}) == s.work() {
		return load(ctx)
	}
	return s.flights.do(ctx, "work\x00"+key, func() (any, error) {
		var v any
		err := s.Work(ctx, func(ctx context.Context) error {
			var err error
			v, err = load(ctx)
			return err
		})
		return v, err
	})
}

// slotKey marks a context whose request holds a slot of a workLimit (the
// value).
type slotKey struct{}

// Work runs f inside the work limit: at most WorkSlots at once, WorkQueue
// more waiting, each at most WorkWait; others get EUNAVAILABLE at once. f
// gets a context that holds the slot: work inside it (heavy, Work) runs in
// that slot, without waiting for a second one. A heavy path takes its
// slot before it loads its inputs, so what it holds in memory is bounded
// by the slots, not by the requests.
func (s *Service) Work(ctx context.Context, f func(ctx context.Context) error) error {
	w := s.work()
	if ctx.Value(slotKey{}) == w {
		return f(ctx)
	}
	select {
	case w.slots <- struct{}{}:
	default:
		if w.waiting.Add(1) > w.queue {
			w.waiting.Add(-1)
			return errBusy()
		}
		t := time.NewTimer(w.wait)
		select {
		case w.slots <- struct{}{}:
			t.Stop()
			w.waiting.Add(-1)
		case <-t.C:
			w.waiting.Add(-1)
			return errBusy()
		case <-ctx.Done():
			t.Stop()
			w.waiting.Add(-1)
			return drafts.WrapError(drafts.EUNAVAILABLE, ctx.Err(), "the request ended while it waited")
		}
	}
	defer func() { <-w.slots }()
	return f(context.WithValue(ctx, slotKey{}, w))
}

// flights runs one computation per key at a time: callers asking for a
// key being computed wait for that result instead of computing it again.
// Only results every caller may see (the callers were authorized before)
// go through it.
type flights struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	done chan struct{}
	val  any
	err  error
}

// do returns f's result for key, running f once for concurrent callers. A
// caller whose computation was cut short by another caller's canceled
// request computes again.
func (g *flights) do(ctx context.Context, key string, f func() (any, error)) (any, error) {
	for {
		g.mu.Lock()
		if g.calls == nil {
			g.calls = map[string]*flightCall{}
		}
		if c, ok := g.calls[key]; ok {
			g.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return nil, drafts.WrapError(drafts.EUNAVAILABLE, ctx.Err(), "the request ended while it waited")
			}
			if c.err != nil && ctx.Err() == nil && (errors.Is(c.err, context.Canceled) || errors.Is(c.err, context.DeadlineExceeded)) {
				continue
			}
			return c.val, c.err
		}
		c := &flightCall{done: make(chan struct{})}
		g.calls[key] = c
		g.mu.Unlock()
		func() {
			defer func() {
				g.mu.Lock()
				delete(g.calls, key)
				g.mu.Unlock()
				close(c.done)
			}()
			c.val, c.err = f()
		}()
		return c.val, c.err
	}
}

// diffSize estimates the memory a diff holds, for the cache's bound.
func diffSize(d *drafts.Diff) int64 {
	n := int64(64)
	for _, c := range d.Changes {
		n += int64(len(c.OldText)+len(c.Text)) + 128
		for _, sg := range c.Segments {
			n += int64(len(sg.Text)) + 32
		}
	}
	return n
}

// WorkStats returns the current state of the work limit.
func (s *Service) WorkStats() drafts.WorkStats {
	w := s.work()
	return drafts.WorkStats{Running: len(w.slots), Waiting: int(w.waiting.Load())}
}
