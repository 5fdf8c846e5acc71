package service

import (
	"context"
	"sync"
	"time"

	"chancery/drafts"
)

// watcher follows one document's trail for every subscriber of the
// process. Each interval it makes one storage read: a Get of the event
// after the last it has seen (absent while nothing happens), or, every
// hintEvery-th interval, of the trail's head hint instead, which moves
// past a gap in the numbers. Only when the trail has moved on does it list
// the new events (ListEventsSince), once for all its subscribers.
type watcher struct {
	s     *Service
	doc   string
	ready chan struct{} // closed once last is known (or err)
	err   error

	// Guarded by s.live.mu.
	waiting int // subscribers between watcherFor and attach
	idle    int // intervals without subscribers

	// Guarded by mu (locked after s.live.mu when both are).
	mu    sync.Mutex
	last  int64 // the last event handed to the subscribers
	subs  map[*subscription]bool
	ticks int
}

// hintEvery is how often the watcher reads the head hint rather than the
// next event.
const hintEvery = 10

// run finds where the trail ends, then polls it until the watcher has had
// no subscriber for Linger intervals.
func (w *watcher) run() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	last, err := w.s.trailEnd(ctx, w.doc)
	cancel()
	w.last, w.err = last, err
	if err != nil {
		w.s.Log.Warn("live: cannot follow a document", "document", w.doc, "err", err)
		w.s.live.mu.Lock()
		delete(w.s.live.watchers, w.doc)
		w.s.live.mu.Unlock()
		close(w.ready)
		return
	}
	close(w.ready)
	tick, stop := w.s.Live.ticker()
	defer stop()
	for range tick {
		w.poll()
		done := w.retire()
		if f := w.s.live.afterPoll; f != nil {
			f(w.doc)
		}
		if done {
			return
		}
	}
}

// poll looks once at the trail and hands new events to the subscribers.
func (w *watcher) poll() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w.mu.Lock()
	w.ticks++
	last, hint := w.last, w.ticks%hintEvery == 0
	w.mu.Unlock()
	more, err := w.s.trailMovedOn(ctx, w.doc, last, hint)
	if err == nil && more {
		var es []*drafts.Event
		if es, err = w.s.eventsAfter(ctx, w.doc, last); err == nil {
			w.publish(es)
		}
	}
	if err != nil {
		w.s.Log.Warn("live: polling a document's events", "document", w.doc, "err", err)
	}
}

// publish hands events, in order, to every subscriber.
func (w *watcher) publish(es []*drafts.Event) {
	if len(es) == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for sub := range w.subs {
		sub.push(es)
	}
	if seq := es[len(es)-1].Seq; seq > w.last {
		w.last = seq
	}
}

// attach adds a subscriber following the events after after: those up to
// the last the watcher has handed out it reads from storage itself.
func (w *watcher) attach(sub *subscription, after int64) {
	w.s.live.mu.Lock()
	defer w.s.live.mu.Unlock()
	w.waiting--
	w.mu.Lock()
	defer w.mu.Unlock()
	from := after
	if after == drafts.LiveFromNow {
		from = w.last
	}
	// Up to what the watcher has handed out, the subscriber reads from
	// storage; after it, the watcher queues.
	sub.sent, sub.upTo, sub.high = from, max(from, w.last), max(from, w.last)
	w.subs[sub] = true
}

// detach removes a subscriber.
func (w *watcher) detach(sub *subscription) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.subs, sub)
}

// unwait undoes watcherFor's count of a subscriber that did not attach.
func (w *watcher) unwait() {
	w.s.live.mu.Lock()
	defer w.s.live.mu.Unlock()
	w.waiting--
}

// retire reports whether the watcher has had no subscriber for long
// enough, and if so removes it from the hub.
func (w *watcher) retire() bool {
	h := &w.s.live
	h.mu.Lock()
	defer h.mu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.subs) > 0 || w.waiting > 0 {
		w.idle = 0
		return false
	}
	w.idle++
	if w.idle < orDefault(w.s.Live.Linger, DefaultLiveLinger) {
		return false
	}
	delete(h.watchers, w.doc)
	return true
}

// trailEnd returns the number of the last event of a document's trail: the
// head hint, and whatever was written past it.
func (s *Service) trailEnd(ctx context.Context, doc string) (int64, error) {
	var head eventHead
	if _, err := s.getJSON(ctx, eventHeadKey(doc), &head); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return 0, err
	}
	es, err := s.eventsAfter(ctx, doc, head.Seq)
	if err != nil {
		return 0, err
	}
	if len(es) > 0 {
		return es[len(es)-1].Seq, nil
	}
	return head.Seq, nil
}

// trailMovedOn reports, with one read, whether a document's trail has an
// event after last: the next event itself, or with hint the head hint.
func (s *Service) trailMovedOn(ctx context.Context, doc string, last int64, hint bool) (bool, error) {
	if hint {
		var head eventHead
		_, err := s.getJSON(ctx, eventHeadKey(doc), &head)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return false, nil
		}
		return err == nil && head.Seq > last, err
	}
	// Only whether the object is there counts; what it holds is read
	// through ListEventsSince, which knows how events are stored.
	_, err := s.Store.Get(ctx, eventKey(doc, last+1))
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return false, nil
	}
	return err == nil, err
}

// maxCatchUp bounds the events one poll lists (the rest wait for the
// next): 20 pages of 500.
const maxCatchUp = 20

// eventsAfter lists the events of a document's trail after last, as the
// system, through the trail's read path (ListEventsSince).
func (s *Service) eventsAfter(ctx context.Context, doc string, last int64) ([]*drafts.Event, error) {
	ctx = drafts.NewSystemContext(ctx)
	var out []*drafts.Event
	opt := drafts.ListOptions{Limit: 500}
	for i := 0; i < maxCatchUp; i++ {
		page, err := s.ListEventsSince(ctx, doc, drafts.EventsSince{Seq: last}, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	return out, nil
}
