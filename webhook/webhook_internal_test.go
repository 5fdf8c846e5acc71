package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

// TestRefusedAddresses: the address a connection is made to is checked
// after the name is resolved, so a name that leads to loopback is refused
// as loopback is.
func TestRefusedAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	strict := newClient(drafts.WebhookNetworks{}, true)
	for _, u := range []string{srv.URL, "http://localhost:" + port + "/"} {
		_, err := strict.Get(u)
		if !errors.Is(err, errRefused) {
			t.Errorf("GET %s without loopback allowed: %v, want refused", u, err)
		}
		if got := explain(err); !strings.Contains(drafts.ErrorMessage(got), "does not deliver to") || strings.Contains(drafts.ErrorMessage(got), port) {
			t.Errorf("explained as %q", drafts.ErrorMessage(got))
		}
	}
	loop := newClient(drafts.WebhookNetworks{LoopbackHTTP: true}, false)
	resp, err := loop.Get("http://localhost:" + port + "/")
	if err != nil {
		t.Fatalf("with loopback allowed: %v", err)
	}
	resp.Body.Close()
}

// TestSendSigns: a delivery carries the three headers; its signature is
// the HMAC of id.timestamp.body with the secret's bytes.
func TestSendSigns(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.WriteHeader(302)
	}))
	defer srv.Close()
	s := New(drafts.WebhookNetworks{LoopbackHTTP: true})
	// The example of the Standard Webhooks specification.
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	at := time.Unix(1614265330, 0)
	status, err := s.Send(context.Background(), srv.URL, secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", at, []byte(`{"test": 2432232314}`))
	if err != nil || status != 302 {
		t.Fatalf("Send: %d, %v (a redirect is an answer, not followed)", status, err)
	}
	if got.Get("webhook-id") != "msg_p5jXN8AQM9LWM0D4loKWxJek" || got.Get("webhook-timestamp") != "1614265330" ||
		got.Get("webhook-signature") != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("headers %v", got)
	}
	if _, err := s.Send(context.Background(), "http://portal.example.org/", secret, "m", at, nil); !drafts.IsCode(err, drafts.EINVALID) {
		t.Fatalf("plain HTTP elsewhere than loopback: %v", err)
	}
}
