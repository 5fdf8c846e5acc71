package service

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
)

// changeRecord is a stored change and the event that records it.
type changeRecord struct {
	change string
	event  func() *drafts.Event
}

func versionChange(n int) string { return versionRefChange(strconv.Itoa(n)) }

func versionRefChange(ref string) string { return "version/" + ref }

func proposalChange(id string) string { return "proposal/" + id }

func roundChange(id string) string { return "round/" + id }

func roundEndChange(id string) string { return "round/" + id + "/end" }

func statusChangeOf(n, rev int) string { return fmt.Sprintf("status/%d/%d", n, rev) }

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
		s.positionChanges, s.translationChanges,
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
			e := &drafts.Event{Actor: p.Author, Delegation: p.Delegation, Action: "proposal.create", Ref: p.ID,
				Detail: proposalDetail(s.proposalName(ctx, p), p)}
			if p.Source == drafts.SourceOral {
				e.Delegation = "" // the chair recorded it, as the event written at the time says
			}
			return e
		}}})
	}
	return out, nil
}

// proposalDetail is the detail of a proposal's creation or edit event:
// its name, base and operations, and for an oral proposal that the chair
// recorded it ("Proposal 7 (Kazakhstan): base 1, 2 operations; made
// orally, recorded by the chair").
func proposalDetail(name string, p *drafts.Proposal) string {
	detail := fmt.Sprintf("%s: base %d, %d operations", name, p.Base, len(p.Operations))
	if p.Source == drafts.SourceOral {
		detail += "; " + drafts.OralNote("en")
	}
	return detail
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
