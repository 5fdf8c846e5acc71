package service_test

import (
	"context"
	"testing"

	"chancery/drafts"
)

// TestCompilationPositionsAreTheReaders: the readers of one compilation
// share its entries, but each sees only the positions it may see, once:
// a member's positions (on a provision and on the whole text) are in the
// member's compilation every time it is read, never in an observer's.
func TestCompilationPositionsAreTheReaders(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityObservers)
	p6 := para(t, f.v, "6.")
	f.record(t, f.kz, p6, drafts.PositionCannotJoin, "Members only.")
	f.record(t, f.kz, "", drafts.PositionReservation, "On the whole text, members only.")
	counts := func(ctx context.Context) (onP6, whole int) {
		t.Helper()
		comp, _, err := f.svc.Compile(ctx, f.doc, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range comp.Entries {
			if e.Provision.ID == p6 {
				onP6 += len(e.Positions)
			} else if len(e.Positions) > 0 {
				t.Errorf("positions on provision %s, none recorded there", e.Provision.Number)
			}
		}
		return onP6, len(comp.WholeText)
	}
	for i := 0; i < 2; i++ {
		if p, w := counts(f.kz); p != 1 || w != 1 {
			t.Errorf("a member's compilation, read %d: %d positions on 6 and %d on the whole text, want 1 and 1", i+1, p, w)
		}
		if p, w := counts(f.obs); p != 0 || w != 0 {
			t.Errorf("an observer's compilation, read %d: %d positions on 6 and %d on the whole text, want none", i+1, p, w)
		}
	}
}
