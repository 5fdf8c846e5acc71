package drafts

import (
	"context"
	"fmt"
	"time"
)

func roundKey(doc, id string) string { return "texts/" + doc + "/rounds/" + id + ".json" }

// AdoptionInput opens a round.
type AdoptionInput struct {
	Version   int
	Procedure string
	Deadline  *time.Time
}

// OpenAdoption opens an adoption round on a version (the head). Open
// proposals on it do not prevent the round; the round lists them.
func (s *Service) OpenAdoption(ctx context.Context, doc string, in AdoptionInput) (*AdoptionRound, error) {
	u, d, err := s.changeableDocument(ctx, doc, ActAdoptionOpen, false)
	if err != nil {
		return nil, err
	}
	if d.State == StateAdoption {
		return nil, Errorf(ECONFLICT, "an adoption round is open already (%s)", d.Round)
	}
	if in.Version == 0 {
		in.Version = d.Head
	}
	if in.Version != d.Head {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("version %d is not the head (version %d); only the head can be adopted", in.Version, d.Head)}
	}
	now := s.now()
	switch in.Procedure {
	case ProcedureConsensus:
		if in.Deadline != nil && !in.Deadline.After(now) {
			return nil, &Error{Code: EINVALID, Message: "deadline: must be in the future", Fields: []FieldError{{Field: "deadline", Message: "in the past"}}}
		}
	case ProcedureSilence:
		if in.Deadline == nil {
			return nil, &Error{Code: EINVALID, Message: "deadline: a silence procedure needs one", Fields: []FieldError{{Field: "deadline", Message: "required"}}}
		}
		if in.Deadline.Sub(now) < s.SilenceMin {
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("deadline: a silence procedure lasts at least %s", s.SilenceMin),
				Fields: []FieldError{{Field: "deadline", Message: "too early"}}}
		}
	default:
		return nil, &Error{Code: EINVALID, Message: `procedure: "consensus" or "silence"`, Fields: []FieldError{{Field: "procedure", Message: `"consensus" or "silence"`}}}
	}
	open, err := s.allProposals(ctx, doc, ProposalFilter{Status: ProposalOpen})
	if err != nil {
		return nil, err
	}
	r := &AdoptionRound{
		ID: s.NewID(), Document: doc, Version: in.Version, Procedure: in.Procedure, State: RoundOpen,
		OpenedBy: u.ID, OpenedAt: now, Consents: []Response{}, Objections: []Response{},
	}
	if in.Deadline != nil {
		dl := in.Deadline.UTC().Truncate(time.Millisecond)
		r.Deadline = &dl
	}
	for _, p := range open {
		r.OpenProposals = append(r.OpenProposals, p.ID)
	}
	if _, err := s.createJSON(ctx, roundKey(doc, r.ID), r); err != nil {
		return nil, err
	}
	// The document moves to adoption only if no other round got there first.
	if _, err := s.updateDocument(ctx, doc, func(d *Document) error {
		if d.State == StateAdoption {
			return Errorf(ECONFLICT, "an adoption round is open already (%s)", d.Round)
		}
		if d.Head != in.Version {
			return Errorf(ECONFLICT, "version %d is no longer the head", in.Version)
		}
		d.State, d.Round = StateAdoption, r.ID
		return nil
	}); err != nil {
		s.discard(ctx, roundKey(doc, r.ID)) // nothing refers to it: leave storage as it was
		return nil, err
	}
	detail := r.Procedure
	if r.Deadline != nil {
		detail += " until " + r.Deadline.Format(time.RFC3339)
	}
	s.record(ctx, doc, "adoption.open", fmt.Sprint(r.Version), detail)
	return r, nil
}

// GetAdoption returns the document's current (or last) adoption round,
// settling a silence procedure whose deadline has passed. ENOTFOUND if no
// round was ever opened.
func (s *Service) GetAdoption(ctx context.Context, doc string) (*AdoptionRound, error) {
	_, d, err := s.documentFor(ctx, doc, ActDocumentRead)
	if err != nil {
		return nil, err
	}
	if d.Round == "" {
		return nil, Errorf(ENOTFOUND, "no adoption round on document %s", d.Symbol)
	}
	return s.settle(ctx, doc, d.Round)
}

