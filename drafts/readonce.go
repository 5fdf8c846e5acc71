package drafts

import (
	"context"
	"sync"
)

// ReadOnce is where, during one request that shows a page, the service
// keeps what it has read of mutable records (the document, a version's
// statuses, a token), so that a page asking the service several things
// reads each record once and shows one reading of it. Anything the
// request writes is forgotten, and read again when next asked for. Only
// requests that show something use it (NewContextReadingOnce); the keys
// and values are the service's own.
type ReadOnce struct {
	mu   sync.Mutex
	read map[string]any
}

type readOnceKey struct{}

// NewContextReadingOnce returns a copy of ctx with a ReadOnce of its own.
func NewContextReadingOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, readOnceKey{}, &ReadOnce{read: map[string]any{}})
}

// ReadOnceFrom returns the ReadOnce of ctx, or nil.
func ReadOnceFrom(ctx context.Context) *ReadOnce {
	r, _ := ctx.Value(readOnceKey{}).(*ReadOnce)
	return r
}

// Load returns what was kept under key.
func (r *ReadOnce) Load(key string) (any, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.read[key]
	return v, ok
}

// Store keeps v under key.
func (r *ReadOnce) Store(key string, v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.read[key] = v
}

// Forget drops what was kept under key.
func (r *ReadOnce) Forget(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.read, key)
}
