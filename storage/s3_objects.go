package storage

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/minio/minio-go/v7"

	"chancery/drafts"
)

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
	// The payload's SHA-256 is given, so the request is signed with it
	// whole. Without this minio-go signs a PUT over plain HTTP in chunks
	// (aws-chunked, a signature and a buffer for each): a third of the
	// processor time of writing an event when 28 delegates propose at once.
	opts.DisableContentSha256 = true
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
