package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"chancery/drafts"
)

// Names inside the local data directory.
const (
	// localObjectsDir is the subdirectory of DataDir that holds the objects.
	localObjectsDir = "objects"
	// localLockName is the file in DataDir that OpenLocal flocks.
	localLockName = ".lock"
	// localTempPrefix starts the name of temporary files. Key segments
	// have every '%' escaped as "%25", so no object or directory name can
	// start with it, and List skips them.
	localTempPrefix = "%tmp-"
	// localCreateAttempts bounds how often Create starts again when a
	// concurrent Delete removes the directory it is writing in.
	localCreateAttempts = 8
	// localStripes is the number of mutexes that serialize the
	// compare-and-swap of Update and Delete within the process.
	localStripes = 256
	// localMaxName is the longest file name most filesystems accept.
	localMaxName = 255
)

// Local is an object store in a directory of the local filesystem.
//
// Layout: each object is one file under DataDir/objects at the key's path,
// with '%' in segments escaped as "%25": key "documents/d1/versions/1" is
// the file DataDir/objects/documents/d1/versions/1, holding the object's
// bytes and nothing else. The ETag is the hex SHA-256 of the content, so
// Get and List read the whole object to report it.
//
// As on versitygw's posix backend, and unlike AWS S3, a key cannot be both
// an object and a "directory" of other keys: creating "a/b" when "a/b/c"
// exists, or "a/b/c" when "a/b" exists, fails with ECONFLICT. (MinIO
// accepts such overlapping keys but then leaves them out of listings, so
// Chancery's keys must never overlap; see package storage.)
//
// Durability: every write goes to a temporary file in the target
// directory, which is fsynced before it is linked (Create) or renamed
// (Update) into place; the directory is then fsynced too, as is the parent
// of every directory created or removed. A crash may leave temporary files
// ("%tmp-*") behind; they are never listed. Delete removes directories it
// leaves empty.
//
// Concurrency: Create is atomic by link(2), which fails if the name
// exists. Update and conditional Delete compare the ETag and replace or
// remove the file while holding one of 256 striped mutexes chosen by the
// key's hash. That is enough because no other process writes to the
// directory: OpenLocal takes an exclusive flock(2) on DataDir/.lock and
// refuses to open a directory that another process (or another OpenLocal in
// this one) holds. Several replicas therefore need the S3 backend.
//
// Cache: because every change goes through this one Local, it keeps the
// content and ETag of recently read objects in memory, up to 64 KiB each
// and 16 MiB in all, least recently used out first, and the keys recently
// found to hold nothing (in 1 MiB of their own), and Get answers from
// there without touching the disk or hashing the content again (see
// localCache for why a Get can never see bytes older than the last
// change). The directory must therefore not be changed behind a running
// server's back: an object edited, replaced or removed by hand may go on
// being served as it was until the server restarts. The S3 backend has no
// such cache, since several replicas share its bucket. Every Get is still
// one storage operation to the callers that count them (the server's
// chancery_storage_operation_duration_seconds wraps the store from
// outside), however it is answered.
//
// Keys are stored as given: on filesystems that fold case or normalize
// Unicode (macOS by default) distinct keys may collide.
type Local struct {
	dir     string
	root    string
	lock    *os.File
	stripes [localStripes]sync.Mutex
	closed  atomic.Bool
	cache   *localCache

	// testHookCAS, if set, runs in Update and Delete between the ETag
	// comparison and the change, so tests can widen that window.
	testHookCAS func()
	// testHookRead, if set, runs in Get between reading a file and
	// offering it (or its absence) to the cache; testHookChanged in
	// Create, Update and Delete between changing the file and telling the
	// cache the write has ended. Tests use them to order a Get against a change.
	testHookRead, testHookChanged func(key string)
}

