package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/api"
	"chancery/diffing"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
	"chancery/storage/s3test"
)

// storageWords are what no response body may hold: the top-level
// prefixes of the bucket's layout.
var storageWords = [][]byte{[]byte("texts/"), []byte("documents/"), []byte("directory/")}

// leaks returns the storage word body holds, or "".
func leaks(body []byte) string {
	for _, w := range storageWords {
		if bytes.Contains(body, w) {
			return string(w)
		}
	}
	return ""
}

// TestNoStorageKeyInErrors: storage failures whose messages name the key
// (a file turned into a directory, a file gone) reach the client as a
// problem without the key; the message is logged instead.
func TestNoStorageKeyInErrors(t *testing.T) {
	dir := t.TempDir()
	store, err := storage.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	enforcer, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(store, diffing.New(), enforcer)
	svc.Renderer = render.New()
	if _, err := svc.Bootstrap(t.Context(), bootstrapToken); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	srv := api.NewServer(svc, enforcer, svc.Renderer, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	e := &testEnv{t: t, store: store, svc: svc, srv: srv, tokens: map[string]string{"secretariat": bootstrapToken}, client: newClient(t, srv)}
	e.forum()
	doc, _ := e.document("1. One.\n\n2. Two.\n", "members")
	e.document("1. Other.\n", "members")

	file := func(key string) string { return filepath.Join(dir, "objects", filepath.FromSlash(key)) }
	v1 := file("texts/" + doc + "/versions/00000001.json")
	if _, err := os.Stat(v1); err != nil {
		t.Fatalf("the layout changed, update the test: %v", err)
	}
	tests := []struct {
		name    string
		breakIt func(t *testing.T)
		want    int
	}{
		{"a version file cannot be opened", func(t *testing.T) {
			if err := os.Rename(v1, v1+".saved"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Base(v1), v1); err != nil { // a loop: ELOOP
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Remove(v1); os.Rename(v1+".saved", v1) })
		}, http.StatusServiceUnavailable},
		{"a version file is gone", func(t *testing.T) {
			if err := os.Rename(v1, v1+".saved"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Rename(v1+".saved", v1) })
		}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.breakIt(t)
			r := e.do("GET", docPath(doc, "/versions/1"), "KZ", nil)
			r.MustStatus(tt.want)
			problemOf(t, r.Status, r.Header, r.Body)
			if w := leaks(r.Body); w != "" {
				t.Errorf("the body names storage (%s): %s", w, r.Body)
			}
		})
	}
	if !strings.Contains(logs.String(), "texts/"+doc+"/versions/") {
		t.Errorf("the withheld message was not logged: %s", logs.String())
	}
}

// TestNoEndpointInErrors: with MinIO down, requests get a 503 with
// Retry-After that names neither the endpoint nor a key.
func TestNoEndpointInErrors(t *testing.T) {
	minio := s3test.StartMinIO(t)
	e := newEnv(t, minio.MustOpen(t))
	e.forum()
	doc, _ := e.document("1. One.\n\n2. Two.\n", "members")
	minio.Stop()
	for _, path := range []string{docPath(doc), docPath(doc, "/versions/1"), docPath(doc, "/proposals"), "/v1/documents", "/readyz"} {
		r := e.do("GET", path, "KZ", nil)
		r.MustStatus(http.StatusServiceUnavailable)
		problemOf(t, r.Status, r.Header, r.Body)
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s: no Retry-After", path)
		}
		host, port, _ := strings.Cut(minio.Config().S3Endpoint, ":")
		if w := leaks(r.Body); w != "" || bytes.Contains(r.Body, []byte(host)) || bytes.Contains(r.Body, []byte(":"+port)) {
			t.Errorf("GET %s: the body names storage: %s", path, r.Body)
		}
	}
}
