package sse_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/internal/sse"
)

func TestAfter(t *testing.T) {
	for _, c := range []struct {
		header, query string
		want          int64
		bad           bool
	}{
		{"", "", drafts.LiveFromNow, false},
		{"12", "", 12, false},
		{"", "7", 7, false},
		{"12", "7", 12, false},
		{"0", "", 0, false},
		{"-1", "", 0, true},
		{"", "x", 0, true},
		{"1.5", "", 0, true},
	} {
		r := httptest.NewRequest("GET", "/s?after="+c.query, nil)
		if c.header != "" {
			r.Header.Set("Last-Event-ID", c.header)
		}
		got, err := sse.After(r)
		if c.bad != (err != nil) || !c.bad && got != c.want {
			t.Errorf("Last-Event-ID %q, ?after=%q: %d, %v", c.header, c.query, got, err)
		}
		if c.bad && !drafts.IsCode(err, drafts.EMALFORMED) {
			t.Errorf("%q/%q: %v, want EMALFORMED", c.header, c.query, err)
		}
	}
}

// batches is a subscription that hands out its batches, then ends.
type batches struct{ es [][]*drafts.Event }

func (b *batches) Next(ctx context.Context) ([]*drafts.Event, error) {
	if len(b.es) == 0 {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	out := b.es[0]
	b.es = b.es[1:]
	return out, nil
}

func (b *batches) Close() {}

// TestServe: each event is one message (id, event, data with the
// document), a quiet stream gets heartbeats, MaxAge ends it, HEAD gets
// headers only.
func TestServe(t *testing.T) {
	sub := &batches{es: [][]*drafts.Event{{{Seq: 3, Action: "merge", Ref: "2"}, {Seq: 4, Action: "proposal.accepted\nevil: x", Ref: "p"}}}}
	w := httptest.NewRecorder()
	sse.Serve(w, httptest.NewRequest("GET", "/s", nil), "d1", sub, sse.Options{Heartbeat: 20 * time.Millisecond, MaxAge: 200 * time.Millisecond})
	body := w.Body.String()
	for _, want := range []string{
		"retry: 2000\n\n",
		"id: 3\nevent: merge\ndata: {\"document\":\"d1\",\"seq\":3,",
		"id: 4\nevent: proposal.accepted evil: x\ndata: ",
		": heartbeat\n\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the stream lacks %q:\n%s", want, body)
		}
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/event-stream" || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", w.Header())
	}
	head := httptest.NewRecorder()
	sse.Serve(head, httptest.NewRequest("HEAD", "/s", nil), "d1", &batches{}, sse.Options{})
	if head.Code != http.StatusOK || head.Body.Len() != 0 {
		t.Errorf("HEAD: %d, %q", head.Code, head.Body.String())
	}
}
