package service_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/service"
	"chancery/webhook"
)

// receiver is a webhook endpoint on 127.0.0.1 that checks every delivery's
// signature itself (not with package webhook's code) and answers 500 to
// the first fail deliveries.
type receiver struct {
	t      *testing.T
	URL    string
	mu     sync.Mutex
	secret string
	fail   int
	got    []delivery
}

// delivery is one request the receiver got.
type delivery struct {
	ID, Timestamp string
	Event         struct {
		Document string `json:"document"`
		drafts.Event
	}
	Status int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/hooks/chancery"
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	var d delivery
	d.ID, d.Timestamp = req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp")
	if err := json.Unmarshal(body, &d.Event); err != nil {
		r.t.Errorf("delivery body %q: %v", body, err)
	}
	if !verifies(r.secret, d.ID, d.Timestamp, req.Header.Get("webhook-signature"), body) {
		r.t.Errorf("delivery %s: the signature %q does not verify", d.ID, req.Header.Get("webhook-signature"))
	}
	if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
		r.t.Errorf("delivery by %s with %q", req.Method, req.Header.Get("Content-Type"))
	}
	d.Status = http.StatusNoContent
	if r.fail > 0 {
		r.fail--
		d.Status = http.StatusInternalServerError
	}
	r.got = append(r.got, d)
	w.WriteHeader(d.Status)
}

// verifies checks a Standard Webhooks signature as a receiver would: the
// key is the base64 after "whsec_"; the header lists "v1,<base64>"
// signatures separated by spaces.
func verifies(secret, id, ts, header string, body []byte) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || !strings.HasPrefix(secret, "whsec_") {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, sig := range strings.Fields(header) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// settable is a clock a test moves.
type settable struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settable) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *settable) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// loopback are the networks of the tests: plain HTTP to 127.0.0.1.
var loopback = drafts.WebhookNetworks{LoopbackHTTP: true}

// hookFixture is a fixture with a settable clock and an endpoint
// following its document.
func hookFixture(t *testing.T, r *receiver) (*fixture, *settable, *drafts.Webhook) {
	t.Helper()
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n\n2. Two.\n")
	clk := &settable{now: time.Now().UTC().Add(time.Minute).Truncate(time.Millisecond)}
	f.svc.Clock = clk.Now
	f.svc.Webhooks = service.WebhookOptions{Sender: webhook.New(loopback), Networks: loopback}
	w, secret, err := f.svc.CreateWebhook(drafts.NewSystemContext(context.Background()), drafts.WebhookInput{URL: r.URL, Documents: []string{f.doc}})
	if err != nil {
		t.Fatal(err)
	}
	r.secret = secret
	return f, clk, w
}

func mustPass(t *testing.T, what string, n int, err error, want int) {
	t.Helper()
	if err != nil || n != want {
		t.Fatalf("%s: %d, %v; want %d", what, n, err, want)
	}
}

