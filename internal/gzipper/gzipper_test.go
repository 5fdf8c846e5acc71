package gzipper_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"chancery/internal/gzipper"
)

var page = "<!doctype html><title>x</title>" + strings.Repeat("<p>The member states shall cooperate.</p>", 200)

// serve answers every path with a body of a type, as a handler would.
func serve() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		switch r.URL.Path {
		case "/html":
			h.Set("Content-Type", "text/html; charset=UTF-8")
			h.Set("ETag", `"v7"`)
			_, _ = io.WriteString(w, page)
		case "/json-length": // a handler that announces its length
			h.Set("Content-Type", "application/json")
			h.Set("Content-Length", strconv.Itoa(len(page)))
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, page)
		case "/small":
			h.Set("Content-Type", "application/json")
			h.Set("Content-Length", "2")
			_, _ = io.WriteString(w, "{}")
		case "/pdf":
			h.Set("Content-Type", "application/pdf")
			_, _ = io.WriteString(w, "%PDF-"+page)
		case "/svg":
			h.Set("Content-Type", "image/svg+xml")
			_, _ = io.WriteString(w, "<svg>"+page+"</svg>")
		case "/sniffed": // no type set: sniffed from the body, as net/http does
			_, _ = io.WriteString(w, page)
		case "/not-modified":
			h.Set("ETag", `"v7"`)
			w.WriteHeader(http.StatusNotModified)
		case "/redirect":
			http.Redirect(w, r, "/html", http.StatusSeeOther)
		case "/stream":
			h.Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, "data: 1\n\n")
			http.NewResponseController(w).Flush()
		case "/problem":
			h.Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = io.WriteString(w, `{"title":"`+strings.Repeat("x", 2000)+`"}`)
		}
	})
}

func get(t *testing.T, method, path, accept string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	rec := httptest.NewRecorder()
	gzipper.Handler(serve()).ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	rd := r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCompresses(t *testing.T) {
	for _, tc := range []struct {
		path, accept string
		status       int
		gzip         bool
	}{
		{"/html", "gzip, deflate, br", 200, true},
		{"/html", "br;q=1.0, gzip;q=0.8", 200, true},
		{"/html", "gzip;q=0", 200, false},
		{"/html", "*", 200, true},
		{"/html", "identity", 200, false},
		{"/html", "", 200, false},
		{"/json-length", "gzip", 201, true},
		{"/small", "gzip", 200, false},
		{"/pdf", "gzip", 200, false},
		{"/svg", "gzip", 200, true},
		{"/sniffed", "gzip", 200, true},
		{"/not-modified", "gzip", 304, false},
		{"/redirect", "gzip", 303, false},
		{"/stream", "gzip", 200, false},
		{"/problem", "gzip", 422, true},
	} {
		t.Run(tc.path+" "+tc.accept, func(t *testing.T) {
			r := get(t, http.MethodGet, tc.path, tc.accept)
			if r.StatusCode != tc.status {
				t.Errorf("status %d, want %d", r.StatusCode, tc.status)
			}
			if got := r.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
				t.Fatalf("compressed %v, want %v", got, tc.gzip)
			}
			b := body(t, r)
			if tc.gzip && r.Header.Get("Content-Length") != "" {
				t.Errorf("compressed with the length of the uncompressed body: %s", r.Header.Get("Content-Length"))
			}
			if tc.path == "/html" || tc.path == "/json-length" {
				if b != page {
					t.Errorf("body changed: %d bytes, want %d", len(b), len(page))
				}
				if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
					t.Error("no Vary: Accept-Encoding")
				}
			}
		})
	}
}

// TestKeepsETag: the ETag names the resource's state for If-Match, in
// either encoding.
func TestKeepsETag(t *testing.T) {
	r := get(t, http.MethodGet, "/html", "gzip")
	if r.Header.Get("ETag") != `"v7"` {
		t.Errorf("ETag %q", r.Header.Get("ETag"))
	}
}

// TestHead: HEAD answers with the headers of GET, and no body is
// compressed for it.
func TestHead(t *testing.T) {
	g := get(t, http.MethodGet, "/html", "gzip")
	h := get(t, http.MethodHead, "/html", "gzip")
	for _, k := range []string{"Content-Encoding", "Content-Type", "Vary", "ETag", "Content-Length"} {
		if g.Header.Get(k) != h.Header.Get(k) {
			t.Errorf("%s: GET %q, HEAD %q", k, g.Header.Get(k), h.Header.Get(k))
		}
	}
	if b, _ := io.ReadAll(h.Body); len(b) != 0 {
		t.Errorf("HEAD wrote %d bytes", len(b))
	}
}

// TestStreamFlushes: an event stream reaches the client as written.
func TestStreamFlushes(t *testing.T) {
	r := get(t, http.MethodGet, "/stream", "gzip")
	if b := body(t, r); b != "data: 1\n\n" {
		t.Errorf("stream %q", b)
	}
}

func TestAccepts(t *testing.T) {
	for in, want := range map[string]bool{"gzip": true, "GZIP": true, "deflate, gzip;q=0.5": true, "gzip;q=0": false,
		"*;q=0": false, "x-gzip": true, "br": false, "": false, "*, gzip;q=0": false} {
		if got := gzipper.Accepts(in); got != want {
			t.Errorf("Accepts(%q) = %v, want %v", in, got, want)
		}
	}
}
