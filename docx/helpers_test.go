package docx_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"testing"
)

// rewrite returns a copy of the zip file data with entries changed by
// edit (name → new content, "" removes) and added.
func rewrite(tb testing.TB, data []byte, edit map[string]string, add map[string]string) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if s, ok := edit[f.Name]; ok {
			if s == "" {
				continue
			}
			body = []byte(s)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(body)
	}
	for name, s := range add {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(s))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// part returns an entry of a zip file.
func part(tb testing.TB, data []byte, name string) string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				tb.Fatal(err)
			}
			return string(b)
		}
	}
	tb.Fatalf("no %s", name)
	return ""
}

var update = flag.Bool("update", false, "rewrite testdata files made by LibreOffice")
