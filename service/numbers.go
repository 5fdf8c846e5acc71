package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"chancery/drafts"
)

// Proposal numbers: 1, 2, 3... per document, in order of submission,
// never reused, unique across replicas without a broker.
//
// A proposal's number is claimed before the proposal is stored, with a
// create-only object per number (numberKey): of concurrent claims of one
// number exactly one is stored, and the others move on to the next.
// Within a replica, claims of a document's numbers take turns, and each
// tries the number after the last this replica claimed (its hint, kept in
// memory): one create. A replica without a hint (just started), or whose
// claim failed because another replica took the number, lists the claims
// after the last one it knows of (at start, the numbers of the proposals
// stored before numbering began): one listing, usually empty or short,
// then the create. A claim whose proposal is then
// not stored (the request failed after claiming) stays: the number is
// never given again, and the gap it leaves is one number per such failed
// request. Nothing else is ever left by a failed request.
//
// Proposals stored before numbers were given are numbered when the
// document's numbering starts (numberingKey): at the first proposal made,
// or the first time a proposal of the document is read without a number,
// whichever comes first. They take 1 to L in the order they were made
// (creation time, then id): the same on every replica, so replicas doing
// it at once claim the same numbers for the same proposals.

// numberClaim gives proposal number n of a document to one proposal.
type numberClaim struct {
	Proposal string    `json:"proposal"`
	At       time.Time `json:"at"`
}

// numberingStart says that a document's numbering has started, the
// proposals stored before it (Legacy of them) numbered 1 to Legacy.
type numberingStart struct {
	Legacy int       `json:"legacy"`
	At     time.Time `json:"at"`
	// Audit holds the entry of the numbering of proposals stored before
	// numbers (change "numbering"), when there were any.
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

// numberHints are, per document, the highest proposal number this
// process has seen claimed: where the listing for the next starts.
type numberHints struct {
	mu   sync.Mutex
	last map[string]int
}

// get returns the hint of doc, and whether this process has one.
func (h *numberHints) get(doc string) (int, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n, ok := h.last[doc]
	return n, ok
}

func (h *numberHints) note(doc string, n int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last == nil {
		h.last = map[string]int{}
	}
	h.last[doc] = max(h.last[doc], n)
}

// claimNumber claims the next proposal number of doc for proposal id.
func (s *Service) claimNumber(ctx context.Context, doc, id string) (int, error) {
	start, err := s.startNumbering(ctx, doc)
	if err != nil {
		return 0, err
	}
	// One claim of the document's numbers at a time in this process:
	// the 28 delegates proposing at once would each claim the same next
	// number, all but one fail, and list and try again, round after
	// round. In turn, each claims the number after the one before, with
	// no listing: the hint is this process's last claim. Only a claim
	// another replica made meanwhile fails, and then the listing finds
	// where the claims end.
	turn, err := s.takeTurn(ctx, "numbers of "+doc, "for its proposal number")
	if err != nil {
		return 0, err
	}
	defer turn.end()
	hint, known := s.numbers.get(doc)
	n := max(start, hint)
	for tries := 0; tries < 10000; tries++ {
		if !known {
			if n, err = s.lastClaimed(ctx, doc, n); err != nil {
				return 0, err
			}
		}
		_, err = s.createJSON(ctx, numberKey(doc, n+1), numberClaim{Proposal: id, At: s.now()})
		if err == nil {
			s.numbers.note(doc, n+1)
			return n + 1, nil
		}
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return 0, err
		}
		// Another replica took it: look again past it.
		n, known = n+1, false
	}
	return 0, drafts.Errorf(drafts.EUNAVAILABLE, "too many proposals are being made at once; try again")
}

