package service

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"chancery/drafts"
)

// changeTx is a change being made: the head of its trail as read before
// the change was written, from where its events are appended (see
// audit.go for why before).
type changeTx struct {
	t        trail
	head     eventHead
	headETag string
	// hintAfter moves the trail's hint after the answer (afterAnswer)
	// instead of before it: a merge's (see Merge).
	hintAfter bool
}

// beginChange reads the head of doc's trail. Call it before writing the
// change (the object that carries the change's AuditEntry), then
// commitChange.
func (s *Service) beginChange(ctx context.Context, doc string) (*changeTx, error) {
	return s.beginOn(ctx, docTrail(doc))
}

// beginDirectoryChange is beginChange for a change of the directory.
func (s *Service) beginDirectoryChange(ctx context.Context) (*changeTx, error) {
	return s.beginOn(ctx, directoryTrail())
}

// beginning is a change begun (beginChange), or why not.
type beginning struct {
	tx  *changeTx
	err error
}

// beginAhead is beginChange in the background, for a request that has
// work to do before it writes: the channel gives the change begun.
func (s *Service) beginAhead(ctx context.Context, doc string) <-chan beginning {
	began := make(chan beginning, 1)
	go func() {
		tx, err := s.beginChange(ctx, doc)
		began <- beginning{tx, err}
	}()
	return began
}

func (s *Service) beginOn(ctx context.Context, t trail) (*changeTx, error) {
	h, etag, err := s.reader(t).readHead(ctx)
	if err != nil {
		return nil, err
	}
	s.hints.note(t, h, etag)
	return &changeTx{t: t, head: h, headETag: etag}, nil
}

// auditEntry returns the entry of a change named change, made now by the
// user of ctx ("system" without one).
func (s *Service) auditEntry(ctx context.Context, change, action, ref, detail string) drafts.AuditEntry {
	e := drafts.AuditEntry{Change: change, At: s.now(), Actor: "system", Action: action, Ref: ref, Detail: detail}
	if u := drafts.UserFromContext(ctx); u != nil {
		e.Actor, e.Delegation = u.ID, u.Delegation
	}
	return e
}

// commitChange chains the events of entries, which changes stored since
// tx began carry, in one write, unless a completion chained one already.
// Its error is the request's: a change is acknowledged only once its
// event is in the trail. If the events cannot be written, the change is
// stored and owes them: the trail is marked for completion (RetryEvents),
// and the error, EUNAVAILABLE, says so.
func (s *Service) commitChange(ctx context.Context, tx *changeTx, entries ...drafts.AuditEntry) error {
	_, err := s.commitEvents(ctx, tx, entries...)
	return err
}

// commitEvents is commitChange returning the events as chained.
func (s *Service) commitEvents(ctx context.Context, tx *changeTx, entries ...drafts.AuditEntry) ([]*drafts.Event, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	es := make([]*drafts.Event, len(entries))
	for i := range entries {
		es[i] = entries[i].Event()
	}
	// The change happened: record it even if the client has gone.
	if _, err := s.appendEvents(context.WithoutCancel(ctx), tx, es); err != nil {
		s.owe(tx.t)
		s.Log.Error("audit event not written yet; left to completion", "trail", tx.t.name(), "change", entries[0].Change, "events", len(es), "err", err)
		return nil, &drafts.Error{Code: drafts.EUNAVAILABLE, Err: err,
			Message: "the change was saved, but its entry in the audit trail could not be written yet (the storage did not answer); it will be written as soon as the storage answers: look before you repeat the request"}
	}
	return es, nil
}

// record appends an event by the user of ctx that records no stored
// change (a refused attempt): nothing owes it, so it is written now or,
// if the storage fails, only logged.
func (s *Service) record(ctx context.Context, doc, action, ref, detail string) {
	e := s.auditEntry(ctx, "", action, ref, detail)
	ctx = context.WithoutCancel(ctx)
	tx, err := s.beginChange(ctx, doc)
	if err == nil {
		_, err = s.appendEvents(ctx, tx, []*drafts.Event{e.Event()})
	}
	if err != nil {
		s.Log.Error("audit event of no change not recorded", "document", doc, "action", action, "ref", ref, "err", err)
	}
}

// maxAppendTries bounds how often an append follows the chain past
// events others wrote meanwhile.
const maxAppendTries = 10000

