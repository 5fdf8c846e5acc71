// Package sse writes a document's live events as a Server-Sent Events
// stream (the WHATWG HTML standard's text/event-stream), for the two HTTP
// front doors: the API (a bearer token) and the web workspace (its
// session). Each event is
//
//	id: <seq>
//	event: <action>
//	data: <the event as JSON, with its document>
//
// so that a client that reconnects sends the last id it got as
// Last-Event-ID and resumes after it; a comment every Heartbeat keeps
// proxies from closing a quiet stream.
package sse

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
)

// Options of a stream.
type Options struct {
	// Heartbeat is how often a quiet stream gets a comment
	// (DefaultHeartbeat when zero).
	Heartbeat time.Duration
	// MaxAge ends a stream after about that long (a tenth more or less,
	// so that streams opened together do not end together); the client
	// reconnects and is authenticated again. Zero for no end.
	MaxAge time.Duration
	// Done ends every stream when it is closed (the server is stopping).
	Done <-chan struct{}
}

// Defaults.
const (
	DefaultHeartbeat = 15 * time.Second
	// retry is the reconnection delay a stream advises, in milliseconds.
	retry = 2000
)

// ContentType is the media type of a stream.
const ContentType = "text/event-stream"

// After reads where a stream starts: the Last-Event-ID header a
// reconnecting client sends, else the query parameter after (for a first
// connection, which cannot send headers from a browser), else
// drafts.LiveFromNow. EMALFORMED for a value that is not an event number.
func After(r *http.Request) (int64, error) {
	name, v := "Last-Event-ID", strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if v == "" {
		name, v = "after", strings.TrimSpace(r.URL.Query().Get("after"))
	}
	if v == "" {
		return drafts.LiveFromNow, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, &drafts.Error{Code: drafts.EMALFORMED, Message: name + ": not an event's sequence number",
			Fields: []drafts.FieldError{{Field: name, Message: "a whole number, 0 or more"}}}
	}
	return n, nil
}

// Serve writes the events of sub, of document doc, to w until the client
// goes, the subscription ends, the stream's age passes or o.Done closes.
// A HEAD request gets the headers only.
func Serve(w http.ResponseWriter, r *http.Request, doc string, sub drafts.Subscription, o Options) {
	rc := http.NewResponseController(w)
	// A stream outlives the server's read and write timeouts.
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := fmt.Fprintf(w, "retry: %d\n\n", retry); err != nil || rc.Flush() != nil {
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	batches, ended := read(ctx, sub)
	heartbeat := o.Heartbeat
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	var age <-chan time.Time
	if o.MaxAge > 0 {
		t := time.NewTimer(o.MaxAge + time.Duration((rand.Float64()-0.5)*0.2*float64(o.MaxAge)))
		defer t.Stop()
		age = t.C
	}
	for {
		var err error
		select {
		case es := <-batches:
			err = write(w, doc, es)
		case <-beat.C:
			_, err = fmt.Fprint(w, ": heartbeat\n\n")
		case <-ended:
			return
		case <-age:
			return
		case <-o.Done:
			return
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return // the client has gone
		}
	}
}

// read passes what sub.Next returns to batches until it fails, then
// closes ended.
func read(ctx context.Context, sub drafts.Subscription) (<-chan []*drafts.Event, <-chan struct{}) {
	batches, ended := make(chan []*drafts.Event), make(chan struct{})
	go func() {
		defer close(ended)
		for {
			es, err := sub.Next(ctx)
			if err != nil {
				return
			}
			select {
			case batches <- es:
			case <-ctx.Done():
				return
			}
		}
	}()
	return batches, ended
}

// write writes events, one message each.
func write(w http.ResponseWriter, doc string, es []*drafts.Event) error {
	for _, e := range es {
		data, err := json.Marshal(drafts.DocumentEvent{Document: doc, Event: e})
		if err != nil {
			return err
		}
		// JSON has no raw line breaks, and an action none: no field ends
		// early.
		action := strings.NewReplacer("\n", " ", "\r", " ").Replace(e.Action)
		if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, action, data); err != nil {
			return err
		}
	}
	return nil
}
