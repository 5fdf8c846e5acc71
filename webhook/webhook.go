// Package webhook posts webhook deliveries as the Standard Webhooks
// specification has them (https://www.standardwebhooks.com/): the headers
// webhook-id, webhook-timestamp and webhook-signature, the signature
// "v1," and the base64 of the HMAC-SHA256, keyed with the endpoint's
// secret, of "id.timestamp.body". It implements drafts.WebhookSender.
//
// It connects only where drafts.WebhookNetworks permits, checking the
// address each connection is actually made to (after the name is
// resolved, so a name that resolves to a private address is refused as
// the address itself would be), through no proxy, following no redirect,
// and waiting at most Timeout for an answer.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"chancery/drafts"
)

// Sender posts deliveries. Use New.
type Sender struct {
	networks drafts.WebhookNetworks
	// tls posts to https endpoints, plain to the others: each checks the
	// addresses it connects to by its scheme's rules.
	tls, plain *http.Client
}

var _ drafts.WebhookSender = (*Sender)(nil)

// Timeout bounds one attempt, from connecting to the end of the answer's
// headers.
const Timeout = 10 * time.Second

// UserAgent names the sender to endpoints.
const UserAgent = "Chancery-Webhooks/1"

// New returns a Sender that connects only where networks permits.
func New(networks drafts.WebhookNetworks) *Sender {
	return &Sender{networks: networks, tls: newClient(networks, true), plain: newClient(networks, false)}
}

// errRefused is the reason a connection is not made.
var errRefused = errors.New("refused address")

// newClient returns a client that refuses, before it is made, a connection
// to an address the networks do not permit for https or plain HTTP. The
// check runs for every address a name resolves to.
func newClient(networks drafts.WebhookNetworks, https bool) *http.Client {
	control := func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return errRefused
		}
		addr, err := netip.ParseAddr(host)
		if err != nil || !networks.Permits(addr, https) {
			return errRefused
		}
		return nil
	}
	dialer := &net.Dialer{Timeout: Timeout, Control: control}
	transport := &http.Transport{
		Proxy:                 nil, // never through a proxy: it would connect for us, unchecked
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   Timeout,
		ResponseHeaderTimeout: Timeout,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   Timeout,
		// A redirect is an answer, not a 2xx: it is not followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Send posts body to rawURL as message msgID, signed with secret at time
// at, and returns the endpoint's status.
func (s *Sender) Send(ctx context.Context, rawURL, secret, msgID string, at time.Time, body []byte) (int, error) {
	if err := s.networks.CheckURL(rawURL); err != nil {
		return 0, err
	}
	u, _ := url.Parse(rawURL)
	ts := strconv.FormatInt(at.Unix(), 10)
	sig, err := Sign(secret, msgID, ts, body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, drafts.Errorf(drafts.EINVALID, "the endpoint's address cannot be used")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("webhook-id", msgID)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", sig)
	client := s.plain
	if u.Scheme == "https" {
		client = s.tls
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, explain(err)
	}
	// Read a little of the answer, so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// explain words a failure to get an answer for the delivery log, without
// the endpoint's address.
func explain(err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, errRefused):
		return drafts.Errorf(drafts.EINVALID, "the endpoint's name leads to an address this server does not deliver to (private, loopback or reserved)")
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return drafts.Errorf(drafts.EUNAVAILABLE, "no answer in time")
	case errors.Is(err, syscall.ECONNREFUSED):
		return drafts.Errorf(drafts.EUNAVAILABLE, "the endpoint refused the connection")
	case strings.Contains(err.Error(), "no such host"):
		return drafts.Errorf(drafts.EUNAVAILABLE, "the endpoint's name does not resolve")
	case strings.Contains(err.Error(), "certificate") || strings.Contains(err.Error(), "tls:"):
		return drafts.Errorf(drafts.EUNAVAILABLE, "the endpoint's TLS certificate is not valid for it")
	}
	return drafts.Errorf(drafts.EUNAVAILABLE, "the connection to the endpoint failed")
}

// Sign returns the webhook-signature of a message: "v1," and the base64
// of HMAC-SHA256(key, id "." timestamp "." body), the key being the
// secret's bytes (the base64 after "whsec_").
func Sign(secret, msgID, timestamp string, body []byte) (string, error) {
	key, err := Key(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID + "." + timestamp + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Key returns the bytes of a secret written "whsec_" and base64.
func Key(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, "whsec_")
	key, err := base64.StdEncoding.DecodeString(b64)
	if !ok || err != nil || len(key) < 24 {
		return nil, drafts.Errorf(drafts.EINTERNAL, "a webhook secret is not whsec_ and base64 of 24 bytes or more")
	}
	return key, nil
}
