package service

import (
	"context"
	"strconv"

	"chancery/drafts"
)

// positionChangeOf names change rev of a document's positions (each
// recording, confirmation and withdrawal is one; see positions.go).
func positionChangeOf(rev int) string { return "positions/" + strconv.Itoa(rev) }

// entry is the audit entry of the change c records: the positions' log
// is their audit (see audit.go).
func (c positionChange) entry() drafts.AuditEntry {
	return drafts.AuditEntry{Change: positionChangeOf(c.Rev), At: c.At, Actor: c.Actor, Delegation: c.Delegation,
		Action: c.Action, Ref: c.Position, Detail: c.Detail}
}

// positionChanges lists the changes of a document's positions, read from
// st (see changes.go).
func (s *Service) positionChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	sp, err := readOne[storedPositions](ctx, st, positionsKey(t.doc))
	if err != nil || sp == nil {
		return nil, err
	}
	out := make([]storedChange, 0, len(sp.Log))
	for _, c := range sp.Log {
		out = append(out, entryChange(c.entry()))
	}
	return out, nil
}