// appendEvents adds es at the end of tx's trail, in order, after the
// head tx read, in objects of up to maxBatch events: one create-only
// write per object, every hash computed before it. Of two writers of one
// sequence number one wins; the other reads what it wrote and goes on
// after it, dropping the events of changes it finds recorded there (a
// completion got there first). Every event after tx's head is thus seen
// before a change's event is written: since the head was read before the
// change was stored, no event can record the change before it, and a
// change gets one event. On return each event of es is the one in the
// trail; it returns how many of them it wrote.
func (s *Service) appendEvents(ctx context.Context, tx *changeTx, es []*drafts.Event) (int, error) {
	r := s.reader(tx.t)
	head := tx.head
	pending := slices.Clone(es)
	written := 0
	// One append to a trail at a time in this process: concurrent
	// appends would each try the same next number, all but one fail, and
	// try again (28 delegates proposing at once made some 400 failed
	// writes); in turn, each finds the others' objects in the cache and
	// writes once. Other replicas still race, as before.
	turn, err := s.takeTurn(ctx, "trail of "+tx.t.name(), "to record its event")
	if err != nil {
		return 0, err
	}
	defer turn.end()
	for tries := 0; len(pending) > 0; tries++ {
		if tries >= maxAppendTries {
			return written, drafts.Errorf(drafts.EUNAVAILABLE, "the audit trail of %s is too busy", tx.t.name())
		}
		key := tx.t.key(head.Seq + 1)
		if other, ok := r.known(key); ok {
			// This process wrote or read there already: go on after it
			// without a write bound to fail (when 28 delegates propose
			// at once, most of the chain's writes were such failures).
			head, pending = followChain(other, head, pending)
			continue
		}
		n := min(len(pending), maxBatch)
		obj, last := chainAfter(head, pending[:n], s.now())
		_, size, err := s.putJSON(ctx, key, obj, true, "")
		if err == nil {
			s.immutable().add(key, cloneStoredEvents(obj), int64(size))
			head, pending, written = last, pending[n:], written+n
			continue
		}
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return written, err
		}
		// Someone else wrote there: go on after what they wrote.
		other, err := r.object(ctx, key)
		if err != nil {
			return written, err
		}
		head, pending = followChain(other, head, pending)
	}
	switch {
	case tx.hintAfter:
		s.afterAnswer(func() { s.advanceHint(context.WithoutCancel(ctx), tx, head) })
	case turn.othersWaiting():
		// Another append waits for its turn on this trail: it moves the
		// hint past this one (when 28 delegates propose at once, the last
		// moves it once for all). Should it fail first, the hint is only
		// behind, which readers allow for (they follow the chain).
	default:
		s.advanceHint(ctx, tx, head)
	}
	return written, nil
}

// takeTurn waits for this process's turn at what is named name (an
// audit trail, a document's proposal numbers), or for ctx to end;
// waitingTo says in an error what the request was waiting to do. End the
// turn taken once.
func (s *Service) takeTurn(ctx context.Context, name, waitingTo string) (heldTurn, error) {
	v, _ := s.turns.LoadOrStore(name, &turn{ch: make(chan struct{}, 1)})
	t := v.(*turn)
	select {
	case t.ch <- struct{}{}:
		return heldTurn{t}, nil
	default:
	}
	t.waiting.Add(1)
	defer t.waiting.Add(-1)
	select {
	case t.ch <- struct{}{}:
		return heldTurn{t}, nil
	case <-ctx.Done():
		return heldTurn{}, drafts.WrapError(drafts.EUNAVAILABLE, ctx.Err(), "the request ended while it waited %s", waitingTo)
	}
}

// turn is a turn (a channel of one) and how many wait for it.
type turn struct {
	ch      chan struct{}
	waiting atomic.Int32
}

// heldTurn is a turn taken (takeTurn).
type heldTurn struct{ t *turn }

// end ends the turn: the next waiting takes it.
func (h heldTurn) end() { <-h.t.ch }

// othersWaiting says whether others wait for the turn.
func (h heldTurn) othersWaiting() bool { return h.t.waiting.Load() > 0 }

// followChain goes on after other, the object of the chain at head's
// next number that someone else wrote: its last event is the new head,
// and an event of pending whose change it records already is recorded
// (it takes the recorded one's number and hash) and no longer pending.
func followChain(other *storedEvents, head eventHead, pending []*drafts.Event) (eventHead, []*drafts.Event) {
	recorded := map[string]*drafts.Event{}
	for _, e := range other.events() {
		head = eventHead{Seq: e.Seq, Hash: e.Hash}
		if e.Change != "" {
			recorded[e.Change] = e
		}
	}
	pending = slices.DeleteFunc(pending, func(e *drafts.Event) bool {
		if o, ok := recorded[e.Change]; ok && e.Change != "" {
			*e = *o
			return true
		}
		return false
	})
	return head, pending
}

// chainAfter numbers es after head, links and hashes them, all at one
// time, and returns the object that stores them and the last one's head.
func chainAfter(head eventHead, es []*drafts.Event, at time.Time) (*storedEvents, eventHead) {
	prev := head
	for i, e := range es {
		e.Seq, e.PrevHash, e.At = head.Seq+int64(i)+1, prev.Hash, at
		e.Hash = e.ChainHash()
		prev = eventHead{Seq: e.Seq, Hash: e.Hash}
	}
	obj := &storedEvents{Event: *es[0]}
	for _, e := range es[1:] {
		obj.More = append(obj.More, *e)
	}
	return obj, prev
}