// TestWebhookRetriedUntilDelivered: an endpoint that fails three times
// then answers 2xx receives the event once more after each failure, after
// a wait that doubles, and the delivery is marked delivered.
func TestWebhookRetriedUntilDelivered(t *testing.T) {
	r := newReceiver(t)
	f, clk, w := hookFixture(t, r)
	if !strings.HasPrefix(r.secret, "whsec_") || len(r.secret) < 40 {
		t.Fatalf("secret %q", r.secret)
	}
	p := propose(t, f, "Uno.")
	ctx := context.Background()
	n, err := f.svc.FollowWebhooks(ctx)
	mustPass(t, "first pass", n, err, 1)
	n, err = f.svc.FollowWebhooks(ctx)
	mustPass(t, "second pass", n, err, 0)
	r.fail = 3
	for i, step := range []struct {
		advance time.Duration
		want    int
	}{{0, 1}, {0, 0}, {5 * time.Second, 1}, {9 * time.Second, 0}, {time.Second, 1}, {20 * time.Second, 1}, {time.Hour, 0}} {
		clk.Advance(step.advance)
		n, err := f.svc.DeliverWebhooks(ctx)
		mustPass(t, "delivery pass "+string(rune('1'+i)), n, err, step.want)
	}
	got := r.deliveries()
	if len(got) != 4 {
		t.Fatalf("the endpoint received %d requests, want 4", len(got))
	}
	for i, d := range got {
		if d.ID != got[0].ID || d.Event.Document != f.doc || d.Event.Action != "proposal.create" || d.Event.Ref != p.ID || d.Event.Seq == 0 {
			t.Fatalf("request %d: %+v", i+1, d)
		}
	}
	page, err := f.svc.ListDeliveries(drafts.NewSystemContext(ctx), w.ID, drafts.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("%d deliveries logged", len(page.Items))
	}
	d := page.Items[0]
	codes := []int{}
	for _, a := range d.Attempts {
		codes = append(codes, a.StatusCode)
	}
	if d.Status != drafts.DeliveryDelivered || d.DeliveredAt == nil || len(codes) != 4 || codes[0] != 500 || codes[3] != 204 || d.ID != got[0].ID || d.NextAttempt != nil {
		t.Fatalf("logged %+v with answers %v", d, codes)
	}
	if gap := d.Attempts[3].At.Sub(d.Attempts[2].At); gap != 20*time.Second {
		t.Fatalf("the third wait was %s, want 20s", gap)
	}
}

