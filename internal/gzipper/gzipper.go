// Package gzipper compresses the responses of Chancery's two front doors
// (the API and the web workspace) with gzip, for clients that accept it:
// text, HTML, JSON (problem+json included), SVG, JavaScript and CSS; never
// what is compressed already (PDF, .docx, images) nor a stream of events,
// which must reach the browser as it is written.
//
// It is a net/http middleware rather than Echo's Gzip, for four reasons
// that matter here: Echo's compresses every type (PDFs and .docx files
// again, for nothing); it compresses the discarded body of a HEAD, and
// then answers HEAD without the Content-Encoding its GET has; it cannot
// leave a small response alone when the handler announced its length;
// and wrapped as Echo middleware, a handler's error is written after the
// compressing writer is closed. ETags are left as the handlers set them:
// they name the resource's state, which If-Match on a write compares, and
// a Vary: Accept-Encoding tells caches to keep the two encodings apart.
package gzipper

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// minSize is the smallest announced body worth compressing.
const minSize = 1024

// compressible lists the media types compressed.
var compressible = map[string]bool{
	"text/html": true, "text/plain": true, "text/css": true, "text/csv": true, "text/markdown": true,
	"text/javascript": true, "application/javascript": true,
	"application/json": true, "application/problem+json": true, "application/xml": true,
	"image/svg+xml": true,
}

// writers compress at gzip's fastest level, as nginx does by default: on
// a document page (26 KB) it takes 0.21 ms where the default level takes
// 0.57, for 24% of the page's size instead of 21%; when the whole room
// loads the same pages at once the server's processors, not the network,
// are what is short.
var writers = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// Handler returns h compressing its responses for clients that accept
// gzip.
func Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &writer{ResponseWriter: w, accept: Accepts(r.Header.Get("Accept-Encoding")), head: r.Method == http.MethodHead,
			ranged: r.Header.Get("Range") != ""}
		defer cw.close()
		h.ServeHTTP(cw, r)
	})
}

// Compress returns data compressed with gzip, for answers made once and
// served to many (SendCompressed): a stream of one part (Splice). At the
// fastest level too: while the room reads, every proposal sent makes a
// new compilation, each served to a few readers before the next, so the
// default level's better ratio would cost nearly three times the time
// for each of them.
func Compress(data []byte) []byte { return Splice([]Part{{Plain: data}}) }

// Wants reports whether the answer to r may be sent compressed with gzip:
// the client accepts it and asks for no range of bytes.
func Wants(r *http.Request) bool {
	return Accepts(r.Header.Get("Accept-Encoding")) && r.Header.Get("Range") == ""
}

// SendCompressed writes gz, an answer compressed already (Compress), with
// its headers: Handler passes it through as it is.
func SendCompressed(w http.ResponseWriter, status int, contentType string, gz []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(gz)))
	if !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	w.WriteHeader(status)
	_, err := w.Write(gz)
	return err
}

// Accepts reports whether an Accept-Encoding header admits gzip.
func Accepts(header string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip", "x-gzip":
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// writer decides, when the handler first writes its header or its body,
// whether to compress: by the status, the type, any encoding set already
// and the length announced.
type writer struct {
	http.ResponseWriter
	accept, head, ranged bool
	decided, compress    bool
	status               int // a status the handler set before deciding
	gz                   *gzip.Writer
}

func (w *writer) WriteHeader(code int) {
	if w.decided {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if code < 200 { // informational answers go out as they are
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.status = code
	if w.Header().Get("Content-Type") != "" || code == http.StatusNoContent || code == http.StatusNotModified {
		w.decide()
	}
}

func (w *writer) Write(b []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" && len(b) > 0 {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.decide()
	}
	switch {
	case w.compress && w.head:
		return len(b), nil
	case w.compress:
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// decide chooses, sets the headers and sends the status.
func (w *writer) decide() {
	w.decided = true
	h := w.Header()
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if compressible[ct] {
		if !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
			h.Add("Vary", "Accept-Encoding")
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		small := err == nil && n < minSize
		w.compress = w.accept && !small && !w.ranged && h.Get("Content-Encoding") == "" &&
			status != http.StatusNoContent && status != http.StatusPartialContent && (status < 300 || status >= 400)
	}
	if w.compress {
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		if !w.head {
			w.gz = writers.Get().(*gzip.Writer)
			w.gz.Reset(w.ResponseWriter)
		}
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
}

// Flush sends what is compressed so far.
func (w *writer) Flush() {
	if !w.decided {
		w.decide()
	}
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// close ends the compressed stream, or sends a status the handler set
// and wrote no body after.
func (w *writer) close() {
	if !w.decided {
		if w.status == 0 {
			return
		}
		w.decide()
	}
	if w.gz != nil {
		_ = w.gz.Close()
		w.gz.Reset(io.Discard)
		writers.Put(w.gz)
		w.gz = nil
	}
}