// OpenLocal opens the local store in dir, creating the directory if
// needed. It fails with a one-line message if dir is empty (EINVALID),
// cannot be created or written (EUNAVAILABLE), or is in use by another
// Chancery process (ECONFLICT).
func OpenLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, drafts.Errorf(drafts.EINVALID, "data directory is not set")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, drafts.WrapError(drafts.EINVALID, err, "data directory %s cannot be resolved", dir)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s cannot be created", abs)
	}
	probe, err := os.CreateTemp(abs, ".probe-*")
	if err != nil {
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s is not writable", abs)
	}
	probeErr := errors.Join(probe.Close(), os.Remove(probe.Name()))
	if probeErr != nil {
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, probeErr, "data directory %s is not writable", abs)
	}

	lock, err := os.OpenFile(filepath.Join(abs, localLockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s cannot be locked", abs)
	}
	held, err := lockFile(lock)
	if err != nil || held {
		_ = lock.Close()
		if held {
			return nil, drafts.Errorf(drafts.ECONFLICT, "data directory %s is in use by another chancery process", abs)
		}
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s cannot be locked", abs)
	}

	l := &Local{dir: abs, root: filepath.Join(abs, localObjectsDir), lock: lock, cache: newLocalCache(localCacheBytes, localCacheObject)}
	if err := os.MkdirAll(l.root, 0o750); err != nil {
		_ = lock.Close()
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s cannot be initialized", abs)
	}
	if err := syncDir(abs); err != nil {
		_ = lock.Close()
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s cannot be synced", abs)
	}
	if err := l.removeLeftovers(); err != nil {
		_ = lock.Close()
		return nil, drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s: crash leftovers cannot be removed", abs)
	}
	return l, nil
}

// removeLeftovers deletes the temporary files ("%tmp-*") a crash left
// behind. It runs at open, under the directory's lock, so no write of this
// or another process can be using them. No key segment can start with
// "%tmp-" ('%' is escaped), so nothing else matches.
func (l *Local) removeLeftovers() error {
	dirs := map[string]bool{}
	err := filepath.WalkDir(l.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), localTempPrefix) {
			return nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		dirs[filepath.Dir(path)] = true
		return nil
	})
	if err != nil {
		return err
	}
	for dir := range dirs {
		if err := syncDir(dir); err != nil {
			return err
		}
	}
	return nil
}

// Dir returns the absolute path of the data directory.
func (l *Local) Dir() string { return l.dir }

// Close releases the data directory's lock. Close is idempotent.
func (l *Local) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	if err := l.lock.Close(); err != nil {
		return drafts.WrapError(drafts.EINTERNAL, err, "data directory %s cannot be unlocked", l.dir)
	}
	return nil
}

// Get returns the object at key. ENOTFOUND if there is none, EINVALID for
// a bad key, EUNAVAILABLE if the file cannot be read.
func (l *Local) Get(ctx context.Context, key string) (*drafts.Object, error) {
	if err := l.ready(ctx); err != nil {
		return nil, err
	}
	// Only valid keys are ever cached: a hit needs no check of the key.
	obj, absent, gen := l.cache.lookup(key)
	switch {
	case obj != nil:
		return obj, nil
	case absent != nil:
		return nil, absent
	}
	p, err := l.objectPath(key)
	if err != nil {
		return nil, err
	}
	data, mod, err := readObject(p)
	if err != nil {
		err = l.fsError(err, "read", key)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			l.readHook(key)
			l.cache.fill(key, nil, drafts.ErrorMessage(err), gen)
		}
		return nil, err
	}
	obj = &drafts.Object{Key: key, Data: data, ETag: contentETag(data), ModTime: mod}
	l.readHook(key)
	l.cache.fill(key, obj, "", gen)
	return obj, nil
}

// readHook calls testHookRead if it is set.
func (l *Local) readHook(key string) {
	if l.testHookRead != nil {
		l.testHookRead(key)
	}
}

// changedHook calls testHookChanged if it is set.
func (l *Local) changedHook(key string) {
	if l.testHookChanged != nil {
		l.testHookChanged(key)
	}
}

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

// List returns up to limit objects whose keys start with prefix and sort
// after `after`, in ascending byte order. next is the last key returned
// when more objects follow, "" when the listing is complete. EINVALID if
// limit is not positive.
func (l *Local) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
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
		info, err := l.listInfo(k, p)
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
// key, whose file is at p, from the cache if it holds the object, else
// from the file. fs.ErrNotExist if the object is gone.
func (l *Local) listInfo(key, p string) (drafts.ObjectInfo, error) {
	info, hit, absent := l.cache.stat(key)
	switch {
	case hit:
		return info, nil
	case absent:
		return info, fs.ErrNotExist
	}
	info, err := fileInfo(p)
	info.Key = key
	return info, err
}

