package service

import (
	"chancery/drafts"
	"cmp"
	"context"
)

// SettleDue adopts every silence procedure whose deadline has passed. Each
// replica calls it periodically; conditional writes make it safe to run
// everywhere at once. It lists the markers of open silence procedures by
// deadline, so an idle call costs one listing however many documents
// there are. The first call of a process also looks through every
// document once, for procedures opened before markers existed.
func (s *Service) SettleDue(ctx context.Context) (err error) {
	defer markOp(&err, "service.SettleDue")
	if !s.sweptAll.Load() {
		if err := s.markAllDue(ctx); err != nil {
			return err
		}
		s.sweptAll.Store(true)
	}
	now := s.now()
	after := ""
	var unreadable error
	for {
		objs, next, err := s.Store.List(ctx, roundsDuePrefix, after, 100)
		if err != nil {
			return err
		}
		for _, o := range objs {
			deadline, doc, round, err := dueOfKey(o.Key)
			if err != nil {
				// One bad object must not stop the sweep: it goes on, and says so.
				unreadable = cmp.Or(unreadable, err)
				continue
			}
			if deadline.After(now) {
				return unreadable
			}
			r, err := s.settle(ctx, doc, round, nil)
			if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
				s.Log.Error("settling adoption round", "document", doc, "err", err)
				continue
			}
			if r == nil || r.State != drafts.RoundOpen {
				s.discard(ctx, o.Key)
			}
		}
		if next == "" {
			return unreadable
		}
		after = next
	}
}

// markAllDue gives every open silence procedure its marker, and every
// document's symbol its claim: those made before markers and claims
// existed.
func (s *Service) markAllDue(ctx context.Context) error {
	after := ""
	for {
		objs, next, err := s.Store.List(ctx, documentsPrefix, after, 500)
		if err != nil {
			return err
		}
		keys := make([]string, len(objs))
		for i, o := range objs {
			keys[i] = o.Key
		}
		sds, _, err := readAll[storedDocument](ctx, s, keys)
		if err != nil {
			return err
		}
		for _, sd := range sds {
			if sd == nil || sd.Document == nil {
				continue
			}
			if err := s.claimStoredSymbol(ctx, sd.Document); err != nil {
				return err
			}
			if sd.State != drafts.StateAdoption || sd.Round == "" {
				continue
			}
			r, err := s.loadRound(ctx, sd.ID, sd.Round)
			if err != nil {
				s.Log.Error("reading adoption round", "document", sd.ID, "err", err)
				continue
			}
			if r.State == drafts.RoundOpen && r.Procedure == drafts.ProcedureSilence && r.Deadline != nil {
				if _, err := s.createJSON(ctx, dueKey(r), dueMarker{Document: r.Document, Round: r.ID}); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
					return err
				}
			}
		}
		if next == "" {
			return nil
		}
		after = next
	}
}

// dueMarker is the content of a marker (its key says it all; this is for
// people looking at the bucket).
type dueMarker struct {
	Document string `json:"document"`
	Round    string `json:"round"`
}
