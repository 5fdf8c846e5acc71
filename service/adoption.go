package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"chancery/drafts"
)

// OpenAdoption opens an adoption round on a version (the head). Open
// proposals on it do not prevent the round; the round lists them.
func (s *Service) OpenAdoption(ctx context.Context, doc string, in drafts.AdoptionInput) (_ *drafts.AdoptionRound, err error) {
	defer markOp(&err, "service.OpenAdoption")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActAdoptionOpen, false)
	if err != nil {
		return nil, err
	}
	if d.State == drafts.StateAdoption {
		return nil, drafts.Errorf(drafts.ECONFLICT, "an adoption round is open already (%s)", d.Round)
	}
	if in.Version == 0 {
		in.Version = d.Head
	}
	if in.Version != d.Head {
		return nil, &drafts.Error{Code: drafts.ECONFLICT, Message: fmt.Sprintf("version %d is not the head (version %d); only the head can be adopted", in.Version, d.Head)}
	}
	now := s.now()
	if err := s.checkProcedure(in, now); err != nil {
		return nil, err
	}
	if err := s.checkAgreed(ctx, d.ID, in.Version); err != nil {
		return nil, err
	}
	if err := s.checkLanguagesInStep(ctx, d); err != nil {
		return nil, err
	}
	open, err := s.allProposals(ctx, doc, drafts.ProposalFilter{Status: drafts.ProposalOpen})
	if err != nil {
		return nil, err
	}
	r := &drafts.AdoptionRound{
		ID: s.NewID(), Document: doc, Version: in.Version, Procedure: in.Procedure, State: drafts.RoundOpen,
		OpenedBy: u.ID, OpenedAt: now, Consents: []drafts.Response{}, Objections: []drafts.Response{},
	}
	if in.Deadline != nil {
		dl := in.Deadline.UTC().Truncate(time.Millisecond)
		r.Deadline = &dl
	}
	for _, p := range open {
		r.OpenProposals = append(r.OpenProposals, p.ID)
	}
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return nil, err
	}
	r.Audit = []drafts.AuditEntry{s.auditEntry(ctx, roundChange(r.ID), "adoption.open", strconv.Itoa(r.Version), roundDetail(r))}
	if err := s.storeRound(ctx, d, r); err != nil {
		return nil, err
	}
	if err := s.commitChange(ctx, tx, r.Audit...); err != nil {
		return nil, err
	}
	return s.withAwaiting(ctx, r, nil)
}

// checkProcedure checks the procedure and deadline of a round opened at
// now: a consensus may have a deadline in the future, a silence procedure
// needs one within SilenceMin and SilenceMax.
func (s *Service) checkProcedure(in drafts.AdoptionInput, now time.Time) error {
	switch in.Procedure {
	case drafts.ProcedureConsensus:
		if in.Deadline != nil && !in.Deadline.After(now) {
			return &drafts.Error{Code: drafts.EINVALID, Message: "deadline: must be in the future", Fields: []drafts.FieldError{{Field: "deadline", Message: "in the past"}}}
		}
	case drafts.ProcedureSilence:
		if in.Deadline == nil {
			return &drafts.Error{Code: drafts.EINVALID, Message: "deadline: a silence procedure needs one", Fields: []drafts.FieldError{{Field: "deadline", Message: "required"}}}
		}
		if in.Deadline.Sub(now) < s.SilenceMin {
			return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("deadline: a silence procedure lasts at least %s", days(s.SilenceMin)),
				Fields: []drafts.FieldError{{Field: "deadline", Message: "too early"}}}
		}
		if s.SilenceMax > 0 && in.Deadline.Sub(now) > s.SilenceMax {
			return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("deadline: a silence procedure lasts at most %s", days(s.SilenceMax)),
				Fields: []drafts.FieldError{{Field: "deadline", Message: "too late"}}}
		}
	default:
		return &drafts.Error{Code: drafts.EINVALID, Message: `procedure: "consensus" or "silence"`, Fields: []drafts.FieldError{{Field: "procedure", Message: `"consensus" or "silence"`}}}
	}
	return nil
}

