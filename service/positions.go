package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"chancery/drafts"
)

// Positions of delegations: recorded on the head, confirmed on a newer
// text, withdrawn. A document's positions, open and withdrawn, are one
// object (storedPositions) read whole, as the state of play and the
// adoption guard need them all at once, and written back with its ETag,
// so two delegations recording at once both succeed, one after the
// other. Each change is logged in the object and has its audit event
// (change "positions/<rev>", see positions_audit.go).

// storedPositions is a document's positions, in the order they were
// recorded, and the log of their changes.
type storedPositions struct {
	Positions []*drafts.Position `json:"positions"`
	Rev       int                `json:"rev,omitempty"`
	Log       []positionChange   `json:"log,omitempty"`
}

// positionChange is one change of a position (action "position.record",
// "position.confirm" or "position.withdraw"), so that each has its event.
type positionChange struct {
	Rev        int       `json:"rev"`
	Position   string    `json:"position"`
	Action     string    `json:"action"`
	Detail     string    `json:"detail,omitempty"`
	Actor      string    `json:"actor"`
	Delegation string    `json:"delegation,omitempty"`
	At         time.Time `json:"at"`
}

// find returns the position with id, or nil.
func (sp *storedPositions) find(id string) *drafts.Position {
	for _, p := range sp.Positions {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// positions reads a document's positions (none stored: none yet) and
// their ETag ("" when none are stored).
func (s *Service) positions(ctx context.Context, doc string) (*storedPositions, string, error) {
	sp, etag, err := getMutable(ctx, s, positionsKey(doc), clonePositions)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return &storedPositions{Positions: []*drafts.Position{}}, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if slices.Contains(sp.Positions, nil) {
		return nil, "", drafts.Errorf(drafts.EINTERNAL, "stored object %s is damaged", positionsKey(doc))
	}
	return sp, etag, nil
}

// changePositions applies f to a document's positions as stored and writes
// them back with their ETag, starting over when another request changed
// them meanwhile; f returns the position it changed and the change's
// action and detail. The change's log entry is its audit entry, chained
// before the request is answered.
func (s *Service) changePositions(ctx context.Context, u *drafts.User, doc string, f func(sp *storedPositions) (*drafts.Position, string, string, error)) (*drafts.Position, error) {
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return nil, err
	}
	var out *drafts.Position
	var ch positionChange
	err = retry(func() error {
		sp, etag, err := s.positions(ctx, doc)
		if err != nil {
			return err
		}
		p, action, detail, err := f(sp)
		if err != nil {
			return err
		}
		sp.Rev++
		ch = positionChange{Rev: sp.Rev, Position: p.ID, Action: action, Detail: detail, Actor: u.ID, Delegation: u.Delegation, At: s.now()}
		sp.Log = append(sp.Log, ch)
		if etag == "" {
			_, err = s.createJSON(ctx, positionsKey(doc), sp)
			if drafts.IsCode(err, drafts.ECONFLICT) {
				return drafts.Errorf(drafts.EPRECONDITION, "positions recorded meanwhile")
			}
		} else {
			_, err = s.updateJSON(ctx, positionsKey(doc), sp, etag)
		}
		out = p
		return err
	})
	if err != nil {
		return nil, err
	}
	// The log entry is the change's audit entry (positionChange.entry).
	if err := s.commitChange(ctx, tx, ch.entry()); err != nil {
		return nil, err
	}
	return clonePosition(out), nil
}

// RecordPosition records the caller's delegation's position on a
// provision of the head, or on the whole text.
func (s *Service) RecordPosition(ctx context.Context, doc string, in drafts.PositionInput) (_ *drafts.Position, err error) {
	defer markOp(&err, "service.RecordPosition")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActPositionCreate, false)
	if err != nil {
		return nil, err
	}
	if u.Delegation == "" {
		return nil, &drafts.Error{Code: drafts.EFORBIDDEN, Message: "only a member delegation may record a position", Permission: drafts.ActPositionCreate}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	head, err := s.getVersion(ctx, doc, d.Head)
	if err != nil {
		return nil, err
	}
	hash, ok := drafts.PositionTextHash(head, in.Provision)
	if !ok {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("provision: no provision %q in the head (version %d)", in.Provision, head.Number),
			Fields: []drafts.FieldError{{Field: "provision", Message: "no such provision in the head"}}}
	}
	if err := s.checkNotInSilence(ctx, d, in.Kind); err != nil {
		return nil, err
	}
	name := u.Delegation
	if del, err := s.getDelegation(ctx, u.Delegation); err == nil {
		name = del.Name
	}
	if in.Visibility == "" {
		in.Visibility = drafts.VisibilityMembers
	}
	p := &drafts.Position{
		ID: s.NewID(), Document: doc, Delegation: u.Delegation, DelegationName: name, Provision: in.Provision,
		Kind: in.Kind, Text: in.Text, Visibility: in.Visibility, Version: head.Number, Since: head.Number,
		TextHash: hash, Author: u.ID, CreatedAt: s.now(), State: drafts.PositionOpen,
	}
	where := positionPlace(head, in.Provision)
	p, err = s.changePositions(ctx, u, doc, func(sp *storedPositions) (*drafts.Position, string, string, error) {
		for _, o := range sp.Positions {
			if o.State == drafts.PositionOpen && o.Delegation == p.Delegation && o.Provision == p.Provision && o.Kind == p.Kind {
				return nil, "", "", drafts.Errorf(drafts.ECONFLICT, "%s has a %s position on %s already (%s): confirm or withdraw it", p.DelegationName, p.Kind, where, o.ID)
			}
		}
		sp.Positions = append(sp.Positions, p)
		return p, "position.record", p.Kind + " on " + where, nil
	})
	if err != nil {
		return nil, err
	}
	return drafts.PositionsIn(head, []*drafts.Position{p}, "")[0], nil
}