// advanceHint moves the trail's hint to head unless it is there or
// beyond already; a failure is only logged (readers follow the chain).
func (s *Service) advanceHint(ctx context.Context, tx *changeTx, head eventHead) {
	cur, etag := tx.head, tx.headETag
	if known, ketag, ok := s.hints.get(tx.t); ok && known.Seq > cur.Seq {
		// Moved since tx began, most often by this process's previous
		// append: start from there, not from a write bound to fail.
		cur, etag = known, ketag
	}
	for i := 0; i < 16 && cur.Seq < head.Seq; i++ {
		var err error
		var written string
		if etag == "" {
			written, err = s.createJSON(ctx, tx.t.head, head)
		} else {
			written, err = s.updateJSON(ctx, tx.t.head, head, etag)
		}
		if err == nil {
			s.hints.note(tx.t, head, written)
			return
		}
		if !drafts.IsCode(err, drafts.ECONFLICT) && !drafts.IsCode(err, drafts.EPRECONDITION) {
			s.Log.Warn("event trail hint not updated", "trail", tx.t.name(), "err", err)
			return
		}
		if cur, etag, err = s.reader(tx.t).readHead(ctx); err != nil {
			s.Log.Warn("event trail hint not updated", "trail", tx.t.name(), "err", err)
			return
		}
		s.hints.note(tx.t, cur, etag)
	}
}

// trailHints are the last hint of each trail this process read or wrote,
// with its ETag: appends taking turns each move the hint, and each began
// before the one ahead of it moved it, so each would otherwise update at
// an ETag gone by, fail, read the hint again and write once more (two
// reads and two writes per proposal while the delegates propose at once).
// Only a start: a hint another replica moved since fails the write, which
// reads it again as before.
type trailHints struct {
	mu   sync.Mutex
	last map[string]knownHint
}

type knownHint struct {
	head eventHead
	etag string
}

// note keeps head at etag as trail t's hint unless one further on is kept.
func (h *trailHints) note(t trail, head eventHead, etag string) {
	if etag == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last == nil {
		h.last = map[string]knownHint{}
	}
	if k, ok := h.last[t.head]; !ok || head.Seq > k.head.Seq {
		h.last[t.head] = knownHint{head, etag}
	}
}

func (h *trailHints) get(t trail) (eventHead, string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	k, ok := h.last[t.head]
	return k.head, k.etag, ok
}

// afterAnswers counts the writes requests left running after they
// answered (afterAnswer), for Drain.
type afterAnswers struct {
	mu   sync.Mutex
	n    int
	idle *sync.Cond
}

// afterAnswer runs f in the background: a write the request does not
// wait for, which only a hint may be (its loss costs a later request a
// step more, never a change or an event).
func (s *Service) afterAnswer(f func()) {
	a := &s.after
	a.mu.Lock()
	a.n++
	a.mu.Unlock()
	go func() {
		defer func() {
			a.mu.Lock()
			if a.n--; a.n == 0 && a.idle != nil {
				a.idle.Broadcast()
			}
			a.mu.Unlock()
		}()
		f()
	}()
}

// Drain waits until the writes that requests left to do after answering
// (a merge moves its trail's hint after it answers) are done: call it
// before closing the store, or before counting storage operations.
func (s *Service) Drain() {
	a := &s.after
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.idle == nil {
		a.idle = sync.NewCond(&a.mu)
	}
	for a.n > 0 {
		a.idle.Wait()
	}
}

// ListEvents returns one page of a document's audit trail, oldest first.
func (s *Service) ListEvents(ctx context.Context, doc string, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Event], err error) {
	defer markOp(&err, "service.ListEvents")
	if _, _, err := s.documentFor(ctx, doc, drafts.ActDocumentRead); err != nil {
		return nil, err
	}
	after := int64(0)
	if opt.Cursor != "" {
		if after, err = seqOfCursor(opt.Cursor, eventsPrefix(doc)); err != nil {
			return nil, err
		}
	}
	es, more, err := s.reader(docTrail(doc)).after(ctx, after, pageSize(opt))
	if err != nil {
		return nil, err
	}
	page := &drafts.Page[*drafts.Event]{Items: []*drafts.Event{}}
	page.Items = append(page.Items, es...)
	if more && len(es) > 0 {
		page.NextCursor = eventCursor(es[len(es)-1].Seq)
	}
	return page, nil
}

// seqOfCursor returns the sequence number a cursor of a page of events
// continues after.
func seqOfCursor(cursor, prefix string) (int64, error) {
	k, err := keyOfCursor(cursor)
	if err != nil {
		return 0, err
	}
	seq, err := eventOfKey(prefix+k, prefix)
	if err != nil {
		return 0, &drafts.Error{Code: drafts.EMALFORMED, Message: "cursor: not a cursor this server gave",
			Fields: []drafts.FieldError{{Field: "cursor", Message: "invalid"}}}
	}
	return seq, nil
}