// storeRound stores a new round of d, with the marker of a silence
// procedure, and moves d to adoption, unless another round got there
// first or the head moved: then nothing of the round stays.
func (s *Service) storeRound(ctx context.Context, d *drafts.Document, r *drafts.AdoptionRound) error {
	if _, err := s.createJSON(ctx, roundKey(d.ID, r.ID), storeRound(r)); err != nil {
		return err
	}
	if r.Procedure == drafts.ProcedureSilence {
		if _, err := s.createJSON(ctx, dueKey(r), dueMarker{Document: d.ID, Round: r.ID}); err != nil {
			s.discard(ctx, roundKey(d.ID, r.ID))
			return err
		}
	}
	_, err := s.updateDocumentFrom(ctx, d, func(d *drafts.Document) error {
		if d.State == drafts.StateAdoption {
			return drafts.Errorf(drafts.ECONFLICT, "an adoption round is open already (%s)", d.Round)
		}
		if d.Head != r.Version {
			return drafts.Errorf(drafts.ECONFLICT, "version %d is no longer the head", r.Version)
		}
		if d.Pending > d.Head {
			return drafts.Errorf(drafts.ECONFLICT, "a new version of the document is being made; try again in a moment")
		}
		d.State, d.Round = drafts.StateAdoption, r.ID
		return nil
	})
	if err != nil {
		// Nothing refers to them: leave storage as it was.
		if r.Procedure == drafts.ProcedureSilence {
			s.discard(ctx, dueKey(r))
		}
		s.discard(ctx, roundKey(d.ID, r.ID))
	}
	return err
}