// positionPlace names where a position is: a provision of v, or the
// whole text.
func positionPlace(v *drafts.Version, provision string) string {
	if provision == "" {
		return "the whole text"
	}
	if p, i := v.Provision(provision); i >= 0 {
		return drafts.ProvisionName(p)
	}
	return "a provision no longer in the text"
}

// checkNotInSilence refuses a cannot-join position while a silence
// procedure is open on d: silence is broken by an objection, which a
// position would not do, and the text would be adopted at the deadline
// regardless.
func (s *Service) checkNotInSilence(ctx context.Context, d *drafts.Document, kind string) error {
	if kind != drafts.PositionCannotJoin || d.State != drafts.StateAdoption || d.Round == "" {
		return nil
	}
	r, err := s.loadRound(ctx, d.ID, d.Round)
	if err != nil {
		return err
	}
	if r.State == drafts.RoundOpen && r.Procedure == drafts.ProcedureSilence {
		return drafts.Errorf(drafts.ECONFLICT, "a silence procedure is open on version %d: a delegation that cannot join breaks silence (an objection with its reason)", r.Version)
	}
	return nil
}

// positionFor reads, for the user of ctx, position id of a visible
// document that may still change, and checks that the user may perform
// action on it.
func (s *Service) positionFor(ctx context.Context, doc, id, action string) (*drafts.User, *drafts.Document, error) {
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, nil, err
	}
	sp, _, err := s.positions(ctx, doc)
	if err != nil {
		return nil, nil, err
	}
	p := sp.find(id)
	if p == nil || !s.mayRead(u, d, p) {
		return nil, nil, drafts.Errorf(drafts.ENOTFOUND, "no position %q", id)
	}
	if err := s.authorizeSaying(u, action, p.Resource(d), "only the delegation that recorded this position may confirm or withdraw it"); err != nil {
		return nil, nil, err
	}
	if err := s.checkChangeable(ctx, d); err != nil {
		return nil, nil, err
	}
	return u, d, nil
}

