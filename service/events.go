package service

import (
	"context"
	"encoding/json"
	"fmt"

	"chancery/drafts"
)

// eventHead is a hint of the last event of a document's trail. The trail
// itself is the create-only chain of events; the hint only saves a listing.
type eventHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// record appends an event by the user of ctx that names no stored change.
func (s *Service) record(ctx context.Context, doc, action, ref, detail string) {
	s.recordAll(ctx, doc, []*drafts.Event{{Action: action, Ref: ref, Detail: detail}})
}

// recordChange appends the event of a stored change (see audit.go) by the
// user of ctx.
func (s *Service) recordChange(ctx context.Context, doc, change, action, ref, detail string) {
	s.recordAll(ctx, doc, []*drafts.Event{{Action: action, Ref: ref, Detail: detail, Change: change}})
}

// recordAll appends events by the user of ctx, in order, reading and
// writing the trail's head hint once for all of them. The changes they
// record have happened: events that cannot be written now (storage down)
// are kept and written by RetryEvents; whatever a crash loses,
// CompleteEvents writes from the stored changes; verification names a
// change that still has none.
func (s *Service) recordAll(ctx context.Context, doc string, es []*drafts.Event) {
	if len(es) == 0 {
		return
	}
	for _, e := range es {
		if u := drafts.UserFromContext(ctx); u != nil {
			e.Actor, e.Delegation = u.ID, u.Delegation
		} else {
			e.Actor = "system"
		}
	}
	// The change happened: record it even if the client has gone.
	written, err := s.appendEvents(context.WithoutCancel(ctx), doc, es)
	if err != nil {
		s.Log.Error("audit events not recorded yet; kept to retry", "document", doc, "action", es[written].Action, "events", len(es)-written, "err", err)
		for _, e := range es[written:] {
			s.pending.add(doc, e)
		}
	}
}

// appendEvents adds es at the end of the document's chain, in order. Of
// two concurrent appends one gets the sequence number, the other moves on
// to the next.
// It returns how many it wrote.
func (s *Service) appendEvents(ctx context.Context, doc string, es []*drafts.Event) (int, error) {
	var head eventHead
	headETag, err := s.getJSON(ctx, eventHeadKey(doc), &head)
	if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return 0, err
	}
	for i, e := range es {
		if err := s.appendAfter(ctx, doc, &head, e); err != nil {
			return i, err
		}
	}
	next := head
	if headETag == "" {
		_, err = s.createJSON(ctx, eventHeadKey(doc), next)
	} else {
		_, err = s.updateJSON(ctx, eventHeadKey(doc), next, headETag)
	}
	// A lost race on the hint is harmless: readers follow the chain; and
	// the events are written.
	if err != nil && !drafts.IsCode(err, drafts.ECONFLICT) && !drafts.IsCode(err, drafts.EPRECONDITION) {
		s.Log.Warn("event trail hint not updated", "document", doc, "err", err)
	}
	return len(es), nil
}

// appendAfter writes e after head, following the chain past events others
// wrote meanwhile, and moves head to e.
func (s *Service) appendAfter(ctx context.Context, doc string, head *eventHead, e *drafts.Event) error {
	e.At = s.now()
	for tries := 0; tries < 10000; tries++ {
		e.Seq, e.PrevHash = head.Seq+1, head.Hash
		e.Hash = e.ChainHash()
		_, err := s.createJSON(ctx, eventKey(doc, e.Seq), e)
		if err == nil {
			break
		}
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return err
		}
		// Someone else took this number: follow the chain.
		other, err := getImmutable(ctx, s, eventKey(doc, e.Seq), cloneEvent)
		if err != nil {
			return err
		}
		*head = eventHead{Seq: other.Seq, Hash: other.Hash}
		if e.Change != "" && other.Change == e.Change {
			*e = *other
			return nil // the change's event is there already (written by a retry or a completion)
		}
	}
	*head = eventHead{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// ListEvents returns one page of a document's audit trail, oldest first.
func (s *Service) ListEvents(ctx context.Context, doc string, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Event], err error) {
	defer markOp(&err, "service.ListEvents")
	if _, _, err := s.documentFor(ctx, doc, drafts.ActDocumentRead); err != nil {
		return nil, err
	}
	keys, next, err := s.listKeys(ctx, eventsPrefix(doc), opt)
	if err != nil {
		return nil, err
	}
	page := &drafts.Page[*drafts.Event]{Items: []*drafts.Event{}, NextCursor: next}
	for _, k := range keys {
		e, err := getImmutable(ctx, s, k, cloneEvent)
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, e)
	}
	return page, nil
}

// VerifyEvents recomputes a document's hash chain and names the first
// event that is damaged, missing, out of order or altered.
func (s *Service) VerifyEvents(ctx context.Context, doc string) (_ *drafts.Verification, err error) {
	defer markOp(&err, "service.VerifyEvents")
	if _, _, err := s.documentFor(ctx, doc, drafts.ActEventsVerify); err != nil {
		return nil, err
	}
	res := &drafts.Verification{OK: true}
	prefix := eventsPrefix(doc)
	prev, want := "", int64(1)
	after := ""
	sc := newChainScan() // the changes the events record, for completeness
	bad := func(seq int64, problem string) (*drafts.Verification, error) {
		res.OK, res.FirstBad, res.Problem = false, &seq, problem
		// Name the changes the broken chain no longer records, too.
		if missing, _, err := s.missingEvents(ctx, doc); err == nil {
			for _, m := range missing {
				res.Unrecorded = append(res.Unrecorded, m.change)
			}
		}
		return res, nil
	}
	for {
		objs, next, err := s.Store.List(ctx, prefix, after, 500)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			obj, err := s.Store.Get(ctx, o.Key)
			if err != nil {
				return nil, err
			}
			var e drafts.Event
			if err := json.Unmarshal(obj.Data, &e); err != nil {
				return bad(want, "event is not readable")
			}
			if seq, err := eventOfKey(o.Key, prefix); err != nil || seq != e.Seq {
				return bad(want, fmt.Sprintf("event stored as %s claims sequence %d", nameOf(o.Key, prefix), e.Seq))
			}
			if e.Seq != want {
				return bad(want, fmt.Sprintf("event %d is missing", want))
			}
			if e.PrevHash != prev {
				return bad(e.Seq, "previous hash does not match the event before")
			}
			if e.ChainHash() != e.Hash {
				return bad(e.Seq, "event content does not match its hash")
			}
			prev = e.Hash
			want++
			res.Checked++
			sc.note(&e)
		}
		if next == "" {
			break
		}
		after = next
	}
	// The hint may not be ahead of the chain: that would mean an event was removed.
	var head eventHead
	if _, err := s.getJSON(ctx, eventHeadKey(doc), &head); err == nil && head.Seq >= want {
		// Unless the event was appended since the listing.
		if _, err := s.Store.Get(ctx, eventKey(doc, want)); drafts.IsCode(err, drafts.ENOTFOUND) {
			return bad(want, fmt.Sprintf("events after %d are missing", want-1))
		}
	}
	// Complete: every stored change has its event.
	missing, err := s.unrecorded(ctx, doc, sc)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		res.OK = false
		for _, m := range missing {
			res.Unrecorded = append(res.Unrecorded, m.change)
		}
		res.Problem = fmt.Sprintf("%d stored changes have no event, first %s", len(missing), missing[0].change)
	}
	return res, nil
}
