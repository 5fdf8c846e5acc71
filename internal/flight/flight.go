// Package flight shares work between concurrent identical requests, for
// the HTTP packages: what is asked for under a key while it is being made
// is waited for instead of made again (Group), and the last results made
// are kept, bounded by bytes (Cache).
//
// A key must name everything the result depends on (a document, a
// version and its ETag, the open proposals' ETags, the language, what the
// reader may do): a result made for one caller is served to every caller
// asking under the same key.
package flight

import (
	"container/list"
	"context"
	"errors"
	"sync"

	"chancery/drafts"
)

// Group runs one computation per key at a time.
type Group[V any] struct {
	mu    sync.Mutex
	calls map[string]*call[V]
}

type call[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// Do returns f's result for key, running f once for the callers that ask
// while it runs. A caller whose context ends stops waiting (ctx.Err()). A
// caller that finds the computation was cut short by another caller's
// ended context (its error is context.Canceled or DeadlineExceeded) while
// its own goes on computes again.
func (g *Group[V]) Do(ctx context.Context, key string, f func() (V, error)) (V, error) {
	for {
		g.mu.Lock()
		if g.calls == nil {
			g.calls = map[string]*call[V]{}
		}
		if c, ok := g.calls[key]; ok {
			g.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				var zero V
				return zero, drafts.WrapError(drafts.EUNAVAILABLE, ctx.Err(), "the request ended while it waited")
			}
			if c.err != nil && ctx.Err() == nil && (errors.Is(c.err, context.Canceled) || errors.Is(c.err, context.DeadlineExceeded)) {
				continue
			}
			return c.val, c.err
		}
		c := &call[V]{done: make(chan struct{})}
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

// Cache keeps byte results by key, made once for concurrent callers,
// bounded by their total size with their keys (a key may be as long as
// what it names), least recently used out first. The bytes
// it returns are shared: read only.
type Cache struct {
	group Group[[]byte]

	mu    sync.Mutex
	max   int
	size  int
	ll    *list.List
	items map[string]*list.Element
}

type entry struct {
	key  string
	data []byte
}

// NewCache returns a cache of at most max bytes; a result larger than an
// eighth of it is made but not kept.
func NewCache(max int) *Cache {
	return &Cache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

// Len is how many results the cache keeps.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Get returns the bytes kept under key, if any.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*entry).data, true
	}
	return nil, false
}

// Add keeps data under key (unless the key holds bytes already).
func (c *Cache) Add(key string, data []byte) {
	if len(key)+len(data) > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; ok {
		return
	}
	c.items[key] = c.ll.PushFront(&entry{key: key, data: data})
	c.size += len(key) + len(data)
	for c.size > c.max {
		last := c.ll.Back()
		ent := last.Value.(*entry)
		c.ll.Remove(last)
		delete(c.items, ent.key)
		c.size -= len(ent.key) + len(ent.data)
	}
}

// Make returns the bytes kept under key, or makes them with make, once for
// the callers asking at the same time, and keeps them. A failure is not
// kept.
func (c *Cache) Make(ctx context.Context, key string, make func() ([]byte, error)) ([]byte, error) {
	if data, ok := c.Get(key); ok {
		return data, nil
	}
	return c.group.Do(ctx, key, func() ([]byte, error) {
		if data, ok := c.Get(key); ok {
			return data, nil
		}
		data, err := make()
		if err != nil {
			return nil, err
		}
		c.Add(key, data)
		return data, nil
	})
}
