package service

import (
	"context"
	"sync"

	"chancery/drafts"
)

// Every change and its event, together, exactly once.
//
// A change is a write of one object: a proposal made, edited, commented,
// co-sponsored, withdrawn, rejected or settled by a merge; a version; a
// provision's status; a round opened, answered or ended; a document, a
// delegation, a user or a token made or revoked. The object carries, in
// that same write, the event the change owes: a drafts.AuditEntry with
// the change's name, unique forever ("proposal/<id>/<n>", "version/<n>",
// "status/<n>/<rev>"...), kept in the object's Audit. A change is thus
// never stored without its event's content, and the stored objects name
// every change there is: completion and verification list them
// (changes.go), and an event names its change (Event.Change).
//
// A request reads its trail's head (beginChange), writes the change, then
// chains the change's events after that head (commitChange), and answers
// only once they are in the trail. A crash or a failure at any step:
//
//   - before the change's write: nothing is stored, nothing is owed;
//   - after the write, before the event: the change is stored but not
//     acknowledged, and owes its event. The request fails (503) if the
//     process lives; the trail is marked and RetryEvents completes it
//     once the storage answers. If the process died, CompleteAllEvents
//     completes every trail at the next start, and serve runs it again
//     every few minutes for a replica that died and never came back;
//   - an event written but the answer lost (the storage failed after
//     the write): the change is complete; completion finds the event;
//   - after the event: the change is complete and acknowledged.
//
// Completion and a live request may race to chain one change: each
// writes with a create-only write at the next sequence number, and one
// that loses reads what the winner wrote and skips the changes recorded
// there. A live request starts from the head it read before its change
// was stored, a completion from the start of the chain: both have seen
// every event that could record the change before they write, so a
// change gets exactly one event. Verification counts the events of each
// change and names the duplicates, as it names the changes without one.
// It and the completion at start read storage past every cache
// (drafts.Uncached): what they judge is what is stored.
//
// Events of no stored change (a refused attempt) are recorded by record,
// unnamed, and are not counted.

// owedTrails are trails where a change may owe its event: its event
// could not be written, or a write failed without saying whether it
// happened. RetryEvents completes them.
type owedTrails struct {
	mu     sync.Mutex
	trails map[trail]bool
}

// owe marks t for RetryEvents.
func (s *Service) owe(t trail) {
	s.owed.mu.Lock()
	defer s.owed.mu.Unlock()
	if s.owed.trails == nil {
		s.owed.trails = map[trail]bool{}
	}
	s.owed.trails[t] = true
}

// noteUncertain marks the trail of key's document (or the directory's)
// when a write to it failed in a way that leaves unknown whether it
// happened.
func (s *Service) noteUncertain(key string, err error) {
	if err == nil || !drafts.IsCode(err, drafts.EUNAVAILABLE) {
		return
	}
	if doc, ok := documentOfAnyKey(key); ok {
		s.owe(docTrail(doc))
	} else if isDirectoryKey(key) {
		s.owe(directoryTrail())
	}
}

// PendingEvents returns how many trails may owe events.
func (s *Service) PendingEvents() int {
	s.owed.mu.Lock()
	defer s.owed.mu.Unlock()
	return len(s.owed.trails)
}

// RetryEvents completes the trails whose events could not be written, or
// whose writes failed uncertainly; those that still fail wait for the
// next call.
func (s *Service) RetryEvents(ctx context.Context) (err error) {
	defer markOp(&err, "service.RetryEvents")
	s.owed.mu.Lock()
	trails := s.owed.trails
	s.owed.trails = nil
	s.owed.mu.Unlock()
	var first error
	for t := range trails {
		if _, err := s.complete(ctx, t, false); err != nil {
			s.owe(t)
			if first == nil {
				first = err
			}
		}
	}
	return first
}

// CompleteEvents writes the events of a document's stored changes that
// have none (a crash or a failure came between the change and its
// event), each by the change's author, marked as recorded late, and
// returns how many it wrote. It reads storage past every cache.
func (s *Service) CompleteEvents(ctx context.Context, doc string) (_ int, err error) {
	defer markOp(&err, "service.CompleteEvents")
	return s.complete(ctx, docTrail(doc), true)
}

// lateNote ends the detail of an event written by completion.
const lateNote = "(recorded late: the change was stored before the process stopped or the storage failed)"

// complete writes the events t's stored changes owe, reading storage
// through its caches or, when direct, past them.
func (s *Service) complete(ctx context.Context, t trail, direct bool) (int, error) {
	r := s.reader(t)
	if direct {
		r = s.directReader(t)
	}
	sc, err := r.scan(ctx)
	if err != nil {
		return 0, err
	}
	if sc.problem != "" {
		// A damaged trail is evidence: it is left as it is, for
		// verification to name (what its changes owe waits).
		s.Log.Error("audit trail damaged: not completed", "trail", t.name(), "event", sc.bad, "problem", sc.problem)
		return 0, nil
	}
	// From the end of the chain as read: every event since is seen by
	// the append before it writes.
	hint, etag, err := r.readHead(ctx)
	if err != nil {
		return 0, err
	}
	tx := &changeTx{t: t, head: sc.head, headETag: etag}
	missing, err := s.unrecorded(ctx, t, r.store, sc)
	if err != nil {
		return 0, err
	}
	if len(missing) == 0 {
		if hint.Seq < sc.head.Seq {
			s.advanceHint(ctx, &changeTx{t: t, head: hint, headETag: etag}, sc.head)
		}
		return 0, nil
	}
	es := make([]*drafts.Event, 0, len(missing))
	for _, m := range missing {
		a, err := m.entry(ctx)
		if err != nil {
			return 0, err
		}
		e := a.Event()
		if e.Detail != "" {
			e.Detail += " "
		}
		e.Detail += lateNote
		es = append(es, e)
	}
	written, err := s.appendEvents(ctx, tx, es)
	if written > 0 {
		s.Log.Warn("audit events recorded late", "trail", t.name(), "count", written, "first", missing[0].name)
	}
	return written, err
}

// CompleteAllEvents completes the directory's trail and every document's,
// reading storage past every cache, and returns how many events it
// wrote. serve runs it at start.
func (s *Service) CompleteAllEvents(ctx context.Context) (_ int, err error) {
	defer markOp(&err, "service.CompleteAllEvents")
	return s.completeAll(ctx, true)
}

// SweepEvents is CompleteAllEvents reading through the caches (the events,
// immutable, are read once per process): serve runs it every
// --audit-sweep, for the changes a replica that died still owes.
func (s *Service) SweepEvents(ctx context.Context) (_ int, err error) {
	defer markOp(&err, "service.SweepEvents")
	return s.completeAll(ctx, false)
}

func (s *Service) completeAll(ctx context.Context, direct bool) (int, error) {
	st := s.Store
	if direct {
		st = drafts.Uncached(s.Store)
	}
	total, err := s.complete(ctx, directoryTrail(), direct)
	if err != nil {
		return total, err
	}
	keys, err := s.allKeysIn(ctx, st, documentsPrefix)
	if err != nil {
		return total, err
	}
	for _, k := range keys {
		id, err := documentOfKey(k)
		if err != nil {
			return total, err
		}
		n, err := s.complete(ctx, docTrail(id), direct)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