// lastClaimed returns the highest number claimed in doc, knowing that n
// is claimed (or 0).
func (s *Service) lastClaimed(ctx context.Context, doc string, n int) (int, error) {
	prefix := numbersPrefix(doc)
	after := ""
	if n > 0 {
		after = numberKey(doc, n)
	}
	for {
		objs, next, err := s.Store.List(ctx, prefix, after, 1000)
		if err != nil {
			return 0, err
		}
		if len(objs) > 0 {
			if n, err = numberOfKey(objs[len(objs)-1].Key, prefix); err != nil {
				return 0, err
			}
			after = objs[len(objs)-1].Key
		}
		if next == "" {
			s.numbers.note(doc, n)
			return n, nil
		}
	}
}

// startNumbering returns how many proposals of doc were stored before its
// numbering started, numbering them first if it has not started.
func (s *Service) startNumbering(ctx context.Context, doc string) (int, error) {
	st, err := getImmutable(ctx, s, numberingKey(doc), clonePtr[numberingStart])
	if err == nil {
		return st.Legacy, nil
	}
	if !drafts.IsCode(err, drafts.ENOTFOUND) {
		return 0, err
	}
	objs, err := s.allInfos(ctx, proposalsPrefix(doc))
	if err != nil {
		return 0, err
	}
	sps, _, err := readListed(ctx, s, objs, cloneStoredProposal)
	if err != nil {
		return 0, err
	}
	ps := make([]*drafts.Proposal, len(sps))
	for i, sp := range sps {
		ps[i] = sp.proposal()
	}
	// Every proposal listed is one stored before numbering, numbered or
	// not: until the numbering's start is stored, a number can only have
	// been given by another replica numbering the same proposals at the
	// same time (a proposal made now claims its number after the start),
	// and leaving those out would give the others numbers already taken.
	legacy := slices.DeleteFunc(ps, func(p *drafts.Proposal) bool { return p == nil })
	slices.SortFunc(legacy, func(a, b *drafts.Proposal) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for i, p := range legacy {
		if err := s.giveNumber(ctx, doc, p.ID, i+1, p.CreatedAt); err != nil {
			return 0, err
		}
	}
	start := numberingStart{Legacy: len(legacy), At: s.now()}
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return 0, err
	}
	if len(legacy) > 0 {
		start.Audit = []drafts.AuditEntry{s.auditEntry(drafts.NewSystemContext(ctx), numberingChange, "proposal.numbered",
			fmt.Sprintf("1-%d", len(legacy)), numberedDetail(legacy))}
	}
	_, err = s.createJSON(ctx, numberingKey(doc), start)
	if drafts.IsCode(err, drafts.ECONFLICT) {
		// Another replica started it meanwhile, with the same proposals.
		st, err := getImmutable(ctx, s, numberingKey(doc), clonePtr[numberingStart])
		if err != nil {
			return 0, err
		}
		return st.Legacy, nil
	}
	if err != nil {
		return 0, err
	}
	if err := s.commitChange(ctx, tx, start.Audit...); err != nil {
		return 0, err
	}
	return len(legacy), nil
}

// numberingChange names the numbering of a document's proposals stored
// before numbers.
const numberingChange = "numbering"

// numberingChanges lists the numbering of a document's proposals stored
// before numbers, read from st (see changes.go).
func (s *Service) numberingChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	ns, err := readOne[numberingStart](ctx, st, numberingKey(t.doc))
	if err != nil || ns == nil {
		return nil, err
	}
	return entriesChanges(ns.Audit), nil
}

// numberedDetail lists the numbers given to proposals stored before
// numbering started: "1 = abc, 2 = def".
func numberedDetail(ps []*drafts.Proposal) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%d = %s", i+1, p.ID)
	}
	return "proposals made before numbers were given, numbered in order of submission: " + strings.Join(parts, ", ")
}

