package service

import (
	"context"
	"sync"
	"time"

	"chancery/drafts"
)

// Live event streams (drafts.LiveService.Subscribe). The events are in
// storage, where any replica writes them; there is no broker. Each process
// runs at most one watcher per document that someone follows: it polls the
// document's trail once per interval, whatever the number of subscribers
// (live_watch.go), and hands what it finds to each of them. A subscriber
// that asks for older events reads them from storage itself, then takes
// over from the watcher; nothing is missed and nothing comes twice.

// LiveOptions paces and bounds the live event streams; zero fields take
// the defaults.
type LiveOptions struct {
	// Interval is how often a watched document's trail is polled
	// (DefaultLiveInterval).
	Interval time.Duration
	// MaxStreams bounds the subscriptions of the process
	// (DefaultMaxStreams); MaxStreamsPerUser those of one user
	// (DefaultMaxStreamsPerUser).
	MaxStreams, MaxStreamsPerUser int
	// Backlog is how many events may wait for a subscriber before the
	// server ends its subscription (DefaultLiveBacklog): a client that
	// does not read resumes later from storage.
	Backlog int
	// Linger is how many intervals a watcher keeps polling once its last
	// subscriber has gone, for those that come back (DefaultLiveLinger).
	Linger int
	// NewTicker makes the ticker of a watcher and returns its channel and
	// its stop; nil for time.NewTicker.
	NewTicker func(d time.Duration) (<-chan time.Time, func())
}

// Defaults of LiveOptions.
const (
	DefaultLiveInterval      = time.Second
	DefaultMaxStreams        = 5000
	DefaultMaxStreamsPerUser = 16
	DefaultLiveBacklog       = 1000
	DefaultLiveLinger        = 30
)

func (o LiveOptions) interval() time.Duration {
	if o.Interval <= 0 {
		return DefaultLiveInterval
	}
	return o.Interval
}

func (o LiveOptions) ticker() (<-chan time.Time, func()) {
	if o.NewTicker != nil {
		return o.NewTicker(o.interval())
	}
	t := time.NewTicker(o.interval())
	return t.C, t.Stop
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// liveHub is the process's watchers and the count of its subscriptions.
type liveHub struct {
	mu       sync.Mutex
	watchers map[string]*watcher
	streams  int
	perUser  map[string]int
	// afterPoll, when set (tests), is called after each poll.
	afterPoll func(doc string)
}

// errStreamsFull is the refusal of a subscription past the bounds.
func errStreamsFull(what string) error {
	return drafts.Errorf(drafts.EUNAVAILABLE, "%s as many live event streams open as this server allows; try again shortly", what)
}

// reserve counts a subscription of user within the bounds.
func (h *liveHub) reserve(user string, o LiveOptions) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.streams >= orDefault(o.MaxStreams, DefaultMaxStreams) {
		return errStreamsFull("the server has")
	}
	if h.perUser[user] >= orDefault(o.MaxStreamsPerUser, DefaultMaxStreamsPerUser) {
		return errStreamsFull("you have")
	}
	if h.perUser == nil {
		h.perUser = map[string]int{}
	}
	h.streams++
	h.perUser[user]++
	return nil
}

// release frees a subscription's place.
func (h *liveHub) release(user string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.streams--
	if h.perUser[user]--; h.perUser[user] <= 0 {
		delete(h.perUser, user)
	}
}

// LiveStreams returns how many subscriptions and watchers the process
// has, for the metrics.
func (s *Service) LiveStreams() (subscriptions, watchers int) {
	s.live.mu.Lock()
	defer s.live.mu.Unlock()
	return s.live.streams, len(s.live.watchers)
}

// Subscribe follows the events of doc for the user of ctx.
func (s *Service) Subscribe(ctx context.Context, doc string, after int64) (_ drafts.Subscription, err error) {
	defer markOp(&err, "service.Subscribe")
	if after < drafts.LiveFromNow {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "after: a sequence number is 0 or more",
			Fields: []drafts.FieldError{{Field: "after", Message: "negative"}}}
	}
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	if err := s.live.reserve(u.ID, s.Live); err != nil {
		return nil, err
	}
	w, err := s.watcherFor(ctx, d.ID)
	if err != nil {
		s.live.release(u.ID)
		return nil, err
	}
	sub := &subscription{w: w, user: u, backlog: orDefault(s.Live.Backlog, DefaultLiveBacklog), wake: make(chan struct{}, 1)}
	w.attach(sub, after)
	return sub, nil
}

