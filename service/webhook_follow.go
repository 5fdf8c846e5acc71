package service

import (
	"context"
	"slices"
	"strconv"
	"time"

	"chancery/drafts"
)

// Making deliveries from events. Each document an endpoint follows has a
// cursor in storage: the last event whose deliveries are made. A pass
// looks at each such document with one read, as the live watcher does
// (trailMovedOn); when the trail has moved on, it lists the new events,
// then the endpoints (an endpoint registered meanwhile gets the events
// recorded after it, Webhook.Covers), makes each delivery with a
// create-only write and the marker of its first attempt, and moves the
// cursor on. A crash before the cursor moves makes the pass again: the
// deliveries exist, so nothing is made twice.

// hookCursor is how far a document's events have their deliveries.
type hookCursor struct {
	Seq int64 `json:"seq"`
}

// FollowWebhooks makes the deliveries of the events recorded since the
// last pass.
func (s *Service) FollowWebhooks(ctx context.Context) (made int, err error) {
	defer markOp(&err, "service.FollowWebhooks")
	ctx = drafts.NewSystemContext(ctx)
	hooks, err := s.allWebhooks(ctx)
	if err != nil || len(hooks) == 0 {
		return 0, err
	}
	docs, err := s.followedDocuments(ctx, hooks)
	if err != nil {
		return 0, err
	}
	s.hooks.mu.Lock()
	s.hooks.passes++
	hint := s.hooks.passes%hintEvery == 0
	s.hooks.mu.Unlock()
	var first error
	for _, doc := range docs {
		n, err := s.followDocument(ctx, doc, hooks, hint)
		made += n
		if err != nil && first == nil {
			first = err
		}
	}
	return made, first
}

// followedDocuments returns the documents some endpoint follows.
func (s *Service) followedDocuments(ctx context.Context, hooks []*storedWebhook) ([]string, error) {
	seen := map[string]bool{}
	var docs []string
	for _, h := range hooks {
		if len(h.Documents) == 0 {
			keys, err := s.allKeys(ctx, documentsPrefix)
			if err != nil {
				return nil, err
			}
			docs = docs[:0]
			for _, k := range keys {
				id, err := documentOfKey(k)
				if err != nil {
					return nil, err
				}
				docs = append(docs, id)
			}
			return docs, nil
		}
		for _, d := range h.Documents {
			if !seen[d] {
				seen[d] = true
				docs = append(docs, d)
			}
		}
	}
	return docs, nil
}

// followDocument makes the deliveries of one document's new events.
func (s *Service) followDocument(ctx context.Context, doc string, hooks []*storedWebhook, hint bool) (int, error) {
	last, known := s.hookCursorOf(doc)
	if !known {
		var err error
		if last, _, err = s.loadHookCursor(ctx, doc, hooks); err != nil {
			return 0, err
		}
	}
	more, err := s.trailMovedOn(ctx, doc, last, hint)
	if err != nil || !more {
		return 0, err
	}
	// Another replica may have made them already.
	last, etag, err := s.loadHookCursor(ctx, doc, hooks)
	if err != nil {
		return 0, err
	}
	es, err := s.eventsAfter(ctx, doc, last)
	if err != nil || len(es) == 0 {
		return 0, err
	}
	// Read after the events, so that an endpoint registered before any
	// of them was recorded is among these.
	if hooks, err = s.allWebhooks(ctx); err != nil {
		return 0, err
	}
	made := 0
	for _, e := range es {
		for _, h := range hooks {
			if !h.Covers(doc, e) {
				continue
			}
			n, err := s.makeDelivery(ctx, h, doc, e)
			made += n
			if err != nil {
				return made, err
			}
		}
	}
	return made, s.moveHookCursor(ctx, doc, etag, es[len(es)-1].Seq)
}

// hookCursorOf returns the process's copy of a document's cursor.
func (s *Service) hookCursorOf(doc string) (int64, bool) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	seq, ok := s.hooks.cursors[doc]
	return seq, ok
}

