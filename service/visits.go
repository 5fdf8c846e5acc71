package service

import (
	"cmp"
	"context"
	"sync"
	"time"

	"chancery/drafts"
)

// A user's last visit to a document is what the document page lists
// changes since. When the chair says "please look at the new version",
// the whole room opens the page in the same second, and each page would
// store its visit before answering: a write per reader, in the busiest
// second of the meeting, for a record nobody reads until that reader's
// next visit. With VisitDelay set, a visit is kept in memory (where the
// same replica reads it at once) and stored that long after, once for
// however many visits the user made meanwhile. What a crash loses is
// the visits of the last VisitDelay: the next page lists a little more
// as new than it might. No change of a text, and nothing the audit trail
// records, goes this way.
//
// A visit this replica stored it keeps too, with its ETag (up to
// maxStoredVisits of them): the user's next page reads it from memory,
// and the next flush replaces it at that ETag without reading it first.
// A visit the user made since on another replica is not seen here until
// this replica stores one again: the page lists a little more as new.

// visitState holds the visits not stored yet, and the last stored.
type visitState struct {
	mu        sync.Mutex
	pending   map[string]*drafts.Visit // by storage key
	stored    map[string]storedVisit   // by storage key
	scheduled bool                     // a flush is due
}

// storedVisit is a visit as this replica stored it.
type storedVisit struct {
	v    *drafts.Visit
	etag string
}

// maxStoredVisits bounds the visits kept after they are stored: one per
// user and document read lately (some 200 bytes each).
const maxStoredVisits = 20000

// known returns the visit at key not stored yet, or the last this replica
// stored.
func (vs *visitState) known(key string) (*drafts.Visit, bool) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if v := vs.pending[key]; v != nil {
		return v, true
	}
	sv, ok := vs.stored[key]
	return sv.v, ok
}

// noteStored keeps v as the visit stored at key at etag.
func (vs *visitState) noteStored(key string, v *drafts.Visit, etag string) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if vs.stored == nil || len(vs.stored) >= maxStoredVisits {
		vs.stored = map[string]storedVisit{}
	}
	vs.stored[key] = storedVisit{v, etag}
}

// LastVisit returns what the user of ctx last saw of a document; a zero
// Visit if they never opened it.
func (s *Service) LastVisit(ctx context.Context, doc string) (_ *drafts.Visit, err error) {
	defer markOp(&err, "service.LastVisit")
	key, err := s.visitKeyFor(ctx, doc)
	if err != nil {
		return nil, err
	}
	if known, ok := s.visits.known(key); ok {
		v := *known
		return &v, nil
	}
	var v drafts.Visit
	if _, err := s.getJSON(ctx, key, &v); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return &drafts.Visit{}, nil
		}
		return nil, err
	}
	return &v, nil
}

// RecordVisit remembers that the user of ctx has seen a document up to its
// head version head and audit event lastSeq: stored at once, or within
// VisitDelay when it is set.
func (s *Service) RecordVisit(ctx context.Context, doc string, head int, lastSeq int64) (err error) {
	defer markOp(&err, "service.RecordVisit")
	key, err := s.visitKeyFor(ctx, doc)
	if err != nil {
		return err
	}
	v := &drafts.Visit{At: s.now(), Head: head, LastSeq: lastSeq}
	if s.VisitDelay <= 0 {
		return s.storeVisit(ctx, key, v)
	}
	s.visits.mu.Lock()
	defer s.visits.mu.Unlock()
	if s.visits.pending == nil {
		s.visits.pending = map[string]*drafts.Visit{}
	}
	s.visits.pending[key] = v
	s.scheduleFlushLocked()
	return nil
}

// scheduleFlushLocked has the visits kept in memory stored VisitDelay
// from now, unless that is due already. The caller holds s.visits.mu.
func (s *Service) scheduleFlushLocked() {
	if s.visits.scheduled {
		return
	}
	s.visits.scheduled = true
	time.AfterFunc(s.VisitDelay, func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.FlushVisits(ctx); err != nil {
			s.Log.Warn("storing visits", "err", err)
		}
	})
}

// FlushVisits stores the visits kept in memory (VisitDelay) now: when the
// server stops, and when their time comes. A visit stays in memory until
// it is stored, so the replica keeps reading it meanwhile.
func (s *Service) FlushVisits(ctx context.Context) error {
	s.visits.mu.Lock()
	keys := make([]string, 0, len(s.visits.pending))
	due := make([]*drafts.Visit, 0, len(s.visits.pending))
	for k, v := range s.visits.pending {
		keys, due = append(keys, k), append(due, v)
	}
	s.visits.scheduled = false
	s.visits.mu.Unlock()
	errs := make([]error, len(keys))
	_ = s.inParallelN(ctx, 8, len(keys), func(ctx context.Context, i int) error {
		errs[i] = s.storeVisit(ctx, keys[i], due[i])
		return errs[i]
	})
	s.visits.mu.Lock()
	defer s.visits.mu.Unlock()
	var first error
	for i, k := range keys {
		switch {
		case errs[i] != nil: // tried again later
			first = cmp.Or(first, errs[i])
			s.scheduleFlushLocked()
		case s.visits.pending[k] == due[i]: // not visited again meanwhile
			delete(s.visits.pending, k)
		}
	}
	return first
}

// visitKeyFor is where the visits of the user of ctx to doc are kept.
func (s *Service) visitKeyFor(ctx context.Context, doc string) (string, error) {
	u, err := actor(ctx)
	if err != nil {
		return "", err
	}
	if !drafts.ValidID(doc) || !drafts.ValidID(u.ID) {
		return "", drafts.Errorf(drafts.ENOTFOUND, "no document %q", doc)
	}
	return visitKey(u.ID, doc), nil
}

// storeVisit stores v under key, over whatever visit is there: at the
// ETag of the last visit this replica stored there, or else at the one
// read first.
func (s *Service) storeVisit(ctx context.Context, key string, v *drafts.Visit) error {
	s.visits.mu.Lock()
	last, known := s.visits.stored[key]
	s.visits.mu.Unlock()
	if known {
		if etag, err := s.updateJSON(ctx, key, v, last.etag); err == nil {
			s.visits.noteStored(key, v, etag)
			return nil
		}
		// Gone by (another replica stored one), or failed: as if unknown.
	}
	return retry(func() error {
		var old drafts.Visit
		etag, err := s.getJSON(ctx, key, &old)
		switch {
		case drafts.IsCode(err, drafts.ENOTFOUND):
			etag, err = s.createJSON(ctx, key, v)
			if drafts.IsCode(err, drafts.ECONFLICT) {
				return drafts.Errorf(drafts.EPRECONDITION, "raced")
			}
		case err == nil:
			etag, err = s.updateJSON(ctx, key, v, etag)
		}
		if err == nil {
			s.visits.noteStored(key, v, etag)
		}
		return err
	})
}
