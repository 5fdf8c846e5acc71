package api

import (
	"container/list"
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"chancery/drafts"
)

// workLimiter bounds the heavy work in progress: at most slots requests
// run, at most queue more wait, each for at most wait; any other is
// refused at once with a 503 that says when to come back. A client that
// goes away stops waiting.
type workLimiter struct {
	slots   chan struct{}
	queue   int64
	waiting atomic.Int64
	wait    time.Duration
}

func newWorkLimiter(slots, queue int, wait time.Duration) *workLimiter {
	if slots < 1 {
		slots = 1
	}
	return &workLimiter{slots: make(chan struct{}, slots), queue: int64(queue), wait: wait}
}

// busy is the refusal of a full server.
func busy() error {
	return withRetryAfter(drafts.Errorf(drafts.EUNAVAILABLE, "the server is busy rendering and diffing for others; try again in a few seconds"), 2*time.Second)
}

// acquire takes a slot, waiting in the queue if there is room; the
// returned function gives it back.
func (w *workLimiter) acquire(ctx context.Context) (func(), error) {
	release := func() { <-w.slots }
	select {
	case w.slots <- struct{}{}:
		return release, nil
	default:
	}
	if w.waiting.Add(1) > w.queue {
		w.waiting.Add(-1)
		return nil, busy()
	}
	defer w.waiting.Add(-1)
	t := time.NewTimer(w.wait)
	defer t.Stop()
	select {
	case w.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, busy()
	case <-ctx.Done():
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, ctx.Err(), "the request ended while it waited")
	}
}

// defaultWorkSlots is how many heavy requests run at once by default: one
// per CPU, at least two.
func defaultWorkSlots() int { return max(2, runtime.GOMAXPROCS(0)) }

// flight runs one computation per key at a time; callers asking for a key
// being computed wait for that result instead of computing it again.
type flight struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	done chan struct{}
	val  []byte
	tag  string
	err  error
}

// do returns f's result for key, running f once for all concurrent callers.
func (g *flight) do(ctx context.Context, key string, f func() ([]byte, string, error)) ([]byte, string, error) {
	g.mu.Lock()
	if g.calls == nil {
		g.calls = map[string]*flightCall{}
	}
	if c, ok := g.calls[key]; ok {
		g.mu.Unlock()
		select {
		case <-c.done:
			return c.val, c.tag, c.err
		case <-ctx.Done():
			return nil, "", drafts.WrapError(drafts.EUNAVAILABLE, ctx.Err(), "the request ended while it waited")
		}
	}
	c := &flightCall{done: make(chan struct{})}
	g.calls[key] = c
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.calls, key)
		g.mu.Unlock()
		close(c.done)
	}()
	c.val, c.tag, c.err = f()
	return c.val, c.tag, c.err
}

// byteCache is a least-recently-used cache of derived, immutable bytes
// (rendered PDFs and diffs) bounded by their total size. Keys name
// everything the bytes depend on, so an entry is never stale.
type byteCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *cacheEntry, most recent first
	items map[string]*list.Element
}

type cacheEntry struct {
	key  string
	val  []byte
	tag  string
	size int
}

func newByteCache(max int) *byteCache {
	return &byteCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the bytes and tag under key.
func (c *byteCache) get(key string) ([]byte, string, bool) {
	if c == nil || c.max <= 0 {
		return nil, "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, "", false
	}
	c.order.MoveToFront(el)
	e := el.Value.(*cacheEntry)
	return e.val, e.tag, true
}

// put keeps val under key unless it is larger than a quarter of the
// cache, evicting the least recently used entries to make room.
func (c *byteCache) put(key string, val []byte, tag string) {
	if c == nil || c.max <= 0 || len(val)+len(key) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	e := &cacheEntry{key: key, val: val, tag: tag, size: len(val) + len(key)}
	c.items[key] = c.order.PushFront(e)
	c.size += e.size
	for c.size > c.max {
		last := c.order.Back()
		old := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.items, old.key)
		c.size -= old.size
	}
}

// derived returns bytes derived from immutable data under key: from the
// memory cache, or made by make once for all concurrent requests, inside
// the work limit, then cached. A request whose maker's client went away
// tries again as the maker.
func (s *Server) derived(ctx context.Context, key string, make func(ctx context.Context) ([]byte, string, error)) ([]byte, string, error) {
	for {
		if v, tag, ok := s.cache.get(key); ok {
			return v, tag, nil
		}
		v, tag, err := s.flight.do(ctx, key, func() ([]byte, string, error) {
			if v, tag, ok := s.cache.get(key); ok {
				return v, tag, nil
			}
			release, err := s.work.acquire(ctx)
			if err != nil {
				return nil, "", err
			}
			defer release()
			v, tag, err := make(ctx)
			if err == nil {
				s.cache.put(key, v, tag)
			}
			return v, tag, err
		})
		if err != nil && ctx.Err() == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			continue // the maker's request ended, not ours
		}
		return v, tag, err
	}
}
