package storage

import (
	"strings"
	"unicode/utf8"

	"chancery/drafts"
)

// MaxKeyLen is the longest key, in bytes, that the stores accept. It is the
// S3 limit.
const MaxKeyLen = 1024

// ValidateKey reports whether key is acceptable to every backend, and
// returns EINVALID with a one-line reason if it is not. A key is a
// non-empty, valid UTF-8 string of at most MaxKeyLen bytes, made of
// segments separated by single slashes: it does not start or end with a
// slash, has no empty segment, no "." or ".." segment, and no control
// character (U+0000 to U+001F, U+007F). Any other Unicode is allowed.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return drafts.Errorf(drafts.EINVALID, "object key is empty")
	case len(key) > MaxKeyLen:
		return drafts.Errorf(drafts.EINVALID, "object key is longer than %d bytes", MaxKeyLen)
	case !utf8.ValidString(key):
		return drafts.Errorf(drafts.EINVALID, "object key %q is not valid UTF-8", key)
	case strings.HasPrefix(key, "/"):
		return drafts.Errorf(drafts.EINVALID, "object key %q starts with a slash", key)
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return drafts.Errorf(drafts.EINVALID, "object key %q contains a control character", key)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch seg {
		case "":
			return drafts.Errorf(drafts.EINVALID, "object key %q has an empty segment", key)
		case ".", "..":
			return drafts.Errorf(drafts.EINVALID, "object key %q has a %q segment", key, seg)
		}
	}
	return nil
}

// validateListArgs checks the arguments of List: prefix and after are
// free-form but must be valid UTF-8 without NUL, and limit must be positive.
func validateListArgs(prefix, after string, limit int) error {
	if limit <= 0 {
		return drafts.Errorf(drafts.EINVALID, "list limit must be positive, got %d", limit)
	}
	for _, s := range []string{prefix, after} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return drafts.Errorf(drafts.EINVALID, "list bound %q is not valid UTF-8 without NUL", s)
		}
	}
	return nil
}

// cleanETag returns etag without surrounding double quotes, the form every
// method of both backends returns and accepts.
func cleanETag(etag string) string {
	return strings.Trim(etag, `"`)
}

// validateIfMatch checks an ETag given to Update or to a conditional
// Delete and returns it without quotes. EINVALID if it is empty, a
// wildcard, or not printable ASCII.
func validateIfMatch(etag string) (string, error) {
	e := cleanETag(etag)
	if e == "" {
		return "", drafts.Errorf(drafts.EINVALID, "an ETag is required")
	}
	for i := 0; i < len(e); i++ {
		if c := e[i]; c <= 0x20 || c >= 0x7f || c == '"' || c == '*' {
			return "", drafts.Errorf(drafts.EINVALID, "ETag %q is not acceptable", etag)
		}
	}
	return e, nil
}
