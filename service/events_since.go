package service

import (
	"context"
	"time"

	"chancery/drafts"
)

// ListEventsSince returns one page of the events of a document's trail
// that since selects, oldest first. A time is found by a binary search of
// the chain (events are numbered in the order they were recorded), so
// asking what happened since the last visit reads a few events, not the
// whole trail. A cursor, when given, takes over from since.
func (s *Service) ListEventsSince(ctx context.Context, doc string, since drafts.EventsSince, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Event], err error) {
	defer markOp(&err, "service.ListEventsSince")
	if since.Seq < 0 {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "since: a sequence number is 0 or more", Fields: []drafts.FieldError{{Field: "since", Message: "negative"}}}
	}
	if opt.Cursor == "" {
		after := since.Seq
		if !since.Time.IsZero() {
			if _, _, err := s.documentFor(ctx, doc, drafts.ActDocumentRead); err != nil {
				return nil, err
			}
			var err error
			if after, err = s.lastEventAtOrBefore(ctx, doc, since.Time); err != nil {
				return nil, err
			}
		}
		if after > 0 {
			opt.Cursor = eventCursor(after)
		}
	}
	page, err := s.ListEvents(ctx, doc, opt)
	if err != nil || since.Time.IsZero() {
		return page, err
	}
	// Clocks of replicas may disagree by a little: the order is the
	// chain's, and what lies at or before the time is left out.
	items := page.Items[:0]
	for _, e := range page.Items {
		if e.At.After(since.Time) {
			items = append(items, e)
		}
	}
	page.Items = items
	return page, nil
}

// lastEventAtOrBefore returns the number of the last event recorded at or
// before t (0 if none), by binary search over the chain's numbers.
func (s *Service) lastEventAtOrBefore(ctx context.Context, doc string, t time.Time) (int64, error) {
	r := s.reader(docTrail(doc))
	head, _, err := r.readHead(ctx)
	if err != nil {
		return 0, err
	}
	lo, hi := int64(0), head.Seq
	for lo < hi {
		mid := (lo + hi + 1) / 2
		e, err := r.event(ctx, mid)
		if err != nil {
			return 0, err
		}
		if e == nil || e.At.After(t) {
			// A gap (verification reports it) or later: look before.
			hi = mid - 1
		} else {
			lo = mid
		}
	}
	return lo, nil
}
