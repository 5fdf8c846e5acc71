package storage

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
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
	tr.MaxIdleConnsPerHost = 64

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

// Get returns the object at key, with the ETag of the content returned.
// ENOTFOUND if there is none.
//
// An ETag that is an MD5 digest (a single PUT's, on AWS, MinIO and
// versitygw) is checked against the bytes: versitygw's posix backend,
// read while an Update replaces the object, can answer with the bytes of
// one version and the ETag of another, and an Update conditional on an
// ETag that does not belong to the bytes read could lose a change. Such a
// read is made again. Where ETags are not MD5s of the content (encrypted
// objects), the check never passes, and two equal reads in a row are
// taken as the object.
func (s *S3) Get(ctx context.Context, key string) (*drafts.Object, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	var prev *drafts.Object
	for range s3GetAttempts {
		obj, err := s.get(ctx, key)
		if err != nil || !isMD5(obj.ETag) || md5Hex(obj.Data) == obj.ETag {
			return obj, err
		}
		if prev != nil && prev.ETag == obj.ETag && bytes.Equal(prev.Data, obj.Data) {
			return obj, nil
		}
		prev = obj
	}
	return nil, drafts.Errorf(drafts.EUNAVAILABLE, "S3 object %q kept changing while it was read", key)
}

// s3GetAttempts bounds the reads of an object whose bytes and ETag do not
// agree (see Get).
const s3GetAttempts = 5

// get reads the object at key once.
func (s *S3) get(ctx context.Context, key string) (*drafts.Object, error) {
	core := minio.Core{Client: s.client}
	rc, info, _, err := core.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.toError(err, "get", key)
	}
	defer rc.Close()
	buf := bytes.NewBuffer(make([]byte, 0, max(info.Size, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(rc); err != nil {
		return nil, s.toError(err, "get", key)
	}
	return &drafts.Object{Key: key, Data: buf.Bytes(), ETag: cleanETag(info.ETag), ModTime: info.LastModified}, nil
}

// isMD5 reports whether etag has the form of an MD5 hex digest.
func isMD5(etag string) bool {
	if len(etag) != 2*md5.Size {
		return false
	}
	for _, c := range etag {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// md5Hex returns the MD5 hex digest of data.
func md5Hex(data []byte) string {
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:])
}

// Create stores data at key with If-None-Match: *, and returns its ETag.
// ECONFLICT if an object exists there.
func (s *S3) Create(ctx context.Context, key string, data []byte) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	opts.SetMatchETagExcept("*")
	etag, err := s.put(ctx, key, data, opts)
	if err != nil {
		err = s.toError(err, "create", key)
		if drafts.IsCode(err, drafts.EPRECONDITION) {
			return "", drafts.WrapError(drafts.ECONFLICT, err, "object %q already exists", key)
		}
		return "", err
	}
	return etag, nil
}

// Update replaces the object at key with If-Match: ifMatch, and returns
// the new ETag. ENOTFOUND if there is no object, EPRECONDITION if its ETag
// differs.
func (s *S3) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	want, err := validateIfMatch(ifMatch)
	if err != nil {
		return "", err
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	opts.SetMatchETag(want)
	etag, err := s.put(ctx, key, data, opts)
	if err == nil {
		return etag, nil
	}
	err = s.toError(err, "update", key)
	if drafts.IsCode(err, drafts.EPRECONDITION) {
		// Some services answer 412 rather than 404 when there is no
		// object at all; tell the two apart.
		if _, serr := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{}); serr != nil {
			if serr := s.toError(serr, "update", key); drafts.IsCode(serr, drafts.ENOTFOUND) {
				return "", serr
			}
		}
	}
	return "", err
}

// put sends one conditional, unretried PUT of data with its MD5 and SHA-256.
func (s *S3) put(ctx context.Context, key string, data []byte, opts minio.PutObjectOptions) (string, error) {
	md5sum := md5.Sum(data)
	shasum := sha256.Sum256(data)
	info, err := s.once.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)),
		base64.StdEncoding.EncodeToString(md5sum[:]), hex.EncodeToString(shasum[:]), opts)
	if err != nil {
		return "", err
	}
	return cleanETag(info.ETag), nil
}

// Delete removes the object at key, if its ETag is ifMatch or ifMatch is
// "". ENOTFOUND if there is none, EPRECONDITION if the ETag differs. The
// ETag is compared by a HEAD before the DELETE (see S3).
func (s *S3) Delete(ctx context.Context, key, ifMatch string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	want := ""
	if ifMatch != "" {
		var err error
		if want, err = validateIfMatch(ifMatch); err != nil {
			return err
		}
	}
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return s.toError(err, "delete", key)
	}
	if want != "" && cleanETag(info.ETag) != want {
		return drafts.Errorf(drafts.EPRECONDITION, "object %q has changed since it was read", key)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return s.toError(err, "delete", key)
	}
	return nil
}

