package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// TestCredentialsChangedOnOneReplicaOnEvery: a replica keeps the tokens
// and sessions it read, but one signed out, renewed or whose token was
// revoked on another replica is read again by its very next request.
func TestCredentialsChangedOnOneReplicaOnEvery(t *testing.T) {
	f := newSessionFixture(t)
	other := service.New(f.store, diffing.New(), MustPolicy(t))
	other.Clock = f.svc.Clock
	use := func(plain string) (*drafts.Session, error) {
		t.Helper()
		ses, _, err := other.GetSession(context.Background(), plain)
		return ses, err
	}
	// Renewed here: the other shows its new end.
	_, plain, err := f.svc.CreateSession(f.kz, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := use(plain); err != nil {
		t.Fatal(err)
	}
	f.advance(30 * time.Minute)
	renewed, err := f.svc.RenewSession(context.Background(), plain, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if ses, err := use(plain); err != nil || !ses.ExpiresAt.Equal(renewed.ExpiresAt) {
		t.Errorf("after a renewal elsewhere: %v, %v; want the session until %v", ses, err, renewed.ExpiresAt)
	}
	// Signed out here: refused there.
	if err := f.svc.DeleteSession(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	if _, err := use(plain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("a session signed out elsewhere: %v, want EUNAUTHORIZED", err)
	}
	// Its token revoked here: the session and the token refused there.
	tok, tplain, err := f.svc.IssueToken(f.sec, f.kzUserID)
	if err != nil {
		t.Fatal(err)
	}
	_, splain, err := f.svc.CreateSession(f.kz, tok.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := use(splain); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Authenticate(context.Background(), tplain); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RevokeToken(f.sec, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := use(splain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("a session whose token was revoked elsewhere: %v, want EUNAUTHORIZED", err)
	}
	if _, err := other.Authenticate(context.Background(), tplain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("a token revoked elsewhere: %v, want EUNAUTHORIZED", err)
	}
}

// TestTheRoomSharesOneReadOfCredentials: 20 readers, each with a token
// of their own that this replica read before, authenticate at once with
// one read of the credentials' epoch after the one under way, and no
// read of their tokens.
func TestTheRoomSharesOneReadOfCredentials(t *testing.T) {
	f := newSessionFixture(t)
	const readers = 20
	var plains []string
	for i := range readers {
		u := &drafts.User{Name: fmt.Sprintf("Delegate %d", i), Role: drafts.RoleDelegate, Delegation: "KZ"}
		plain, err := f.svc.CreateUser(f.sec, u)
		if err != nil {
			t.Fatal(err)
		}
		plains = append(plains, plain)
	}
	gate := newGatedReads(f.store, "credentials-epoch", false)
	close(gate.released) // nothing held until the room
	tokens := newCountingStore(gate)
	svc := service.New(tokens, diffing.New(), MustPolicy(t))
	for _, plain := range plains { // read once
		if _, err := svc.Authenticate(context.Background(), plain); err != nil {
			t.Fatal(err)
		}
	}
	gate.reset()
	tokens.take()
	next := make(chan string, readers)
	for _, plain := range plains {
		next <- plain
	}
	n := roomReads(t, svc, gate, readers, func() error {
		_, err := svc.Authenticate(context.Background(), <-next)
		return err
	})
	if n != 2 {
		t.Errorf("%d reads of the credentials' epoch for %d readers at once, want 2", n, readers)
	}
	if ops := tokens.take(); ops["get"] != 2 || len(ops) != 1 {
		t.Errorf("the room's authentications made %v, want the two reads of the epoch", ops)
	}
}

// failingEpoch fails the first change of the credentials' epoch, as a
// storage that stops answering would.
type failingEpoch struct {
	drafts.ObjectStore
	failed bool
}

func (f *failingEpoch) fail(key string) error {
	if !f.failed && strings.Contains(key, "credentials-epoch") {
		f.failed = true
		return drafts.Errorf(drafts.EUNAVAILABLE, "storage not answering")
	}
	return nil
}

func (f *failingEpoch) Create(ctx context.Context, key string, data []byte) (string, error) {
	if err := f.fail(key); err != nil {
		return "", err
	}
	return f.ObjectStore.Create(ctx, key, data)
}

func (f *failingEpoch) Update(ctx context.Context, key string, data []byte, ifMatch string) (string, error) {
	if err := f.fail(key); err != nil {
		return "", err
	}
	return f.ObjectStore.Update(ctx, key, data, ifMatch)
}

// TestSignOutAgainWhenTheEpochFailed: a sign-out that could not change
// the credentials' epoch says so, and signing out again (the session is
// gone) changes it: the replica that had read the session refuses it.
func TestSignOutAgainWhenTheEpochFailed(t *testing.T) {
	f := newSessionFixture(t)
	failing := service.New(&failingEpoch{ObjectStore: f.store}, diffing.New(), MustPolicy(t))
	failing.Clock = f.svc.Clock
	other := service.New(f.store, diffing.New(), MustPolicy(t))
	other.Clock = f.svc.Clock
	_, plain, err := f.svc.CreateSession(f.kz, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.GetSession(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	err = failing.DeleteSession(context.Background(), plain)
	if !drafts.IsCode(err, drafts.EUNAVAILABLE) || !strings.Contains(drafts.ErrorMessage(err), "sign out again") {
		t.Fatalf("a sign-out whose epoch failed: %v, want EUNAVAILABLE saying to sign out again", err)
	}
	if err := failing.DeleteSession(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.GetSession(context.Background(), plain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("after signing out again: %v, want EUNAUTHORIZED", err)
	}
}

// TestSessionIsOneRead: a web page's session, signed in with a token,
// costs one read once the replica has read both: the epoch, read once
// for the session and its token (on a replica that has not, the epoch,
// the session and the token).
func TestSessionIsOneRead(t *testing.T) {
	f := newSessionFixture(t)
	tok, _, err := f.svc.IssueToken(f.sec, f.kzUserID)
	if err != nil {
		t.Fatal(err)
	}
	_, plain, err := f.svc.CreateSession(f.kz, tok.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ops := newCountingStore(f.store)
	replica := service.New(ops, diffing.New(), MustPolicy(t))
	replica.Clock = f.svc.Clock
	for i, want := range []int{3, 1} {
		if _, _, err := replica.GetSession(context.Background(), plain); err != nil {
			t.Fatal(err)
		}
		if got := ops.take(); got["get"] != want || len(got) != 1 {
			t.Errorf("session check %d: %v, want %d reads", i+1, got, want)
		}
	}
}

// TestNewSessionIsKnownToItsReplica: the replica where a user signs in
// keeps the new session, so the next page reads only the credentials'
// epoch; signed out on another replica, it is refused all the same.
func TestNewSessionIsKnownToItsReplica(t *testing.T) {
	f := newSessionFixture(t)
	tok, tplain, err := f.svc.IssueToken(f.sec, f.kzUserID)
	if err != nil {
		t.Fatal(err)
	}
	ops := newCountingStore(f.store)
	replica := service.New(ops, diffing.New(), MustPolicy(t))
	replica.Clock = f.svc.Clock
	u, err := replica.Authenticate(context.Background(), tplain)
	if err != nil {
		t.Fatal(err)
	}
	_, plain, err := replica.CreateSession(drafts.NewContextWithUser(context.Background(), u), tok.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ops.take()
	if _, _, err := replica.GetSession(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	if got := ops.take(); got["get"] != 1 || len(got) != 1 {
		t.Errorf("the first page after signing in: %v, want the epoch's read alone", got)
	}
	other := service.New(f.store, diffing.New(), MustPolicy(t))
	other.Clock = f.svc.Clock
	if err := other.DeleteSession(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	if _, _, err := replica.GetSession(context.Background(), plain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("a session signed out on another replica: %v, want EUNAUTHORIZED", err)
	}
}

// TestNewTokenIsKnownToItsReplica: the replica that issues a token keeps
// it, so its first use reads only the credentials' epoch; revoked on
// another replica, it is refused all the same.
func TestNewTokenIsKnownToItsReplica(t *testing.T) {
	f := newSessionFixture(t)
	ops := newCountingStore(f.store)
	replica := service.New(ops, diffing.New(), MustPolicy(t))
	replica.Clock = f.svc.Clock
	tok, plain, err := replica.IssueToken(f.sec, f.kzUserID)
	if err != nil {
		t.Fatal(err)
	}
	ops.take()
	u, err := replica.Authenticate(context.Background(), plain)
	if err != nil || u.ID != f.kzUserID {
		t.Fatalf("Authenticate = %v, %v", u, err)
	}
	if got := ops.take(); got["get"] != 1 || len(got) != 1 {
		t.Errorf("the first use of a token issued here: %v, want the epoch's read alone", got)
	}
	if _, err := f.svc.RevokeToken(f.sec, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := replica.Authenticate(context.Background(), plain); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		t.Errorf("a token revoked on another replica: %v, want EUNAUTHORIZED", err)
	}
}
