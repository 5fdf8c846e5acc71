package service

import (
	"context"
	"strconv"

	"chancery/drafts"
)

// positionChangeOf names change rev of a document's positions (each
// recording, confirmation and withdrawal is one; see positions.go).
func positionChangeOf(rev int) string { return "positions/" + strconv.Itoa(rev) }

// positionChanges lists the changes of a document's positions, each with
// the event that records it.
func (s *Service) positionChanges(ctx context.Context, doc string, _ *chainScan) ([]datedChange, error) {
	sp, _, err := s.positions(ctx, doc)
	if err != nil {
		return nil, err
	}
	out := make([]datedChange, 0, len(sp.Log))
	for _, c := range sp.Log {
		out = append(out, datedChange{c.At, changeRecord{positionChangeOf(c.Rev), func() *drafts.Event {
			return &drafts.Event{Actor: c.Actor, Delegation: c.Delegation, Action: c.Action, Ref: c.Position, Detail: c.Detail}
		}}})
	}
	return out, nil
}
