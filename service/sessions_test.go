package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
	"chancery/storage"
)

// sessionFixture is a service on the local directory with a settable clock,
// the secretariat and one delegate.
type sessionFixture struct {
	svc      *service.Service
	now      time.Time
	mu       sync.Mutex
	sec, kz  context.Context
	kzUserID string
	kzToken  string
	store    drafts.ObjectStore
}

func newSessionFixture(t *testing.T) *sessionFixture {
	t.Helper()
	store, err := storage.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &sessionFixture{now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), store: store}
	f.svc = service.New(store, diffing.New(), MustPolicy(t))
	f.svc.Clock = func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
	tok, err := f.svc.Bootstrap(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.svc.Authenticate(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	f.sec = drafts.NewContextWithUser(context.Background(), u)
	if err := f.svc.CreateDelegation(f.sec, &drafts.Delegation{ID: "KZ", Name: "Kazakhstan", Status: "member"}); err != nil {
		t.Fatal(err)
	}
	kz := &drafts.User{Name: "Delegate", Role: drafts.RoleDelegate, Delegation: "KZ"}
	ktok, err := f.svc.CreateUser(f.sec, kz)
	if err != nil {
		t.Fatal(err)
	}
	ku, err := f.svc.Authenticate(context.Background(), ktok)
	if err != nil {
		t.Fatal(err)
	}
	f.kz, f.kzUserID, f.kzToken = drafts.NewContextWithUser(context.Background(), ku), ku.ID, ktok
	return f
}

func (f *sessionFixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func TestSessions(t *testing.T) {
	f := newSessionFixture(t)
	ses, plain, err := f.svc.CreateSession(f.kz, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got, u, err := f.svc.GetSession(context.Background(), plain)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != ses.ID || got.CSRF == "" || u.ID != f.kzUserID || u.DelegationStatus != drafts.StatusMember {
		t.Fatalf("session %+v, user %+v", got, u)
	}
	for name, bad := range map[string]string{
		"empty": "", "token": "chy_abc_def", "wrong secret": otherLast(plain), "malformed": "ses_../../x_0123456789abcdefghij",
	} {
		if _, _, err := f.svc.GetSession(context.Background(), bad); drafts.ErrorCode(err) != drafts.EUNAUTHORIZED {
			t.Errorf("%s: %v, want unauthorized", name, err)
		}
	}
	f.advance(time.Hour)
	if _, _, err := f.svc.GetSession(context.Background(), plain); drafts.ErrorCode(err) != drafts.EUNAUTHORIZED {
		t.Errorf("expired session: %v", err)
	}
	_, plain2, err := f.svc.CreateSession(f.kz, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteSession(context.Background(), plain2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.GetSession(context.Background(), plain2); drafts.ErrorCode(err) != drafts.EUNAUTHORIZED {
		t.Errorf("signed-out session: %v", err)
	}
	if _, _, err := f.svc.CreateSession(context.Background(), "", time.Hour); drafts.ErrorCode(err) != drafts.EUNAUTHORIZED {
		t.Errorf("a session for nobody: %v", err)
	}
}

// TestSessionEndsWithItsToken: revoking the token a user signed in with
// ends the session on every replica.
func TestSessionEndsWithItsToken(t *testing.T) {
	f := newSessionFixture(t)
	tokenID, _, _ := drafts.SplitToken(f.kzToken)
	_, plain, err := f.svc.CreateSession(f.kz, tokenID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.GetSession(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RevokeToken(f.sec, tokenID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.GetSession(context.Background(), plain); drafts.ErrorCode(err) != drafts.EUNAUTHORIZED {
		t.Errorf("session after its token was revoked: %v", err)
	}
}

func TestSignInLinks(t *testing.T) {
	f := newSessionFixture(t)
	if _, _, err := f.svc.CreateSignInLink(f.kz, f.kzUserID, time.Hour); drafts.ErrorCode(err) != drafts.EFORBIDDEN {
		t.Errorf("a delegate issuing a link: %v", err)
	}
	if _, _, err := f.svc.CreateSignInLink(f.sec, "nobody", time.Hour); drafts.ErrorCode(err) != drafts.ENOTFOUND {
		t.Errorf("a link for nobody: %v", err)
	}
	plain, _, err := f.svc.CreateSignInLink(f.sec, f.kzUserID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// Of concurrent redemptions exactly one succeeds.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := f.svc.RedeemSignInLink(context.Background(), plain)
			if err == nil && u.ID == f.kzUserID {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if drafts.ErrorCode(err) != drafts.EUNAUTHORIZED {
				t.Errorf("redeeming: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d redemptions succeeded, want 1", ok)
	}
	late, _, err := f.svc.CreateSignInLink(f.sec, f.kzUserID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	f.advance(2 * time.Hour)
	if _, err := f.svc.RedeemSignInLink(context.Background(), late); drafts.ErrorCode(err) != drafts.EUNAUTHORIZED {
		t.Errorf("expired link: %v", err)
	}
}

func TestVisits(t *testing.T) {
	f := newSessionFixture(t)
	v, err := f.svc.LastVisit(f.kz, "doc1")
	if err != nil || !v.At.IsZero() {
		t.Fatalf("first visit: %+v, %v", v, err)
	}
	if err := f.svc.RecordVisit(f.kz, "doc1", 3, 17); err != nil {
		t.Fatal(err)
	}
	f.advance(time.Minute)
	if err := f.svc.RecordVisit(f.kz, "doc1", 4, 20); err != nil {
		t.Fatal(err)
	}
	v, err = f.svc.LastVisit(f.kz, "doc1")
	if err != nil || v.Head != 4 || v.LastSeq != 20 {
		t.Fatalf("last visit %+v, %v", v, err)
	}
	// Each user has their own.
	if v, err := f.svc.LastVisit(f.sec, "doc1"); err != nil || !v.At.IsZero() {
		t.Errorf("another user's visit: %+v, %v", v, err)
	}
	if _, err := f.svc.LastVisit(f.kz, "../x"); drafts.ErrorCode(err) != drafts.ENOTFOUND {
		t.Errorf("bad document id: %v", err)
	}
}

// TestVisitsStoredLater: with VisitDelay a visit is read back at once on
// the replica that recorded it, stored only when flushed (another replica
// sees it then), once for all the visits made meanwhile; a visit after
// the flush is read back again.
func TestVisitsStoredLater(t *testing.T) {
	f := newSessionFixture(t)
	f.svc.VisitDelay = time.Hour // flushed by hand below, never by the timer
	other := service.New(f.store, diffing.New(), MustPolicy(t))
	last := func(s *service.Service) (int, int64) {
		t.Helper()
		v, err := s.LastVisit(f.kz, "doc1")
		if err != nil {
			t.Fatal(err)
		}
		return v.Head, v.LastSeq
	}
	for _, v := range [][2]int{{3, 17}, {4, 20}} {
		if err := f.svc.RecordVisit(f.kz, "doc1", v[0], int64(v[1])); err != nil {
			t.Fatal(err)
		}
	}
	if h, seq := last(f.svc); h != 4 || seq != 20 {
		t.Errorf("before the flush, this replica reads %d/%d, want 4/20", h, seq)
	}
	if h, seq := last(other); h != 0 || seq != 0 {
		t.Errorf("before the flush, another replica reads %d/%d: stored at once", h, seq)
	}
	if err := f.svc.FlushVisits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h, seq := last(other); h != 4 || seq != 20 {
		t.Errorf("after the flush, another replica reads %d/%d, want 4/20", h, seq)
	}
	if err := f.svc.RecordVisit(f.kz, "doc1", 5, 21); err != nil {
		t.Fatal(err)
	}
	if h, _ := last(f.svc); h != 5 {
		t.Errorf("a visit after the flush: this replica reads version %d, want 5", h)
	}
	if h, _ := last(other); h != 4 {
		t.Errorf("a visit after the flush is stored before its time: %d", h)
	}
}

// otherLast returns s with its last character replaced by a different one.
func otherLast(s string) string {
	if strings.HasSuffix(s, "x") {
		return s[:len(s)-1] + "y"
	}
	return s[:len(s)-1] + "x"
}

// TestStoredVisitsKeptInMemory: a visit this replica stored is read from
// memory on the user's next page and replaced at its ETag without being
// read first; one another replica stored since is not lost: the write at
// the old ETag fails, and the visit is read and replaced.
func TestStoredVisitsKeptInMemory(t *testing.T) {
	f := newSessionFixture(t)
	ops := newCountingStore(f.store)
	svc := service.New(ops, diffing.New(), MustPolicy(t))
	svc.VisitDelay = time.Hour // flushed by hand
	other := service.New(f.store, diffing.New(), MustPolicy(t))
	visit := func(s *service.Service, head int) {
		t.Helper()
		if err := s.RecordVisit(f.kz, "doc1", head, int64(head)); err != nil {
			t.Fatal(err)
		}
		if err := s.FlushVisits(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	lastIs := func(s *service.Service, head int) {
		t.Helper()
		v, err := s.LastVisit(f.kz, "doc1")
		if err != nil || v.Head != head {
			t.Fatalf("last visit %+v, %v: want version %d", v, err, head)
		}
	}
	visit(svc, 3)
	if got := ops.take(); got["get"] != 1 || got["create"] != 1 || len(got) != 2 {
		t.Errorf("the first visit stored with %v, want a read and a create", got)
	}
	lastIs(svc, 3)
	visit(svc, 4)
	if got := ops.take(); got["update"] != 1 || len(got) != 1 {
		t.Errorf("reading the visit stored and storing the next took %v, want one update", got)
	}
	lastIs(other, 4)
	visit(other, 5)
	visit(svc, 6)
	if got := ops.take(); got["update"] != 2 || got["get"] != 1 || len(got) != 2 {
		t.Errorf("over a visit another replica stored: %v, want a failed update, a read and an update", got)
	}
	lastIs(service.New(f.store, diffing.New(), MustPolicy(t)), 6) // as stored
}
