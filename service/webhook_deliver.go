package service

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"chancery/drafts"
)

// Attempts. Each attempt of a delivery has a marker under hookDuePrefix,
// named by when it is due. A pass lists the markers that are due and, for
// each, claims the attempt with a create-only write (attemptKey): of any
// number of replicas one wins and posts; the claim then records the
// answer. Settling an attempt (settleAttempt) writes it into the delivery's
// log, makes the marker of the next attempt if there is to be one, and
// removes the marker of this one, in that order: a crash at any step
// leaves the marker, and the next pass, finding the attempt claimed,
// settles it again without posting twice. A claim whose answer was never
// recorded (the process died while posting) counts as a failed attempt
// once claimTimeout has passed: the endpoint may receive that message
// twice, which the Standard Webhooks id lets it recognise.

// attemptClaim is the claim of one attempt, and what came of it.
type attemptClaim struct {
	ClaimedAt time.Time               `json:"claimed_at"`
	Done      *drafts.DeliveryAttempt `json:"done,omitempty"`
}

// claimTimeout is how long an attempt may go without an answer recorded
// before it counts as interrupted (a delivery waits 30 seconds at most).
const claimTimeout = 2 * time.Minute

// maxAttemptsPerHook bounds the attempts one pass makes to one endpoint;
// the rest wait for the next pass.
const maxAttemptsPerHook = 20

// dueAttempt is a marker of an attempt that is due.
type dueAttempt struct {
	key string
	ref deliveryRef
	n   int
}

// DeliverWebhooks makes the attempts that are due: endpoints in parallel,
// each endpoint's in the order they fell due, stopping at its first
// failure.
func (s *Service) DeliverWebhooks(ctx context.Context) (made int, err error) {
	defer markOp(&err, "service.DeliverWebhooks")
	if s.Webhooks.Sender == nil {
		return 0, nil
	}
	ctx = drafts.NewSystemContext(ctx)
	due, err := s.dueAttempts(ctx, s.now())
	if err != nil || len(due) == 0 {
		return 0, err
	}
	var hooks []string
	byHook := map[string][]dueAttempt{}
	for _, a := range due {
		if byHook[a.ref.Hook] == nil {
			hooks = append(hooks, a.ref.Hook)
		}
		byHook[a.ref.Hook] = append(byHook[a.ref.Hook], a)
	}
	var (
		mu    sync.Mutex
		first error
	)
	err = s.inParallelN(ctx, orDefault(s.Webhooks.Parallel, DefaultHookParallel), len(hooks), func(ctx context.Context, i int) error {
		list := byHook[hooks[i]]
		for _, a := range list[:min(len(list), maxAttemptsPerHook)] {
			tried, ok, err := s.attempt(ctx, a)
			mu.Lock()
			if tried {
				made++
			}
			if err != nil && first == nil {
				first = err
			}
			mu.Unlock()
			if err != nil || (tried && !ok) {
				return nil // the endpoint is down, or storage is: the rest wait
			}
		}
		return nil
	})
	if first == nil {
		first = err
	}
	return made, first
}

// inParallelN runs f for 0 to n-1, workers at a time, each to its end
// (an attempt under way is not abandoned for another's failure).
func (s *Service) inParallelN(ctx context.Context, workers, n int, f func(ctx context.Context, i int) error) error {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				_ = f(ctx, i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

// dueAttempts lists the markers of attempts due at now, oldest first.
func (s *Service) dueAttempts(ctx context.Context, now time.Time) ([]dueAttempt, error) {
	var out []dueAttempt
	after := ""
	for len(out) < 2000 {
		objs, next, err := s.Store.List(ctx, hookDuePrefix, after, 500)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			due, r, n, err := hookDueOfKey(o.Key)
			if err != nil {
				return nil, err
			}
			if due.After(now) {
				return out, nil
			}
			out = append(out, dueAttempt{key: o.Key, ref: r, n: n})
		}
		if next == "" {
			break
		}
		after = next
	}
	return out, nil
}

// attempt claims and makes one attempt. It reports whether it posted,
// and whether the endpoint answered with a 2xx.
func (s *Service) attempt(ctx context.Context, a dueAttempt) (tried, ok bool, err error) {
	now := s.now()
	claimETag, err := s.createJSON(ctx, attemptKey(a.ref, a.n), attemptClaim{ClaimedAt: now})
	if drafts.IsCode(err, drafts.ECONFLICT) {
		return false, false, s.resumeAttempt(ctx, a)
	}
	if err != nil {
		return false, false, err
	}
	var d drafts.Delivery
	if _, err := s.getJSON(ctx, deliveryKey(a.ref), &d); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return false, false, s.dropMarker(ctx, a.key)
		}
		return false, false, err
	}
	h, err := s.getWebhook(ctx, a.ref.Hook)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return false, false, s.cancelDelivery(ctx, a)
	}
	if err != nil {
		return false, false, err
	}
	att := &drafts.DeliveryAttempt{N: a.n, At: now}
	if d.Status == drafts.DeliveryPending {
		tried = true
		s.post(ctx, h, &d, att)
		ok = att.StatusCode >= 200 && att.StatusCode < 300
	} else {
		att.Error = "not made: the delivery is " + d.Status
	}
	// The claim records the answer, so that a pass that finds it settles
	// it without posting again; settling writes the log.
	if _, err := s.updateJSON(ctx, attemptKey(a.ref, a.n), attemptClaim{ClaimedAt: now, Done: att}, claimETag); err != nil {
		s.Log.Warn("webhook: the answer of an attempt not recorded on its claim", "delivery", d.ID, "err", err)
	}
	return tried, ok, s.settleAttempt(ctx, a, att)
}

