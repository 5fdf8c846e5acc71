package service

import (
	"context"
	"sync"

	"chancery/drafts"
)

// Every stored change (a proposal, a version, a status change, a round
// and its end) names its audit event, and the event names the change
// (Event.Change). The change is written first, then its event; the two
// cannot drift apart unnoticed or for long:
//
//   - an event that cannot be written (storage down) is kept in memory and
//     written by RetryEvents, which serve runs every few seconds;
//   - an event lost with the process (a crash between the change and its
//     event) is written by CompleteEvents from the stored change, which
//     serve runs at start over every document;
//   - VerifyEvents checks not only the chain's hashes but that every
//     stored change has its event, and names those that have none.
//
// An event is written once per change: appending walks every event after
// the point it read and stops if the change's event is among them.

// pendingEvents are events that could not be written yet.
type pendingEvents struct {
	mu     sync.Mutex
	events []pendingEvent
}

type pendingEvent struct {
	doc string
	e   *drafts.Event
}

// maxPending bounds the events kept for retry; past it the oldest are
// left to CompleteEvents.
const maxPending = 10000

func (p *pendingEvents) add(doc string, e *drafts.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.events) >= maxPending {
		p.events = p.events[1:]
	}
	p.events = append(p.events, pendingEvent{doc, e})
}

func (p *pendingEvents) take() []pendingEvent {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.events
	p.events = nil
	return out
}

// uncertainDocs are documents where a write failed without saying whether
// it happened (storage unreachable mid-request): a change may be stored
// whose request failed, so recorded no event. RetryEvents completes them.
type uncertainDocs struct {
	mu   sync.Mutex
	docs map[string]bool
}

// noteUncertain marks the document of key when a write to it failed in a
// way that leaves unknown whether it happened.
func (s *Service) noteUncertain(key string, err error) {
	if err == nil || !drafts.IsCode(err, drafts.EUNAVAILABLE) {
		return
	}
	doc, ok := documentOfAnyKey(key)
	if !ok {
		return
	}
	s.uncertain.mu.Lock()
	defer s.uncertain.mu.Unlock()
	if s.uncertain.docs == nil {
		s.uncertain.docs = map[string]bool{}
	}
	s.uncertain.docs[doc] = true
}

// PendingEvents returns how many events wait to be written, counting a
// document whose writes failed uncertainly as one.
func (s *Service) PendingEvents() int {
	s.pending.mu.Lock()
	n := len(s.pending.events)
	s.pending.mu.Unlock()
	s.uncertain.mu.Lock()
	defer s.uncertain.mu.Unlock()
	return n + len(s.uncertain.docs)
}

// RetryEvents writes the events that could not be written when their
// change was made, in the order of their changes, and completes the
// documents whose writes failed uncertainly; what still fails waits for the
// next call.
func (s *Service) RetryEvents(ctx context.Context) (err error) {
	defer markOp(&err, "service.RetryEvents")
	first := s.retryEvents(ctx)
	s.uncertain.mu.Lock()
	docs := s.uncertain.docs
	s.uncertain.docs = nil
	s.uncertain.mu.Unlock()
	for doc := range docs {
		if _, err := s.CompleteEvents(ctx, doc); err != nil {
			s.uncertain.mu.Lock()
			if s.uncertain.docs == nil {
				s.uncertain.docs = map[string]bool{}
			}
			s.uncertain.docs[doc] = true
			s.uncertain.mu.Unlock()
			if first == nil {
				first = err
			}
		}
	}
	return first
}

func (s *Service) retryEvents(ctx context.Context) error {
	var first error
	scans := map[string]*chainScan{}
	for _, p := range s.pending.take() {
		err := func() error {
			if p.e.Change == "" {
				_, err := s.appendEvents(ctx, p.doc, []*drafts.Event{p.e})
				return err
			}
			sc, ok := scans[p.doc]
			if !ok {
				var err error
				if sc, err = s.scanChain(ctx, p.doc); err != nil {
					return err
				}
				scans[p.doc] = sc
			}
			if sc.changes[p.e.Change] {
				return nil
			}
			if err := s.appendFrom(ctx, p.doc, p.e, sc.head); err != nil {
				delete(scans, p.doc)
				return err
			}
			sc.changes[p.e.Change], sc.head = true, eventHead{Seq: p.e.Seq, Hash: p.e.Hash}
			return nil
		}()
		if err != nil {
			s.pending.add(p.doc, p.e)
			if first == nil {
				first = err
			}
		}
	}
	return first
}

// chainScan is what a reading of a document's whole chain found.
type chainScan struct {
	head    eventHead
	changes map[string]bool
	// legacy counts events recorded before changes were named, by
	// action and ref.
	legacy map[string]int
}

