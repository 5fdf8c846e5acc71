package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/corpus"
	"chancery/render"
	"chancery/service"
)

// forum is a service with delegations KZ, IN and CN (members) and JP
// (observer), their delegates, a chair of SWG, an observer, and the
// sample road map as a members-only document.
type forum struct {
	svc                         *service.Service
	chair, kz, kz2, in, cn, obs context.Context
	jp                          context.Context // a delegate of an observer delegation
	doc                         string
	v                           *drafts.Version
}

func newForum(t testing.TB, store drafts.ObjectStore, visibility string) *forum {
	t.Helper()
	svc := service.New(store, diffing.New(), MustPolicy(t))
	svc.Renderer = render.New(render.WithDeterministic(true))
	sys := drafts.NewSystemContext(context.Background())
	for _, d := range []drafts.Delegation{{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember}, {ID: "IN", Name: "India", Status: drafts.StatusMember},
		{ID: "CN", Name: "China", Status: drafts.StatusMember}, {ID: "JP", Name: "Japan", Status: drafts.StatusObserver}} {
		if err := svc.CreateDelegation(sys, &d); err != nil {
			t.Fatal(err)
		}
	}
	as := func(u drafts.User) context.Context { return drafts.NewContextWithUser(context.Background(), &u) }
	delegate := func(id, del, status string) context.Context {
		return as(drafts.User{ID: id, Role: drafts.RoleDelegate, Delegation: del, DelegationStatus: status})
	}
	f := &forum{svc: svc,
		chair: as(drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"}),
		kz:    delegate("kz", "KZ", drafts.StatusMember), kz2: delegate("kz2", "KZ", drafts.StatusMember),
		in: delegate("in", "IN", drafts.StatusMember), cn: delegate("cn", "CN", drafts.StatusMember),
		jp:  delegate("jp", "JP", drafts.StatusObserver),
		obs: as(drafts.User{ID: "obs", Role: drafts.RoleObserver, Delegation: "JP", DelegationStatus: drafts.StatusObserver}),
	}
	d, v, err := svc.CreateDocument(f.chair, &drafts.Document{Symbol: nextSymbol(), Title: "Draft Road Map", Kind: "road-map", Body: "SWG", Language: "en", Visibility: visibility},
		corpus.Must(t, "sample-draft-road-map.txt"))
	if err != nil {
		t.Fatal(err)
	}
	f.doc, f.v = d.ID, v
	return f
}

// para returns the id of paragraph n ("6.") of version v.
func para(t testing.TB, v *drafts.Version, n string) string {
	t.Helper()
	for _, p := range v.Provisions {
		if p.Number == n {
			return p.ID
		}
	}
	t.Fatalf("no paragraph %s", n)
	return ""
}

func (f *forum) record(t testing.TB, ctx context.Context, provision, kind, text string) *drafts.Position {
	t.Helper()
	p, err := f.svc.RecordPosition(ctx, f.doc, drafts.PositionInput{Provision: provision, Kind: kind, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *forum) status(t testing.TB, provision, status string) {
	t.Helper()
	d, err := f.svc.GetDocument(f.chair, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SetProvisionStatus(f.chair, f.doc, d.Head, provision, status, ""); err != nil {
		t.Fatal(err)
	}
}

// notAgreed checks that err is ENOTAGREED listing exactly want
// ("bracketed 7." or "cannot-join KZ"), and that its words name them.
func notAgreed(t *testing.T, err error, v *drafts.Version, want ...string) {
	t.Helper()
	e := drafts.AsError(err)
	if e == nil || e.Code != drafts.ENOTAGREED {
		t.Fatalf("err = %v, want not_agreed", err)
	}
	var got []string
	for _, o := range e.NotAgreed {
		switch o.Reason {
		case drafts.ProvisionBracketed:
			p, _ := v.Provision(o.Provision)
			got = append(got, "bracketed "+p.Number)
			if !strings.Contains(e.Message, "paragraph "+strings.TrimSuffix(p.Number, ".")+" is in square brackets") {
				t.Errorf("message %q does not name paragraph %s", e.Message, p.Number)
			}
		default:
			got = append(got, o.Reason+" "+o.Delegation)
			if !strings.Contains(e.Message, o.DelegationName+" ("+o.Delegation+") cannot join consensus") {
				t.Errorf("message %q does not name %s", e.Message, o.Delegation)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("not agreed: %q, want %q", got, want)
	}
}

// TestAdoptionGuarded: a bracketed provision and a cannot-join position
// each keep a round from opening and a consensus round from closing, with
// 409 not_agreed naming them; once they are gone, the round opens and
// closes.
func TestAdoptionGuarded(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityMembers)
	p6, p7 := para(t, f.v, "6."), para(t, f.v, "7.")
	consensus := drafts.AdoptionInput{Procedure: drafts.ProcedureConsensus}

	f.status(t, p7, drafts.ProvisionBracketed)
	_, err := f.svc.OpenAdoption(f.chair, f.doc, consensus)
	notAgreed(t, err, f.v, "bracketed 7.")

	cj := f.record(t, f.kz, p6, drafts.PositionCannotJoin, "The deadline is too short.")
	_, err = f.svc.OpenAdoption(f.chair, f.doc, consensus)
	notAgreed(t, err, f.v, "bracketed 7.", "cannot-join KZ")

	f.status(t, p7, drafts.ProvisionAgreed)
	_, err = f.svc.OpenAdoption(f.chair, f.doc, consensus)
	notAgreed(t, err, f.v, "cannot-join KZ")

	// Any delegate of Kazakhstan withdraws it: the round opens.
	if _, err := f.svc.WithdrawPosition(f.kz2, f.doc, cj.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.OpenAdoption(f.chair, f.doc, consensus); err != nil {
		t.Fatal(err)
	}
	// During the round: a bracket, then a cannot-join, keep it from closing.
	f.status(t, p7, drafts.ProvisionBracketed)
	_, err = f.svc.CloseAdoption(f.chair, f.doc)
	notAgreed(t, err, f.v, "bracketed 7.")
	f.status(t, p7, drafts.ProvisionAgreed)
	cj = f.record(t, f.in, "", drafts.PositionCannotJoin, "Not without a review clause.")
	_, err = f.svc.CloseAdoption(f.chair, f.doc)
	notAgreed(t, err, f.v, "cannot-join IN")
	if r, err := f.svc.GetAdoption(f.chair, f.doc); err != nil || r.State != drafts.RoundOpen {
		t.Fatalf("after the refused close: %+v, %v", r, err)
	}
	if _, err := f.svc.WithdrawPosition(f.in, f.doc, cj.ID); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.CloseAdoption(f.chair, f.doc)
	if err != nil || r.State != drafts.RoundAdopted {
		t.Fatalf("close: %+v, %v", r, err)
	}
}

// TestFailingRoundClosesWhateverTheText: a round with an objection closes
// as failed even while a provision is bracketed: only adoption is guarded.
func TestFailingRoundClosesWhateverTheText(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityMembers)
	if _, err := f.svc.OpenAdoption(f.chair, f.doc, drafts.AdoptionInput{Procedure: drafts.ProcedureConsensus}); err != nil {
		t.Fatal(err)
	}
	f.status(t, para(t, f.v, "7."), drafts.ProvisionBracketed)
	if _, err := f.svc.Object(f.kz, f.doc, "Not yet."); err != nil {
		t.Fatal(err)
	}
	if r, err := f.svc.CloseAdoption(f.chair, f.doc); err != nil || r.State != drafts.RoundFailed {
		t.Fatalf("close: %+v, %v", r, err)
	}
}

// TestCannotJoinBreaksNoSilence: during a silence procedure a delegation
// that cannot join is told to object, which breaks silence.
func TestCannotJoinBreaksNoSilence(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityMembers)
	dl := f.svc.Now().AddDate(0, 0, 5)
	if _, err := f.svc.OpenAdoption(f.chair, f.doc, drafts.AdoptionInput{Procedure: drafts.ProcedureSilence, Deadline: &dl}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.RecordPosition(f.kz, f.doc, drafts.PositionInput{Kind: drafts.PositionCannotJoin, Text: "No."})
	if !drafts.IsCode(err, drafts.ECONFLICT) || !strings.Contains(drafts.ErrorMessage(err), "breaks silence") {
		t.Fatalf("cannot-join during silence: %v", err)
	}
	if _, err := f.svc.RecordPosition(f.kz, f.doc, drafts.PositionInput{Kind: drafts.PositionStatement, Text: "We read it as non-binding."}); err != nil {
		t.Fatalf("a statement during silence: %v", err)
	}
}

// TestSilenceNotAgreedAtDeadline: a provision bracketed during a silence
// procedure keeps the text from adoption at the deadline: the round fails,
// with an event that says why, and the document goes back to negotiation.
func TestSilenceNotAgreedAtDeadline(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityMembers)
	now := f.svc.Now()
	dl := now.AddDate(0, 0, 5)
	if _, err := f.svc.OpenAdoption(f.chair, f.doc, drafts.AdoptionInput{Procedure: drafts.ProcedureSilence, Deadline: &dl}); err != nil {
		t.Fatal(err)
	}
	f.status(t, para(t, f.v, "7."), drafts.ProvisionBracketed)
	f.svc.Clock = func() time.Time { return dl.Add(time.Minute) }
	if err := f.svc.SettleDue(drafts.NewSystemContext(context.Background())); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.GetAdoption(f.chair, f.doc)
	if err != nil || r.State != drafts.RoundFailed {
		t.Fatalf("after the deadline: %+v, %v; want the round failed", r, err)
	}
	d, err := f.svc.GetDocument(f.chair, f.doc)
	if err != nil || d.State != drafts.StateNegotiation || d.Adopted != 0 {
		t.Fatalf("document after the deadline: %+v, %v", d, err)
	}
	page, err := f.svc.ListEvents(f.chair, f.doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var saw bool
	for _, e := range page.Items {
		if e.Action == "adoption.not_agreed" {
			saw = strings.Contains(e.Detail, "paragraph 7 is in square brackets")
		}
		if e.Action == "adoption.adopted" {
			t.Errorf("adopted though not agreed: %+v", e)
		}
	}
	if !saw {
		t.Errorf("no adoption.not_agreed event naming paragraph 7 in %+v", page.Items)
	}
}

// TestAwaiting lists exactly the member delegations that have neither
// consented nor objected, never an observer delegation.
func TestAwaiting(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityObservers)
	r, err := f.svc.OpenAdoption(f.chair, f.doc, drafts.AdoptionInput{Procedure: drafts.ProcedureConsensus})
	if err != nil {
		t.Fatal(err)
	}
	check := func(r *drafts.AdoptionRound, want ...string) {
		t.Helper()
		if !slices.Equal(r.Awaiting, want) || r.Awaiting == nil {
			t.Fatalf("awaiting = %q, want %q", r.Awaiting, want)
		}
	}
	check(r, "CN", "IN", "KZ")
	if r, err = f.svc.Consent(f.kz, f.doc); err != nil {
		t.Fatal(err)
	}
	check(r, "CN", "IN")
	if r, err = f.svc.Object(f.in, f.doc, "Paragraph 7."); err != nil {
		t.Fatal(err)
	}
	check(r, "CN")
	for _, ctx := range []context.Context{f.chair, f.obs, f.kz} {
		if r, err = f.svc.GetAdoption(ctx, f.doc); err != nil {
			t.Fatal(err)
		}
		check(r, "CN")
	}
	if r, err = f.svc.Consent(f.in, f.doc); err != nil { // changes its mind
		t.Fatal(err)
	}
	check(r, "CN")
	if r, err = f.svc.CloseAdoption(f.chair, f.doc); err != nil || r.State != drafts.RoundAdopted {
		t.Fatalf("close: %+v, %v", r, err)
	}
	check(r, "CN") // silence is consent: the record keeps who was silent
}

// TestObserversAndPositions: observers and observer delegations cannot
// record a position (EFORBIDDEN), and see only the positions their
// delegations made visible to observers, in lists, the state of play and
// its prints; a members-only document's positions do not exist for them.
func TestObserversAndPositions(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityObservers)
	p6 := para(t, f.v, "6.")
	for _, ctx := range []context.Context{f.obs, f.jp, f.chair} {
		_, err := f.svc.RecordPosition(ctx, f.doc, drafts.PositionInput{Provision: p6, Kind: drafts.PositionSupport})
		if e := drafts.AsError(err); e == nil || e.Code != drafts.EFORBIDDEN || e.Permission != drafts.ActPositionCreate {
			t.Fatalf("recording as a non-member: %v", err)
		}
	}
	hidden := f.record(t, f.kz, p6, drafts.PositionCannotJoin, "Members only.")
	open, err := f.svc.RecordPosition(f.in, f.doc, drafts.PositionInput{Provision: p6, Kind: drafts.PositionReservation, Text: "For all to see.", Visibility: drafts.VisibilityObservers})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ctx context.Context) []string {
		page, err := f.svc.ListPositions(ctx, f.doc, 0, drafts.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range page.Items {
			out = append(out, p.ID)
		}
		return out
	}
	if got := ids(f.kz); !slices.Equal(got, []string{hidden.ID, open.ID}) {
		t.Errorf("a member lists %q", got)
	}
	for _, ctx := range []context.Context{f.obs, f.jp} {
		if got := ids(ctx); !slices.Equal(got, []string{open.ID}) {
			t.Errorf("an observer lists %q, want only %s", got, open.ID)
		}
		st, err := f.svc.StateOfPlay(ctx, f.doc)
		if err != nil {
			t.Fatal(err)
		}
		if st.OpenPositions != 1 || len(st.NotAgreed) != 0 {
			t.Errorf("an observer's state of play: %d positions, not agreed %+v", st.OpenPositions, st.NotAgreed)
		}
		html, err := f.svc.StateOfPlayHTML(ctx, f.doc)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(html), "Members only.") || !strings.Contains(string(html), "For all to see.") {
			t.Errorf("an observer's state of play shows the wrong positions")
		}
		if _, err := f.svc.WithdrawPosition(ctx, f.doc, hidden.ID); !drafts.IsCode(err, drafts.ENOTFOUND) {
			t.Errorf("an observer withdrawing a hidden position: %v, want ENOTFOUND", err)
		}
	}
	// On a members-only document, nothing of it exists for them.
	m := newForum(t, MustOpenLocal(t), drafts.VisibilityMembers)
	m.record(t, m.kz, "", drafts.PositionSupport, "")
	for _, ctx := range []context.Context{m.obs, m.jp} {
		if _, err := m.svc.ListPositions(ctx, m.doc, 0, drafts.ListOptions{}); !drafts.IsCode(err, drafts.ENOTFOUND) {
			t.Errorf("an observer lists a members-only document's positions: %v", err)
		}
		if _, err := m.svc.StateOfPlay(ctx, m.doc); !drafts.IsCode(err, drafts.ENOTFOUND) {
			t.Errorf("an observer reads a members-only document's state of play: %v", err)
		}
	}
}

// TestPositionsCarryOver: a position on paragraph 6 survives a merge that
// changes paragraph 8, stands on an earlier text after a merge that
// changes paragraph 6, and is current again once confirmed; every change
// of a position is an event, and the trail verifies.
func TestPositionsCarryOver(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityMembers)
	p6, p8 := para(t, f.v, "6."), para(t, f.v, "8.")
	res := f.record(t, f.kz, p6, drafts.PositionReservation, "Consensus must stay the rule.")
	if res.Standing != drafts.StandingCurrent || res.Number != "paragraph 6" || res.Version != 1 || res.DelegationName != "Kazakhstan" {
		t.Fatalf("recorded %+v", res)
	}
	if _, err := f.svc.RecordPosition(f.kz2, f.doc, drafts.PositionInput{Provision: p6, Kind: drafts.PositionReservation, Text: "Again."}); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Fatalf("a second open reservation of KZ on paragraph 6: %v, want ECONFLICT", err)
	}
	merge := func(provision, text string, base int) {
		t.Helper()
		p, err := f.svc.CreateProposal(f.in, f.doc, drafts.ProposalInput{Base: base, Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: provision, Text: text}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: base, Proposals: []string{p.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	standing := func(n int) *drafts.Position {
		t.Helper()
		page, err := f.svc.ListPositions(f.kz, f.doc, n, drafts.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].ID != res.ID {
			t.Fatalf("version %d: positions %+v", n, page.Items)
		}
		return page.Items[0]
	}
	merge(p8, "A Member State breaking silence shall state its reasons in writing.", 1)
	if got := standing(0); got.Standing != drafts.StandingCurrent {
		t.Fatalf("after a merge changing paragraph 8: %s", got.Standing)
	}
	merge(p6, "All decisions shall be taken by consensus.", 2)
	if got := standing(0); got.Standing != drafts.StandingEarlierText || got.Version != 1 {
		t.Fatalf("after a merge changing paragraph 6: %s (version %d)", got.Standing, got.Version)
	}
	if got := standing(2); got.Standing != drafts.StandingCurrent {
		t.Fatalf("read with version 2: %s", got.Standing)
	}
	st, err := f.svc.StateOfPlay(f.chair, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range st.Items {
		if it.ID == p6 {
			found = len(it.Positions) == 1 && it.Positions[0].Standing == drafts.StandingEarlierText
		}
	}
	if !found {
		t.Fatal("the state of play does not show the reservation on an earlier text under paragraph 6")
	}
	if _, err := f.svc.ConfirmPosition(f.in, f.doc, res.ID, ""); !drafts.IsCode(err, drafts.EFORBIDDEN) {
		t.Fatalf("another delegation confirming: %v, want EFORBIDDEN", err)
	}
	got, err := f.svc.ConfirmPosition(f.kz2, f.doc, res.ID, "Consensus, and only consensus.")
	if err != nil {
		t.Fatal(err)
	}
	if got.Standing != drafts.StandingCurrent || got.Version != 3 || got.Since != 1 || got.Text != "Consensus, and only consensus." {
		t.Fatalf("confirmed: %+v", got)
	}
	if _, err := f.svc.WithdrawPosition(f.kz, f.doc, res.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.WithdrawPosition(f.kz, f.doc, res.ID); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Fatalf("withdrawing twice: %v", err)
	}
	// Open in versions 1 to 3 before the withdrawal, in none now.
	if page, _ := f.svc.ListPositions(f.kz, f.doc, 0, drafts.ListOptions{}); len(page.Items) != 0 {
		t.Fatalf("withdrawn but listed: %+v", page.Items)
	}
	standing(2)
	events, err := f.svc.ListEvents(f.chair, f.doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events.Items {
		if strings.HasPrefix(e.Action, "position.") {
			actions = append(actions, e.Action+" "+e.Delegation)
		}
	}
	if want := []string{"position.record KZ", "position.confirm KZ", "position.withdraw KZ"}; !slices.Equal(actions, want) {
		t.Fatalf("events %q, want %q", actions, want)
	}
	if v, err := f.svc.VerifyEvents(f.chair, f.doc); err != nil || !v.OK {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// eventlessStore refuses to write audit events, as storage that failed
// between a change and its event would.
type eventlessStore struct{ drafts.ObjectStore }

func (s *eventlessStore) Create(ctx context.Context, key string, data []byte) (string, error) {
	if strings.Contains(key, "/events/") {
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "storage down")
	}
	return s.ObjectStore.Create(ctx, key, data)
}

// TestPositionEventCompletedLate: a position recorded when its event
// could not be written is stored but not acknowledged (503, saying it was
// saved), a change without an event: verification names it, and
// completion (as at the next start) writes its event, once.
func TestPositionEventCompletedLate(t *testing.T) {
	local := MustOpenLocal(t)
	f := newForum(t, local, drafts.VisibilityMembers)
	down := service.New(&eventlessStore{local}, diffing.New(), MustPolicy(t))
	_, err := down.RecordPosition(f.kz, f.doc, drafts.PositionInput{Provision: para(t, f.v, "6."), Kind: drafts.PositionReservation, Text: "Ours."})
	if !drafts.IsCode(err, drafts.EUNAVAILABLE) || !strings.Contains(err.Error(), "saved") {
		t.Fatalf("recording with the trail unwritable: %v, want EUNAVAILABLE saying the change was saved", err)
	}
	page, err := f.svc.ListPositions(f.kz, f.doc, 0, drafts.ListOptions{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("positions stored: %+v, %v", page, err)
	}
	p := page.Items[0]
	// After the restart: nothing of the change's event was written.
	v, err := f.svc.VerifyEvents(f.chair, f.doc)
	if err != nil || v.OK || !slices.Equal(v.Unrecorded, []string{"positions/1"}) {
		t.Fatalf("verification before completion: %+v, %v", v, err)
	}
	for i, want := range []int{1, 0} {
		if n, err := f.svc.CompleteEvents(drafts.NewSystemContext(context.Background()), f.doc); err != nil || n != want {
			t.Fatalf("completion %d wrote %d events (%v), want %d", i+1, n, err, want)
		}
	}
	if v, err := f.svc.VerifyEvents(f.chair, f.doc); err != nil || !v.OK {
		t.Fatalf("verification after completion: %+v, %v", v, err)
	}
	events, err := f.svc.ListEvents(f.chair, f.doc, drafts.ListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	last := events.Items[len(events.Items)-1]
	if last.Action != "position.record" || last.Ref != p.ID || last.Delegation != "KZ" || !strings.Contains(last.Detail, "recorded late") {
		t.Fatalf("the completed event: %+v", last)
	}
}
