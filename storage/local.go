package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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

// LocalMinFree is the free space below which Local.Ping says the store
// cannot take writes: about what the largest write (a version of the
// largest text, as JSON) needs, with room.
const LocalMinFree = 16 << 20

// pingProbe is what Ping writes: enough that a full disk refuses it (an
// empty file needs no block, only an inode).
var pingProbe = make([]byte, 4096)

// Ping checks that the objects directory exists and can take a write: the
// filesystem has LocalMinFree bytes free (where it can tell) and a probe
// of a few kilobytes is written and synced. EUNAVAILABLE if not (a full
// disk, a read-only one, a directory gone).
func (l *Local) Ping(ctx context.Context) error {
	if err := l.ready(ctx); err != nil {
		return err
	}
	if free, ok := freeBytes(l.root); ok && free < LocalMinFree {
		return drafts.Errorf(drafts.EUNAVAILABLE, "data directory %s is full: %d KiB free, writes need at least %d MiB", l.dir, free>>10, LocalMinFree>>20)
	}
	tmp, err := writeTemp(l.root, pingProbe)
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

// fsError translates a filesystem error about key: a missing file (or a
// path through a non-directory) is ENOTFOUND, anything else EUNAVAILABLE.
func (l *Local) fsError(err error, op, key string) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return drafts.WrapError(drafts.ENOTFOUND, err, "object %q not found", key)
	}
	return drafts.WrapError(drafts.EUNAVAILABLE, err, "local store cannot %s object %q", op, key)
}
