package storage

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"chancery/drafts"
)

// S3 defaults.
const (
	// DefaultS3StartupWait is how long OpenS3 waits for the endpoint when
	// Config.S3StartupWait is zero.
	DefaultS3StartupWait = 10 * time.Second
	// DefaultS3Region is the region used when Config.S3Region is empty.
	DefaultS3Region = "us-east-1"

	// s3PingTimeout bounds Ping and each probe of OpenS3's wait.
	s3PingTimeout = 3 * time.Second
	// s3ReadRetries is how many attempts minio-go makes for idempotent
	// requests (reads, listings, the final DELETE).
	s3ReadRetries = 3
	// s3ListPage caps the page size asked of the server.
	s3ListPage = 1000
)

// S3 is an object store in one bucket of an S3-compatible service, reached
// with minio-go.
//
// Create sends If-None-Match: * and Update sends If-Match: <etag>, so the
// service itself arbitrates concurrent writers, across any number of
// replicas. Those conditional PUTs are sent once, without minio-go's
// automatic retries: a retry after a lost response would turn a success
// into a spurious conflict. Each is a single PUT request (never multipart),
// so the condition applies to the whole object; objects are limited to the
// service's single-PUT size (5 GiB on AWS).
//
// Delete with an ETag is not conditional on the wire: minio-go's
// RemoveObject cannot send If-Match and MinIO ignores it on DELETE. It
// reads the object's ETag, compares, then deletes: an Update that lands
// between the compare and the delete is lost. Unconditional Delete reads
// the object first too, to report ENOTFOUND.
//
// ETags are returned and accepted without quotes; they are the service's
// (an MD5 hex digest for MinIO and versitygw).
type S3 struct {
	client   *minio.Client // idempotent requests, retried by minio-go
	once     minio.Core    // conditional writes and probes, never retried
	tr       *http.Transport
	bucket   string
	endpoint string
}

// OpenS3 connects to the bucket that cfg describes. It waits up to
// cfg.S3StartupWait (DefaultS3StartupWait when zero), retrying, for the
// endpoint to answer, and creates the bucket if it is missing and
// cfg.S3CreateBucket is set. Errors have one-line messages: EINVALID for
// an incomplete configuration, EUNAVAILABLE when the endpoint stays
// unreachable, refuses the credentials, or has no such bucket.
func OpenS3(ctx context.Context, cfg Config) (*S3, error) {
	if cfg.S3Endpoint == "" {
		return nil, drafts.Errorf(drafts.EINVALID, "S3 endpoint is not set")
	}
	if cfg.S3Bucket == "" {
		return nil, drafts.Errorf(drafts.EINVALID, "S3 bucket is not set")
	}
	host, secure, err := parseS3Endpoint(cfg.S3Endpoint, cfg.S3TLS)
	if err != nil {
		return nil, err
	}
	region := cfg.S3Region
	if region == "" {
		region = DefaultS3Region
	}
	tr, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, drafts.WrapError(drafts.EINTERNAL, err, "S3 transport cannot be set up")
	}
	tr.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.ResponseHeaderTimeout = 30 * time.Second
	tr.IdleConnTimeout = 90 * time.Second
	// The service reads up to 128 objects at once (a page of a list on a
	// replica that has not seen them): their connections stay open.
	tr.MaxIdleConnsPerHost = 128

	newClient := func(retries int) (*minio.Client, error) {
		return minio.New(host, &minio.Options{
			Creds:      credentials.NewStaticV4(cfg.S3AccessKey, cfg.S3SecretKey, ""),
			Secure:     secure,
			Transport:  tr,
			Region:     region,
			MaxRetries: retries,
		})
	}
	client, err := newClient(s3ReadRetries)
	if err != nil {
		return nil, drafts.WrapError(drafts.EINVALID, err, "S3 endpoint %q is not usable", cfg.S3Endpoint)
	}
	once, err := newClient(1)
	if err != nil {
		return nil, drafts.WrapError(drafts.EINVALID, err, "S3 endpoint %q is not usable", cfg.S3Endpoint)
	}
	s := &S3{client: client, once: minio.Core{Client: once}, tr: tr, bucket: cfg.S3Bucket, endpoint: host}

	wait := cfg.S3StartupWait
	if wait <= 0 {
		wait = DefaultS3StartupWait
	}
	exists, err := s.waitReachable(ctx, wait)
	if err != nil {
		tr.CloseIdleConnections()
		return nil, err
	}
	if !exists {
		if !cfg.S3CreateBucket {
			tr.CloseIdleConnections()
			return nil, drafts.Errorf(drafts.EUNAVAILABLE, "S3 bucket %q does not exist at %s", s.bucket, s.endpoint)
		}
		if err := s.makeBucket(ctx, region); err != nil {
			tr.CloseIdleConnections()
			return nil, err
		}
	}
	return s, nil
}

