package api_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestGzip: JSON, HTML and problem bodies go compressed to a client that
// accepts gzip, with the ETag a client reads without it (so that If-Match
// on a write still matches); PDFs go as they are; HEAD answers with GET's
// encoding and no body.
func TestGzip(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _ := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	raw := func(method, path, accept string, headers ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+e.srv.Addr()+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens["chair"])
		req.Header.Set("Accept-Encoding", accept) // set: net/http leaves the body compressed
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var rd io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" && method != "HEAD" {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			rd = zr
		}
		b, err := io.ReadAll(rd)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	version := docPath(doc, "/versions/1")
	plain, pb := raw("GET", version, "identity")
	zipped, zb := raw("GET", version, "gzip, deflate, br")
	if plain.Header.Get("Content-Encoding") != "" || zipped.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding: identity %q, gzip %q", plain.Header.Get("Content-Encoding"), zipped.Header.Get("Content-Encoding"))
	}
	if string(pb) != string(zb) || !json.Valid(zb) {
		t.Errorf("the compressed body differs from the plain one")
	}
	if !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q", zipped.Header.Get("Vary"))
	}
	etag := zipped.Header.Get("ETag")
	if etag == "" || etag != plain.Header.Get("ETag") {
		t.Errorf("ETag: plain %q, gzip %q", plain.Header.Get("ETag"), etag)
	}
	head, hb := raw("HEAD", version, "gzip")
	if head.Header.Get("Content-Encoding") != "gzip" || len(hb) != 0 || head.Header.Get("ETag") != etag {
		t.Errorf("HEAD: Content-Encoding %q, ETag %q, %d bytes", head.Header.Get("Content-Encoding"), head.Header.Get("ETag"), len(hb))
	}
	// The ETag read compressed serves a conditional write.
	var v version1
	if err := json.Unmarshal(zb, &v); err != nil {
		t.Fatal(err)
	}
	e.mustJSON(http.StatusOK, nil, "PUT", docPath(doc, "/versions/1/provisions/", v.Provisions[0].ID, "/status"), "chair",
		map[string]string{"status": "agreed"}, "If-Match", etag)

	pdf, body := raw("GET", docPath(doc, "/versions/1/pdf"), "gzip")
	if pdf.Header.Get("Content-Encoding") != "" || !strings.HasPrefix(string(body), "%PDF-") {
		t.Errorf("PDF: Content-Encoding %q", pdf.Header.Get("Content-Encoding"))
	}
	if again, _ := raw("GET", docPath(doc, "/versions/1/pdf"), "gzip", "If-None-Match", pdf.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
		t.Errorf("PDF with its ETag: %d, want 304", again.StatusCode)
	}
	// Answers kept for the room (a compilation, a diff) are compressed
	// once and kept: the same bytes as the plain answer, one Vary.
	for _, path := range []string{docPath(doc, "/compilation"), docPath(doc, "/versions/1/diff?against=1")} {
		plain, pb := raw("GET", path, "identity")
		for i := 0; i < 2; i++ {
			zipped, zb := raw("GET", path, "gzip")
			if zipped.Header.Get("Content-Encoding") != "gzip" || string(zb) != string(pb) || !json.Valid(zb) {
				t.Errorf("%s: Content-Encoding %q, compressed body equal to the plain one: %v", path, zipped.Header.Get("Content-Encoding"), string(zb) == string(pb))
			}
			if vary := zipped.Header.Values("Vary"); len(vary) != 1 || vary[0] != "Accept-Encoding" {
				t.Errorf("%s: Vary %q", path, vary)
			}
		}
		if plain.Header.Get("Content-Encoding") != "" || plain.ContentLength != int64(len(pb)) {
			t.Errorf("%s plain: Content-Encoding %q, length %d of %d", path, plain.Header.Get("Content-Encoding"), plain.ContentLength, len(pb))
		}
	}
	html, hbody := raw("GET", docPath(doc, "/versions/1/diff?against=1"), "gzip", "Accept", "text/html")
	if html.StatusCode != 200 || html.Header.Get("Content-Encoding") != "gzip" && len(hbody) >= 1024 {
		t.Errorf("HTML diff: %d, Content-Encoding %q", html.StatusCode, html.Header.Get("Content-Encoding"))
	}
}

type version1 struct {
	Provisions []struct {
		ID string `json:"id"`
	} `json:"provisions"`
}