// days says a duration in days when it is whole days.
func days(d time.Duration) string {
	switch {
	case d == 24*time.Hour:
		return "1 day"
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}

// GetAdoption returns the document's current (or last) adoption round,
// settling a silence procedure whose deadline has passed. ENOTFOUND if no
// round was ever opened.
func (s *Service) GetAdoption(ctx context.Context, doc string) (_ *drafts.AdoptionRound, err error) {
	defer markOp(&err, "service.GetAdoption")
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	if d.Round == "" {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no adoption round on document %s", d.Symbol)
	}
	r, err := s.settle(ctx, doc, d.Round, d)
	return s.withAwaiting(ctx, r, err)
}

// loadRound reads a round.
func (s *Service) loadRound(ctx context.Context, doc, id string) (*drafts.AdoptionRound, error) {
	var sr storedRound
	etag, err := s.getJSON(ctx, roundKey(doc, id), &sr)
	if err != nil {
		return nil, err
	}
	if sr.AdoptionRound == nil {
		return nil, drafts.Errorf(drafts.EINTERNAL, "stored object %s is damaged", roundKey(doc, id))
	}
	r := sr.AdoptionRound
	r.ETag, r.Audit = etag, sr.Audit
	return r, nil
}

// settle adopts a silence procedure whose deadline passed unbroken. The
// round's update carries its ETag, so of several replicas settling at once
// exactly one records the adoption. d, when not nil, is the document as
// this request read it (writes to it stay conditional).
func (s *Service) settle(ctx context.Context, doc, id string, d *drafts.Document) (*drafts.AdoptionRound, error) {
	r, err := s.loadRound(ctx, doc, id)
	if err != nil {
		return nil, err
	}
	if r.State != drafts.RoundOpen {
		// Ended: make sure the document followed (a request may have died
		// between the round's update and the document's).
		return r, s.applyRound(ctx, r, d)
	}
	if r.Procedure != drafts.ProcedureSilence || r.Deadline == nil || s.now().Before(*r.Deadline) {
		return r, nil
	}
	// Silence is consent, but not to a text still in brackets or that a
	// member said, during the procedure, it cannot join: the guard that
	// kept the round from opening is checked again at its deadline.
	if err := s.checkAgreed(ctx, doc, r.Version); err != nil {
		if !drafts.IsCode(err, drafts.ENOTAGREED) {
			return nil, err
		}
		why := &cause{action: "adoption.not_agreed", ref: strconv.Itoa(r.Version), detail: drafts.ErrorMessage(err)}
		return s.finish(ctx, nil, r, drafts.RoundFailed, *r.Deadline, d, why)
	}
	return s.finish(ctx, nil, r, drafts.RoundAdopted, *r.Deadline, d, nil)
}

// applyRound moves the document on after its round ended; it does nothing
// when that is done already. d, when not nil, is the document as read: if
// it has moved on from the round, it has for good, and nothing is read.
func (s *Service) applyRound(ctx context.Context, r *drafts.AdoptionRound, d *drafts.Document) error {
	if r.State == drafts.RoundOpen || d != nil && (d.Round != r.ID || d.State != drafts.StateAdoption) {
		return nil
	}
	apply := func(d *drafts.Document) error {
		if d.Round != r.ID || d.State != drafts.StateAdoption || r.State == drafts.RoundOpen {
			return errUnchanged
		}
		if r.State == drafts.RoundAdopted {
			d.State, d.Adopted, d.AdoptedAt, d.AdoptedBy = drafts.StateAdopted, r.Version, r.ClosedAt, r.Procedure
		} else {
			d.State = drafts.StateNegotiation
		}
		return nil
	}
	var err error
	if d != nil {
		_, err = s.updateDocumentFrom(ctx, d, apply)
	} else {
		_, err = s.updateDocument(ctx, r.Document, apply)
	}
	return err
}

// cause is the event of the response that ends a round, recorded before
// the round's own end.
type cause struct{ action, ref, detail string }

// finish ends a round as adopted or failed and moves the document on (d,
// when not nil, is the document as the request read it). If it ends the
// round itself (not another request), the round's write carries the
// entries of what caused the end, if anything, and of the end, which it
// commits (tx, when not nil, is the change the caller began).
func (s *Service) finish(ctx context.Context, tx *changeTx, r *drafts.AdoptionRound, state string, at time.Time, d *drafts.Document, why *cause) (*drafts.AdoptionRound, error) {
	if tx == nil {
		var err error
		if tx, err = s.beginChange(ctx, r.Document); err != nil {
			return nil, err
		}
	}
	had := len(r.Audit)
	r.Audit = slices.Clip(r.Audit)
	ref := strconv.Itoa(r.Version)
	if state == drafts.RoundAdopted {
		// A version created in a race with the round's opening means the
		// text under adoption is not the head: it cannot be adopted. (No
		// version can be recorded while the round is open, so the document
		// as this request read it tells.)
		if d == nil {
			var err error
			if d, err = s.loadDocument(ctx, r.Document); err != nil {
				return nil, err
			}
		}
		if d.Head != r.Version {
			state = drafts.RoundFailed
			r.Audit = append(r.Audit, s.auditEntry(ctx, roundNextChange(r), "adoption.superseded", ref, fmt.Sprintf("version %d was created during the round", d.Head)))
		}
	}
	if why != nil {
		r.Audit = append(r.Audit, s.auditEntry(ctx, roundNextChange(r), why.action, why.ref, why.detail))
	}
	by := ctx
	if r.Procedure == drafts.ProcedureSilence && state == drafts.RoundAdopted {
		by = drafts.NewContextWithUser(ctx, &drafts.User{ID: "system"})
	}
	r.Audit = append(r.Audit, s.auditEntry(by, roundEndChange(r.ID), roundEndAction(state), ref, r.Procedure))
	r.State, r.ClosedAt = state, &at
	etag, err := s.updateJSON(ctx, roundKey(r.Document, r.ID), storeRound(r), r.ETag)
	if drafts.IsCode(err, drafts.EPRECONDITION) {
		// Another request or replica ended or changed it: report what it did.
		cur, err := s.loadRound(ctx, r.Document, r.ID)
		if err != nil {
			return nil, err
		}
		if cur.State == drafts.RoundOpen {
			return nil, drafts.Errorf(drafts.ECONFLICT, "the round changed meanwhile; try again")
		}
		return cur, s.applyRound(ctx, cur, nil)
	}
	if err != nil {
		return nil, err
	}
	r.ETag = etag
	if r.Procedure == drafts.ProcedureSilence && r.Deadline != nil {
		s.discard(ctx, dueKey(r)) // the sweep would remove it at the deadline anyway
	}
	err = s.applyRound(ctx, r, d)
	if cerr := s.commitChange(ctx, tx, r.Audit[had:]...); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// respond records a delegation's consent or objection in the open round.
func (s *Service) respond(ctx context.Context, doc string, objection bool, reason string) (*drafts.AdoptionRound, error) {
	action := drafts.ActAdoptionConsent
	if objection {
		action = drafts.ActAdoptionObject
	}
	u, d, err := s.documentFor(ctx, doc, action)
	if err != nil {
		return nil, err
	}
	if u.Delegation == "" {
		return nil, &drafts.Error{Code: drafts.EFORBIDDEN, Message: "only a member delegation can consent or object", Permission: action}
	}
	if objection {
		if err := drafts.CheckNote("reason", reason, 20000, true); err != nil {
			return nil, err
		}
	}
	if d.Round == "" {
		return nil, drafts.Errorf(drafts.ECONFLICT, "no adoption round is open")
	}
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return nil, err
	}
	var out *drafts.AdoptionRound
	var entry []drafts.AuditEntry // the response's, unless it went with the round's end
	err = retry(func() error {
		entry = nil
		r, err := s.settle(ctx, doc, d.Round, d)
		if err != nil {
			return err
		}
		if r.State != drafts.RoundOpen {
			return drafts.Errorf(drafts.ECONFLICT, "the adoption round is closed (%s)", r.State)
		}
		now := s.now()
		resp := drafts.Response{Delegation: u.Delegation, Author: u.ID, Reason: reason, At: now}
		if r.Procedure == drafts.ProcedureSilence {
			if !objection {
				return drafts.Errorf(drafts.ECONFLICT, "a silence procedure needs no consent: silence is consent")
			}
			out, err = s.breakSilence(ctx, tx, r, d, resp)
			return err
		}
		r.Consents = dropDelegation(r.Consents, u.Delegation)
		r.Objections = dropDelegation(r.Objections, u.Delegation)
		event := "adoption.consent"
		if objection {
			r.Objections = append(r.Objections, resp)
			event = "adoption.objection"
		} else {
			r.Consents = append(r.Consents, resp)
		}
		e := s.auditEntry(ctx, roundNextChange(r), event, strconv.Itoa(r.Version), reason)
		r.Audit = append(slices.Clip(r.Audit), e)
		etag, err := s.updateJSON(ctx, roundKey(doc, r.ID), storeRound(r), r.ETag)
		if err == nil {
			entry = []drafts.AuditEntry{e}
		}
		r.ETag = etag
		out = r
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.commitChange(ctx, tx, entry...); err != nil {
		return nil, err
	}
	return out, nil
}

// breakSilence ends silence procedure r with objection resp, unless
// its deadline passed or another request ended it first.
func (s *Service) breakSilence(ctx context.Context, tx *changeTx, r *drafts.AdoptionRound, d *drafts.Document, resp drafts.Response) (*drafts.AdoptionRound, error) {
	if r.Deadline != nil && !resp.At.Before(*r.Deadline) {
		// The deadline passed since the round was read: settle it.
		return nil, drafts.Errorf(drafts.EPRECONDITION, "the deadline passed meanwhile")
	}
	r.Objections = append(r.Objections, resp)
	out, err := s.finish(ctx, tx, r, drafts.RoundFailed, resp.At, d, &cause{"adoption.objection", strconv.Itoa(r.Version), resp.Reason})
	if err != nil {
		return nil, err
	}
	if !hasResponse(out.Objections, resp) {
		// Another request ended the round first (the deadline's
		// settlement): the objection is not in it.
		return nil, drafts.Errorf(drafts.ECONFLICT, "the adoption round ended (%s) before the objection was recorded", out.State)
	}
	return out, nil
}

// hasResponse reports whether rs holds resp (same delegation, author and time).
func hasResponse(rs []drafts.Response, resp drafts.Response) bool {
	for _, r := range rs {
		if r.Delegation == resp.Delegation && r.Author == resp.Author && r.At.Equal(resp.At) {
			return true
		}
	}
	return false
}

func dropDelegation(rs []drafts.Response, delegation string) []drafts.Response {
	out := rs[:0]
	for _, r := range rs {
		if r.Delegation != delegation {
			out = append(out, r)
		}
	}
	return out
}

// Consent joins the consensus on the open round for the caller's delegation.
func (s *Service) Consent(ctx context.Context, doc string) (_ *drafts.AdoptionRound, err error) {
	defer markOp(&err, "service.Consent")
	r, err := s.respond(ctx, doc, false, "")
	return s.withAwaiting(ctx, r, err)
}

// Object records the caller's delegation's objection; in a silence
// procedure before its deadline it breaks silence and ends the round.
func (s *Service) Object(ctx context.Context, doc, reason string) (_ *drafts.AdoptionRound, err error) {
	defer markOp(&err, "service.Object")
	r, err := s.respond(ctx, doc, true, reason)
	return s.withAwaiting(ctx, r, err)
}

// CloseAdoption closes a consensus round: adopted if no delegation
// objects, failed otherwise.
func (s *Service) CloseAdoption(ctx context.Context, doc string) (_ *drafts.AdoptionRound, err error) {
	defer markOp(&err, "service.CloseAdoption")
	_, d, err := s.documentFor(ctx, doc, drafts.ActAdoptionClose)
	if err != nil {
		return nil, err
	}
	if d.Round == "" || d.State != drafts.StateAdoption {
		return nil, drafts.Errorf(drafts.ECONFLICT, "no adoption round is open")
	}
	r, err := s.settle(ctx, doc, d.Round, d)
	if err != nil {
		return nil, err
	}
	if r.State != drafts.RoundOpen {
		return nil, drafts.Errorf(drafts.ECONFLICT, "the adoption round is closed (%s)", r.State)
	}
	if r.Procedure != drafts.ProcedureConsensus {
		return nil, drafts.Errorf(drafts.ECONFLICT, "a silence procedure ends at its deadline or when silence is broken")
	}
	state := drafts.RoundAdopted
	if len(r.Objections) > 0 {
		state = drafts.RoundFailed
	} else if err := s.checkAgreed(ctx, d.ID, r.Version); err != nil {
		return nil, err // a round that would adopt the text: only an agreed one
	}
	r, err = s.finish(ctx, nil, r, state, s.now(), d, nil)
	return s.withAwaiting(ctx, r, err)
}
