package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// manualTicks is a clock for the live watchers that ticks when the test
// says, and tells the test when each poll is over.
type manualTicks struct {
	mu     sync.Mutex
	chans  []chan time.Time
	made   chan struct{}
	polled chan string
}

func newManualTicks(svc ...*service.Service) *manualTicks {
	m := &manualTicks{made: make(chan struct{}, 100), polled: make(chan string, 100)}
	for _, s := range svc {
		s.Live.NewTicker = m.New
		service.AfterPoll(s, func(doc string) { m.polled <- doc })
	}
	return m
}

// New is LiveOptions.NewTicker.
func (m *manualTicks) New(time.Duration) (<-chan time.Time, func()) {
	c := make(chan time.Time)
	m.mu.Lock()
	m.chans = append(m.chans, c)
	m.mu.Unlock()
	m.made <- struct{}{}
	return c, func() {}
}

// waitTicker waits for a watcher to start.
func (m *manualTicks) waitTicker(t *testing.T) {
	t.Helper()
	select {
	case <-m.made:
	case <-time.After(10 * time.Second):
		t.Fatal("no watcher started")
	}
}

// tick makes the last watcher started poll n times, each to its end.
func (m *manualTicks) tick(t *testing.T, n int) {
	t.Helper()
	m.mu.Lock()
	c := m.chans[len(m.chans)-1]
	m.mu.Unlock()
	for i := 0; i < n; i++ {
		select {
		case c <- time.Now():
		case <-time.After(10 * time.Second):
			t.Fatal("the watcher does not take its tick")
		}
		select {
		case <-m.polled:
		case <-time.After(10 * time.Second):
			t.Fatal("the watcher's poll does not end")
		}
	}
}

// collector reads a subscription in the background.
type collector struct {
	mu     sync.Mutex
	events []*drafts.Event
	err    error
	done   chan struct{}
}

func collect(sub drafts.Subscription) *collector {
	c := &collector{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			es, err := sub.Next(context.Background())
			c.mu.Lock()
			c.events = append(c.events, es...)
			c.err = err
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return c
}

// seqs returns the numbers of the events received so far.
func (c *collector) seqs() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int64, len(c.events))
	for i, e := range c.events {
		out[i] = e.Seq
	}
	return out
}

// waitFor waits until the collector has n events.
func (c *collector) waitFor(t *testing.T, n int) []int64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := c.seqs()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("received %v, want %d events", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// trail returns the sequence numbers of a document's whole trail.
func trail(t *testing.T, svc *service.Service, doc string) []int64 {
	t.Helper()
	page, err := svc.ListEvents(drafts.NewSystemContext(context.Background()), doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int64, len(page.Items))
	for i, e := range page.Items {
		out[i] = e.Seq
	}
	return out
}

func comment(t *testing.T, f *fixture, svc *service.Service, proposal string) {
	t.Helper()
	if _, err := svc.CommentProposal(f.kz, f.doc, proposal, "A comment.", ""); err != nil {
		t.Fatal(err)
	}
}

func propose(t *testing.T, f *fixture, text string) *drafts.Proposal {
	t.Helper()
	p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: f.v.Number, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[0].ID, Text: text}}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLiveIdleCostIsOneReadPerInterval: a watched document costs one
// storage read per interval, with one subscriber or a thousand.
func TestLiveIdleCostIsOneReadPerInterval(t *testing.T) {
	store := newCountingStore(MustOpenLocal(t))
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	f.svc.Live.MaxStreams, f.svc.Live.MaxStreamsPerUser = 2000, 2000
	m := newManualTicks(f.svc)
	first, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	m.waitTicker(t)
	const ticks = 30
	store.take()
	m.tick(t, ticks)
	one := store.take()
	for i := 0; i < 999; i++ {
		sub, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
	}
	if n, w := f.svc.LiveStreams(); n != 1000 || w != 1 {
		t.Fatalf("%d subscriptions on %d watchers, want 1000 on 1", n, w)
	}
	store.take()
	m.tick(t, ticks)
	thousand := store.take()
	if total(one) != ticks || total(thousand) != total(one) || thousand["get"] != ticks {
		t.Fatalf("%d intervals cost %v with one subscriber, %v with 1000; want one read each", ticks, one, thousand)
	}
}

