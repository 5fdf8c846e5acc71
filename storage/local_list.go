package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"chancery/drafts"
)

// List returns up to limit objects whose keys start with prefix and sort
// after `after`, in ascending byte order. next is the last key returned
// when more objects follow, "" when the listing is complete. EINVALID if
// limit is not positive.
func (l *Local) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	return l.list(ctx, prefix, after, limit, true)
}

// list is List, answering what it reports of an object from the cache
// when cached is true and the cache holds it.
func (l *Local) list(ctx context.Context, prefix, after string, limit int, cached bool) ([]drafts.ObjectInfo, string, error) {
	if err := l.ready(ctx); err != nil {
		return nil, "", err
	}
	if err := validateListArgs(prefix, after, limit); err != nil {
		return nil, "", err
	}
	w := localWalk{ctx: ctx, prefix: prefix, after: after, need: limit + 1}
	// Every key with the prefix is under the folder its last "/" ends:
	// start there, not at the root (a listing of one document's proposals
	// need not read the folder of every document).
	dir, dirKey := l.root, ""
	if i := strings.LastIndexByte(prefix, '/'); i > 0 {
		if p, err := l.objectPath(prefix[:i]); err == nil {
			dir, dirKey = p, prefix[:i+1]
		}
	}
	if err := w.walk(dir, dirKey); err != nil {
		if ctx.Err() != nil {
			return nil, "", contextError(ctx.Err())
		}
		return nil, "", drafts.WrapError(drafts.EUNAVAILABLE, err, "local store cannot list %q", prefix)
	}
	keys, next := w.keys, ""
	if len(keys) > limit {
		keys, next = keys[:limit], keys[limit-1]
	}
	infos := make([]drafts.ObjectInfo, 0, len(keys))
	for _, k := range keys {
		p, err := l.objectPath(k)
		if err != nil {
			return nil, "", err
		}
		info, err := l.listInfo(k, p, cached)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since the walk
		}
		if err != nil {
			return nil, "", l.fsError(err, "list", k)
		}
		infos = append(infos, info)
	}
	return infos, next, nil
}

// listInfo returns the size, ETag and modification time of the object at
// key, whose file is at p. When cached, from the cache if it holds the
// object, else from the file, which it reads whole for its ETag and keeps
// in the cache as Get does (a listing of many objects would otherwise
// read and hash every file every time); else from the file alone, the
// cache neither read nor filled. fs.ErrNotExist if the object is gone.
func (l *Local) listInfo(key, p string, cached bool) (drafts.ObjectInfo, error) {
	if !cached {
		info, err := fileInfo(p)
		info.Key = key
		return info, err
	}
	info, hit, absent := l.cache.stat(key)
	switch {
	case hit:
		return info, nil
	case absent:
		return info, fs.ErrNotExist
	}
	gen := l.cache.generation(key)
	data, mod, err := readObject(p)
	if err != nil {
		return info, err
	}
	obj := &drafts.Object{Key: key, Data: data, ETag: contentETag(data), ModTime: mod}
	l.readHook(key)
	l.cache.fill(key, obj, "", gen)
	return drafts.ObjectInfo{Key: key, Size: int64(len(data)), ETag: obj.ETag, ModTime: mod}, nil
}

// localWalk collects, in ascending byte order, up to need keys under the
// objects root that start with prefix and sort after after.
type localWalk struct {
	ctx    context.Context
	prefix string
	after  string
	need   int
	keys   []string
	done   bool
}

// localEntry is one directory entry seen by localWalk. sortKey is the
// unescaped segment, followed by "/" for a directory: sorting entries by
// it visits keys in byte order (a key "a" < "a-b" < "a/x" < "a0").
type localEntry struct {
	sortKey string
	name    string
	isDir   bool
}

// walk visits dir, whose keys all start with keyPrefix.
func (w *localWalk) walk(dir, keyPrefix string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		if (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) && keyPrefix != "" {
			return nil // removed since its parent was read, or not a folder: no keys
		}
		return err
	}
	entries := make([]localEntry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		seg, ok := unescapeSegment(name)
		switch {
		case !ok || seg == "." || seg == "..":
			// A temporary file, or not ours.
		case de.IsDir():
			entries = append(entries, localEntry{sortKey: seg + "/", name: name, isDir: true})
		case de.Type().IsRegular():
			entries = append(entries, localEntry{sortKey: seg, name: name})
		}
	}
	slices.SortFunc(entries, func(a, b localEntry) int { return strings.Compare(a.sortKey, b.sortKey) })

	for _, e := range entries {
		full := keyPrefix + e.sortKey
		related := strings.HasPrefix(full, w.prefix) || strings.HasPrefix(w.prefix, full)
		if !related && full > w.prefix {
			// This entry and all that follow sort after every key with
			// the prefix.
			w.done = true
			return nil
		}
		if !e.isDir {
			if related && strings.HasPrefix(full, w.prefix) && full > w.after {
				w.keys = append(w.keys, full)
				if len(w.keys) >= w.need {
					w.done = true
					return nil
				}
			}
			continue
		}
		// Every key under this directory starts with full.
		if !related || (w.after >= full && !strings.HasPrefix(w.after, full)) {
			continue
		}
		if err := w.walk(filepath.Join(dir, e.name), full); err != nil {
			return err
		}
		if w.done {
			return nil
		}
	}
	return nil
}