// loadRound reads a round.
func (s *Service) loadRound(ctx context.Context, doc, id string) (*AdoptionRound, error) {
	var r AdoptionRound
	etag, err := s.getJSON(ctx, roundKey(doc, id), &r)
	if err != nil {
		return nil, err
	}
	r.ETag = etag
	return &r, nil
}

// settle adopts a silence procedure whose deadline passed unbroken. The
// round's update carries its ETag, so of several replicas settling at once
// exactly one records the adoption.
func (s *Service) settle(ctx context.Context, doc, id string) (*AdoptionRound, error) {
	r, err := s.loadRound(ctx, doc, id)
	if err != nil {
		return nil, err
	}
	if r.State != RoundOpen {
		// Ended: make sure the document followed (a request may have died
		// between the round's update and the document's).
		return r, s.applyRound(ctx, r)
	}
	if r.Procedure != ProcedureSilence || r.Deadline == nil || s.now().Before(*r.Deadline) {
		return r, nil
	}
	return s.finish(ctx, r, RoundAdopted, *r.Deadline)
}

// applyRound moves the document on after its round ended; it does nothing
// when that is done already.
func (s *Service) applyRound(ctx context.Context, r *AdoptionRound) error {
	_, err := s.updateDocument(ctx, r.Document, func(d *Document) error {
		if d.Round != r.ID || d.State != StateAdoption || r.State == RoundOpen {
			return errUnchanged
		}
		if r.State == RoundAdopted {
			d.State, d.Adopted, d.AdoptedAt, d.AdoptedBy = StateAdopted, r.Version, r.ClosedAt, r.Procedure
		} else {
			d.State = StateNegotiation
		}
		return nil
	})
	return err
}

// finish ends a round as adopted or failed and moves the document on.
func (s *Service) finish(ctx context.Context, r *AdoptionRound, state string, at time.Time) (*AdoptionRound, error) {
	if state == RoundAdopted {
		// A version created in a race with the round's opening means the
		// text under adoption is not the head: it cannot be adopted.
		d, err := s.readDocument(ctx, r.Document)
		if err != nil {
			return nil, err
		}
		if d.Head != r.Version {
			state = RoundFailed
			s.record(ctx, r.Document, "adoption.superseded", fmt.Sprint(r.Version), fmt.Sprintf("version %d was created during the round", d.Head))
		}
	}
	r.State, r.ClosedAt = state, &at
	etag, err := s.updateJSON(ctx, roundKey(r.Document, r.ID), r, r.ETag)
	if IsCode(err, EPRECONDITION) {
		// Another request or replica ended or changed it: report what it did.
		cur, err := s.loadRound(ctx, r.Document, r.ID)
		if err != nil {
			return nil, err
		}
		if cur.State == RoundOpen {
			return nil, Errorf(ECONFLICT, "the round changed meanwhile; try again")
		}
		return cur, s.applyRound(ctx, cur)
	}
	if err != nil {
		return nil, err
	}
	r.ETag = etag
	if err := s.applyRound(ctx, r); err != nil {
		return nil, err
	}
	action := "adoption.failed"
	if state == RoundAdopted {
		action = "adoption.adopted"
	}
	ctx2 := ctx
	if r.Procedure == ProcedureSilence && state == RoundAdopted {
		ctx2 = NewContextWithUser(ctx, &User{ID: "system"})
	}
	s.record(ctx2, r.Document, action, fmt.Sprint(r.Version), r.Procedure)
	return r, nil
}

