package api

import (
	"container/list"
	"sync"
)

// encodedCache keeps encoded responses that a key determines entirely
// (a version's JSON: its document, number and ETag, which changes with
// its statuses), so that a hot GET is not encoded again. It is bounded by
// bytes, least recently used out first.
type encodedCache struct {
	mu    sync.Mutex
	max   int
	size  int
	ll    *list.List
	items map[string]*list.Element
}

type encodedEntry struct {
	key  string
	data []byte
}

func newEncodedCache(max int) *encodedCache {
	return &encodedCache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *encodedCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*encodedEntry).data, true
	}
	return nil, false
}

func (c *encodedCache) add(key string, data []byte) {
	if len(data) > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; ok {
		return
	}
	c.items[key] = c.ll.PushFront(&encodedEntry{key: key, data: data})
	c.size += len(data)
	for c.size > c.max {
		last := c.ll.Back()
		ent := last.Value.(*encodedEntry)
		c.ll.Remove(last)
		delete(c.items, ent.key)
		c.size -= len(ent.data)
	}
}
