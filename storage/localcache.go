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
	// localCacheMissingShare is the share of localCacheBytes (1/n) that
	// absences may take, so that requests for keys that do not exist (a
	// bad token, say) cannot push the objects out.
	localCacheMissingShare = 16
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
// holds. Absences are kept the same way (a key's absence, too, changes
// only by a write to that key), in a list of their own with a smaller
// bound.
type localCache struct {
	mu         sync.Mutex
	maxBytes   int64
	maxMissing int64
	maxObject  int
	size       int64
	missing    int64
	ll         list.List // of *localCached with objects, most recently used first
	nl         list.List // of *localCached of absences, most recently used first
	items      map[string]*list.Element
	// gen counts the writes to each stripe's keys that have ended;
	// writing counts those under way.
	gen     [localStripes]uint64
	writing [localStripes]int
}

// localCached is one cached object, or the absence of one (absent). Its
// data is never changed: Get hands out copies.
type localCached struct {
	key    string
	absent bool
	// notFound is the message of the ENOTFOUND an absence answers with,
	// made once.
	notFound string
	data     []byte
	etag     string
	mod      time.Time
}

func (e *localCached) cost() int64 {
	return int64(len(e.key)+len(e.notFound)+len(e.data)) + localCacheOverhead
}

func newLocalCache(maxBytes int64, maxObject int) *localCache {
	return &localCache{
		maxBytes: maxBytes, maxMissing: maxBytes / localCacheMissingShare, maxObject: maxObject,
		items: map[string]*list.Element{},
	}
}

// lookup returns a copy of the object cached at key, or the ENOTFOUND
// error to answer with if the cache knows there is none. On a miss (nil,
// nil) it returns the generation to pass to fill.
func (c *localCache) lookup(key string) (obj *drafts.Object, absent error, gen uint64) {
	c.mu.Lock()
	el, ok := c.items[key]
	if !ok {
		gen = c.gen[stripeIndex(key)]
		c.mu.Unlock()
		return nil, nil, gen
	}
	e := el.Value.(*localCached)
	if e.absent {
		c.nl.MoveToFront(el)
		c.mu.Unlock()
		return nil, &drafts.Error{Code: drafts.ENOTFOUND, Message: e.notFound}, 0
	}
	c.ll.MoveToFront(el)
	c.mu.Unlock()
	return &drafts.Object{Key: key, Data: bytes.Clone(e.data), ETag: e.etag, ModTime: e.mod}, nil, 0
}

// generation returns the generation of key's stripe, to pass to fill
// after reading the key's file.
func (c *localCache) generation(key string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen[stripeIndex(key)]
}

// stat returns what List reports of the object cached at key (hit), or
// absent if the cache knows there is none.
func (c *localCache) stat(key string) (info drafts.ObjectInfo, hit, absent bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return info, false, false
	}
	e := el.Value.(*localCached)
	if e.absent {
		c.nl.MoveToFront(el)
		return info, false, true
	}
	c.ll.MoveToFront(el)
	return drafts.ObjectInfo{Key: key, Size: int64(len(e.data)), ETag: e.etag, ModTime: e.mod}, true, false
}

// fill keeps a copy of obj, read from its file after lookup returned gen,
// or, if obj is nil, that there is no object at key (notFound is then the
// message of the error Get answered with), unless a write to the key's
// stripe has begun since, or obj is too large.
func (c *localCache) fill(key string, obj *drafts.Object, notFound string, gen uint64) {
	e := &localCached{key: key, absent: obj == nil, notFound: notFound}
	lst, size, max := &c.nl, &c.missing, c.maxMissing
	if obj != nil {
		if len(obj.Data) > c.maxObject {
			return
		}
		e.etag, e.mod = obj.ETag, obj.ModTime
		lst, size, max = &c.ll, &c.size, c.maxBytes
	}
	if obj != nil {
		e.data = bytes.Clone(obj.Data)
		if e.data == nil {
			e.data = []byte{}
		}
	}
	if e.cost() > max {
		return
	}
	i := stripeIndex(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing[i] > 0 || c.gen[i] != gen {
		return
	}
	c.remove(key)
	c.items[key] = lst.PushFront(e)
	*size += e.cost()
	for *size > max {
		c.remove(lst.Back().Value.(*localCached).key)
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
	delete(c.items, key)
	if e := el.Value.(*localCached); e.absent {
		c.nl.Remove(el)
		c.missing -= e.cost()
	} else {
		c.ll.Remove(el)
		c.size -= e.cost()
	}
}

// stats returns how many objects and absences the cache holds and the
// memory they cost.
func (c *localCache) stats() (objects, absences int, size, missing int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.nl.Len(), c.size, c.missing
}
