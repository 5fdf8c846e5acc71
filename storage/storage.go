// Package storage implements drafts.ObjectStore, the object storage that
// Chancery keeps all its state in, on two backends:
//
//   - Local, a directory on the local filesystem: the embedded default for a
//     single server;
//   - S3, any S3-compatible service (MinIO, versitygw, AWS S3) reached with
//     minio-go: the backend for several stateless replicas sharing a bucket.
//
// Both backends give the same guarantees, checked by the one contract suite in
// package storagetest: Create never overwrites an object (exactly one of any
// number of concurrent Creates of a key succeeds), Update and conditional
// Delete succeed only when the caller's ETag is current (exactly one of any
// number of concurrent Updates with one ETag succeeds), List returns keys in
// ascending byte order, and backend failures are translated at this boundary
// into *drafts.Error codes (ENOTFOUND, ECONFLICT, EPRECONDITION, EINVALID,
// EUNAVAILABLE).
//
// Keys are slash-separated UTF-8 paths. Both backends accept the same keys;
// see ValidateKey for the rules. Keys must also never overlap: no key may
// be a "directory" of another ("documents/d1" and "documents/d1/versions/1"
// cannot both exist; use "documents/d1/meta" for the first). AWS S3 allows
// overlapping keys, but versitygw's posix backend and Local refuse them
// (ECONFLICT), and MinIO stores them and then leaves the lower ones out of
// listings (minio/minio#19754: "overlapping object names are undefined and
// not allowed").
//
// Local keeps recently read objects in memory and answers Get from there
// (see Local): it can, because it alone writes to its directory, which it
// holds under an exclusive lock. The directory must not be changed behind
// a running server's back. S3 has no such cache: replicas share its bucket,
// and each of them must see the others' changes at once.
//
// Open chooses a backend from a Config with a plain switch; there is no
// registry.
package storage

import (
	"context"
	"errors"
	"time"

	"chancery/drafts"
)

// Backend types accepted in Config.Type.
const (
	// TypeLocal selects the local directory backend (Local).
	TypeLocal = "local"
	// TypeS3 selects the S3 backend (S3).
	TypeS3 = "s3"
)

// Config configures the object store. Type selects the backend; the other
// fields are read by that backend only.
type Config struct {
	// Type is TypeLocal or TypeS3. Empty means TypeLocal.
	Type string

	// DataDir is the local backend's directory. It is created if missing.
	DataDir string

	// S3Endpoint is the S3 service's host:port, or a URL such as
	// "https://s3.example.org" (the scheme then overrides S3TLS).
	S3Endpoint string
	// S3Bucket is the bucket that holds every object.
	S3Bucket string
	// S3Region is the bucket's region; empty means "us-east-1".
	S3Region string
	// S3AccessKey and S3SecretKey are the static credentials.
	S3AccessKey string
	// S3SecretKey is the secret paired with S3AccessKey.
	S3SecretKey string
	// S3TLS makes the client use HTTPS.
	S3TLS bool
	// S3CreateBucket makes OpenS3 create the bucket when it does not exist.
	S3CreateBucket bool
	// S3StartupWait bounds how long OpenS3 waits, retrying, for the endpoint
	// to become reachable. Zero means DefaultS3StartupWait.
	S3StartupWait time.Duration
}

// Bucket is an open object store: a drafts.ObjectStore that holds resources
// (a directory lock, HTTP connections) until it is closed.
type Bucket interface {
	drafts.ObjectStore

	// Close releases the store's resources. The store must not be used
	// after Close.
	Close() error
}

// Compile-time checks that both backends implement Bucket.
var (
	_ drafts.ObjectStore = (*Local)(nil)
	_ drafts.ObjectStore = (*S3)(nil)
	_ Bucket             = (*Local)(nil)
	_ Bucket             = (*S3)(nil)
)

// Open opens the object store that cfg describes. It returns EINVALID for an
// unknown Type or an incomplete configuration, and the errors of OpenLocal or
// OpenS3.
func Open(ctx context.Context, cfg Config) (Bucket, error) {
	switch cfg.Type {
	case "", TypeLocal:
		l, err := OpenLocal(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		return l, nil
	case TypeS3:
		s, err := OpenS3(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return s, nil
	default:
		return nil, drafts.Errorf(drafts.EINVALID, "unknown storage type %q (want %q or %q)", cfg.Type, TypeLocal, TypeS3)
	}
}

// contextError wraps a context's error as EUNAVAILABLE; errors.Is still
// finds context.Canceled or context.DeadlineExceeded in it.
func contextError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return drafts.WrapError(drafts.EUNAVAILABLE, err, "storage request timed out")
	}
	return drafts.WrapError(drafts.EUNAVAILABLE, err, "storage request canceled")
}
