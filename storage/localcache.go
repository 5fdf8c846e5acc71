package storage

import (
	"bytes"
	"container/list"
	"sync"
	"time"

	"chancery/drafts"
)

// Bounds of Local's cache of recently read objects.
const (
	// localCacheBytes bounds the memory the cache holds: the bytes of its
	// objects plus their keys and localCacheOverhead each.
	localCacheBytes = 16 << 20
	// localCacheObject is the largest object the cache keeps. Chancery's
	// mutable records (tokens, documents, statuses) are far smaller; the
	// domain keeps large immutable objects decoded in its own cache.
	localCacheObject = 64 << 10
	// localCacheOverhead is what one entry costs beside its key and data.
	localCacheOverhead = 128
)

// localCache keeps the content of recently read objects of one Local, so
// that Get answers from memory, least recently used out first.
//
// It is coherent because every change to the directory goes through the
// one Local that holds its lock (see Local): Create, Update and Delete
// call beginWrite before they change an object's file and endWrite after,
// and the cache holds no entry for a key while a write to it is under way.
// A Get that misses reads the file and offers it with fill, together with
// the generation of the key's stripe that lookup gave it before the read.
// fill refuses if a write to the stripe is under way or has ended since
// then, so bytes read before a change can never be put back after the
// change has dropped them. An entry therefore always holds what the file
// holds. Absences are not cached.
type localCache struct {
	mu        sync.Mutex
	maxBytes  int64
	maxObject int
	size      int64
	ll        list.List // of *localCached, most recently used first
	items     map[string]*list.Element
	// gen counts the writes to each stripe's keys that have ended;
	// writing counts those under way.
	gen     [localStripes]uint64
	writing [localStripes]int
}

// localCached is one cached object. Its data is never changed: Get hands
// out copies.
type localCached struct {
	key  string
	data []byte
	etag string
	mod  time.Time
}

func (e *localCached) cost() int64 {
	return int64(len(e.key)+len(e.data)) + localCacheOverhead
}

func newLocalCache(maxBytes int64, maxObject int) *localCache {
	return &localCache{maxBytes: maxBytes, maxObject: maxObject, items: map[string]*list.Element{}}
}

// lookup returns a copy of the object cached at key. On a miss it returns
// the generation to pass to fill.
func (c *localCache) lookup(key string) (obj *drafts.Object, gen uint64) {
	c.mu.Lock()
	el, ok := c.items[key]
	if !ok {
		gen = c.gen[stripeIndex(key)]
		c.mu.Unlock()
		return nil, gen
	}
	c.ll.MoveToFront(el)
	e := el.Value.(*localCached)
	c.mu.Unlock()
	return &drafts.Object{Key: key, Data: bytes.Clone(e.data), ETag: e.etag, ModTime: e.mod}, 0
}

// fill keeps a copy of obj, read from its file after lookup returned gen,
// unless a write to its stripe has begun since, or obj is too large.
func (c *localCache) fill(obj *drafts.Object, gen uint64) {
	if len(obj.Data) > c.maxObject {
		return
	}
	e := &localCached{key: obj.Key, etag: obj.ETag, mod: obj.ModTime}
	if e.cost() > c.maxBytes {
		return
	}
	e.data = bytes.Clone(obj.Data)
	if e.data == nil {
		e.data = []byte{}
	}
	i := stripeIndex(obj.Key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing[i] > 0 || c.gen[i] != gen {
		return
	}
	c.remove(obj.Key)
	c.items[obj.Key] = c.ll.PushFront(e)
	c.size += e.cost()
	for c.size > c.maxBytes {
		c.remove(c.ll.Back().Value.(*localCached).key)
	}
}

// beginWrite drops key's entry and keeps the cache from filling it (or any
// key of its stripe) until the matching endWrite.
func (c *localCache) beginWrite(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writing[stripeIndex(key)]++
	c.remove(key)
}

// endWrite ends a write that beginWrite began, whatever its outcome, and
// makes every read begun before it unfit to fill the cache.
func (c *localCache) endWrite(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := stripeIndex(key)
	c.writing[i]--
	c.gen[i]++
	c.remove(key)
}

// remove drops key's entry if there is one. c.mu must be held.
func (c *localCache) remove(key string) {
	el, ok := c.items[key]
	if !ok {
		return
	}
	c.ll.Remove(el)
	delete(c.items, key)
	c.size -= el.Value.(*localCached).cost()
}

// stats returns how many objects the cache holds and the memory they cost.
func (c *localCache) stats() (objects int, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.size
}
