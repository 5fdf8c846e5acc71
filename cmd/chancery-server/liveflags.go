package main

import (
	"context"
	"flag"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
	"chancery/internal/cli"
	"chancery/service"
	"chancery/webhook"
)

// liveConfig configures the event streams and the webhooks.
type liveConfig struct {
	Interval                      time.Duration
	MaxStreams, MaxStreamsPerUser int
	// Networks are where webhook endpoints may be.
	Networks drafts.WebhookNetworks
	// RetryMin is the wait before a delivery's second attempt.
	RetryMin time.Duration
}

// liveFlags registers the flags of the live streams and webhooks on fs and
// returns the check to run after parsing.
func liveFlags(fs *flag.FlagSet, env func(name, def string) string, c *liveConfig) func() error {
	interval := fs.String("live-interval", env("CHANCERY_LIVE_INTERVAL", service.DefaultLiveInterval.String()), "how often a document someone follows live is polled, one storage read each time (CHANCERY_LIVE_INTERVAL)")
	streams := fs.String("live-max-streams", env("CHANCERY_LIVE_MAX_STREAMS", strconv.Itoa(service.DefaultMaxStreams)), "live event streams this server keeps open at most (CHANCERY_LIVE_MAX_STREAMS)")
	perUser := fs.String("live-max-streams-per-user", env("CHANCERY_LIVE_MAX_STREAMS_PER_USER", strconv.Itoa(service.DefaultMaxStreamsPerUser)), "live event streams one user may keep open (CHANCERY_LIVE_MAX_STREAMS_PER_USER)")
	allowHTTP := fs.String("webhook-allow-http", env("CHANCERY_WEBHOOK_ALLOW_HTTP", ""), "\"loopback\" lets webhook endpoints on 127.0.0.0/8 and ::1 use plain HTTP (CHANCERY_WEBHOOK_ALLOW_HTTP)")
	networks := fs.String("webhook-allow-networks", env("CHANCERY_WEBHOOK_ALLOW_NETWORKS", ""), "comma-separated private CIDRs https webhook endpoints may be on (CHANCERY_WEBHOOK_ALLOW_NETWORKS)")
	retry := fs.String("webhook-retry-min", env("CHANCERY_WEBHOOK_RETRY_MIN", service.DefaultRetryMin.String()), "wait before a webhook delivery's second attempt; it doubles each time, up to an hour (CHANCERY_WEBHOOK_RETRY_MIN)")
	return func() error {
		var err error
		if c.Interval, err = time.ParseDuration(*interval); err != nil || c.Interval < 50*time.Millisecond || c.Interval > time.Minute {
			return cli.Usagef("CHANCERY_LIVE_INTERVAL / --live-interval: %q is not a duration from 50ms to 1m", *interval)
		}
		if c.MaxStreams, err = strconv.Atoi(*streams); err != nil || c.MaxStreams < 1 {
			return cli.Usagef("CHANCERY_LIVE_MAX_STREAMS / --live-max-streams: %q is not a positive number", *streams)
		}
		if c.MaxStreamsPerUser, err = strconv.Atoi(*perUser); err != nil || c.MaxStreamsPerUser < 1 {
			return cli.Usagef("CHANCERY_LIVE_MAX_STREAMS_PER_USER / --live-max-streams-per-user: %q is not a positive number", *perUser)
		}
		switch *allowHTTP {
		case "":
		case "loopback":
			c.Networks.LoopbackHTTP = true
		default:
			return cli.Usagef("CHANCERY_WEBHOOK_ALLOW_HTTP / --webhook-allow-http: %q is not \"loopback\" (or empty)", *allowHTTP)
		}
		for _, p := range strings.Split(*networks, ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			prefix, err := netip.ParsePrefix(p)
			if err != nil {
				return cli.Usagef("CHANCERY_WEBHOOK_ALLOW_NETWORKS / --webhook-allow-networks: %q is not a CIDR such as 10.20.0.0/16", p)
			}
			c.Networks.Private = append(c.Networks.Private, prefix.Masked())
		}
		if c.RetryMin, err = time.ParseDuration(*retry); err != nil || c.RetryMin < 100*time.Millisecond || c.RetryMin > time.Hour {
			return cli.Usagef("CHANCERY_WEBHOOK_RETRY_MIN / --webhook-retry-min: %q is not a duration from 100ms to 1h", *retry)
		}
		return nil
	}
}

// configureLive sets the service's live and webhook options.
func configureLive(svc *service.Service, c liveConfig) {
	svc.Live.Interval = c.Interval
	svc.Live.MaxStreams, svc.Live.MaxStreamsPerUser = c.MaxStreams, c.MaxStreamsPerUser
	svc.Webhooks = service.WebhookOptions{Sender: webhook.New(c.Networks), Networks: c.Networks, RetryMin: c.RetryMin}
}

// webhookLoop makes deliveries of new events and their due attempts, at
// the live interval, until ctx ends. Every replica runs it.
func (m *Main) webhookLoop(ctx context.Context, svc drafts.WebhookService) {
	every(ctx, m.Config.Live.Interval, func() {
		if _, err := svc.FollowWebhooks(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("webhooks: making deliveries", "err", err)
		}
		if _, err := svc.DeliverWebhooks(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("webhooks: delivering", "err", err)
		}
	})
}

// every runs f every d until ctx ends.
func every(ctx context.Context, d time.Duration, f func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}
