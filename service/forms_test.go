package service_test

import (
	"sync"
	"testing"
	"time"

	"chancery/drafts"
)

// TestSavedForms: a user's saved form reads back, changes in place, is
// no one else's, expires, and goes when deleted.
func TestSavedForms(t *testing.T) {
	f := newSessionFixture(t)
	in := &drafts.SavedForm{Path: "/documents/d1/proposals/new", Fields: map[string][]string{"edit.p1": {"New words"}, "justification": {"Why"}}}
	saved, err := f.svc.SaveForm(f.kz, in, "")
	if err != nil {
		t.Fatal(err)
	}
	if saved.ID == "" || saved.User != f.kzUserID || in.ID != "" {
		t.Fatalf("saved %+v (input changed: %q)", saved, in.ID)
	}
	got, err := f.svc.GetForm(f.kz, saved.ID)
	if err != nil || got.Fields["edit.p1"][0] != "New words" {
		t.Fatalf("GetForm = %+v, %v", got, err)
	}
	got.Fields["justification"] = []string{"Better reasons"}
	if _, err := f.svc.SaveForm(f.kz, got, got.ETag); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveForm(f.kz, got, got.ETag); !drafts.IsCode(err, drafts.EPRECONDITION) {
		t.Errorf("saving with a stale ETag: %v, want EPRECONDITION", err)
	}
	if _, err := f.svc.GetForm(f.sec, saved.ID); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("another user reads the form: %v", err)
	}
	if _, err := f.svc.SaveForm(f.sec, got, ""); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("another user overwrites the form: %v", err)
	}
	for _, bad := range []string{"", "http://evil.example/", "//evil.example/x"} {
		if _, err := f.svc.SaveForm(f.kz, &drafts.SavedForm{Path: bad}, ""); !drafts.IsCode(err, drafts.EINVALID) {
			t.Errorf("path %q: %v, want EINVALID", bad, err)
		}
	}
	big := &drafts.SavedForm{Path: "/x", Fields: map[string][]string{"t": {string(make([]byte, drafts.MaxFormBytes))}}}
	if _, err := f.svc.SaveForm(f.kz, big, ""); !drafts.IsCode(err, drafts.ETOOLARGE) {
		t.Errorf("a form over the bound: %v", err)
	}
	f.advance(drafts.FormTTL + time.Hour)
	if _, err := f.svc.GetForm(f.kz, saved.ID); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("an expired form: %v", err)
	}
	other, err := f.svc.SaveForm(f.kz, &drafts.SavedForm{Path: "/documents"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteForm(f.kz, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.GetForm(f.kz, other.ID); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("a deleted form: %v", err)
	}
	if err := f.svc.DeleteForm(f.kz, other.ID); err != nil {
		t.Errorf("deleting it again: %v", err)
	}
}

// TestFormClaims: of many requests with one key exactly one claims it;
// the others see its result once it is done; a released claim can be
// claimed again; an abandoned one is taken over.
func TestFormClaims(t *testing.T) {
	f := newSessionFixture(t)
	key := drafts.RandomID(24)
	var wg sync.WaitGroup
	var mu sync.Mutex
	claimed := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, ok, err := f.svc.ClaimForm(f.kz, key)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				claimed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if claimed != 1 {
		t.Fatalf("%d requests claimed the key, want 1", claimed)
	}
	if err := f.svc.FinishForm(f.kz, key, "/documents/d1/proposals/p7", []string{"Proposal %s submitted", "7"}); err != nil {
		t.Fatal(err)
	}
	c, ok, err := f.svc.ClaimForm(f.kz, key)
	if err != nil || ok || !c.Done || c.Location != "/documents/d1/proposals/p7" || len(c.Notice) != 2 {
		t.Fatalf("claim after done: %+v, %v, %v", c, ok, err)
	}
	if err := f.svc.ReleaseForm(f.kz, key); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.svc.ClaimForm(f.kz, key); ok {
		t.Error("a done claim was released")
	}
	// Another user's key is theirs.
	if _, ok, err := f.svc.ClaimForm(f.sec, key); err != nil || !ok {
		t.Errorf("the secretariat's claim of the same key: %v, %v", ok, err)
	}

	failed := drafts.RandomID(24)
	if _, ok, _ := f.svc.ClaimForm(f.kz, failed); !ok {
		t.Fatal("no claim")
	}
	if _, ok, _ := f.svc.ClaimForm(f.kz, failed); ok {
		t.Fatal("claimed twice while in progress")
	}
	if err := f.svc.ReleaseForm(f.kz, failed); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.svc.ClaimForm(f.kz, failed); !ok {
		t.Error("a released key cannot be claimed again")
	}
	f.advance(3 * time.Minute)
	if _, ok, _ := f.svc.ClaimForm(f.kz, failed); !ok {
		t.Error("an abandoned claim is not taken over")
	}
	for _, bad := range []string{"", "short", "../../x", "UPPERCASEKEY00000000"} {
		if _, _, err := f.svc.ClaimForm(f.kz, bad); !drafts.IsCode(err, drafts.EINVALID) {
			t.Errorf("key %q: %v", bad, err)
		}
	}
}

// TestRenewSession: a session renewed lasts from now, never past a week
// from its start, and an ended one cannot be renewed.
func TestRenewSession(t *testing.T) {
	f := newSessionFixture(t)
	_, plain, err := f.svc.CreateSession(f.kz, "", 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	f.advance(11 * time.Hour)
	ses, err := f.svc.RenewSession(f.kz, plain, 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := f.svc.Clock().Add(12 * time.Hour); !ses.ExpiresAt.Equal(want) {
		t.Errorf("renewed until %v, want %v", ses.ExpiresAt, want)
	}
	f.advance(2 * time.Hour) // past the first end
	if _, _, err := f.svc.GetSession(f.kz, plain); err != nil {
		t.Fatalf("the renewed session ended at its first end: %v", err)
	}
	for i := 0; i < 20; i++ {
		f.advance(11 * time.Hour)
		if ses, err = f.svc.RenewSession(f.kz, plain, 12*time.Hour); err != nil {
			break
		}
	}
	if !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("renewing past a week: %v", err)
	}
	if _, err := f.svc.RenewSession(f.kz, "ses_nope_0123456789abcdef0123", time.Hour); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("renewing an unknown session: %v", err)
	}
}
