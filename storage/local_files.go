package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"strings"

	"chancery/drafts"
)

// escapeSegment escapes a key segment for use as a file name.
func escapeSegment(s string) string {
	return strings.ReplaceAll(s, "%", "%25")
}

// unescapeSegment reverses escapeSegment. ok is false for a name that
// escapeSegment cannot have produced.
func unescapeSegment(name string) (seg string, ok bool) {
	if name == "" {
		return "", false
	}
	if !strings.Contains(name, "%") {
		return name, true
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if name[i] != '%' {
			b.WriteByte(name[i])
			continue
		}
		if !strings.HasPrefix(name[i:], "%25") {
			return "", false
		}
		b.WriteByte('%')
		i += 2
	}
	return b.String(), true
}

// contentETag returns the ETag of content: its hex SHA-256.
func contentETag(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// fileETag returns the ETag of the file at path.
func fileETag(path string) (string, error) {
	info, err := fileInfo(path)
	return info.ETag, err
}

// fileInfo returns the size, modification time and ETag of the file at
// path; Key is left empty.
func fileInfo(path string) (drafts.ObjectInfo, error) {
	f, fi, err := openObject(path)
	if err != nil {
		return drafts.ObjectInfo{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return drafts.ObjectInfo{}, err
	}
	return drafts.ObjectInfo{Size: fi.Size(), ETag: hex.EncodeToString(h.Sum(nil)), ModTime: fi.ModTime()}, nil
}

// openObject opens the object file at path. A directory (a key that is
// only a prefix of other keys) is reported as fs.ErrNotExist.
func openObject(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// writeTemp writes data to a new temporary file in dir, fsyncs and closes
// it, and returns its path.
func writeTemp(dir string, data []byte) (path string, err error) {
	f, err := os.CreateTemp(dir, localTempPrefix+"*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// syncDir fsyncs the directory at path, making renames, links and removals
// in it durable.
func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return err
	}
	return d.Close()
}
