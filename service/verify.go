package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// chainScan is what a reading of a trail's whole chain found.
type chainScan struct {
	head eventHead
	// checked counts the events read before the first problem.
	checked int64
	// problem is the first problem, at event bad (0: none).
	problem string
	bad     int64
	// changes counts the events of each change; first is the order in
	// which changes first appear.
	changes map[string]int
	first   []string
	// legacy counts events recorded before changes were named, by
	// action and ref.
	legacy map[string]int
}

func newChainScan() *chainScan {
	return &chainScan{changes: map[string]int{}, legacy: map[string]int{}}
}

// fail notes a problem at event seq, unless one was found before.
func (sc *chainScan) fail(seq int64, problem string) {
	if sc.problem == "" {
		sc.bad, sc.problem = seq, problem
	}
}

// note takes in one event of the chain, in order.
func (sc *chainScan) note(e *drafts.Event) {
	if e.Seq > sc.head.Seq {
		sc.head = eventHead{Seq: e.Seq, Hash: e.Hash}
	}
	change := e.Change
	if change == "" {
		switch e.Action {
		case "proposal.create":
			change = proposalChange(e.Ref)
		case "version.create", "merge", "version.renumber":
			change = versionRefChange(e.Ref)
		default:
			sc.legacy[e.Action+" "+e.Ref]++
			return
		}
	}
	if sc.changes[change] == 0 {
		sc.first = append(sc.first, change)
	}
	sc.changes[change]++
}

// recorded reports whether an event records change.
func (sc *chainScan) recorded(change string) bool { return sc.changes[change] > 0 }

// duplicates returns the changes more than one event records, in the
// order of their first events.
func (sc *chainScan) duplicates() []string {
	var out []string
	for _, c := range sc.first {
		if sc.changes[c] > 1 {
			out = append(out, c)
		}
	}
	return out
}

// scan reads the whole chain in order and checks it: every object's key
// names its first event, the events are numbered 1, 2, 3... without a
// gap, each carries the hash of the one before and its own hash matches
// its content. It goes on past a problem (noting the first) so that the
// changes of every readable event are known.
func (r *trailReader) scan(ctx context.Context) (*chainScan, error) {
	sc := newChainScan()
	prev, want := "", int64(1)
	after := int64(0)
	for {
		seqs, keys, more, err := r.list(ctx, after, 500)
		if err != nil {
			return nil, err
		}
		for i, key := range keys {
			o, err := r.object(ctx, key)
			switch {
			case drafts.IsCode(err, drafts.ENOTFOUND):
				continue // removed since listed: a gap, found below
			case drafts.IsCode(err, drafts.EINTERNAL):
				sc.fail(want, fmt.Sprintf("event %d is not readable", seqs[i]))
				continue
			case err != nil:
				return nil, err
			}
			if o.Seq != seqs[i] {
				sc.fail(want, fmt.Sprintf("event stored as %d claims sequence %d", seqs[i], o.Seq))
			}
			for _, e := range o.events() {
				switch {
				case e.Seq > want:
					sc.fail(want, fmt.Sprintf("event %d is missing", want))
				case e.Seq < want:
					sc.fail(want, fmt.Sprintf("event %d is out of order (after %d)", e.Seq, want-1))
				case e.PrevHash != prev:
					sc.fail(e.Seq, "previous hash does not match the event before")
				case e.ChainHash() != e.Hash:
					sc.fail(e.Seq, "event content does not match its hash")
				}
				if sc.problem == "" {
					sc.checked++
				}
				sc.note(e)
				prev, want = e.Hash, max(want, e.Seq+1)
			}
		}
		if !more || len(seqs) == 0 {
			return sc, nil
		}
		after = seqs[len(seqs)-1]
	}
}

// VerifyEvents recomputes a document's hash chain, names the first event
// that is damaged, missing, out of order or altered, and checks that every
// stored change has exactly one event. It reads what is stored, past
// every cache (drafts.Uncached).
func (s *Service) VerifyEvents(ctx context.Context, doc string) (_ *drafts.Verification, err error) {
	defer markOp(&err, "service.VerifyEvents")
	if _, _, err := s.documentFor(ctx, doc, drafts.ActEventsVerify); err != nil {
		return nil, err
	}
	return s.verifyTrail(ctx, docTrail(doc))
}

// verifyTrail verifies t from storage.
func (s *Service) verifyTrail(ctx context.Context, t trail) (*drafts.Verification, error) {
	r := s.directReader(t)
	sc, err := r.scan(ctx)
	if err != nil {
		return nil, err
	}
	// The hint may not be ahead of the chain: that would mean its last
	// events were removed (unless appended since the listing).
	if head, _, err := r.readHead(ctx); err == nil && head.Seq > sc.head.Seq {
		if e, err := r.event(ctx, sc.head.Seq+1); err == nil && e == nil {
			sc.fail(sc.head.Seq+1, fmt.Sprintf("events after %d are missing", sc.head.Seq))
		}
	}
	res := &drafts.Verification{OK: sc.problem == "", Checked: sc.checked, Problem: sc.problem}
	if sc.problem != "" {
		bad := sc.bad
		res.FirstBad = &bad
	}
	if res.Duplicates = sc.duplicates(); len(res.Duplicates) > 0 {
		res.OK = false
		if res.Problem == "" {
			res.Problem = fmt.Sprintf("%d changes have more than one event, first %s", len(res.Duplicates), res.Duplicates[0])
		}
	}
	missing, err := s.unrecorded(ctx, t, r.store, sc)
	if err != nil {
		return nil, err
	}
	for _, m := range missing {
		res.Unrecorded = append(res.Unrecorded, m.name)
	}
	if len(missing) > 0 {
		res.OK = false
		if res.Problem == "" {
			res.Problem = fmt.Sprintf("%d stored changes have no event, first %s", len(missing), missing[0].name)
		}
	}
	return res, nil
}
