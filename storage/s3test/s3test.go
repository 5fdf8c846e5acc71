// Package s3test starts real S3 servers for tests: MinIO and versitygw
// (posix backend), each on a free port of 127.0.0.1 with a temporary data
// directory and one empty bucket, stopped when the test ends. Any package's
// tests may use it:
//
//	srv := s3test.StartMinIO(t)
//	store := srv.MustOpen(t) // a *storage.S3 on srv's bucket
//
// The binaries are looked up in this order: the environment variable
// CHANCERY_MINIO_BIN or CHANCERY_VERSITYGW_BIN; the directory
// $CHANCERY_TOOLS_DIR (default $HOME/.cache/chancery/bin); then PATH. When
// a binary is missing the test is skipped, except when CI=true, where it
// fails: continuous integration must never skip the S3 tests silently.
package s3test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"chancery/storage"
)

// Test server settings.
const (
	// DefaultBucket is the bucket every Server creates.
	DefaultBucket = "chancery-test"
	// startTimeout bounds how long Start waits for the server to answer.
	startTimeout = 30 * time.Second
	// outputTail is how much of the server's output a failure shows.
	outputTail = 8 << 10
)

// Server is a running S3 server for a test. Its exported fields describe
// how to reach it; Config and MustOpen build on them.
type Server struct {
	// Endpoint is the server's host:port on 127.0.0.1.
	Endpoint string
	// AccessKey and SecretKey are the root credentials.
	AccessKey string
	// SecretKey is the secret paired with AccessKey.
	SecretKey string
	// Bucket is the bucket created for the test.
	Bucket string

	tb   testing.TB
	name string   // "minio" or "versitygw", for messages
	bin  string   // the server binary
	args []string // its arguments
	env  []string // extra environment
	// ready reports whether the server answers; it is polled by Start.
	ready func(ctx context.Context) error
	out   *lockedBuffer

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has been waited for
}

// StartMinIO starts a MinIO server ("minio server") with a temporary data
// directory and an empty bucket, and stops it when tb ends. It skips the
// test (fails it when CI=true) if the minio binary cannot be found.
func StartMinIO(tb testing.TB) *Server {
	tb.Helper()
	bin := findBinary(tb, "minio", "CHANCERY_MINIO_BIN")
	dir := tb.TempDir()
	port, console := freePort(tb), freePort(tb)
	s := newServer(tb, "minio", bin)
	s.Endpoint = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.args = []string{"server", "--quiet",
		"--address", s.Endpoint,
		"--console-address", net.JoinHostPort("127.0.0.1", strconv.Itoa(console)),
		filepath.Join(dir, "data")}
	s.env = []string{
		"MINIO_ROOT_USER=" + s.AccessKey,
		"MINIO_ROOT_PASSWORD=" + s.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
	}
	s.ready = func(ctx context.Context) error {
		if err := httpReady(ctx, "http://"+s.Endpoint+"/minio/health/live", true); err != nil {
			return err
		}
		// MinIO reports itself live before its object layer is up and then
		// answers "Server not initialized yet" for a moment: wait for a
		// real S3 answer.
		client, err := minio.New(s.Endpoint, &minio.Options{
			Creds:  credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""),
			Region: storage.DefaultS3Region,
		})
		if err != nil {
			return err
		}
		_, err = client.ListBuckets(ctx)
		return err
	}
	s.launch()
	return s
}

// StartVersityGW starts a versitygw server with its posix backend on a
// temporary directory and an empty bucket, and stops it when tb ends. It
// skips the test (fails it when CI=true) if the versitygw binary cannot be
// found. The posix backend keeps ETags and metadata in extended attributes
// where the temporary directory's filesystem supports them (ext4, xfs,
// btrfs do), and in a sidecar directory otherwise.
func StartVersityGW(tb testing.TB) *Server {
	tb.Helper()
	bin := findBinary(tb, "versitygw", "CHANCERY_VERSITYGW_BIN")
	dir := tb.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		tb.Fatalf("s3test: %v", err)
	}
	posix := []string{"posix", root}
	if !userXattrs(root) {
		// Keep metadata (ETags among it) in a sidecar directory instead.
		meta := filepath.Join(dir, "meta")
		if err := os.Mkdir(meta, 0o755); err != nil {
			tb.Fatalf("s3test: %v", err)
		}
		posix = []string{"posix", "--sidecar", meta, root}
	}
	port := freePort(tb)
	s := newServer(tb, "versitygw", bin)
	s.Endpoint = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.args = append([]string{
		"--access", s.AccessKey,
		"--secret", s.SecretKey,
		"--port", s.Endpoint,
		"--quiet",
	}, posix...)
	s.ready = func(ctx context.Context) error {
		// versitygw has no health endpoint: any S3 answer (403 for an
		// unsigned request) means it serves.
		return httpReady(ctx, "http://"+s.Endpoint+"/", false)
	}
	s.launch()
	return s
}