// respond records a delegation's consent or objection in the open round.
func (s *Service) respond(ctx context.Context, doc string, objection bool, reason string) (*AdoptionRound, error) {
	action := ActAdoptionConsent
	if objection {
		action = ActAdoptionObject
	}
	u, d, err := s.documentFor(ctx, doc, action)
	if err != nil {
		return nil, err
	}
	if u.Delegation == "" {
		return nil, &Error{Code: EFORBIDDEN, Message: "only a member delegation can consent or object", Permission: action}
	}
	if objection {
		if err := CheckNote("reason", reason, 20000, true); err != nil {
			return nil, err
		}
	}
	if d.Round == "" {
		return nil, Errorf(ECONFLICT, "no adoption round is open")
	}
	var out *AdoptionRound
	err = retry(func() error {
		r, err := s.settle(ctx, doc, d.Round)
		if err != nil {
			return err
		}
		if r.State != RoundOpen {
			return Errorf(ECONFLICT, "the adoption round is closed (%s)", r.State)
		}
		now := s.now()
		resp := Response{Delegation: u.Delegation, Author: u.ID, Reason: reason, At: now}
		if r.Procedure == ProcedureSilence {
			if !objection {
				return Errorf(ECONFLICT, "a silence procedure needs no consent: silence is consent")
			}
			r.Objections = append(r.Objections, resp)
			out, err = s.finish(ctx, r, RoundFailed, now)
			return err
		}
		r.Consents = dropDelegation(r.Consents, u.Delegation)
		r.Objections = dropDelegation(r.Objections, u.Delegation)
		if objection {
			r.Objections = append(r.Objections, resp)
		} else {
			r.Consents = append(r.Consents, resp)
		}
		etag, err := s.updateJSON(ctx, roundKey(doc, r.ID), r, r.ETag)
		r.ETag = etag
		out = r
		return err
	})
	if err != nil {
		return nil, err
	}
	event := "adoption.consent"
	if objection {
		event = "adoption.objection"
	}
	s.record(ctx, doc, event, fmt.Sprint(out.Version), reason)
	return out, nil
}

func dropDelegation(rs []Response, delegation string) []Response {
	out := rs[:0]
	for _, r := range rs {
		if r.Delegation != delegation {
			out = append(out, r)
		}
	}
	return out
}

// Consent joins the consensus on the open round for the caller's delegation.
func (s *Service) Consent(ctx context.Context, doc string) (*AdoptionRound, error) {
	return s.respond(ctx, doc, false, "")
}

// Object records the caller's delegation's objection; in a silence
// procedure before its deadline it breaks silence and ends the round.
func (s *Service) Object(ctx context.Context, doc, reason string) (*AdoptionRound, error) {
	return s.respond(ctx, doc, true, reason)
}

// CloseAdoption closes a consensus round: adopted if no delegation
// objects, failed otherwise.
func (s *Service) CloseAdoption(ctx context.Context, doc string) (*AdoptionRound, error) {
	_, d, err := s.documentFor(ctx, doc, ActAdoptionClose)
	if err != nil {
		return nil, err
	}
	if d.Round == "" || d.State != StateAdoption {
		return nil, Errorf(ECONFLICT, "no adoption round is open")
	}
	r, err := s.settle(ctx, doc, d.Round)
	if err != nil {
		return nil, err
	}
	if r.State != RoundOpen {
		return nil, Errorf(ECONFLICT, "the adoption round is closed (%s)", r.State)
	}
	if r.Procedure != ProcedureConsensus {
		return nil, Errorf(ECONFLICT, "a silence procedure ends at its deadline or when silence is broken")
	}
	state := RoundAdopted
	if len(r.Objections) > 0 {
		state = RoundFailed
	}
	return s.finish(ctx, r, state, s.now())
}

// SettleDue adopts every silence procedure whose deadline has passed. Each
// replica calls it periodically; conditional writes make it safe to run
// everywhere at once.
func (s *Service) SettleDue(ctx context.Context) error {
	after := ""
	for {
		objs, next, err := s.Store.List(ctx, "documents/", after, 500)
		if err != nil {
			return err
		}
		for _, o := range objs {
			var d Document
			if _, err := s.getJSON(ctx, o.Key, &d); err != nil {
				return err
			}
			if d.State == StateAdoption && d.Round != "" {
				if _, err := s.settle(ctx, d.ID, d.Round); err != nil {
					s.Log.Error("settling adoption round", "document", d.ID, "err", err)
				}
			}
		}
		if next == "" {
			return nil
		}
		after = next
	}
}