// TestLiveFollowsOtherReplicas: a subscriber of one service receives, in
// order and each once, the events another service (a replica on the same
// storage) records, among them a merge's.
func TestLiveFollowsOtherReplicas(t *testing.T) {
	store := MustOpenLocal(t)
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	b := service.New(store, diffing.New(), MustPolicy(t))
	m := newManualTicks(b)
	sub, err := b.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	m.waitTicker(t)
	before := len(trail(t, f.svc, f.doc))
	c := collect(sub)
	p := propose(t, f, "Uno.")
	if _, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{p.ID}, Message: "m"}); err != nil {
		t.Fatal(err)
	}
	all := trail(t, f.svc, f.doc)
	m.tick(t, 1)
	got := c.waitFor(t, len(all)-before)
	if fmt.Sprint(got) != fmt.Sprint(all[before:]) {
		t.Fatalf("received %v, want %v", got, all[before:])
	}
	c.mu.Lock()
	actions := []string{}
	for _, e := range c.events {
		actions = append(actions, e.Action)
	}
	c.mu.Unlock()
	if fmt.Sprint(actions) != "[proposal.create merge proposal.accepted]" {
		t.Fatalf("actions %v", actions)
	}
}

// TestLiveResumeMissesNothing: a subscriber that comes back after event k
// gets every event after k, those recorded while it was away from storage
// and the new ones from the watcher, once each and in order.
func TestLiveResumeMissesNothing(t *testing.T) {
	store := MustOpenLocal(t)
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	m := newManualTicks(f.svc)
	p := propose(t, f, "Uno.")
	first, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	m.waitTicker(t)
	c1 := collect(first)
	comment(t, f, f.svc, p.ID)
	m.tick(t, 1)
	got1 := c1.waitFor(t, 1)
	first.Close() // the connection drops
	<-c1.done
	for i := 0; i < 3; i++ { // while it is away
		comment(t, f, f.svc, p.ID)
	}
	m.tick(t, 1) // the watcher lingers and moves on
	last := got1[len(got1)-1]
	second, err := f.svc.Subscribe(f.kz, f.doc, last)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	c2 := collect(second)
	comment(t, f, f.svc, p.ID)
	m.tick(t, 1)
	all := trail(t, f.svc, f.doc)
	var want []int64
	for _, s := range all {
		if s > last {
			want = append(want, s)
		}
	}
	if got := c2.waitFor(t, len(want)); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after resuming from %d: %v, want %v", last, got, want)
	}
	// From the start: the whole trail.
	third, err := f.svc.Subscribe(f.kz, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if got := collect(third).waitFor(t, len(all)); fmt.Sprint(got) != fmt.Sprint(all) {
		t.Fatalf("from 0: %v, want %v", got, all)
	}
}

// TestLiveSeesEventsPastALaggingHint: the trail's head hint may lag behind
// the events (a writer that lost the race to update it); the watcher still
// sees every event that is stored.
func TestLiveSeesEventsPastALaggingHint(t *testing.T) {
	store := MustOpenLocal(t)
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	m := newManualTicks(f.svc)
	p := propose(t, f, "Uno.")
	sub, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	m.waitTicker(t)
	c := collect(sub)
	comment(t, f, f.svc, p.ID)
	// The hint goes back, as if the comment's writer had lost its update.
	ctx := context.Background()
	obj, err := store.Get(ctx, "texts/"+f.doc+"/events-head.json")
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	}
	if err := json.Unmarshal(obj.Data, &head); err != nil {
		t.Fatal(err)
	}
	head.Seq -= 2
	data, _ := json.Marshal(head)
	if _, err := store.Update(ctx, obj.Key, data, obj.ETag); err != nil {
		t.Fatal(err)
	}
	m.tick(t, 1)
	all := trail(t, f.svc, f.doc)
	if got := c.waitFor(t, 1); got[0] != all[len(all)-1] {
		t.Fatalf("received %v, want the comment's event %d", got, all[len(all)-1])
	}
}

// TestLiveConcurrentWriters: two replicas recording at once; the
// subscriber gets the whole trail as stored, in order, nothing twice.
func TestLiveConcurrentWriters(t *testing.T) {
	store := MustOpenLocal(t)
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	b := service.New(store, diffing.New(), MustPolicy(t))
	m := newManualTicks(f.svc)
	p := propose(t, f, "Uno.")
	start := trail(t, f.svc, f.doc)
	sub, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	m.waitTicker(t)
	c := collect(sub)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, svc := range []*service.Service{f.svc, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				if _, err := svc.CommentProposal(f.kz, f.doc, p.ID, "Busy.", ""); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	go func() { wg.Wait(); close(stop) }()
	for running := true; running; {
		select {
		case <-stop:
			running = false
		default:
			m.tick(t, 1)
		}
	}
	m.tick(t, 1)
	all := trail(t, f.svc, f.doc)
	want := all[len(start):]
	if got := c.waitFor(t, len(want)); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("received %v, want %v", got, want)
	}
}

