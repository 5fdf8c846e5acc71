package drafts

import (
	"context"
	"time"
)

// Object is one stored object with the ETag it was read at.
type Object struct {
	Key     string
	Data    []byte
	ETag    string
	ModTime time.Time
}

// ObjectInfo describes a stored object without its content.
type ObjectInfo struct {
	Key     string
	Size    int64
	ETag    string
	ModTime time.Time
}

// ObjectStore is the small object-storage interface the domain keeps all its
// state in. Keys are slash-separated UTF-8 paths ("texts/d1/versions/1.json").
// Keys must never overlap: no key may be a folder of another ("a/b" and
// "a/b/c"), which MinIO and file systems do not support.
// Implementations live in package storage (local directory and S3).
//
// Every method may return EUNAVAILABLE when the backend cannot be reached and
// EINVALID for a key that is not acceptable.
type ObjectStore interface {
	// Get returns the object at key. ENOTFOUND if there is none.
	Get(ctx context.Context, key string) (*Object, error)

	// Create stores data at key only if no object exists there, and returns
	// the new ETag. ECONFLICT if an object exists already: of any number of
	// concurrent Creates of one key exactly one succeeds.
	Create(ctx context.Context, key string, data []byte) (etag string, err error)

	// Update replaces the object at key only if its current ETag is ifMatch,
	// and returns the new ETag. ENOTFOUND if there is no object,
	// EPRECONDITION if it changed since it was read: of any number of
	// concurrent Updates with one ETag exactly one succeeds.
	Update(ctx context.Context, key string, data []byte, ifMatch string) (etag string, err error)

	// Delete removes the object at key if its ETag is ifMatch, or
	// unconditionally when ifMatch is "". ENOTFOUND if there is none,
	// EPRECONDITION if the ETag differs.
	Delete(ctx context.Context, key, ifMatch string) error

	// List returns up to limit objects whose keys start with prefix, in
	// ascending byte order of key, starting after the key `after` ("" for
	// the beginning). next is the last key returned when there may be more,
	// "" when the listing is complete.
	List(ctx context.Context, prefix, after string, limit int) (objects []ObjectInfo, next string, err error)

	// Ping checks that the backend is reachable and usable. EUNAVAILABLE if not.
	Ping(ctx context.Context) error
}

// CachingStore is an ObjectStore that answers some reads from memory
// (storage.Local keeps recently read objects). Uncached returns a view of
// the same store whose Get and List read what is stored every time,
// neither using nor filling the cache; its writes are the store's own.
// A wrapper of a store (metrics, fault injection) that may wrap a caching
// store implements it by wrapping the inner store's view.
type CachingStore interface {
	ObjectStore
	Uncached() ObjectStore
}

// Uncached returns a view of s whose reads bypass every cache s keeps:
// s.Uncached() for a CachingStore, s itself for a store that keeps none.
// Whatever judges what is stored (the audit trail's verification, the
// completion of events at start) reads through it.
func Uncached(s ObjectStore) ObjectStore {
	if c, ok := s.(CachingStore); ok {
		return c.Uncached()
	}
	return s
}