// scanChain reads a document's chain from the start to its end.
func (s *Service) scanChain(ctx context.Context, doc string) (*chainScan, error) {
	sc := newChainScan()
	prefix := eventsPrefix(doc)
	after := ""
	for {
		objs, next, err := s.Store.List(ctx, prefix, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			e, err := getImmutable(ctx, s, o.Key, cloneEvent)
			if err != nil {
				return nil, err
			}
			sc.note(e)
		}
		if next == "" {
			return sc, nil
		}
		after = next
	}
}

func newChainScan() *chainScan {
	return &chainScan{changes: map[string]bool{}, legacy: map[string]int{}}
}

// note takes in one event of the chain, in order.
func (sc *chainScan) note(e *drafts.Event) {
	if e.Seq > sc.head.Seq {
		sc.head = eventHead{Seq: e.Seq, Hash: e.Hash}
	}
	if e.Change != "" {
		sc.changes[e.Change] = true
		return
	}
	switch e.Action {
	case "proposal.create":
		sc.changes[proposalChange(e.Ref)] = true
	case "version.create", "merge", "version.renumber":
		sc.changes[versionRefChange(e.Ref)] = true
	default:
		sc.legacy[e.Action+" "+e.Ref]++
	}
}

// appendFrom appends e after head, walking past every event written
// since; if one of them records e's change, e is not written again.
func (s *Service) appendFrom(ctx context.Context, doc string, e *drafts.Event, head eventHead) error {
	if err := s.appendAfter(ctx, doc, &head, e); err != nil {
		return err
	}
	// Move the hint on if it is behind; a lost race is harmless.
	var hint eventHead
	etag, err := s.getJSON(ctx, eventHeadKey(doc), &hint)
	switch {
	case drafts.IsCode(err, drafts.ENOTFOUND):
		_, err = s.createJSON(ctx, eventHeadKey(doc), eventHead{Seq: e.Seq, Hash: e.Hash})
	case err == nil && hint.Seq < e.Seq:
		_, err = s.updateJSON(ctx, eventHeadKey(doc), eventHead{Seq: e.Seq, Hash: e.Hash}, etag)
	}
	if err != nil && !drafts.IsCode(err, drafts.ECONFLICT) && !drafts.IsCode(err, drafts.EPRECONDITION) {
		return err
	}
	return nil
}

// Change names: what Event.Change says of the stored change an event
// records, once per change.

// missingEvents returns the stored changes of a document that no event
// records.
func (s *Service) missingEvents(ctx context.Context, doc string) ([]changeRecord, *chainScan, error) {
	sc, err := s.scanChain(ctx, doc)
	if err != nil {
		return nil, nil, err
	}
	missing, err := s.unrecorded(ctx, doc, sc)
	return missing, sc, err
}

// unrecorded returns the stored changes of a document that no event of
// the scanned chain records.
func (s *Service) unrecorded(ctx context.Context, doc string, sc *chainScan) ([]changeRecord, error) {
	recs, err := s.storedChanges(ctx, doc, sc)
	if err != nil {
		return nil, err
	}
	var missing []changeRecord
	for _, r := range recs {
		if !sc.changes[r.change] {
			missing = append(missing, r)
		}
	}
	return missing, nil
}

// CompleteEvents writes the events of a document's stored changes that
// have none (a crash came between the change and its event), each by the
// change's author, marked as recorded late, and returns how many it wrote.
func (s *Service) CompleteEvents(ctx context.Context, doc string) (_ int, err error) {
	defer markOp(&err, "service.CompleteEvents")
	missing, sc, err := s.missingEvents(ctx, doc)
	if err != nil {
		return 0, err
	}
	head := sc.head
	for i, r := range missing {
		e := r.event()
		e.Change = r.change
		if e.Detail != "" {
			e.Detail += " "
		}
		e.Detail += "(recorded late: the change was stored before the process stopped)"
		if err := s.appendFrom(ctx, doc, e, head); err != nil {
			return i, err
		}
		head = eventHead{Seq: e.Seq, Hash: e.Hash}
		s.Log.Warn("audit event recorded late", "document", doc, "change", r.change)
	}
	return len(missing), nil
}

// CompleteAllEvents runs CompleteEvents on every document and returns how
// many events it wrote. serve runs it at start.
func (s *Service) CompleteAllEvents(ctx context.Context) (_ int, err error) {
	defer markOp(&err, "service.CompleteAllEvents")
	keys, err := s.allKeys(ctx, documentsPrefix)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, k := range keys {
		id, err := documentOfKey(k)
		if err != nil {
			return total, err
		}
		n, err := s.CompleteEvents(ctx, id)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
