package storage_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/storage"
	"chancery/storage/s3test"
	"chancery/storage/storagetest"
)

func TestS3_MinIO_Acceptance(t *testing.T) {
	t.Parallel()
	store := s3test.StartMinIO(t).MustOpen(t)
	storagetest.AcceptanceTest(t, func(*testing.T) drafts.ObjectStore { return store })
}

func TestS3_VersityGW_Acceptance(t *testing.T) {
	t.Parallel()
	store := s3test.StartVersityGW(t).MustOpen(t)
	storagetest.AcceptanceTest(t, func(*testing.T) drafts.ObjectStore { return store })
}

// s3Server names a function that starts a real S3 server.
type s3Server struct {
	name  string
	start func(testing.TB) *s3test.Server
}

// s3Servers returns the S3 servers that the backend-specific tests run on.
func s3Servers() []s3Server {
	return []s3Server{
		{"MinIO", s3test.StartMinIO},
		{"VersityGW", s3test.StartVersityGW},
	}
}

func TestOpenS3(t *testing.T) {
	t.Parallel()
	for _, srv := range s3Servers() {
		t.Run(srv.name, func(t *testing.T) {
			t.Parallel()
			s := srv.start(t)
			ctx := context.Background()

			t.Run("WrongCredentials", func(t *testing.T) {
				for name, mutate := range map[string]func(*storage.Config){
					"Secret":    func(c *storage.Config) { c.S3SecretKey = "not-the-secret" },
					"AccessKey": func(c *storage.Config) { c.S3AccessKey = "nobody" },
				} {
					t.Run(name, func(t *testing.T) {
						cfg := s.Config()
						mutate(&cfg)
						start := time.Now()
						_, err := storage.OpenS3(ctx, cfg)
						if err == nil {
							t.Fatal("OpenS3 with wrong credentials succeeded")
						}
						t.Logf("OpenS3 with wrong credentials: %v", err)
						if msg := err.Error(); !strings.Contains(msg, "refused the credentials") || strings.Contains(msg, "\n") {
							t.Errorf("OpenS3 with wrong credentials: %q does not say, on one line, that the credentials were refused", msg)
						}
						if elapsed := time.Since(start); elapsed > 3*time.Second {
							t.Errorf("OpenS3 with wrong credentials took %s; refused credentials must not be retried", elapsed)
						}
					})
				}
			})
			t.Run("MissingBucket", func(t *testing.T) {
				cfg := s.Config()
				cfg.S3Bucket = "no-such-bucket"
				_, err := storage.OpenS3(ctx, cfg)
				if err == nil || !strings.Contains(err.Error(), `"no-such-bucket" does not exist`) {
					t.Fatalf("OpenS3 on a missing bucket: %v, want an error saying it does not exist", err)
				}
			})
			t.Run("CreateBucket", func(t *testing.T) {
				cfg := s.Config()
				cfg.S3Bucket = "created-by-open"
				cfg.S3CreateBucket = true
				for i := range 2 { // the second time, the bucket exists
					b, err := storage.Open(ctx, cfg)
					if err != nil {
						t.Fatalf("Open #%d with S3CreateBucket: %v", i+1, err)
					}
					if err := b.Ping(ctx); err != nil {
						t.Errorf("Ping: %v", err)
					}
					_ = b.Close()
				}
			})
			t.Run("EndpointURL", func(t *testing.T) {
				cfg := s.Config()
				cfg.S3Endpoint = "http://" + cfg.S3Endpoint
				cfg.S3TLS = true // overridden by the scheme
				b, err := storage.OpenS3(ctx, cfg)
				if err != nil {
					t.Fatalf("OpenS3(%s): %v", cfg.S3Endpoint, err)
				}
				defer b.Close()
				if err := b.Ping(ctx); err != nil {
					t.Errorf("Ping: %v", err)
				}
			})
		})
	}
	t.Run("Unreachable", func(t *testing.T) {
		t.Parallel()
		cfg := storage.Config{
			Type:          storage.TypeS3,
			S3Endpoint:    closedAddr(t),
			S3Bucket:      "bucket",
			S3AccessKey:   "key",
			S3SecretKey:   "secret",
			S3StartupWait: 700 * time.Millisecond,
		}
		start := time.Now()
		_, err := storage.OpenS3(context.Background(), cfg)
		elapsed := time.Since(start)
		if got, want := drafts.ErrorCode(err), drafts.EUNAVAILABLE; got != want {
			t.Fatalf("OpenS3 on a closed port: code %q (%v), want %q", got, err, want)
		}
		t.Logf("OpenS3 on a closed port: %v", err)
		if msg := err.Error(); !strings.Contains(msg, "unreachable after 700ms") || strings.Contains(msg, "\n") {
			t.Errorf("OpenS3 on a closed port: %q does not say, on one line, that the endpoint is unreachable", msg)
		}
		if elapsed < 700*time.Millisecond || elapsed > 5*time.Second {
			t.Errorf("OpenS3 on a closed port returned after %s, want about 700ms", elapsed)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		for name, cfg := range map[string]storage.Config{
			"NoEndpoint": {S3Bucket: "b"},
			"NoBucket":   {S3Endpoint: "127.0.0.1:9000"},
			"BadURL":     {S3Endpoint: "ftp://example.org", S3Bucket: "b"},
			"URLPath":    {S3Endpoint: "http://example.org/s3", S3Bucket: "b"},
		} {
			_, err := storage.OpenS3(context.Background(), cfg)
			if got, want := drafts.ErrorCode(err), drafts.EINVALID; got != want {
				t.Errorf("%s: code %q (%v), want %q", name, got, err, want)
			}
		}
	})
}

func TestOpenS3_WaitsForEndpoint(t *testing.T) {
	t.Parallel()
	srv := s3test.StartMinIO(t)
	srv.Stop()
	cfg := srv.Config()
	cfg.S3StartupWait = 20 * time.Second
	type result struct {
		s   *storage.S3
		err error
	}
	opened := make(chan result, 1)
	go func() {
		s, err := storage.OpenS3(context.Background(), cfg)
		opened <- result{s, err}
	}()
	time.Sleep(500 * time.Millisecond)
	select {
	case r := <-opened:
		t.Fatalf("OpenS3 returned while the server was down: %v", r.err)
	default:
	}
	srv.Start()
	r := <-opened
	if r.err != nil {
		t.Fatalf("OpenS3 while the server came up: %v", r.err)
	}
	defer r.s.Close()
	if err := r.s.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestS3_ServerDown(t *testing.T) {
	t.Parallel()
	for _, srv := range s3Servers() {
		t.Run(srv.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := srv.start(t)
			store := s.MustOpen(t)
			etag := storagetest.MustCreate(t, store, "documents/d1", []byte("kept"))

			s.Stop()
			start := time.Now()
			checkUnavailable(t, "Ping", store.Ping(ctx))
			_, err := store.Get(ctx, "documents/d1")
			checkUnavailable(t, "Get", err)
			_, err = store.Create(ctx, "documents/d2", []byte("x"))
			checkUnavailable(t, "Create", err)
			_, err = store.Update(ctx, "documents/d1", []byte("x"), etag)
			checkUnavailable(t, "Update", err)
			err = store.Delete(ctx, "documents/d1", "")
			checkUnavailable(t, "Delete", err)
			_, _, err = store.List(ctx, "", "", 10)
			checkUnavailable(t, "List", err)
			if elapsed := time.Since(start); elapsed > 15*time.Second {
				t.Errorf("six requests to a stopped server took %s", elapsed)
			}

			s.Start()
			if err := store.Ping(ctx); err != nil {
				t.Fatalf("Ping after restart: %v", err)
			}
			obj := storagetest.MustGet(t, store, "documents/d1")
			if string(obj.Data) != "kept" || obj.ETag != etag {
				t.Errorf("Get after restart = %q (ETag %q), want %q (ETag %q)", obj.Data, obj.ETag, "kept", etag)
			}
		})
	}
}

// checkUnavailable reports an error unless err is a one-line EUNAVAILABLE.
func checkUnavailable(tb testing.TB, what string, err error) {
	tb.Helper()
	if got, want := drafts.ErrorCode(err), drafts.EUNAVAILABLE; got != want {
		tb.Errorf("%s on a stopped server: code %q (%v), want %q", what, got, err, want)
		return
	}
	if strings.Contains(err.Error(), "\n") {
		tb.Errorf("%s on a stopped server: error has several lines: %q", what, err)
	}
	tb.Logf("%s on a stopped server: %v", what, err)
}

// closedAddr returns a 127.0.0.1 address on which nothing listens.
func closedAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		tb.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}
