package service_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
	"chancery/storage/s3test"
	"chancery/webhook"
)

// TestWebhookEachEventOnceAcrossReplicas: two replicas on one MinIO
// bucket record events and run the webhook passes at once, as fast as
// they can; the endpoint receives every event once.
func TestWebhookEachEventOnceAcrossReplicas(t *testing.T) {
	store := s3test.StartMinIO(t).MustOpen(t)
	f := MustFixture(t, store, "1. One.\n\n2. Two.\n")
	b := service.New(store, diffing.New(), MustPolicy(t))
	r := newReceiver(t)
	replicas := []*service.Service{f.svc, b}
	for _, s := range replicas {
		s.Webhooks = service.WebhookOptions{Sender: webhook.New(loopback), Networks: loopback}
	}
	sys := drafts.NewSystemContext(context.Background())
	w, secret, err := f.svc.CreateWebhook(sys, drafts.WebhookInput{URL: r.URL})
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.secret = secret
	r.mu.Unlock()

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, s := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := s.FollowWebhooks(ctx); err != nil && ctx.Err() == nil {
					t.Errorf("follow: %v", err)
				}
				if _, err := s.DeliverWebhooks(ctx); err != nil && ctx.Err() == nil {
					t.Errorf("deliver: %v", err)
				}
			}
		}()
	}
	// Events on both replicas meanwhile.
	for i := 0; i < 12; i++ {
		s := replicas[i%2]
		if _, err := s.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: f.v.Provisions[i%2].ID, Text: fmt.Sprintf("Text %d.", i)}}}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := f.svc.ListEventsSince(sys, f.doc, drafts.EventsSince{Time: w.CreatedAt.Add(-time.Millisecond)}, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	for _, e := range page.Items {
		want[e.Seq] = true
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(r.deliveries()) < len(want) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(time.Second) // more passes, which must deliver nothing again
	stop()
	wg.Wait()
	t.Logf("%d events, %d deliveries received", len(want), len(r.deliveries()))
	seen := map[string]int{}
	for _, d := range r.deliveries() {
		seen[d.ID]++
		if !want[d.Event.Seq] || d.Event.Document != f.doc {
			t.Errorf("delivered %+v, not one of the events", d.Event)
		}
		delete(want, d.Event.Seq)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if len(want) > 0 {
		t.Errorf("events never delivered: %v", want)
	}
}
