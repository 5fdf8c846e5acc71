package service_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// TestRecoverAccess: a recovered token authenticates as the user, the
// recovery is in the directory's hash-chained audit trail, other tokens are
// revoked only when asked, and a tampered trail is reported.
func TestRecoverAccess(t *testing.T) {
	ctx := drafts.NewSystemContext(context.Background())
	local := MustOpenLocal(t)
	svc := service.New(local, diffing.New(), MustPolicy(t))
	first, err := svc.Bootstrap(ctx, "")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("unknown user", func(t *testing.T) {
		_, err := svc.RecoverAccess(ctx, drafts.RecoverAccessInput{User: "nobody"})
		if !drafts.IsCode(err, drafts.ENOTFOUND) {
			t.Fatalf("err = %v, want ENOTFOUND", err)
		}
	})

	keep, err := svc.RecoverAccess(ctx, drafts.RecoverAccessInput{User: "secretariat", Operator: "ops@host"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{first, keep.Plain} {
		u, err := svc.Authenticate(ctx, tok)
		if err != nil || u.ID != "secretariat" {
			t.Fatalf("Authenticate = %+v, %v; want the secretariat (both tokens work)", u, err)
		}
	}
	revoke, err := svc.RecoverAccess(ctx, drafts.RecoverAccessInput{User: "secretariat", Operator: "ops@host", RevokeOthers: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(revoke.Revoked), 2; got != want {
		t.Errorf("revoked %d tokens, want %d", got, want)
	}
	for _, tok := range []string{first, keep.Plain} {
		if _, err := svc.Authenticate(ctx, tok); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
			t.Errorf("an old token still authenticates after --revoke-others (err %v)", err)
		}
	}
	if _, err := svc.Authenticate(ctx, revoke.Plain); err != nil {
		t.Errorf("the new token does not authenticate: %v", err)
	}

	// The trail: the bootstrap (the user and its token), the first
	// recovery, the second and the two revocations it made.
	events, check, err := svc.DirectoryEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if want := []string{"user.create", "token.issue", "token.recover", "token.recover", "token.revoke", "token.revoke"}; !check.OK || check.Checked != 6 || !slices.Equal(actions, want) {
		t.Fatalf("trail = %v, check %+v; want %v, intact", actions, check, want)
	}
	var recovered *drafts.Event
	for i, e := range events {
		if i > 0 && e.PrevHash != events[i-1].Hash {
			t.Errorf("event %d does not chain to the one before", e.Seq)
		}
		if e.Action == "token.recover" {
			if e.Actor != "system" || !bytes.Contains([]byte(e.Detail), []byte("ops@host")) || e.Change != "token/"+e.Ref {
				t.Errorf("event %d = %+v, want token.recover by the system naming the operator and the token", e.Seq, e)
			}
			recovered = e
		}
	}
	if revoke.Event == nil || recovered == nil || revoke.Event.Seq != 4 || revoke.Event.Hash != events[3].Hash {
		t.Errorf("RecoverAccess reported event %+v, want the trail's event 4", revoke.Event)
	}

	t.Run("needs the permission", func(t *testing.T) {
		kz := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember})
		if _, err := svc.RecoverAccess(kz, drafts.RecoverAccessInput{User: "secretariat"}); !drafts.IsCode(err, drafts.EFORBIDDEN) {
			t.Errorf("a delegate recovering access: err = %v, want EFORBIDDEN", err)
		}
		if _, err := svc.RecoverAccess(context.Background(), drafts.RecoverAccessInput{User: "secretariat"}); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
			t.Errorf("nobody recovering access: err = %v, want EUNAUTHORIZED", err)
		}
	})

	t.Run("tampered", func(t *testing.T) {
		key := "directory/events/000000000003.json"
		obj, err := local.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		altered := bytes.Replace(obj.Data, []byte("ops@host"), []byte("someone"), 1)
		if _, err := local.Update(ctx, key, altered, obj.ETag); err != nil {
			t.Fatal(err)
		}
		_, check, err := svc.DirectoryEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if check.OK || check.FirstBad == nil || *check.FirstBad != 3 {
			t.Errorf("check = %+v, want damaged at event 3", check)
		}
	})
}
