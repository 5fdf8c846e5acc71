package service

import (
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"

	"chancery/drafts"
)

// DefaultCacheBytes bounds the cache of immutable objects when
// Service.CacheBytes is zero.
const DefaultCacheBytes = 64 << 20

// lru is a bounded cache of decoded immutable objects (versions, version
// summaries, written events, by storage key; and the contents of mutable
// objects at one ETag, by key and ETag: see readListed), least recently
// used out first. Only what is never rewritten goes in, so it stays
// correct with any number of replicas on one bucket: no replica can change
// what another has cached. Absences are never cached.
type lru struct {
	mu    sync.Mutex
	max   int64
	size  int64
	ll    *list.List
	items map[string]*list.Element

	hits, misses atomic.Uint64
}

type lruEntry struct {
	key  string
	val  any
	size int64
}

func newLRU(max int64) *lru {
	return &lru{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) (any, bool) {
	if c.max <= 0 {
		c.misses.Add(1)
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		c.hits.Add(1)
		return e.Value.(*lruEntry).val, true
	}
	c.misses.Add(1)
	return nil, false
}

// add keeps val, which took size bytes in storage; an object larger than
// the whole cache is not kept.
func (c *lru) add(key string, val any, size int64) {
	if size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.items[key] = c.ll.PushFront(&lruEntry{key: key, val: val, size: size})
	c.size += size
	for c.size > c.max {
		last := c.ll.Back()
		ent := last.Value.(*lruEntry)
		c.ll.Remove(last)
		delete(c.items, ent.key)
		c.size -= ent.size
	}
}

// remove drops what key holds.
func (c *lru) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.Remove(e)
		delete(c.items, key)
		c.size -= e.Value.(*lruEntry).size
	}
}

// put keeps val for key, replacing what the key held.
func (c *lru) put(key string, val any, size int64) {
	if size > c.max {
		return
	}
	c.remove(key)
	c.add(key, val, size)
}

// CacheStats returns the counts of the cache of immutable objects.
func (s *Service) CacheStats() drafts.CacheStats {
	c := s.immutable()
	c.mu.Lock()
	defer c.mu.Unlock()
	return drafts.CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bytes: c.size, Objects: len(c.items)}
}

// kept reports whether the cache holds every one of keys.
func (s *Service) kept(keys ...string) bool {
	c := s.immutable()
	for _, k := range keys {
		if _, ok := c.get(k); !ok {
			return false
		}
	}
	return true
}

// immutable returns the cache, made on first use with Service.CacheBytes.
func (s *Service) immutable() *lru {
	s.cacheOnce.Do(func() {
		max := s.CacheBytes
		if max == 0 {
			max = DefaultCacheBytes
		}
		s.cache = newLRU(max)
		s.decodings = newLRU(max / 8)
	})
	return s.cache
}

// getImmutable reads the object at key into a new T through the cache and
// returns it; the caller gets its own copy (clone) to change at will.
// Callers missing the same key at once share one read (readShared).
func getImmutable[T any](ctx context.Context, s *Service, key string, clone func(*T) *T) (*T, error) {
	c := s.immutable()
	if v, ok := c.get(key); ok {
		return clone(v.(*T)), nil
	}
	v, err := readShared(ctx, s, key, "", "", func(obj *drafts.Object) (*T, error) {
		v := new(T)
		if err := json.Unmarshal(obj.Data, v); err != nil {
			return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", key)
		}
		c.add(key, v, int64(len(obj.Data)))
		return v, nil
	})
	if err != nil {
		return nil, err
	}
	return clone(v), nil
}

// readShared reads the object at key and decodes it with decode, once for
// the callers that ask for the same content at the same time (after a
// merge the whole room reads the new version and its events at once):
// an immutable object, or with etag the content a listing named. Only a
// content read is shared: a caller that joined a read answered "not
// found" reads again itself, since the object may have been written
// after that read began. kind names the decoding when it is not of the
// whole object (see listedForm). The value returned is shared: clone it.
func readShared[T any](ctx context.Context, s *Service, key, etag, kind string, decode func(*drafts.Object) (*T, error)) (*T, error) {
	joined := true
	v, err := s.flights.do(ctx, "read\x00"+listedKey(key, etag)+kind, func() (any, error) {
		joined = false
		obj, err := s.Store.Get(ctx, key)
		if err != nil {
			return nil, err
		}
		return decode(obj)
	})
	if joined && drafts.IsCode(err, drafts.ENOTFOUND) {
		obj, err := s.Store.Get(ctx, key)
		if err != nil {
			return nil, err
		}
		return decode(obj)
	}
	if err != nil {
		return nil, err
	}
	return v.(*T), nil
}

// decoding is a mutable object decoded from data.
type decoding struct {
	data []byte
	val  any
}