// List returns up to limit objects whose keys start with prefix and sort
// after `after`, in ascending byte order. next is the last key returned
// when more objects follow, "" when the listing is complete. EINVALID if
// limit is not positive.
func (s *S3) List(ctx context.Context, prefix, after string, limit int) ([]drafts.ObjectInfo, string, error) {
	if err := validateListArgs(prefix, after, limit); err != nil {
		return nil, "", err
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops minio-go's listing goroutine
	objects := make([]drafts.ObjectInfo, 0, min(limit, s3ListPage))
	more, fetchOwner := false, false
	for obj := range s.client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{
		Prefix:     prefix,
		StartAfter: after,
		Recursive:  true,
		MaxKeys:    min(limit+1, s3ListPage),
		FetchOwner: &fetchOwner,
	}) {
		if obj.Err != nil {
			return nil, "", s.toError(obj.Err, "list", prefix)
		}
		if obj.Key <= after || !strings.HasPrefix(obj.Key, prefix) {
			continue
		}
		if len(objects) == limit {
			more = true
			break
		}
		objects = append(objects, drafts.ObjectInfo{
			Key:     obj.Key,
			Size:    obj.Size,
			ETag:    cleanETag(obj.ETag),
			ModTime: obj.LastModified,
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, "", contextError(err)
	}
	next := ""
	if more {
		next = objects[len(objects)-1].Key
	}
	return objects, next, nil
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

// toError translates an error of minio-go about key (op names the
// operation) into a *drafts.Error with a one-line message:
//
//   - no such key, no such bucket, 404: ENOTFOUND;
//   - precondition failed (412) or a conflicting conditional request (409):
//     EPRECONDITION (Create turns it into ECONFLICT);
//   - a key that overlaps an object ("a/b" and "a/b/c"), where the service
//     refuses it: ECONFLICT;
//   - refused credentials (403 and the like): EUNAVAILABLE, saying so;
//   - transport errors, timeouts, 5xx, throttling: EUNAVAILABLE;
//   - a key the service rejects: EINVALID;
//   - anything else: EINTERNAL.
func (s *S3) toError(err error, op, key string) error {
	if err == nil {
		return nil
	}
	what := op
	if key != "" {
		what = fmt.Sprintf("%s of %q", op, key)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return drafts.WrapError(drafts.EUNAVAILABLE, err, "S3 %s at %s timed out or was canceled", what, s.endpoint)
	}
	code := s3Code(err)
	resp := minio.ToErrorResponse(err)
	switch code {
	case drafts.ENOTFOUND:
		if resp.Code == minio.NoSuchBucket {
			return drafts.WrapError(code, err, "S3 bucket %q does not exist at %s", s.bucket, s.endpoint)
		}
		return drafts.WrapError(code, err, "object %q not found", key)
	case drafts.EPRECONDITION:
		return drafts.WrapError(code, err, "object %q has changed since it was read", key)
	case drafts.EINVALID:
		return drafts.WrapError(code, err, "object key %q is not accepted by the S3 service", key)
	case drafts.ECONFLICT:
		return drafts.WrapError(code, err, "object key %q overlaps an existing object (a key cannot be a prefix of other keys)", key)
	case drafts.EUNAVAILABLE:
		if s3CredentialsRefused(resp) {
			return drafts.WrapError(code, err, "S3 endpoint %s refused the credentials (%s)", s.endpoint, resp.Code)
		}
		return drafts.WrapError(code, err, "S3 endpoint %s is unavailable for %s", s.endpoint, what)
	default:
		return drafts.WrapError(code, err, "unexpected S3 error for %s", what)
	}
}

// s3Code returns the drafts error code for an error of minio-go; see
// (*S3).toError.
func s3Code(err error) string {
	var resp minio.ErrorResponse
	if !errors.As(err, &resp) {
		// Dial, TLS, timeouts, connection resets, truncated bodies.
		return drafts.EUNAVAILABLE
	}
	switch resp.Code {
	case minio.NoSuchKey, minio.NoSuchBucket, "NotFound":
		return drafts.ENOTFOUND
	case minio.PreconditionFailed, "ConditionalRequestConflict":
		return drafts.EPRECONDITION
	case minio.XMinioInvalidObjectName, "KeyTooLongError":
		return drafts.EINVALID
	case "ObjectParentIsFile", "ExistingObjectIsDirectory", // versitygw posix
		"XMinioParentIsObject", "XMinioObjectExistsAsDirectory": // MinIO
		return drafts.ECONFLICT
	case "SlowDown", "SlowDownWrite", "SlowDownRead", "RequestTimeout", "ServiceUnavailable",
		"XMinioServerNotInitialized", "Throttling", minio.InternalError:
		return drafts.EUNAVAILABLE
	}
	switch {
	case s3CredentialsRefused(resp):
		return drafts.EUNAVAILABLE
	case resp.StatusCode == http.StatusNotFound:
		return drafts.ENOTFOUND
	case resp.StatusCode == http.StatusPreconditionFailed:
		return drafts.EPRECONDITION
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return drafts.EUNAVAILABLE
	}
	return drafts.EINTERNAL
}

// s3CredentialsRefused reports whether resp says the credentials were not
// accepted.
func s3CredentialsRefused(resp minio.ErrorResponse) bool {
	switch resp.Code {
	case minio.InvalidAccessKeyID, minio.SignatureDoesNotMatch, minio.AccessDenied,
		"InvalidToken", "ExpiredToken", "InvalidSecurity", minio.AuthorizationHeaderMalformed,
		"XAdminUserNotFound": // versitygw, for an unknown access key
		return true
	}
	return resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized
}

// s3Transient reports whether err means the endpoint could not be reached or
// is failing for now, so that retrying later may succeed.
func s3Transient(err error) bool {
	return s3Code(err) == drafts.EUNAVAILABLE && !s3CredentialsRefused(minio.ToErrorResponse(err))
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
