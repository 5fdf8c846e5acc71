package drafts

import (
	"context"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Webhooks: endpoints the Secretariat registers, to which every event of
// the documents they follow is posted, signed (Standard Webhooks).

// Delivery statuses.
const (
	DeliveryPending   = "pending"   // not yet answered with a 2xx; attempts go on
	DeliveryDelivered = "delivered" // answered with a 2xx
	DeliveryFailed    = "failed"    // a day of attempts without a 2xx
	DeliveryCancelled = "cancelled" // its endpoint was removed first
)

// Webhook is an endpoint that receives the events of some documents.
type Webhook struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Documents are the documents it follows; none: every document.
	Documents []string `json:"documents,omitempty"`
	// Actions are the events' actions it receives; none: every action.
	Actions   []string  `json:"actions,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// Covers reports whether the endpoint receives e, an event of document
// doc: of a document it follows, an action it receives, recorded after it
// was registered.
func (w *Webhook) Covers(doc string, e *Event) bool {
	if len(w.Documents) > 0 && !contains(w.Documents, doc) {
		return false
	}
	if len(w.Actions) > 0 && !contains(w.Actions, e.Action) {
		return false
	}
	return !e.At.Before(w.CreatedAt)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// WebhookInput registers an endpoint. Documents nil follows every
// document; Actions nil receives every action.
type WebhookInput struct {
	URL       string
	Documents []string
	Actions   []string
}

// Delivery is one event posted to one endpoint, with its attempts: the
// delivery log.
type Delivery struct {
	// ID is the message's id, sent as webhook-id with every attempt.
	ID        string    `json:"id"`
	Webhook   string    `json:"webhook"`
	Document  string    `json:"document"`
	Seq       int64     `json:"seq"`
	Action    string    `json:"action"`
	EventAt   time.Time `json:"event_at"`
	CreatedAt time.Time `json:"created_at"`
	Status    string    `json:"status"`
	// Event is what is posted (with the document's id).
	Event *Event `json:"event,omitempty"`
	// Attempts are the attempts made, in order.
	Attempts    []DeliveryAttempt `json:"attempts"`
	NextAttempt *time.Time        `json:"next_attempt_at,omitempty"`
	DeliveredAt *time.Time        `json:"delivered_at,omitempty"`
}

// DeliveryAttempt is one try at posting a delivery.
type DeliveryAttempt struct {
	N  int       `json:"n"`
	At time.Time `json:"at"`
	// StatusCode is the endpoint's HTTP status, 0 when it gave none.
	StatusCode int `json:"status_code,omitempty"`
	// Error says why there was no answer (or why it did not count).
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// WebhookService manages endpoints and delivers events to them. Every
// replica may run FollowWebhooks and DeliverWebhooks at once: each event
// becomes one delivery per endpoint, and each attempt is made once.
type WebhookService interface {
	// CreateWebhook registers an endpoint and returns it with its signing
	// secret ("whsec_" and base64), shown this once. EINVALID, naming the
	// field, for an address deliveries may not go to (see
	// WebhookNetworks.CheckURL), a document that does not exist, a
	// malformed action or too many endpoints.
	CreateWebhook(ctx context.Context, in WebhookInput) (*Webhook, string, error)
	// ListWebhooks returns one page of the endpoints, without secrets.
	ListWebhooks(ctx context.Context, opt ListOptions) (*Page[*Webhook], error)
	// DeleteWebhook removes an endpoint; its pending deliveries are
	// cancelled. ENOTFOUND.
	DeleteWebhook(ctx context.Context, id string) error
	// ListDeliveries returns one page of an endpoint's delivery log, in the
	// order of the events. ENOTFOUND.
	ListDeliveries(ctx context.Context, webhook string, opt ListOptions) (*Page[*Delivery], error)
	// FollowWebhooks makes the deliveries of the events recorded since its
	// last pass (on any replica), and returns how many it made. It needs
	// no user in ctx.
	FollowWebhooks(ctx context.Context) (int, error)
	// DeliverWebhooks makes the attempts that are due, and returns how
	// many it made. It needs no user in ctx.
	DeliverWebhooks(ctx context.Context) (int, error)
}

// WebhookSender posts deliveries. Implemented by package webhook.
type WebhookSender interface {
	// Send posts body to url as message msgID, signed with secret at time
	// at (the Standard Webhooks headers), and returns the endpoint's HTTP
	// status; an error says why there was no answer: the address is not
	// one deliveries may go to, the connection failed, or no answer came
	// in time.
	Send(ctx context.Context, url, secret, msgID string, at time.Time, body []byte) (int, error)
}

// WebhookNetworks says where deliveries may go: public addresses over
// https, and what the operator allows besides.
type WebhookNetworks struct {
	// LoopbackHTTP lets endpoints on 127.0.0.0/8 and ::1 be reached, over
	// plain HTTP too (CHANCERY_WEBHOOK_ALLOW_HTTP=loopback).
	LoopbackHTTP bool
	// Private are networks otherwise refused (private, shared, link-local)
	// that https endpoints may be on: an organisation's own systems.
	Private []netip.Prefix
}

// Permits reports whether a delivery may connect to addr, over https or
// plain HTTP. Private, loopback, link-local and reserved addresses are
// refused unless the operator allows them, so that an endpoint cannot
// make the server reach what only it can reach (its metadata service, its
// storage, its neighbours).
func (n WebhookNetworks) Permits(addr netip.Addr, https bool) bool {
	addr = addr.Unmap()
	if addr.IsLoopback() {
		return n.LoopbackHTTP
	}
	if !https {
		return false
	}
	for _, p := range n.Private {
		if p.Contains(addr) {
			return true
		}
	}
	return PublicAddr(addr)
}

// notPublic are the ranges, besides those netip names, that are no
// public unicast address. They are parsed when first needed, not when the
// package starts: most processes check no address.
var notPublic = sync.OnceValue(func() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("100.64.0.0/10"), // shared address space (carrier NAT)
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("240.0.0.0/4"),
		netip.MustParsePrefix("64:ff9b::/96"), // NAT64: may lead to any IPv4 address
		netip.MustParsePrefix("64:ff9b:1::/48"),
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("fec0::/10"),
		netip.MustParsePrefix("2002::/16"), // 6to4: may lead to any IPv4 address
	}
})

// PublicAddr reports whether addr is a public unicast address.
func PublicAddr(addr netip.Addr) bool {
	addr = addr.Unmap()
	if !addr.IsValid() || addr.IsLoopback() || addr.IsPrivate() || addr.IsUnspecified() || addr.IsMulticast() ||
		addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() || addr.Zone() != "" {
		return false
	}
	for _, p := range notPublic() {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// MaxWebhookURL bounds the length of an endpoint's address.
const MaxWebhookURL = 2000

// CheckURL returns EINVALID, naming the field "url", unless raw is an
// endpoint deliveries may go to: https (plain HTTP only to loopback when
// allowed), no credentials or fragment, and an address given as a number
// that Permits. A name is checked when a delivery connects: it may
// resolve differently then.
func (n WebhookNetworks) CheckURL(raw string) error {
	bad := func(msg string) error {
		return &Error{Code: EINVALID, Message: "url: " + msg, Fields: []FieldError{{Field: "url", Message: msg}}}
	}
	if raw == "" {
		return bad("give the address of the endpoint")
	}
	if len(raw) > MaxWebhookURL {
		return bad("the address is too long")
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return bad("not an absolute address such as https://portal.example.org/chancery")
	}
	https := u.Scheme == "https"
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return bad("the endpoint must use https")
	case u.User != nil:
		return bad("an address may not carry a user name or password; the endpoint checks the signature instead")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("an address may not have a fragment (#...)")
	}
	host := u.Hostname()
	if addr, err := netip.ParseAddr(host); err == nil {
		if !n.Permits(addr, https) {
			if !https && !addr.Unmap().IsLoopback() {
				return bad("the endpoint must use https")
			}
			return bad("the endpoint is on an address this server does not deliver to (private, loopback or reserved)")
		}
		return nil
	}
	local := strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost")
	switch {
	case local && !n.LoopbackHTTP:
		return bad("the endpoint is on an address this server does not deliver to (private, loopback or reserved)")
	case !https && !local:
		return bad("the endpoint must use https")
	case !https && !n.LoopbackHTTP:
		return bad("the endpoint must use https")
	}
	return nil
}
