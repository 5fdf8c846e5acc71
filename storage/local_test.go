package storage_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/storage"
	"chancery/storage/storagetest"
)

func TestLocal_Acceptance(t *testing.T) {
	t.Parallel()
	storagetest.AcceptanceTest(t, func(t *testing.T) drafts.ObjectStore {
		return MustOpenLocal(t, t.TempDir())
	})
}

func TestLocal_SharedAcceptance(t *testing.T) {
	// The suite promises that subtests can share one store.
	t.Parallel()
	l := MustOpenLocal(t, t.TempDir())
	storagetest.AcceptanceTest(t, func(*testing.T) drafts.ObjectStore { return l })
}

// TestOpenLocal is not parallel: it closes a store and opens it again at
// once, and a child process that another test starts meanwhile shares the
// lock's open file description until its program starts, so the store
// would briefly seem in use.
func TestOpenLocal(t *testing.T) {
	t.Run("InUse", func(t *testing.T) {
		dir := t.TempDir()
		first := MustOpenLocal(t, dir)
		_, err := storage.OpenLocal(dir)
		if got, want := drafts.ErrorCode(err), drafts.ECONFLICT; got != want {
			t.Fatalf("second OpenLocal: code %q (%v), want %q", got, err, want)
		}
		if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "in use by another chancery process") {
			t.Errorf("second OpenLocal: %q does not say that %s is in use", msg, dir)
		}
		if err := first.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		again, err := storage.OpenLocal(dir)
		if err != nil {
			t.Fatalf("OpenLocal after Close: %v", err)
		}
		_ = again.Close()
	})
	t.Run("InUseByAnotherProcess", func(t *testing.T) {
		dir := t.TempDir()
		holder := startLockHolder(t, dir)
		_, err := storage.OpenLocal(dir)
		if got, want := drafts.ErrorCode(err), drafts.ECONFLICT; got != want {
			t.Fatalf("OpenLocal while another process holds %s: code %q (%v), want %q", dir, got, err, want)
		}
		holder()
		l, err := storage.OpenLocal(dir)
		if err != nil {
			t.Fatalf("OpenLocal after the other process exited: %v", err)
		}
		_ = l.Close()
	})
	t.Run("Unwritable", func(t *testing.T) {
		// Tests may run as root, which ignores permissions; a path under a
		// regular file cannot be created by anyone.
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(file, "data")
		_, err := storage.OpenLocal(dir)
		if got, want := drafts.ErrorCode(err), drafts.EUNAVAILABLE; got != want {
			t.Fatalf("OpenLocal(%s): code %q (%v), want %q", dir, got, err, want)
		}
		if msg := drafts.ErrorMessage(err); msg != "data directory "+dir+" cannot be created" {
			t.Errorf("OpenLocal(%s): message %q", dir, msg)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("OpenLocal: error has several lines: %q", err)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		_, err := storage.OpenLocal("")
		if got, want := drafts.ErrorCode(err), drafts.EINVALID; got != want {
			t.Fatalf("OpenLocal(\"\"): code %q (%v), want %q", got, err, want)
		}
	})
}

func TestLocal_Layout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	l := MustOpenLocal(t, dir)
	etag := storagetest.MustCreate(t, l, "a/b%c", []byte("one"))
	if _, err := l.Update(ctx, "a/b%c", []byte("two"), etag); err != nil {
		t.Fatalf("Update: %v", err)
	}
	storagetest.MustCreate(t, l, "a/%tmp-x/d", []byte("three"))

	got, err := os.ReadFile(filepath.Join(dir, "objects", "a", "b%25c"))
	if err != nil {
		t.Fatalf("object file: %v", err)
	}
	if string(got) != "two" {
		t.Errorf("object file holds %q, want %q", got, "two")
	}
	if _, err := os.Stat(filepath.Join(dir, "objects", "a", "%25tmp-x", "d")); err != nil {
		t.Errorf("object file of a/%%tmp-x/d: %v", err)
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), "%tmp-") || strings.HasPrefix(d.Name(), ".probe-") {
			t.Errorf("temporary file left behind: %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Delete removes the directories it empties, and only those.
	if err := l.Delete(ctx, "a/%tmp-x/d", ""); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "objects", "a", "%25tmp-x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("directory emptied by Delete: Stat = %v, want it gone", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "objects", "a", "b%25c")); err != nil {
		t.Errorf("Delete removed a neighbour: %v", err)
	}
}