// TestLiveBounds: past the bounds per process and per user, a
// subscription is refused with EUNAVAILABLE; closing one frees its place.
func TestLiveBounds(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n")
	f.svc.Live.MaxStreams, f.svc.Live.MaxStreamsPerUser = 3, 2
	newManualTicks(f.svc)
	a1, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow); !drafts.IsCode(err, drafts.EUNAVAILABLE) {
		t.Fatalf("a user's third stream: %v, want EUNAVAILABLE", err)
	}
	if _, err := f.svc.Subscribe(f.chair, f.doc, drafts.LiveFromNow); err != nil {
		t.Fatal(err)
	}
	other := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "in", Role: drafts.RoleDelegate, Delegation: "IN", DelegationStatus: drafts.StatusMember})
	if _, err := f.svc.Subscribe(other, f.doc, drafts.LiveFromNow); !drafts.IsCode(err, drafts.EUNAVAILABLE) {
		t.Fatalf("the process's fourth stream: %v, want EUNAVAILABLE", err)
	}
	a1.Close()
	a1.Close() // twice is harmless
	if _, err := f.svc.Subscribe(other, f.doc, drafts.LiveFromNow); err != nil {
		t.Fatalf("after a close: %v", err)
	}
	if _, err := f.svc.Subscribe(f.kz, f.doc, -2); !drafts.IsCode(err, drafts.EINVALID) {
		t.Fatalf("after -2: %v, want EINVALID", err)
	}
}

// TestLiveSlowSubscriberEnded: a subscriber that lets more events than
// its backlog wait is ended, and can resume from storage.
func TestLiveSlowSubscriberEnded(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n")
	f.svc.Live.Backlog = 2
	m := newManualTicks(f.svc)
	p := propose(t, f, "Uno.")
	sub, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	m.waitTicker(t)
	for i := 0; i < 3; i++ {
		comment(t, f, f.svc, p.ID)
	}
	m.tick(t, 1)
	if _, err := sub.Next(context.Background()); !drafts.IsCode(err, drafts.EUNAVAILABLE) {
		t.Fatalf("a subscriber behind by 3 with a backlog of 2: %v, want EUNAVAILABLE", err)
	}
}

// TestLiveWatcherRetires: a watcher without subscribers stops after
// Linger intervals.
func TestLiveWatcherRetires(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n")
	f.svc.Live.Linger = 3
	m := newManualTicks(f.svc)
	sub, err := f.svc.Subscribe(f.kz, f.doc, drafts.LiveFromNow)
	if err != nil {
		t.Fatal(err)
	}
	m.waitTicker(t)
	sub.Close()
	m.tick(t, 3)
	if n, w := f.svc.LiveStreams(); n != 0 || w != 0 {
		t.Fatalf("%d subscriptions, %d watchers after the linger; want none", n, w)
	}
}

// TestFocus: the chair sets and clears the provision under discussion;
// each change is an event, a repeat is not.
func TestFocus(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n")
	got, err := f.svc.GetFocus(f.kz, f.doc)
	if err != nil || got.Provision != "" {
		t.Fatalf("before: %+v, %v", got, err)
	}
	prov := f.v.Provisions[1]
	set, err := f.svc.SetFocus(f.chair, f.doc, prov.ID)
	if err != nil {
		t.Fatal(err)
	}
	if set.Provision != prov.ID || set.Number != "2" || set.SetBy != "chair" || set.Version != 1 {
		t.Fatalf("set %+v", set)
	}
	n := len(trail(t, f.svc, f.doc))
	if _, err := f.svc.SetFocus(f.chair, f.doc, prov.ID); err != nil {
		t.Fatal(err)
	}
	if got := len(trail(t, f.svc, f.doc)); got != n {
		t.Fatalf("setting the same focus again recorded %d events", got-n)
	}
	if got, err := f.svc.GetFocus(f.kz, f.doc); err != nil || got.Provision != prov.ID || got.Number != "2" {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if _, err := f.svc.SetFocus(f.chair, f.doc, "nosuch"); !drafts.IsCode(err, drafts.EINVALID) || drafts.AsError(err).Fields[0].Field != "provision" {
		t.Fatalf("an unknown provision: %v", err)
	}
	if _, err := f.svc.SetFocus(f.chair, f.doc, ""); err != nil {
		t.Fatal(err)
	}
	page, err := f.svc.ListEvents(f.kz, f.doc, drafts.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	es := page.Items
	if len(es) < 2 || es[len(es)-2].Action != drafts.ActionFocusSet || es[len(es)-2].Ref != prov.ID || es[len(es)-2].Detail != "2" ||
		es[len(es)-1].Action != drafts.ActionFocusClear || es[len(es)-1].Actor != "chair" {
		t.Fatalf("events %+v %+v", es[len(es)-2], es[len(es)-1])
	}
	if got, _ := f.svc.GetFocus(f.kz, f.doc); got.Provision != "" {
		t.Fatalf("after clearing: %+v", got)
	}
}
