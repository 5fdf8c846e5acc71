package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"chancery/drafts"
)

// Create stores data at key if no object is there, and returns its ETag.
// ECONFLICT if one is, or if key overlaps an object (see Local). The file
// is linked into place with link(2), which fails atomically when the name
// exists.
func (l *Local) Create(ctx context.Context, key string, data []byte) (string, error) {
	p, err := l.begin(ctx, key)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(p)
	l.cache.beginWrite(key)
	defer l.cache.endWrite(key)
	for range localCreateAttempts {
		err := l.mkdirAll(dir)
		if err == nil {
			err = linkNew(dir, p, data)
		}
		switch {
		case err == nil:
			l.changedHook(key)
			return contentETag(data), nil
		case errors.Is(err, syscall.ENOTDIR):
			return "", drafts.WrapError(drafts.ECONFLICT, err, "object key %q lies under an existing object", key)
		case errors.Is(err, fs.ErrExist):
			fi, serr := os.Lstat(p)
			if serr != nil || !fi.IsDir() {
				return "", drafts.Errorf(drafts.ECONFLICT, "object %q already exists", key)
			}
			// A directory: left empty by an interrupted Delete, or holding
			// objects.
			if rerr := removeEmptyTree(p); rerr != nil {
				if errors.Is(rerr, syscall.ENOTEMPTY) || errors.Is(rerr, fs.ErrExist) {
					return "", drafts.WrapError(drafts.ECONFLICT, rerr, "object key %q is a prefix of existing objects", key)
				}
				if !errors.Is(rerr, fs.ErrNotExist) {
					return "", l.fsError(rerr, "create", key)
				}
			}
		case errors.Is(err, fs.ErrNotExist):
			// A concurrent Delete removed a directory on the way.
		default:
			return "", l.fsError(err, "create", key)
		}
		if err := ctx.Err(); err != nil {
			return "", contextError(err)
		}
	}
	return "", drafts.Errorf(drafts.EUNAVAILABLE, "local store cannot create object %q: its directory keeps disappearing", key)
}

// removeEmptyTree removes dir and the directories under it if none of them
// holds a file, and fails with ENOTEMPTY otherwise.
func removeEmptyTree(dir string) error {
	des, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, de := range des {
		if !de.IsDir() {
			return &fs.PathError{Op: "remove", Path: dir, Err: syscall.ENOTEMPTY}
		}
		if err := removeEmptyTree(filepath.Join(dir, de.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Remove(dir); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

// linkNew writes data to a temporary file in dir and links it to path,
// failing with fs.ErrExist if path exists. It fsyncs the file and dir.
func linkNew(dir, path string, data []byte) error {
	tmp, err := writeTemp(dir, data)
	if err != nil {
		return err
	}
	linkErr := os.Link(tmp, path)
	rmErr := os.Remove(tmp)
	if linkErr != nil {
		return linkErr
	}
	if rmErr != nil {
		return rmErr
	}
	return syncDir(dir)
}

// Update replaces the object at key if its ETag is ifMatch, and returns the
// new ETag. ENOTFOUND if there is no object, EPRECONDITION if the ETag
// differs, EINVALID if ifMatch is empty.
func (l *Local) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	p, err := l.begin(ctx, key)
	if err != nil {
		return "", err
	}
	want, err := validateIfMatch(ifMatch)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(p)
	// Write the new content before taking the lock, so the lock is held
	// only for the compare and the rename.
	tmp, err := writeTemp(dir, data)
	if err != nil {
		return "", l.fsError(err, "update", key)
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = os.Remove(tmp)
		}
	}()

	mu := l.stripe(key)
	mu.Lock()
	defer mu.Unlock()
	cur, err := fileETag(p)
	if err != nil {
		return "", l.fsError(err, "update", key)
	}
	if cur != want {
		return "", drafts.Errorf(drafts.EPRECONDITION, "object %q has changed since it was read", key)
	}
	if l.testHookCAS != nil {
		l.testHookCAS()
	}
	l.cache.beginWrite(key)
	err = os.Rename(tmp, p)
	l.changedHook(key)
	l.cache.endWrite(key)
	if err != nil {
		return "", l.fsError(err, "update", key)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return "", l.fsError(err, "update", key)
	}
	return contentETag(data), nil
}

// Delete removes the object at key, if its ETag is ifMatch or ifMatch is
// "". ENOTFOUND if there is no object, EPRECONDITION if the ETag differs.
func (l *Local) Delete(ctx context.Context, key, ifMatch string) error {
	p, err := l.begin(ctx, key)
	if err != nil {
		return err
	}
	want := ""
	if ifMatch != "" {
		if want, err = validateIfMatch(ifMatch); err != nil {
			return err
		}
	}
	mu := l.stripe(key)
	mu.Lock()
	defer mu.Unlock()
	if want != "" {
		cur, err := fileETag(p)
		if err != nil {
			return l.fsError(err, "delete", key)
		}
		if cur != want {
			return drafts.Errorf(drafts.EPRECONDITION, "object %q has changed since it was read", key)
		}
	} else if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
		if err == nil {
			err = &fs.PathError{Op: "delete", Path: p, Err: fs.ErrNotExist}
		}
		return l.fsError(err, "delete", key)
	}
	if l.testHookCAS != nil {
		l.testHookCAS()
	}
	l.cache.beginWrite(key)
	err = os.Remove(p)
	l.changedHook(key)
	l.cache.endWrite(key)
	if err != nil {
		return l.fsError(err, "delete", key)
	}
	if err := l.removeEmptyDirs(filepath.Dir(p)); err != nil {
		return l.fsError(err, "delete", key)
	}
	return nil
}

// removeEmptyDirs fsyncs dir, a directory under the objects root from
// which an object was removed, then removes it and its ancestors below the
// root for as long as they are empty, fsyncing each parent.
func (l *Local) removeEmptyDirs(dir string) error {
	if err := syncDir(dir); err != nil {
		return err
	}
	for dir != l.root && strings.HasPrefix(dir, l.root+string(filepath.Separator)) {
		if err := os.Remove(dir); err != nil {
			// Not empty (or gone already): nothing more to tidy.
			return nil
		}
		dir = filepath.Dir(dir)
		if err := syncDir(dir); err != nil {
			return err
		}
	}
	return nil
}

// stripe returns the mutex that serializes compare-and-swap on key.
func (l *Local) stripe(key string) *sync.Mutex {
	return &l.stripes[stripeIndex(key)]
}

// stripeIndex returns the stripe of key: its 32-bit FNV-1a hash modulo
// localStripes.
func stripeIndex(key string) int {
	const offset32, prime32 = 2166136261, 16777619
	h := uint32(offset32)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= prime32
	}
	return int(h % localStripes)
}

// mkdirAll creates dir, a directory under the objects root, and fsyncs the
// parent of every directory it creates.
func (l *Local) mkdirAll(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	rel, err := filepath.Rel(l.root, dir)
	if err != nil {
		return err
	}
	cur := l.root
	for part := range strings.SplitSeq(rel, string(filepath.Separator)) {
		next := filepath.Join(cur, part)
		switch err := os.Mkdir(next, 0o750); {
		case err == nil:
			if err := syncDir(cur); err != nil {
				return err
			}
		case !errors.Is(err, fs.ErrExist):
			return err
		}
		cur = next
	}
	return nil
}
