package service

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

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

// changeRecord is a stored change and the event that records it.
type changeRecord struct {
	change string
	event  func() *drafts.Event
}

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

func versionChange(n int) string         { return versionRefChange(strconv.Itoa(n)) }
func versionRefChange(ref string) string { return "version/" + ref }
func proposalChange(id string) string    { return "proposal/" + id }
func roundChange(id string) string       { return "round/" + id }
func roundEndChange(id string) string    { return "round/" + id + "/end" }
func statusChangeOf(n, rev int) string   { return fmt.Sprintf("status/%d/%d", n, rev) }

// datedChange is a stored change with the time it was made.
type datedChange struct {
	at time.Time
	changeRecord
}

// storedChanges lists every stored change of a document with the event
// that records it, in the order the changes were made (as far as stored
// times tell). A stored key it cannot read is an error: no change may
// drop out of the audit unnoticed.
func (s *Service) storedChanges(ctx context.Context, doc string, sc *chainScan) ([]changeRecord, error) {
	var out []datedChange
	for _, list := range []func(context.Context, string, *chainScan) ([]datedChange, error){
		s.versionChanges, s.proposalChanges, s.roundChanges, s.statusChanges,
	} {
		changes, err := list(ctx, doc, sc)
		if err != nil {
			return nil, err
		}
		out = append(out, changes...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	recs := make([]changeRecord, len(out))
	for i, d := range out {
		recs[i] = d.changeRecord
	}
	return recs, nil
}

// versionChanges lists the stored versions of a document.
func (s *Service) versionChanges(ctx context.Context, doc string, _ *chainScan) ([]datedChange, error) {
	numbers, err := s.numbersUnder(ctx, versionsPrefix(doc))
	if err != nil {
		return nil, err
	}
	var out []datedChange
	for _, n := range numbers {
		v, err := s.rawVersion(ctx, doc, n) // the version as stored: its statuses are read below
		if err != nil {
			return nil, err
		}
		action, detail := "version.create", v.Hash
		if len(v.Merged) > 0 {
			action, detail = "merge", strings.Join(v.Merged, ",")
		}
		out = append(out, datedChange{v.CreatedAt, changeRecord{versionChange(n), func() *drafts.Event {
			return &drafts.Event{Actor: v.Author, Delegation: v.Delegation, Action: action, Ref: fmt.Sprint(n), Detail: detail}
		}}})
	}
	return out, nil
}

// proposalChanges lists the stored proposals of a document.
func (s *Service) proposalChanges(ctx context.Context, doc string, _ *chainScan) ([]datedChange, error) {
	objs, err := s.allInfos(ctx, proposalsPrefix(doc))
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if _, err := proposalOfKey(o.Key, proposalsPrefix(doc)); err != nil {
			return nil, err
		}
	}
	ps, _, err := readListed(ctx, s, objs, cloneProposal)
	if err != nil {
		return nil, err
	}
	var out []datedChange
	for _, p := range ps {
		if p == nil {
			continue // removed since listed (a failed request's leftover)
		}
		out = append(out, datedChange{p.CreatedAt, changeRecord{proposalChange(p.ID), func() *drafts.Event {
			return &drafts.Event{Actor: p.Author, Delegation: p.Delegation, Action: "proposal.create", Ref: p.ID,
				Detail: proposalDetail(p)}
		}}})
	}
	return out, nil
}

// proposalDetail is the detail of a proposal's creation or edit event.
func proposalDetail(p *drafts.Proposal) string {
	return fmt.Sprintf("base %d, %d operations", p.Base, len(p.Operations))
}

// roundChanges lists the adoption rounds of a document, opened and ended,
// but for rounds opened before changes were named, whose events sc counts.
func (s *Service) roundChanges(ctx context.Context, doc string, sc *chainScan) ([]datedChange, error) {
	keys, err := s.allKeys(ctx, roundsPrefix(doc))
	if err != nil {
		return nil, err
	}
	var out []datedChange
	legacyOpen := map[string]int{}
	for _, k := range keys {
		id, err := roundOfKey(k, roundsPrefix(doc))
		if err != nil {
			return nil, err
		}
		r, err := s.loadRound(ctx, doc, id)
		if err != nil {
			return nil, err
		}
		ref := fmt.Sprint(r.Version)
		// A round opened before changes were named has a legacy event.
		if legacyOpen[ref] < sc.legacy["adoption.open "+ref] {
			legacyOpen[ref]++
			continue
		}
		out = append(out, datedChange{r.OpenedAt, changeRecord{roundChange(r.ID), func() *drafts.Event {
			return &drafts.Event{Actor: r.OpenedBy, Action: "adoption.open", Ref: ref, Detail: roundDetail(r)}
		}}})
		if r.State != drafts.RoundOpen && r.ClosedAt != nil {
			out = append(out, datedChange{*r.ClosedAt, changeRecord{roundEndChange(r.ID), func() *drafts.Event {
				return &drafts.Event{Actor: "system", Action: roundEndAction(r.State), Ref: ref, Detail: r.Procedure}
			}}})
		}
	}
	return out, nil
}

// roundDetail is the detail of a round's opening event.
func roundDetail(r *drafts.AdoptionRound) string {
	detail := r.Procedure
	if r.Deadline != nil {
		detail += " until " + r.Deadline.Format(time.RFC3339)
	}
	return detail
}

// roundEndAction is the action of the event of a round's end.
func roundEndAction(state string) string {
	if state == drafts.RoundAdopted {
		return "adoption.adopted"
	}
	return "adoption.failed"
}

// statusChanges lists the changes of provision statuses of a document.
func (s *Service) statusChanges(ctx context.Context, doc string, _ *chainScan) ([]datedChange, error) {
	numbers, err := s.numbersUnder(ctx, statusesPrefix(doc))
	if err != nil {
		return nil, err
	}
	var out []datedChange
	for _, n := range numbers {
		st, _, err := s.statuses(ctx, doc, n)
		if err != nil {
			return nil, err
		}
		for _, c := range st.Log {
			out = append(out, datedChange{c.At, changeRecord{statusChangeOf(n, c.Rev), func() *drafts.Event {
				return &drafts.Event{Actor: c.Actor, Delegation: c.Delegation, Action: "provision.status", Ref: statusRef(n, c.Provision), Detail: c.Status}
			}}})
		}
	}
	return out, nil
}

// statusRef is the ref of the event of a status change.
func statusRef(n int, provision string) string { return fmt.Sprintf("%d/%s", n, provision) }

// numbersUnder returns the version numbers of the objects under prefix
// (versionsPrefix or statusesPrefix of a document).
func (s *Service) numbersUnder(ctx context.Context, prefix string) ([]int, error) {
	keys, err := s.allKeys(ctx, prefix)
	if err != nil {
		return nil, err
	}
	numbers := make([]int, len(keys))
	for i, k := range keys {
		if numbers[i], err = numberOfKey(k, prefix); err != nil {
			return nil, err
		}
	}
	return numbers, nil
}

// allKeys lists every key under prefix.
func (s *Service) allKeys(ctx context.Context, prefix string) ([]string, error) {
	objs, err := s.allInfos(ctx, prefix)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.Key
	}
	return keys, nil
}

// allInfos lists every object under prefix.
func (s *Service) allInfos(ctx context.Context, prefix string) ([]drafts.ObjectInfo, error) {
	var all []drafts.ObjectInfo
	after := ""
	for {
		objs, next, err := s.Store.List(ctx, prefix, after, 1000)
		if err != nil {
			return nil, err
		}
		all = append(all, objs...)
		if next == "" {
			return all, nil
		}
		after = next
	}
}

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