// giveNumber claims number n for the stored proposal id (or finds the
// claim there already) and writes it into the proposal, unless it has
// one. Its update time stays: nothing of it changed but its number.
func (s *Service) giveNumber(ctx context.Context, doc, id string, n int, at time.Time) error {
	_, err := s.createJSON(ctx, numberKey(doc, n), numberClaim{Proposal: id, At: at})
	if drafts.IsCode(err, drafts.ECONFLICT) {
		c, err := getImmutable(ctx, s, numberKey(doc, n), clonePtr[numberClaim])
		if err != nil {
			return err
		}
		if c.Proposal != id {
			return drafts.Errorf(drafts.EINTERNAL, "proposal number %d of document %s is claimed by %s, not %s", n, doc, c.Proposal, id)
		}
	} else if err != nil {
		return err
	}
	s.numbers.note(doc, n)
	return retry(func() error {
		p, err := s.readProposal(ctx, doc, id)
		if err != nil || p.Number != 0 {
			return err
		}
		p.Number = n
		etag, key, size, err := s.writeProposal(ctx, doc, p)
		if err == nil {
			p.ETag = etag
			rememberProposal(s, key, etag, p, size)
		}
		return err
	})
}

// numbered gives the proposals ps of doc that have no number theirs
// (starting the document's numbering, or for one stored without a number
// since by an older server, claiming the next), and returns them as
// stored now. Those with a number are returned as they are.
func (s *Service) numbered(ctx context.Context, doc string, ps []*drafts.Proposal) ([]*drafts.Proposal, error) {
	if !slices.ContainsFunc(ps, func(p *drafts.Proposal) bool { return p != nil && p.Number == 0 }) {
		return ps, nil
	}
	if _, err := s.startNumbering(ctx, doc); err != nil {
		return nil, err
	}
	out := slices.Clone(ps)
	for i, p := range ps {
		if p == nil || p.Number != 0 {
			continue
		}
		fresh, err := s.readProposal(ctx, doc, p.ID)
		if err != nil {
			return nil, err
		}
		if fresh.Number == 0 {
			n, err := s.claimNumber(ctx, doc, p.ID)
			if err != nil {
				return nil, err
			}
			if err := s.giveNumber(ctx, doc, p.ID, n, s.now()); err != nil {
				return nil, err
			}
			if fresh, err = s.readProposal(ctx, doc, p.ID); err != nil {
				return nil, err
			}
		}
		out[i] = fresh
	}
	return out, nil
}

// numberedOne is numbered for one proposal.
func (s *Service) numberedOne(ctx context.Context, p *drafts.Proposal) (*drafts.Proposal, error) {
	ps, err := s.numbered(ctx, p.Document, []*drafts.Proposal{p})
	if err != nil {
		return nil, err
	}
	return ps[0], nil
}

// proposalID returns the id of the proposal of doc that ref names: ref
// itself, or, when ref is a number, the proposal that claimed it.
// ENOTFOUND for a number no stored proposal has.
func (s *Service) proposalID(ctx context.Context, doc, ref string) (string, error) {
	n, ok := drafts.ProposalNumber(ref)
	if !ok {
		return ref, nil
	}
	c, err := getImmutable(ctx, s, numberKey(doc, n), clonePtr[numberClaim])
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		// Proposals stored before numbers have theirs once numbering starts.
		if _, serr := s.startNumbering(ctx, doc); serr != nil {
			return "", serr
		}
		c, err = getImmutable(ctx, s, numberKey(doc, n), clonePtr[numberClaim])
	}
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return "", drafts.Errorf(drafts.ENOTFOUND, "no proposal %d", n)
	}
	if err != nil {
		return "", err
	}
	return c.Proposal, nil
}

// newProposalID returns a new proposal id that is never all digits, so
// that it cannot be taken for a number.
func (s *Service) newProposalID() string {
	for {
		if id := s.NewID(); !isNumber(id) {
			return id
		}
	}
}

func isNumber(ref string) bool {
	_, ok := drafts.ProposalNumber(ref)
	return ok || ref != "" && strings.Trim(ref, "0123456789") == ""
}