// getMutable reads the object at key, every time, into a new T and returns
// it with its ETag. The read is never skipped (another replica may have
// changed the object), only its decoding: when the bytes read are the
// bytes decoded last time, the caller gets a copy (clone) of that
// decoding. Equal bytes decode equal, so this cannot serve a stale object.
//
// In a request reading once (drafts.ReadOnce), the first reading of key
// is kept for the rest of the request, until the request writes the key.
func getMutable[T any](ctx context.Context, s *Service, key string, clone func(*T) *T) (*T, string, error) {
	once := drafts.ReadOnceFrom(ctx)
	if once != nil {
		if r, ok := once.Load(key); ok {
			r := r.(*mutableRead[T])
			if r.absent != nil {
				return nil, "", r.absent
			}
			return clone(r.v), r.etag, nil
		}
	}
	obj, err := s.getFresh(ctx, key)
	if once != nil && drafts.IsCode(err, drafts.ENOTFOUND) {
		once.Store(key, &mutableRead[T]{absent: err})
	}
	if err != nil {
		return nil, "", err
	}
	v, err := decodeMutable(s, key, obj, clone)
	if err != nil {
		return nil, "", err
	}
	if once != nil {
		once.Store(key, &mutableRead[T]{v: clone(v), etag: obj.ETag})
	}
	return v, obj.ETag, nil
}

// mutableRead is a mutable record as a request read it (ReadOnce), or
// its absence.
type mutableRead[T any] struct {
	v      *T
	etag   string
	absent error
}

// decodeMutable decodes obj, the object at key, into a new T, reusing the
// last decoding of the same bytes.
func decodeMutable[T any](s *Service, key string, obj *drafts.Object, clone func(*T) *T) (*T, error) {
	s.immutable() // makes s.decodings
	c := s.decodings
	if e, ok := c.get(key); ok {
		if d := e.(*decoding); bytes.Equal(d.data, obj.Data) {
			return clone(d.val.(*T)), nil
		}
	}
	v := new(T)
	if err := json.Unmarshal(obj.Data, v); err != nil {
		return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", key)
	}
	c.put(key, &decoding{data: obj.Data, val: clone(v)}, int64(len(obj.Data)))
	return v, nil
}

// readListed reads the objects a listing returned, several at a time, in
// order, into new Ts, and returns them with their ETags; an object gone
// since it was listed is left out (nil). An object this process has
// decoded before at the ETag the listing gives is not read again: a key
// and an ETag name one content (an ETag changes with every write, or
// If-Match would not work), and the listing is as current as a read, so
// the decoding is too, whichever replica wrote it. A list page of objects
// seen before is one listing, not one read per item.
func readListed[T any](ctx context.Context, s *Service, objs []drafts.ObjectInfo, clone func(*T) *T) ([]*T, []string, error) {
	return readListedAs(ctx, s, objs, listedForm[T]{clone: clone})
}

// listedForm is how readListedAs decodes the objects listed: into a T,
// copied for each caller with clone. kind, when not empty, names a
// decoding of part of the object (a T that leaves fields out), kept in
// the cache apart from the whole's, and size says what such a decoding
// holds (without it, the object's size).
type listedForm[T any] struct {
	kind  string
	clone func(*T) *T
	size  func(v *T, obj *drafts.Object) int
}

// readListedAs is readListed decoding the objects as form says.
func readListedAs[T any](ctx context.Context, s *Service, objs []drafts.ObjectInfo, form listedForm[T]) ([]*T, []string, error) {
	c := s.immutable()
	out := make([]*T, len(objs))
	etags := make([]string, len(objs))
	var missing []int
	for i, o := range objs {
		if o.ETag != "" {
			if v, ok := c.get(listedKey(o.Key+form.kind, o.ETag)); ok {
				out[i], etags[i] = form.clone(v.(*T)), o.ETag
				continue
			}
		}
		missing = append(missing, i)
	}
	err := s.inParallel(ctx, len(missing), func(ctx context.Context, j int) error {
		i := missing[j]
		// Readers listing the same new content at once read it once.
		r, err := readShared(ctx, s, objs[i].Key, objs[i].ETag, form.kind, func(obj *drafts.Object) (*listedRead[T], error) {
			v := new(T)
			if err := json.Unmarshal(obj.Data, v); err != nil {
				return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", obj.Key)
			}
			size := len(obj.Data)
			if form.size != nil {
				size = form.size(v, obj)
			}
			rememberListed(s, objs[i].Key+form.kind, obj.ETag, form.clone(v), size)
			return &listedRead[T]{v: v, etag: obj.ETag}, nil
		})
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil
		}
		if err != nil {
			return err
		}
		out[i], etags[i] = form.clone(r.v), r.etag
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, etags, nil
}

// listedRead is a listed object read: its decoding (shared: clone it) and
// the ETag read.
type listedRead[T any] struct {
	v    *T
	etag string
}

// rememberListed keeps v, the decoding of the object at key whose content
// has etag and took size bytes, for readListed; v must not be changed
// afterwards.
func rememberListed[T any](s *Service, key, etag string, v *T, size int) {
	if etag != "" {
		s.immutable().put(listedKey(key, etag), v, int64(size))
	}
}