// post sends a delivery to its endpoint and records the answer in att.
func (s *Service) post(ctx context.Context, h *storedWebhook, d *drafts.Delivery, att *drafts.DeliveryAttempt) {
	body, err := json.Marshal(drafts.DocumentEvent{Document: d.Document, Event: d.Event})
	if err != nil {
		att.Error = "the event cannot be encoded"
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	status, err := s.Webhooks.Sender.Send(ctx, h.URL, h.Secret, d.ID, s.now(), body)
	att.DurationMS = time.Since(start).Milliseconds()
	att.StatusCode = status
	switch {
	case err != nil:
		att.Error = drafts.ErrorMessage(err)
	case status < 200 || status > 299:
		att.Error = fmt.Sprintf("the endpoint answered %d", status)
	}
}

// resumeAttempt settles an attempt another pass claimed: at once if it
// recorded its answer, as interrupted if it has not after claimTimeout,
// not at all while it may still be posting.
func (s *Service) resumeAttempt(ctx context.Context, a dueAttempt) error {
	var c attemptClaim
	etag, err := s.getJSON(ctx, attemptKey(a.ref, a.n), &c)
	if err != nil {
		return err
	}
	if c.Done == nil {
		if s.now().Sub(c.ClaimedAt) < claimTimeout {
			return nil
		}
		c.Done = &drafts.DeliveryAttempt{N: a.n, At: c.ClaimedAt, Error: "the attempt was interrupted: the server stopped before the answer was recorded"}
		if _, err := s.updateJSON(ctx, attemptKey(a.ref, a.n), c, etag); err != nil {
			if drafts.IsCode(err, drafts.EPRECONDITION) {
				return nil // another pass is settling it
			}
			return err
		}
	}
	return s.settleAttempt(ctx, a, c.Done)
}

// settleAttempt writes an attempt into its delivery's log, makes the
// marker of the next attempt when there is to be one, and removes the
// attempt's marker. Each step is done once however often it runs.
func (s *Service) settleAttempt(ctx context.Context, a dueAttempt, att *drafts.DeliveryAttempt) error {
	var d drafts.Delivery
	err := retry(func() error {
		etag, err := s.getJSON(ctx, deliveryKey(a.ref), &d)
		if err != nil {
			return err
		}
		if d.Status != drafts.DeliveryPending || hasAttempt(d.Attempts, att.N) {
			return nil
		}
		s.applyAttempt(&d, att)
		_, err = s.updateJSON(ctx, deliveryKey(a.ref), &d, etag)
		return err
	})
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return s.dropMarker(ctx, a.key)
	}
	if err != nil {
		return err
	}
	if d.Status == drafts.DeliveryPending && d.NextAttempt != nil {
		key := hookDueKey(*d.NextAttempt, a.ref, len(d.Attempts)+1)
		if _, err := s.createJSON(ctx, key, struct{}{}); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
			return err
		}
	}
	return s.dropMarker(ctx, a.key)
}

// applyAttempt adds an attempt to a delivery's log and decides what
// follows: delivered on a 2xx; failed once a day has passed since it was
// made; else another attempt, after a wait that doubles each time.
func (s *Service) applyAttempt(d *drafts.Delivery, att *drafts.DeliveryAttempt) {
	d.Attempts = append(d.Attempts, *att)
	giveUp := s.Webhooks.GiveUp
	if giveUp <= 0 {
		giveUp = DefaultGiveUp
	}
	switch {
	case att.StatusCode >= 200 && att.StatusCode < 300:
		at := att.At
		d.Status, d.DeliveredAt, d.NextAttempt = drafts.DeliveryDelivered, &at, nil
	case att.At.Sub(d.CreatedAt) >= giveUp:
		d.Status, d.NextAttempt = drafts.DeliveryFailed, nil
	default:
		next := att.At.Add(s.retryWait(att.N))
		if end := d.CreatedAt.Add(giveUp); next.After(end) {
			next = end
		}
		d.NextAttempt = &next
	}
}

// retryWait is the wait after attempt n failed: RetryMin, doubling, at most
// RetryMax.
func (s *Service) retryWait(n int) time.Duration {
	lo, hi := s.Webhooks.RetryMin, s.Webhooks.RetryMax
	if lo <= 0 {
		lo = DefaultRetryMin
	}
	if hi <= 0 {
		hi = DefaultRetryMax
	}
	wait := lo
	for i := 1; i < n && wait < hi; i++ {
		wait *= 2
	}
	return min(wait, hi)
}

func hasAttempt(as []drafts.DeliveryAttempt, n int) bool {
	for _, a := range as {
		if a.N == n {
			return true
		}
	}
	return false
}

// cancelDelivery ends a delivery whose endpoint was removed.
func (s *Service) cancelDelivery(ctx context.Context, a dueAttempt) error {
	err := retry(func() error {
		var d drafts.Delivery
		etag, err := s.getJSON(ctx, deliveryKey(a.ref), &d)
		if err != nil || d.Status != drafts.DeliveryPending {
			return err
		}
		d.Status, d.NextAttempt = drafts.DeliveryCancelled, nil
		_, err = s.updateJSON(ctx, deliveryKey(a.ref), &d, etag)
		return err
	})
	if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return err
	}
	return s.dropMarker(ctx, a.key)
}

// dropMarker removes the marker of an attempt; one gone already is fine.
func (s *Service) dropMarker(ctx context.Context, key string) error {
	if err := s.Store.Delete(ctx, key, ""); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return err
	}
	return nil
}
