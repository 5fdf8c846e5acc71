package storage

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/minio/minio-go/v7"

	"chancery/drafts"
)

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