func (s *Service) rememberHookCursor(doc string, seq int64) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	if s.hooks.cursors == nil {
		s.hooks.cursors = map[string]int64{}
	}
	if seq > s.hooks.cursors[doc] || s.hooks.cursors[doc] == 0 {
		s.hooks.cursors[doc] = seq
	}
}

// loadHookCursor reads a document's cursor, making it when there is none:
// just before the first event recorded since the earliest endpoint that
// follows the document was registered.
func (s *Service) loadHookCursor(ctx context.Context, doc string, hooks []*storedWebhook) (int64, string, error) {
	for {
		var c hookCursor
		etag, err := s.getJSON(ctx, hookCursorKey(doc), &c)
		if err == nil {
			s.rememberHookCursor(doc, c.Seq)
			return c.Seq, etag, nil
		}
		if !drafts.IsCode(err, drafts.ENOTFOUND) {
			return 0, "", err
		}
		var since time.Time
		for _, h := range hooks {
			if (len(h.Documents) == 0 || slices.Contains(h.Documents, doc)) && (since.IsZero() || h.CreatedAt.Before(since)) {
				since = h.CreatedAt
			}
		}
		if c.Seq, err = s.lastEventAtOrBefore(ctx, doc, since.Add(-time.Millisecond)); err != nil {
			return 0, "", err
		}
		etag, err = s.createJSON(ctx, hookCursorKey(doc), c)
		if err == nil {
			s.rememberHookCursor(doc, c.Seq)
			return c.Seq, etag, nil
		}
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return 0, "", err
		}
	}
}

// moveHookCursor moves a document's cursor on to seq, unless another
// replica moved it further.
func (s *Service) moveHookCursor(ctx context.Context, doc, etag string, seq int64) error {
	err := retry(func() error {
		if etag == "" {
			var c hookCursor
			var err error
			if etag, err = s.getJSON(ctx, hookCursorKey(doc), &c); err != nil {
				return err
			}
			if c.Seq >= seq {
				return nil
			}
		}
		_, err := s.updateJSON(ctx, hookCursorKey(doc), hookCursor{Seq: seq}, etag)
		etag = ""
		return err
	})
	if err == nil {
		s.rememberHookCursor(doc, seq)
	}
	return err
}

// makeDelivery makes the delivery of event e of doc to endpoint h, and the
// marker of its first attempt, due now. It returns 1 if it made it, 0 if
// it was there.
func (s *Service) makeDelivery(ctx context.Context, h *storedWebhook, doc string, e *drafts.Event) (int, error) {
	now := s.now()
	r := deliveryRef{Hook: h.ID, At: e.At, Doc: doc, Seq: e.Seq}
	d := &drafts.Delivery{ID: deliveryID(r), Webhook: h.ID, Document: doc, Seq: e.Seq, Action: e.Action, EventAt: e.At,
		CreatedAt: now, Status: drafts.DeliveryPending, Event: e, Attempts: []drafts.DeliveryAttempt{}, NextAttempt: &now}
	made := 1
	if _, err := s.createJSON(ctx, deliveryKey(r), d); err != nil {
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return 0, err
		}
		// Made by another pass, which may have stopped before its marker.
		made = 0
		if _, err := s.getJSON(ctx, deliveryKey(r), d); err != nil {
			return 0, err
		}
		if len(d.Attempts) > 0 || d.Status != drafts.DeliveryPending || d.NextAttempt == nil {
			return 0, nil
		}
	}
	if _, err := s.createJSON(ctx, hookDueKey(*d.NextAttempt, r, 1), struct{}{}); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
		return made, err
	}
	return made, nil
}

// deliveryID is the message id of a delivery: the same for every attempt,
// distinct for every endpoint and event.
func deliveryID(r deliveryRef) string {
	return "msg_" + r.Doc + "_" + strconv.FormatInt(r.Seq, 10) + "_" + r.Hook
}