// TestWebhookGivesUpAfterADay: attempts go on until a day has passed
// since the first, then the delivery is failed.
func TestWebhookGivesUpAfterADay(t *testing.T) {
	r := newReceiver(t)
	f, clk, w := hookFixture(t, r)
	r.fail = 1 << 20
	propose(t, f, "Uno.")
	ctx := context.Background()
	if _, err := f.svc.FollowWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	start := clk.Now()
	for i := 0; i < 300 && clk.Now().Sub(start) < 30*time.Hour; i++ {
		if _, err := f.svc.DeliverWebhooks(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Advance(10 * time.Minute)
	}
	page, err := f.svc.ListDeliveries(drafts.NewSystemContext(ctx), w.ID, drafts.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := page.Items[0]
	last := d.Attempts[len(d.Attempts)-1]
	if since := last.At.Sub(d.CreatedAt); d.Status != drafts.DeliveryFailed || since < 24*time.Hour || since > 24*time.Hour+10*time.Minute || len(r.deliveries()) != len(d.Attempts) {
		t.Fatalf("status %s after %d attempts, the last %s after the first", d.Status, len(d.Attempts), last.At.Sub(d.CreatedAt))
	}
}

// TestWebhookRemovedEndpoint: deliveries pending for an endpoint that is
// removed are not made.
func TestWebhookRemovedEndpoint(t *testing.T) {
	r := newReceiver(t)
	f, clk, w := hookFixture(t, r)
	r.fail = 1
	propose(t, f, "Uno.")
	ctx := context.Background()
	if _, err := f.svc.FollowWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.DeliverWebhooks(ctx)
	mustPass(t, "first attempt", n, err, 1)
	sys := drafts.NewSystemContext(ctx)
	if err := f.svc.DeleteWebhook(sys, w.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteWebhook(sys, w.ID); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Fatalf("removing it twice: %v", err)
	}
	clk.Advance(time.Minute)
	n, err = f.svc.DeliverWebhooks(ctx)
	mustPass(t, "after the removal", n, err, 0)
	if len(r.deliveries()) != 1 {
		t.Fatalf("%d requests", len(r.deliveries()))
	}
	if _, err := f.svc.ListDeliveries(sys, w.ID, drafts.ListOptions{}); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Fatalf("the log of a removed endpoint: %v", err)
	}
	// And nothing is due any more.
	clk.Advance(48 * time.Hour)
	n, err = f.svc.DeliverWebhooks(ctx)
	mustPass(t, "two days later", n, err, 0)
}

// blockingSender never answers until its context ends: a process that
// dies while posting.
type blockingSender struct{ called chan struct{} }

func (b *blockingSender) Send(ctx context.Context, _, _, _ string, _ time.Time, _ []byte) (int, error) {
	close(b.called)
	<-ctx.Done()
	return 0, ctx.Err()
}

// TestWebhookInterruptedAttempt: an attempt claimed by a process that dies
// while posting counts as failed once its claim is old, and another
// replica makes the next attempt.
func TestWebhookInterruptedAttempt(t *testing.T) {
	r := newReceiver(t)
	f, clk, w := hookFixture(t, r)
	propose(t, f, "Uno.")
	ctx := context.Background()
	if _, err := f.svc.FollowWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	dying := &blockingSender{called: make(chan struct{})}
	f.svc.Webhooks.Sender = dying
	dctx, kill := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _, _ = f.svc.DeliverWebhooks(dctx) }()
	<-dying.called
	// Another replica, meanwhile: the attempt is someone's.
	b := service.New(f.svc.Store, f.svc.Differ, MustPolicy(t))
	b.Clock = clk.Now
	b.Webhooks = service.WebhookOptions{Sender: webhook.New(loopback), Networks: loopback}
	n, err := b.DeliverWebhooks(ctx)
	mustPass(t, "while it is claimed", n, err, 0)
	// The first one dies; its claim grows old.
	kill()
	<-done
	clk.Advance(3 * time.Minute)
	for i := 0; i < 2; i++ {
		if _, err := b.DeliverWebhooks(ctx); err != nil {
			t.Fatal(err)
		}
	}
	page, err := b.ListDeliveries(drafts.NewSystemContext(ctx), w.ID, drafts.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := page.Items[0]
	if d.Status != drafts.DeliveryDelivered || len(d.Attempts) != 2 || len(r.deliveries()) != 1 {
		t.Fatalf("status %s, attempts %+v, %d requests received", d.Status, d.Attempts, len(r.deliveries()))
	}
}

// TestWebhookRegistration: what an endpoint may be, the secret shown once,
// the registration in the directory's audit trail.
func TestWebhookRegistration(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "1. One.\n")
	sys := drafts.NewSystemContext(context.Background())
	for _, c := range []struct {
		in    drafts.WebhookInput
		field string
	}{
		{drafts.WebhookInput{URL: "http://127.0.0.1:9/x"}, "url"},
		{drafts.WebhookInput{URL: "https://10.1.2.3/x"}, "url"},
		{drafts.WebhookInput{URL: "https://user:pw@portal.example.org/x"}, "url"},
		{drafts.WebhookInput{URL: "https://portal.example.org/x", Documents: []string{}}, "documents"},
		{drafts.WebhookInput{URL: "https://portal.example.org/x", Documents: []string{"nosuch"}}, "documents[0]"},
		{drafts.WebhookInput{URL: "https://portal.example.org/x", Actions: []string{"Proposal Create"}}, "actions[0]"},
	} {
		_, _, err := f.svc.CreateWebhook(sys, c.in)
		if e := drafts.AsError(err); e == nil || e.Code != drafts.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("%+v: %v, want EINVALID naming %s", c.in, err, c.field)
		}
	}
	w, secret, err := f.svc.CreateWebhook(sys, drafts.WebhookInput{URL: "https://portal.example.org/x", Documents: []string{f.doc, f.doc}, Actions: []string{"merge"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Documents) != 1 || w.CreatedBy != "system" {
		t.Fatalf("registered %+v", w)
	}
	page, err := f.svc.ListWebhooks(sys, drafts.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	listed, _ := json.Marshal(page)
	if len(page.Items) != 1 || strings.Contains(string(listed), secret) || strings.Contains(string(listed), "whsec_") {
		t.Fatalf("listed %s", listed)
	}
	events, _, err := f.svc.DirectoryEvents(sys)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Action != "webhook.create" || last.Ref != w.ID {
		t.Fatalf("the directory's last event %+v", last)
	}
}