// waitReachable asks whether the bucket exists until the endpoint answers
// or wait has passed. Only an unreachable or failing (5xx) endpoint is
// retried; any other answer, such as refused credentials, ends the wait.
func (s *S3) waitReachable(ctx context.Context, wait time.Duration) (bool, error) {
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	backoff := 100 * time.Millisecond
	var last error // the last failure, preferably not the wait's own timeout
	for {
		pctx, pcancel := context.WithTimeout(wctx, s3PingTimeout)
		exists, err := s.bucketExists(pctx)
		pcancel()
		if err == nil {
			return exists, nil
		}
		if !s3Transient(err) {
			return false, s.toError(err, "open of bucket "+strconv.Quote(s.bucket), "")
		}
		if last == nil || wctx.Err() == nil {
			last = err
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return false, contextError(ctx.Err())
			}
			return false, drafts.WrapError(drafts.EUNAVAILABLE, last, "S3 endpoint %s is unreachable after %s", s.endpoint, wait)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

// bucketExists asks the service, without retrying, whether the bucket
// exists. A HEAD answers; but a HEAD's answer has no body, and some
// services (versitygw) answer 404 to an unknown access key, so a "no" is
// confirmed by listing one key, whose answer says what is wrong.
func (s *S3) bucketExists(ctx context.Context) (bool, error) {
	exists, err := s.once.BucketExists(ctx, s.bucket)
	if err != nil || exists {
		return exists, err
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for obj := range s.once.Client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{MaxKeys: 1}) {
		if obj.Err != nil {
			if minio.ToErrorResponse(obj.Err).Code == minio.NoSuchBucket {
				return false, nil
			}
			return false, obj.Err
		}
		break
	}
	return true, nil
}

// makeBucket creates the bucket, accepting that it was created meanwhile.
func (s *S3) makeBucket(ctx context.Context, region string) error {
	err := s.once.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if err == nil {
		return nil
	}
	switch minio.ToErrorResponse(err).Code {
	case "BucketAlreadyOwnedByYou":
		return nil
	case "BucketAlreadyExists":
		if exists, xerr := s.bucketExists(ctx); xerr == nil && exists {
			return nil
		}
	}
	return drafts.WrapError(s3Code(err), err, "S3 bucket %q cannot be created at %s", s.bucket, s.endpoint)
}

// Close releases idle HTTP connections.
func (s *S3) Close() error {
	s.tr.CloseIdleConnections()
	return nil
}

// Ping checks, within a few seconds, that the bucket exists and the
// credentials are accepted. EUNAVAILABLE if not.
func (s *S3) Ping(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, s3PingTimeout)
	defer cancel()
	exists, err := s.bucketExists(pctx)
	if err != nil {
		err = s.toError(err, "ping", "")
		if !drafts.IsCode(err, drafts.EUNAVAILABLE) {
			return drafts.WrapError(drafts.EUNAVAILABLE, err, "S3 bucket %q at %s is not usable", s.bucket, s.endpoint)
		}
		return err
	}
	if !exists {
		return drafts.Errorf(drafts.EUNAVAILABLE, "S3 bucket %q does not exist at %s", s.bucket, s.endpoint)
	}
	return nil
}

// parseS3Endpoint returns the host:port of an endpoint given as host:port
// or as an http(s) URL, and whether to use TLS.
func parseS3Endpoint(endpoint string, tls bool) (host string, secure bool, err error) {
	if !strings.Contains(endpoint, "://") {
		return endpoint, tls, nil
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", false, drafts.WrapError(drafts.EINVALID, err, "S3 endpoint %q is not a valid URL", endpoint)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return "", false, drafts.Errorf(drafts.EINVALID, "S3 endpoint %q must be host:port or an http(s) URL without a path", endpoint)
	}
	return u.Host, u.Scheme == "https", nil
}