// LastEvent returns the number of the last event of a document's trail.
func (s *Service) LastEvent(ctx context.Context, doc string) (_ int64, err error) {
	defer markOp(&err, "service.LastEvent")
	if _, _, err := s.documentFor(ctx, doc, drafts.ActDocumentRead); err != nil {
		return 0, err
	}
	return s.trailEnd(ctx, doc)
}

// watcherFor returns the running watcher of doc, starting one if there is
// none, once it knows where the trail ends.
func (s *Service) watcherFor(ctx context.Context, doc string) (*watcher, error) {
	h := &s.live
	h.mu.Lock()
	if h.watchers == nil {
		h.watchers = map[string]*watcher{}
	}
	w := h.watchers[doc]
	if w == nil {
		w = &watcher{s: s, doc: doc, subs: map[*subscription]bool{}, ready: make(chan struct{})}
		h.watchers[doc] = w
		go w.run()
	}
	w.waiting++ // keeps it from retiring before attach
	h.mu.Unlock()
	select {
	case <-w.ready:
	case <-ctx.Done():
		w.unwait()
		return nil, ctx.Err()
	}
	if w.err != nil {
		w.unwait()
		return nil, w.err
	}
	return w, nil
}

// subscription is one subscriber's view of a document's events: those it
// must read from storage first (after sent, up to upTo), then those the
// watcher queued.
type subscription struct {
	w       *watcher
	user    *drafts.User
	backlog int
	wake    chan struct{}

	mu     sync.Mutex
	sent   int64 // the last event handed out (or the point it follows from)
	upTo   int64 // events up to it are read from storage
	high   int64 // the last event handed out, read or queued
	queue  []*drafts.Event
	ended  error
	closed bool
}

// errTooSlow ends a subscription whose events wait unread.
var errTooSlow = drafts.Errorf(drafts.EUNAVAILABLE, "too many events waited unread; resume after the last event received")

// push queues the events after those the subscriber has or will read; it
// runs with the watcher locked.
func (sub *subscription) push(es []*drafts.Event) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.ended != nil || sub.closed {
		return
	}
	for _, e := range es {
		if e.Seq > sub.high {
			sub.queue = append(sub.queue, e)
			sub.high = e.Seq
		}
	}
	if len(sub.queue) > sub.backlog {
		sub.queue, sub.ended = nil, errTooSlow
	}
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}

// Next returns the next events: first those to read from storage, then
// those the watcher found.
func (sub *subscription) Next(ctx context.Context) ([]*drafts.Event, error) {
	for {
		sub.mu.Lock()
		switch {
		case sub.closed:
			sub.mu.Unlock()
			return nil, drafts.Errorf(drafts.EUNAVAILABLE, "the subscription is closed")
		case sub.sent < sub.upTo:
			from, to := sub.sent, sub.upTo
			sub.mu.Unlock()
			es, err := sub.catchUp(ctx, from, to)
			if err != nil || len(es) > 0 {
				return es, err
			}
			continue
		case len(sub.queue) > 0:
			out := sub.queue
			sub.queue = nil
			sub.sent = out[len(out)-1].Seq
			sub.mu.Unlock()
			return out, nil
		case sub.ended != nil:
			err := sub.ended
			sub.mu.Unlock()
			return nil, err
		}
		sub.mu.Unlock()
		select {
		case <-sub.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// catchUp reads one page of the events after from, up to to, from
// storage, as the subscriber (who may still see the document), and moves
// sent on.
func (sub *subscription) catchUp(ctx context.Context, from, to int64) ([]*drafts.Event, error) {
	ctx = drafts.NewContextWithUser(ctx, sub.user)
	page, err := sub.w.s.ListEventsSince(ctx, sub.w.doc, drafts.EventsSince{Seq: from}, drafts.ListOptions{Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []*drafts.Event
	for _, e := range page.Items {
		if e.Seq > from && e.Seq <= to {
			out = append(out, e)
		}
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	switch {
	case len(out) > 0:
		sub.sent = out[len(out)-1].Seq
	case page.NextCursor == "" || len(page.Items) == 0 || page.Items[len(page.Items)-1].Seq >= to:
		sub.sent = to // nothing more up to it: a gap, which verification reports
	default:
		sub.sent = page.Items[len(page.Items)-1].Seq
	}
	return out, nil
}

// Close ends the subscription and frees its place.
func (sub *subscription) Close() {
	sub.mu.Lock()
	if sub.closed {
		sub.mu.Unlock()
		return
	}
	sub.closed = true
	sub.queue = nil
	sub.mu.Unlock()
	sub.w.detach(sub)
	sub.w.s.live.release(sub.user.ID)
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}
