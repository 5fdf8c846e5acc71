package storage

import (
	"context"

	"chancery/drafts"
)

// Uncached returns a view of l whose Get and List read the files every
// time, never answering from Local's cache nor filling it; its writes are
// l's own (so the cache stays coherent). What judges what is stored reads
// through it: the audit trail's verification sees an object edited,
// replaced or removed behind the server's back at once, where l's Get may
// go on answering from memory until the server restarts (see Local).
func (l *Local) Uncached() drafts.ObjectStore { return localUncached{l} }

var _ drafts.CachingStore = (*Local)(nil)

// localUncached is Local reading past its cache.
type localUncached struct{ *Local }

// Get reads the object's file.
func (u localUncached) Get(ctx context.Context, key string) (*drafts.Object, error) {
	p, err := u.begin(ctx, key)
	if err != nil {
		return nil, err
	}
	data, mod, err := readObject(p)
	if err != nil {
		return nil, u.fsError(err, "read", key)
	}
	return &drafts.Object{Key: key, Data: data, ETag: contentETag(data), ModTime: mod}, nil
}

// List lists the files, hashing each for its ETag.
func (u localUncached) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	return u.list(ctx, prefix, after, limit, false)
}