// newServer returns a Server with credentials and the default bucket, not
// yet started.
func newServer(tb testing.TB, name, bin string) *Server {
	return &Server{
		AccessKey: "chancery",
		SecretKey: "chancery-secret-key",
		Bucket:    DefaultBucket,
		tb:        tb,
		name:      name,
		bin:       bin,
		out:       &lockedBuffer{},
	}
}

// launch starts the server for the first time, arranges for it to stop at
// the end of the test (showing its output if the test failed), and creates
// the bucket.
func (s *Server) launch() {
	s.tb.Helper()
	s.tb.Cleanup(func() {
		s.Stop()
		if s.tb.Failed() {
			s.tb.Logf("s3test: %s output:\n%s", s.name, s.out.tail(outputTail))
		}
	})
	s.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := minio.New(s.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""),
		Region: storage.DefaultS3Region,
	})
	if err != nil {
		s.tb.Fatalf("s3test: minio client for %s: %v", s.name, err)
	}
	if err := client.MakeBucket(ctx, s.Bucket, minio.MakeBucketOptions{Region: storage.DefaultS3Region}); err != nil {
		s.tb.Fatalf("s3test: creating bucket %q on %s: %v\n%s", s.Bucket, s.name, err, s.out.tail(outputTail))
	}
}

// Start starts the server, on the same port and data directory as before
// when it was stopped, and waits until it answers. It fails the test if
// the server does not answer within 30 seconds. Start on a running server
// does nothing.
func (s *Server) Start() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	cmd := exec.Command(s.bin, s.args...)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdout = s.out
	cmd.Stderr = s.out
	cmd.SysProcAttr = procAttr()
	fmt.Fprintf(s.out, "s3test: starting %s %q\n", s.bin, s.args)
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("s3test: starting %s: %v", s.name, err)
	}
	exited := make(chan struct{})
	go func() {
		err := cmd.Wait()
		fmt.Fprintf(s.out, "s3test: %s exited: %v\n", s.name, err)
		close(exited)
	}()
	s.cmd, s.exited = cmd, exited

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		rctx, rcancel := context.WithTimeout(ctx, time.Second)
		err := s.ready(rctx)
		rcancel()
		if err == nil {
			return
		}
		select {
		case <-exited:
			s.cmd = nil
			s.tb.Fatalf("s3test: %s exited before answering on %s:\n%s", s.name, s.Endpoint, s.out.tail(outputTail))
		case <-ctx.Done():
			s.stopLocked()
			s.tb.Fatalf("s3test: %s did not answer on %s within %s (%v):\n%s", s.name, s.Endpoint, startTimeout, err, s.out.tail(outputTail))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop kills the server and waits for it to exit. Its data directory is
// kept, so Start brings the same objects back. Stop on a stopped server
// does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

// stopLocked is Stop with s.mu held.
func (s *Server) stopLocked() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd, s.exited = nil, nil
}

// Output returns what the server has written to stdout and stderr so far.
func (s *Server) Output() string {
	return s.out.String()
}

// Config returns the storage configuration for the server's bucket. The
// bucket exists already, so S3CreateBucket is false.
func (s *Server) Config() storage.Config {
	return storage.Config{
		Type:          storage.TypeS3,
		S3Endpoint:    s.Endpoint,
		S3Bucket:      s.Bucket,
		S3Region:      storage.DefaultS3Region,
		S3AccessKey:   s.AccessKey,
		S3SecretKey:   s.SecretKey,
		S3StartupWait: 10 * time.Second,
	}
}

// MustOpen opens a storage.S3 on the server's bucket, closed when tb ends,
// and fails the test on error.
func (s *Server) MustOpen(tb testing.TB) *storage.S3 {
	tb.Helper()
	store, err := storage.OpenS3(context.Background(), s.Config())
	if err != nil {
		tb.Fatalf("s3test: opening %s: %v", s.name, err)
	}
	tb.Cleanup(func() { _ = store.Close() })
	return store
}

// findBinary returns the path of the named server binary, or skips the test
// (fails it when CI=true) if there is none.
func findBinary(tb testing.TB, name, envVar string) string {
	tb.Helper()
	if p := os.Getenv(envVar); p != "" {
		if !isExecutable(p) {
			tb.Fatalf("s3test: %s=%s is not an executable file", envVar, p)
		}
		return p
	}
	dir := os.Getenv("CHANCERY_TOOLS_DIR")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".cache", "chancery", "bin")
		}
	}
	if dir != "" {
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	msg := fmt.Sprintf("s3test: %s not found (set %s, or install it in %s or on PATH; ./test.sh installs it)", name, envVar, dir)
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s; CI=true, so the S3 tests may not be skipped", msg)
	}
	tb.Skip(msg)
	return ""
}

// isExecutable reports whether path is a regular file someone may execute.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("s3test: finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// httpReady GETs url and succeeds on any HTTP answer, or only on 200 if
// wantOK.
func httpReady(ctx context.Context, url string, wantOK bool) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if wantOK && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers and readers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns the buffer's contents.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail returns at most the last n bytes of the buffer.
func (b *lockedBuffer) tail(n int) string {
	s := b.String()
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
