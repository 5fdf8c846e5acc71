package service_test

import (
	"context"
	"errors"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
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

// failingStore fails every read with an error of its own, not the
// domain's.
type failingStore struct{ drafts.ObjectStore }

func (failingStore) Get(ctx context.Context, key string) (*drafts.Object, error) {
	return nil, errors.New("read failed on /var/lib/chancery")
}

// TestErrorsNameTheirOperation: an error of an exported method names the
// method (Error.Op, for logs), refusals and failures alike, and reads as
// it did before to whoever sees it.
func TestErrorsNameTheirOperation(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n")
	_, err := f.svc.GetDocument(f.kz, "nope")
	if got, want := drafts.ErrorOp(err), "service.GetDocument"; got != want {
		t.Errorf("GetDocument: op %q, want %q", got, want)
	}
	if got, want := drafts.ErrorMessage(err), `no document "nope"`; got != want || !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("GetDocument: %q (%s), want %q", got, drafts.ErrorCode(err), want)
	}
	_, err = f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1})
	if got, want := drafts.ErrorOp(err), "service.Merge"; got != want || !drafts.IsCode(err, drafts.EINVALID) || len(drafts.AsError(err).Fields) != 1 {
		t.Errorf("Merge: op %q, want %q; %v", got, want, err)
	}
	broken := service.New(failingStore{MustOpenLocal(t)}, diffing.New(), MustPolicy(t))
	_, err = broken.GetProposal(f.kz, f.doc, "p1")
	if got, want := drafts.ErrorOp(err), "service.GetProposal"; got != want {
		t.Errorf("GetProposal on a failing store: op %q, want %q", got, want)
	}
	if got := drafts.ErrorMessage(err); got != "Internal error." {
		t.Errorf("GetProposal on a failing store says %q", got)
	}
}