// Ping checks that the objects directory exists and is writable.
// EUNAVAILABLE if not.
func (l *Local) Ping(ctx context.Context) error {
	if err := l.ready(ctx); err != nil {
		return err
	}
	tmp, err := writeTemp(l.root, nil)
	if err != nil {
		return drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s is not writable", l.dir)
	}
	if err := os.Remove(tmp); err != nil {
		return drafts.WrapError(drafts.EUNAVAILABLE, err, "data directory %s is not writable", l.dir)
	}
	return nil
}

// ready returns an error if the store is closed or ctx is done.
func (l *Local) ready(ctx context.Context) error {
	if l.closed.Load() {
		return drafts.Errorf(drafts.EUNAVAILABLE, "local store %s is closed", l.dir)
	}
	if err := ctx.Err(); err != nil {
		return contextError(err)
	}
	return nil
}

// begin checks the store and the key and returns the key's file path.
func (l *Local) begin(ctx context.Context, key string) (string, error) {
	if err := l.ready(ctx); err != nil {
		return "", err
	}
	return l.objectPath(key)
}

// objectPath returns the path of the file that holds key. EINVALID for a
// bad key, or one whose segment is too long for a file name.
func (l *Local) objectPath(key string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	segs := strings.Split(key, "/")
	parts := make([]string, 0, len(segs)+1)
	parts = append(parts, l.root)
	for _, s := range segs {
		name := escapeSegment(s)
		if len(name) > localMaxName {
			return "", drafts.Errorf(drafts.EINVALID, "object key %q has a segment too long for the local store", key)
		}
		parts = append(parts, name)
	}
	return filepath.Join(parts...), nil
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

// fsError translates a filesystem error about key: a missing file (or a
// path through a non-directory) is ENOTFOUND, anything else EUNAVAILABLE.
func (l *Local) fsError(err error, op, key string) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return drafts.WrapError(drafts.ENOTFOUND, err, "object %q not found", key)
	}
	return drafts.WrapError(drafts.EUNAVAILABLE, err, "local store cannot %s object %q", op, key)
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

// escapeSegment escapes a key segment for use as a file name.
func escapeSegment(s string) string {
	return strings.ReplaceAll(s, "%", "%25")
}

// unescapeSegment reverses escapeSegment. ok is false for a name that
// escapeSegment cannot have produced.
func unescapeSegment(name string) (seg string, ok bool) {
	if name == "" {
		return "", false
	}
	if !strings.Contains(name, "%") {
		return name, true
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if name[i] != '%' {
			b.WriteByte(name[i])
			continue
		}
		if !strings.HasPrefix(name[i:], "%25") {
			return "", false
		}
		b.WriteByte('%')
		i += 2
	}
	return b.String(), true
}

// contentETag returns the ETag of content: its hex SHA-256.
func contentETag(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// fileETag returns the ETag of the file at path.
func fileETag(path string) (string, error) {
	info, err := fileInfo(path)
	return info.ETag, err
}

// fileInfo returns the size, modification time and ETag of the file at
// path; Key is left empty.
func fileInfo(path string) (drafts.ObjectInfo, error) {
	f, fi, err := openObject(path)
	if err != nil {
		return drafts.ObjectInfo{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return drafts.ObjectInfo{}, err
	}
	return drafts.ObjectInfo{Size: fi.Size(), ETag: hex.EncodeToString(h.Sum(nil)), ModTime: fi.ModTime()}, nil
}

// openObject opens the object file at path. A directory (a key that is
// only a prefix of other keys) is reported as fs.ErrNotExist.
func openObject(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// writeTemp writes data to a new temporary file in dir, fsyncs and closes
// it, and returns its path.
func writeTemp(dir string, data []byte) (path string, err error) {
	f, err := os.CreateTemp(dir, localTempPrefix+"*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// syncDir fsyncs the directory at path, making renames, links and removals
// in it durable.
func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return err
	}
	return d.Close()
}

// contextError wraps a context's error as EUNAVAILABLE; errors.Is still
// finds context.Canceled or context.DeadlineExceeded in it.
func contextError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return drafts.WrapError(drafts.EUNAVAILABLE, err, "storage request timed out")
	}
	return drafts.WrapError(drafts.EUNAVAILABLE, err, "storage request canceled")
}