func TestLocal_EmptyDirectoryDoesNotBlockCreate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l := MustOpenLocal(t, dir)
	// Empty directories, as an interrupted Delete could leave them.
	if err := os.MkdirAll(filepath.Join(dir, "objects", "docs", "d1", "versions"), 0o750); err != nil {
		t.Fatal(err)
	}
	storagetest.MustCreate(t, l, "docs/d1", []byte("x"))
	if obj := storagetest.MustGet(t, l, "docs/d1"); string(obj.Data) != "x" {
		t.Errorf("Get = %q, want %q", obj.Data, "x")
	}
}

func TestLocal_IgnoresForeignFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	l := MustOpenLocal(t, dir)
	storagetest.MustCreate(t, l, "docs/one", []byte("1"))
	// A crash can leave temporary files; people can leave anything.
	for _, name := range []string{"%tmp-123", "bad%escape", "%"} {
		if err := os.WriteFile(filepath.Join(dir, "objects", "docs", name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("one", filepath.Join(dir, "objects", "docs", "link")); err != nil {
		t.Fatal(err)
	}
	infos, next, err := l.List(ctx, "", "", 10)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(infos) != 1 || infos[0].Key != "docs/one" || next != "" {
		t.Errorf("List = %+v (next %q), want only docs/one", infos, next)
	}
}

// TestLocal_RemovesCrashLeftovers: temporary files a crash left behind are
// deleted when the store is opened again; objects and foreign files stay.
//
// It is not parallel, for the reason TestOpenLocal gives.
func TestLocal_RemovesCrashLeftovers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l := MustOpenLocal(t, dir)
	storagetest.MustCreate(t, l, "docs/one", []byte("1"))
	storagetest.MustCreate(t, l, "docs/deep/two", []byte("2"))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	leftovers := []string{
		filepath.Join(dir, "objects", "docs", "%tmp-123"),
		filepath.Join(dir, "objects", "docs", "deep", "%tmp-abc"),
		filepath.Join(dir, "objects", "%tmp-root"),
	}
	for _, p := range leftovers {
		if err := os.WriteFile(p, []byte("half a write"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	foreign := filepath.Join(dir, "objects", "docs", "bad%escape")
	if err := os.WriteFile(foreign, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	l = MustOpenLocal(t, dir)
	for _, p := range leftovers {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there (%v)", p, err)
		}
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("a file that is not a leftover was removed: %v", err)
	}
	for key, want := range map[string]string{"docs/one": "1", "docs/deep/two": "2"} {
		obj, err := l.Get(ctx, key)
		if err != nil || string(obj.Data) != want {
			t.Errorf("Get %s = %v, %v", key, obj, err)
		}
	}
}

func TestLocal_LongSegment(t *testing.T) {
	t.Parallel()
	l := MustOpenLocal(t, t.TempDir())
	_, err := l.Create(context.Background(), "docs/"+strings.Repeat("й", 130), []byte("x"))
	if got, want := drafts.ErrorCode(err), drafts.EINVALID; got != want {
		t.Fatalf("Create with a 260-byte segment: code %q (%v), want %q", got, err, want)
	}
}

func TestLocal_Unavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("ObjectsDirectoryGone", func(t *testing.T) {
		dir := t.TempDir()
		l := MustOpenLocal(t, dir)
		if err := l.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if err := os.RemoveAll(filepath.Join(dir, "objects")); err != nil {
			t.Fatal(err)
		}
		if got, want := drafts.ErrorCode(l.Ping(ctx)), drafts.EUNAVAILABLE; got != want {
			t.Errorf("Ping without the objects directory: code %q, want %q", got, want)
		}
	})
	t.Run("Closed", func(t *testing.T) {
		l := MustOpenLocal(t, t.TempDir())
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		_, err := l.Get(ctx, "docs/one")
		if got, want := drafts.ErrorCode(err), drafts.EUNAVAILABLE; got != want {
			t.Errorf("Get after Close: code %q (%v), want %q", got, err, want)
		}
	})
	t.Run("Canceled", func(t *testing.T) {
		l := MustOpenLocal(t, t.TempDir())
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := l.Create(cctx, "docs/one", []byte("x"))
		if got, want := drafts.ErrorCode(err), drafts.EUNAVAILABLE; got != want {
			t.Errorf("Create with a canceled context: code %q (%v), want %q", got, err, want)
		}
	})
}

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("Local", func(t *testing.T) {
		for _, typ := range []string{"", storage.TypeLocal} {
			b, err := storage.Open(ctx, storage.Config{Type: typ, DataDir: t.TempDir()})
			if err != nil {
				t.Fatalf("Open(type %q): %v", typ, err)
			}
			if _, ok := b.(*storage.Local); !ok {
				t.Errorf("Open(type %q) = %T, want *storage.Local", typ, b)
			}
			_ = b.Close()
		}
	})
	t.Run("UnknownType", func(t *testing.T) {
		b, err := storage.Open(ctx, storage.Config{Type: "ftp"})
		if got, want := drafts.ErrorCode(err), drafts.EINVALID; got != want || b != nil {
			t.Fatalf("Open(type ftp) = %v, code %q (%v), want nil and %q", b, got, err, want)
		}
		if msg := drafts.ErrorMessage(err); !strings.Contains(msg, `"ftp"`) || strings.Contains(msg, "\n") {
			t.Errorf("Open(type ftp): message %q", msg)
		}
	})
	t.Run("LocalError", func(t *testing.T) {
		b, err := storage.Open(ctx, storage.Config{Type: storage.TypeLocal})
		if err == nil || b != nil {
			t.Fatalf("Open without a data directory = %v, %v; want nil and an error", b, err)
		}
	})
}

// MustOpenLocal opens a local store in dir, closed when tb ends.
func MustOpenLocal(tb testing.TB, dir string) *storage.Local {
	tb.Helper()
	l, err := storage.OpenLocal(dir)
	if err != nil {
		tb.Fatalf("OpenLocal(%s): %v", dir, err)
	}
	tb.Cleanup(func() { _ = l.Close() })
	return l
}

// lockHolderEnv names the variable that turns this test binary into a
// process that opens a local store and holds it until stdin closes.
const lockHolderEnv = "CHANCERY_TEST_LOCK_HOLDER_DIR"

// TestMain runs the tests, or, in the process that startLockHolder starts,
// holds a local store open.
func TestMain(m *testing.M) {
	if dir := os.Getenv(lockHolderEnv); dir != "" {
		os.Exit(holdLock(dir))
	}
	os.Exit(m.Run())
}

// holdLock opens the local store in dir, says "locked" on stdout, and
// keeps it open until stdin closes.
func holdLock(dir string) int {
	l, err := storage.OpenLocal(dir)
	if err != nil {
		fmt.Fprintln(os.Stdout, err)
		return 1
	}
	defer l.Close()
	fmt.Fprintln(os.Stdout, "locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// startLockHolder starts another process that holds the local store in
// dir, and returns a function that ends it and waits for it.
func startLockHolder(t *testing.T, dir string) (stop func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), lockHolderEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := false
	stop = func() {
		if done {
			return
		}
		done = true
		_ = stdin.Close()
		_ = cmd.Wait()
	}
	t.Cleanup(stop)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("lock holder process said %q (%v), want %q", line, err, "locked\n")
	}
	return stop
}

func TestLocal_CompareAndSwapIsAtomic(t *testing.T) {
	// The acceptance suite's races rarely hit the short window between
	// comparing the ETag and renaming; this test holds it open.
	t.Parallel()
	ctx := context.Background()
	l := MustOpenLocal(t, t.TempDir())
	storage.SetLocalTestHook(l, func() { time.Sleep(5 * time.Millisecond) })

	t.Run("Update", func(t *testing.T) {
		etag := storagetest.MustCreate(t, l, "head", []byte("v1"))
		wins := race(8, func(i int) error {
			_, err := l.Update(ctx, "head", fmt.Appendf(nil, "v2 by %d", i), etag)
			return err
		}, drafts.EPRECONDITION, t)
		if wins != 1 {
			t.Errorf("%d Updates with one ETag succeeded, want 1", wins)
		}
	})
	t.Run("DeleteAndUpdate", func(t *testing.T) {
		etag := storagetest.MustCreate(t, l, "doc", []byte("v1"))
		wins := race(8, func(i int) error {
			var err error
			if i%2 == 0 {
				err = l.Delete(ctx, "doc", etag)
			} else {
				_, err = l.Update(ctx, "doc", fmt.Appendf(nil, "v2 by %d", i), etag)
			}
			if drafts.IsCode(err, drafts.ENOTFOUND) {
				// Lost to a Delete.
				return drafts.WrapError(drafts.EPRECONDITION, err, "deleted first")
			}
			return err
		}, drafts.EPRECONDITION, t)
		if wins != 1 {
			t.Errorf("%d Deletes and Updates with one ETag succeeded, want 1", wins)
		}
	})
}

// race runs n calls of f at once and returns how many succeeded; each
// failure must carry the code loser.
func race(n int, f func(i int) error, loser string, t *testing.T) int {
	t.Helper()
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch drafts.ErrorCode(err) {
		case "":
			wins++
		case loser:
		default:
			t.Errorf("call %d: %v, want success or %s", i, err, loser)
		}
	}
	return wins
}
