package api_test

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

	"chancery/api"
	"chancery/drafts"
	"chancery/service"
	"chancery/webhook"
)

// TestWebhookSignatureVerifies: the Secretariat registers an endpoint on
// 127.0.0.1 (plain HTTP to loopback allowed, as with
// CHANCERY_WEBHOOK_ALLOW_HTTP=loopback); a proposal's event reaches it,
// and its signature verifies with the secret shown at registration, by
// the receiver's own check.
func TestWebhookSignatureVerifies(t *testing.T) {
	nets := drafts.WebhookNetworks{LoopbackHTTP: true}
	e := newEnvWith(t, backends()["local"](t), func(svc *service.Service, _ *api.Server) {
		svc.Webhooks = service.WebhookOptions{Sender: webhook.New(nets), Networks: nets}
	})
	e.forum()
	doc, v1 := e.document("1. One.\n\n2. Two.\n", "members")

	var mu sync.Mutex
	var got []map[string]any
	secret := ""
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
		if err != nil {
			t.Errorf("secret %q: %v", secret, err)
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(r.Header.Get("webhook-id") + "." + r.Header.Get("webhook-timestamp") + "." + string(body)))
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if r.Header.Get("webhook-signature") != want {
			t.Errorf("signature %q, want %q", r.Header.Get("webhook-signature"), want)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev map[string]any
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("body %s: %v", body, err)
		}
		got = append(got, ev)
		w.WriteHeader(http.StatusOK)
	}))
	defer recv.Close()

	// Plain HTTP elsewhere than loopback is refused.
	e.mustJSON(http.StatusUnprocessableEntity, nil, "POST", "/v1/webhooks", "secretariat", map[string]any{"url": "http://portal.example.org/hook"})
	e.mustJSON(http.StatusForbidden, nil, "POST", "/v1/webhooks", "chair", map[string]any{"url": recv.URL})
	var hook struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	r := e.mustJSON(http.StatusCreated, &hook, "POST", "/v1/webhooks", "secretariat", map[string]any{"url": recv.URL + "/chancery", "documents": []string{doc}, "actions": []string{"proposal.create"}})
	if r.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(hook.Secret, "whsec_") {
		t.Fatalf("registration: %s", r.Body)
	}
	mu.Lock()
	secret = hook.Secret
	mu.Unlock()
	listed := e.mustJSON(http.StatusOK, nil, "GET", "/v1/webhooks", "secretariat", nil)
	if strings.Contains(string(listed.Body), hook.Secret) || strings.Contains(string(listed.Body), "whsec_") {
		t.Fatalf("the list shows the secret: %s", listed.Body)
	}

	p := e.propose(doc, "KZ", 1, replace(v1.Provisions[0].ID, "Uno."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/proposals/", p, "/comments"), "IN", map[string]string{"text": "Not this one: not an action the endpoint takes."})
	ctx := context.Background()
	if _, err := e.svc.FollowWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DeliverWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0]["action"] != "proposal.create" || got[0]["ref"] != p || got[0]["document"] != doc {
		t.Fatalf("received %v", got)
	}
	var log struct {
		Items []drafts.Delivery `json:"items"`
	}
	e.mustJSON(http.StatusOK, &log, "GET", "/v1/webhooks/"+hook.ID+"/deliveries", "secretariat", nil)
	if len(log.Items) != 1 || log.Items[0].Status != drafts.DeliveryDelivered || log.Items[0].Attempts[0].StatusCode != 200 {
		t.Fatalf("log %+v", log.Items)
	}
	e.mustJSON(http.StatusNoContent, nil, "DELETE", "/v1/webhooks/"+hook.ID, "secretariat", nil)
	e.mustJSON(http.StatusNotFound, nil, "GET", "/v1/webhooks/"+hook.ID+"/deliveries", "secretariat", nil)
}