// changeOpenPosition applies f to an open position of the caller's
// delegation, as stored.
func (s *Service) changeOpenPosition(ctx context.Context, u *drafts.User, doc, id string, f func(p *drafts.Position) (string, string, error)) (*drafts.Position, error) {
	return s.changePositions(ctx, u, doc, func(sp *storedPositions) (*drafts.Position, string, string, error) {
		p := sp.find(id)
		if p == nil {
			return nil, "", "", drafts.Errorf(drafts.ENOTFOUND, "no position %q", id)
		}
		if p.State != drafts.PositionOpen {
			return nil, "", "", drafts.Errorf(drafts.ECONFLICT, "position %s is %s", id, p.State)
		}
		action, detail, err := f(p)
		return p, action, detail, err
	})
}

// ConfirmPosition confirms an open position on the head's text.
func (s *Service) ConfirmPosition(ctx context.Context, doc, id, text string) (_ *drafts.Position, err error) {
	defer markOp(&err, "service.ConfirmPosition")
	u, d, err := s.positionFor(ctx, doc, id, drafts.ActPositionWithdraw)
	if err != nil {
		return nil, err
	}
	head, err := s.getVersion(ctx, doc, d.Head)
	if err != nil {
		return nil, err
	}
	p, err := s.changeOpenPosition(ctx, u, doc, id, func(p *drafts.Position) (string, string, error) {
		hash, ok := drafts.PositionTextHash(head, p.Provision)
		if !ok {
			return "", "", drafts.Errorf(drafts.ECONFLICT, "the provision of position %s is no longer in the text: withdraw the position, or record one on the text as it now reads", id)
		}
		if text != "" {
			in := drafts.PositionInput{Kind: p.Kind, Text: text}
			if err := in.Validate(); err != nil {
				return "", "", err
			}
			p.Text = text
		}
		now := s.now()
		p.Version, p.TextHash, p.ConfirmedAt = head.Number, hash, &now
		return "position.confirm", fmt.Sprintf("%s on %s, confirmed on version %d", p.Kind, positionPlace(head, p.Provision), head.Number), nil
	})
	if err != nil {
		return nil, err
	}
	return drafts.PositionsIn(head, []*drafts.Position{p}, "")[0], nil
}

// WithdrawPosition withdraws an open position.
func (s *Service) WithdrawPosition(ctx context.Context, doc, id string) (_ *drafts.Position, err error) {
	defer markOp(&err, "service.WithdrawPosition")
	u, d, err := s.positionFor(ctx, doc, id, drafts.ActPositionWithdraw)
	if err != nil {
		return nil, err
	}
	head, err := s.rawVersion(ctx, doc, d.Head) // to name the provision in the event
	if err != nil {
		return nil, err
	}
	return s.changeOpenPosition(ctx, u, doc, id, func(p *drafts.Position) (string, string, error) {
		now := s.now()
		p.State, p.WithdrawnAt, p.WithdrawnBy, p.WithdrawnIn = drafts.PositionWithdrawn, &now, u.ID, d.Head
		return "position.withdraw", p.Kind + " on " + positionPlace(head, p.Provision), nil
	})
}

// clonePosition copies a position, its times its own.
func clonePosition(p *drafts.Position) *drafts.Position {
	if p == nil {
		return nil
	}
	c := clonePtr(p)
	c.ConfirmedAt, c.WithdrawnAt = clonePtr(p.ConfirmedAt), clonePtr(p.WithdrawnAt)
	return c
}

// clonePositions copies a document's positions, each its own.
func clonePositions(sp *storedPositions) *storedPositions {
	c := clonePtr(sp)
	c.Positions = make([]*drafts.Position, len(sp.Positions))
	for i, p := range sp.Positions {
		c.Positions[i] = clonePosition(p)
	}
	c.Log = slices.Clone(sp.Log)
	return c
}
