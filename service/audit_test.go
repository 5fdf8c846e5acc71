package service_test

import (
	"context"
	"testing"

	"chancery/drafts"
)

// TestUnreadableStoredKeyIsAnError: an object among a document's versions
// whose key is not a version's cannot drop out of the audit unnoticed:
// completing the trail and verifying it fail, naming it, instead of
// leaving it out; once it is gone both work again.
func TestUnreadableStoredKeyIsAnError(t *testing.T) {
	ctx := context.Background()
	local := MustOpenLocal(t)
	f := MustFixture(t, local, "1. One.\n\n2. Two.\n")
	chair := f.chair
	if v, err := f.svc.VerifyEvents(drafts.NewSystemContext(ctx), f.doc); err != nil || !v.OK {
		t.Fatalf("before: %+v, %v", v, err)
	}
	stray := "texts/" + f.doc + "/versions/latest.json"
	if _, err := local.Create(ctx, stray, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.CompleteEvents(chair, f.doc); !drafts.IsCode(err, drafts.EINTERNAL) || n != 0 {
		t.Errorf("CompleteEvents = %d, %v; want an internal error", n, err)
	} else if e := drafts.AsError(err); e == nil || e.Message != "stored object "+stray+" is not numbered as a version" {
		t.Errorf("CompleteEvents error = %v, want it to name the object", err)
	}
	if _, err := f.svc.VerifyEvents(drafts.NewSystemContext(ctx), f.doc); !drafts.IsCode(err, drafts.EINTERNAL) {
		t.Errorf("VerifyEvents: %v, want an internal error", err)
	}
	if err := local.Delete(ctx, stray, ""); err != nil {
		t.Fatal(err)
	}
	if v, err := f.svc.VerifyEvents(drafts.NewSystemContext(ctx), f.doc); err != nil || !v.OK {
		t.Fatalf("after: %+v, %v", v, err)
	}
}
