package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestPDF: the agreed text downloads with a file name and an ETag, is made
// once and then served from storage, and a text the fonts cannot show is a
// 422 naming the characters.
func TestPDF(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store drafts.ObjectStore) {
		e := newEnv(t, store)
		e.forum()
		doc, _ := e.document(corpus(t, "sample-draft-road-map.ru.txt"), "members")
		r := e.do("GET", docPath(doc, "/versions/1/pdf"), "KZ", nil)
		r.MustStatus(200)
		if !bytes.HasPrefix(r.Body, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %q", r.Body[:20])
		}
		if got, want := r.Header.Get("Content-Disposition"), `attachment; filename="CICA-SWG-2026-R.1-v1.pdf"`; got != want {
			t.Errorf("Content-Disposition = %q, want %q", got, want)
		}
		etag := r.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		cached, _, err := store.List(t.Context(), "cache/pdf/", "", 10)
		if err != nil || len(cached) != 1 {
			t.Fatalf("cached PDFs = %v (%v), want 1", cached, err)
		}
		again := e.do("GET", docPath(doc, "/versions/1/pdf"), "IN", nil)
		if again.Header.Get("ETag") != etag || !bytes.Equal(again.Body, r.Body) {
			t.Fatal("second download differs from the first")
		}
		e.do("GET", docPath(doc, "/versions/1/pdf"), "IN", nil, "If-None-Match", etag).MustStatus(http.StatusNotModified)

		// Tracked changes and the compilation download too.
		var v version
		e.mustJSON(200, &v, "GET", docPath(doc, "/versions/1"), "KZ", nil)
		pr := e.propose(doc, "KZ", 1, replace(v.Provisions[1].ID, "Новый текст."))
		// A justification the fonts cannot show does not stop the compilation.
		e.mustJSON(201, nil, "POST", docPath(doc, "/proposals"), "CN", map[string]any{
			"base": 1, "justification": "理由: 中文", "operations": []map[string]string{replace(v.Provisions[2].ID, "Другой текст.")},
		})
		e.do("GET", docPath(doc, "/compilation"), "IN", nil, "Accept", "application/pdf").MustStatus(200)
		e.mustJSON(201, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{pr}})
		ch := e.do("GET", docPath(doc, "/versions/2/pdf?against=1"), "IN", nil)
		ch.MustStatus(200)
		if got, want := ch.Header.Get("Content-Disposition"), `attachment; filename="CICA-SWG-2026-R.1-v2-changes-from-v1.pdf"`; got != want {
			t.Errorf("Content-Disposition = %q, want %q", got, want)
		}

		cjk, _ := e.document("1. 中文文本 and Latin.\n", "members")
		var p struct {
			Detail string `json:"detail"`
		}
		e.mustJSON(http.StatusUnprocessableEntity, &p, "GET", docPath(cjk, "/versions/1/pdf"), "KZ", nil)
		if !strings.Contains(p.Detail, "U+4E2D") {
			t.Fatalf("detail %q does not name U+4E2D", p.Detail)
		}
		if cached, _, _ := store.List(t.Context(), "cache/pdf/", "", 10); len(cached) != 3 {
			t.Fatalf("a refused PDF was stored: %v", cached)
		}
	})
}
