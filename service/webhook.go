package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"chancery/drafts"
)

// Webhooks (drafts.WebhookService): endpoints the Secretariat registers
// (this file); the deliveries made from the events recorded since
// (webhook_follow.go); their attempts, retried with a growing wait until a
// 2xx or a day has passed (webhook_deliver.go). Everything they need is in
// storage, so a restart loses nothing and any number of replicas can run
// the passes at once: a delivery and the claim of each of its attempts are
// create-only writes.

// WebhookOptions configures the deliveries; zero fields take the defaults.
type WebhookOptions struct {
	// Sender posts the deliveries; without one they wait.
	Sender drafts.WebhookSender
	// Networks says where endpoints may be.
	Networks drafts.WebhookNetworks
	// RetryMin is the wait before the second attempt (DefaultRetryMin);
	// it doubles with each attempt up to RetryMax (DefaultRetryMax).
	RetryMin, RetryMax time.Duration
	// GiveUp is how long after its first attempt a delivery is given up
	// (DefaultGiveUp).
	GiveUp time.Duration
	// Parallel is how many endpoints a pass posts to at once
	// (DefaultHookParallel).
	Parallel int
	// MaxWebhooks bounds the endpoints (DefaultMaxWebhooks).
	MaxWebhooks int
}

// Defaults of WebhookOptions.
const (
	DefaultRetryMin     = 5 * time.Second
	DefaultRetryMax     = time.Hour
	DefaultGiveUp       = 24 * time.Hour
	DefaultHookParallel = 8
	DefaultMaxWebhooks  = 100
)

// storedWebhook is an endpoint as stored: with the secret it signs with,
// which no read ever returns.
type storedWebhook struct {
	drafts.Webhook
	Secret string `json:"secret"`
	// Audit holds the entry of its registration (see webhook_audit.go).
	Audit []drafts.AuditEntry `json:"audit,omitempty"`
}

func cloneStoredWebhook(w *storedWebhook) *storedWebhook {
	c := *w
	c.Documents, c.Actions, c.Audit = slices.Clone(w.Documents), slices.Clone(w.Actions), slices.Clone(w.Audit)
	return &c
}

// hookState is what a process remembers between passes: how far it has
// followed each document, and how many passes it made.
type hookState struct {
	mu      sync.Mutex
	cursors map[string]int64
	passes  int
}

// actionPattern is what an action looks like ("proposal.create").
var actionPattern = regexp.MustCompile(`^[a-z][a-z0-9.-]{0,63}$`)

// Bounds of a registration.
const (
	maxHookDocuments = 100
	maxHookActions   = 50
)

// CreateWebhook registers an endpoint and returns its secret, once.
func (s *Service) CreateWebhook(ctx context.Context, in drafts.WebhookInput) (_ *drafts.Webhook, _ string, err error) {
	defer markOp(&err, "service.CreateWebhook")
	u, err := s.directoryFor(ctx, drafts.ActWebhookManage)
	if err != nil {
		return nil, "", err
	}
	if err := s.Webhooks.Networks.CheckURL(in.URL); err != nil {
		return nil, "", err
	}
	docs, err := s.hookDocuments(ctx, in.Documents)
	if err != nil {
		return nil, "", err
	}
	actions, err := hookActions(in.Actions)
	if err != nil {
		return nil, "", err
	}
	keys, err := s.allKeys(ctx, webhooksPrefix)
	if err != nil {
		return nil, "", err
	}
	if len(keys) >= orDefault(s.Webhooks.MaxWebhooks, DefaultMaxWebhooks) {
		return nil, "", drafts.Errorf(drafts.ECONFLICT, "this server has as many webhook endpoints as it allows (%d); remove one first", len(keys))
	}
	w := &storedWebhook{Webhook: drafts.Webhook{ID: s.MakeID(), URL: in.URL, Documents: docs, Actions: actions,
		CreatedAt: s.now(), CreatedBy: u.ID}, Secret: newHookSecret()}
	if err := s.registerWebhook(ctx, w); err != nil {
		return nil, "", err
	}
	return &w.Webhook, w.Secret, nil
}

// newHookSecret returns a signing secret as Standard Webhooks writes it:
// "whsec_" and the base64 of 32 random bytes.
func newHookSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on Linux
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// hookDocuments checks the documents an endpoint follows: nil for every
// document, else at least one, each existing, without repeats.
func (s *Service) hookDocuments(ctx context.Context, docs []string) ([]string, error) {
	if docs == nil {
		return nil, nil
	}
	if len(docs) == 0 || len(docs) > maxHookDocuments {
		msg := fmt.Sprintf("name from 1 to %d documents, or leave the field out to follow every document", maxHookDocuments)
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "documents: " + msg, Fields: []drafts.FieldError{{Field: "documents", Message: msg}}}
	}
	var out []string
	for i, id := range docs {
		if _, err := s.readDocument(ctx, id); err != nil {
			if !drafts.IsCode(err, drafts.ENOTFOUND) {
				return nil, err
			}
			field := fmt.Sprintf("documents[%d]", i)
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: field + ": no such document", Fields: []drafts.FieldError{{Field: field, Message: "no such document"}}}
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// hookActions checks the actions an endpoint receives: nil for every
// action, else at least one, each shaped as an action is.
func hookActions(actions []string) ([]string, error) {
	if actions == nil {
		return nil, nil
	}
	if len(actions) == 0 || len(actions) > maxHookActions {
		msg := fmt.Sprintf("name from 1 to %d actions, or leave the field out to receive every action", maxHookActions)
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "actions: " + msg, Fields: []drafts.FieldError{{Field: "actions", Message: msg}}}
	}
	var out []string
	for i, a := range actions {
		if !actionPattern.MatchString(a) {
			field := fmt.Sprintf("actions[%d]", i)
			msg := "not an action such as proposal.create or merge"
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: field + ": " + msg, Fields: []drafts.FieldError{{Field: field, Message: msg}}}
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// ListWebhooks returns one page of the endpoints, without their secrets.
func (s *Service) ListWebhooks(ctx context.Context, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Webhook], err error) {
	defer markOp(&err, "service.ListWebhooks")
	if _, err := s.directoryFor(ctx, drafts.ActWebhookManage); err != nil {
		return nil, err
	}
	page, err := listDirectory(ctx, s, webhooksPrefix, opt, cloneStoredWebhook)
	if err != nil {
		return nil, err
	}
	out := &drafts.Page[*drafts.Webhook]{Items: []*drafts.Webhook{}, NextCursor: page.NextCursor}
	for _, w := range page.Items {
		out.Items = append(out.Items, &w.Webhook)
	}
	return out, nil
}

// DeleteWebhook removes an endpoint. Its pending deliveries are cancelled
// by the next pass; its delivery log stays in storage, unlisted.
func (s *Service) DeleteWebhook(ctx context.Context, id string) (err error) {
	defer markOp(&err, "service.DeleteWebhook")
	if _, err := s.directoryFor(ctx, drafts.ActWebhookManage); err != nil {
		return err
	}
	return s.removeWebhook(ctx, id)
}

// getWebhook reads an endpoint, with its secret.
func (s *Service) getWebhook(ctx context.Context, id string) (*storedWebhook, error) {
	if !drafts.ValidID(id) {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no webhook %q", id)
	}
	var w storedWebhook
	if _, err := s.getJSON(ctx, webhookKey(id), &w); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no webhook %q", id)
		}
		return nil, err
	}
	return &w, nil
}

// allWebhooks reads every endpoint.
func (s *Service) allWebhooks(ctx context.Context) ([]*storedWebhook, error) {
	objs, err := s.allInfos(ctx, webhooksPrefix)
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if _, err := webhookOfKey(o.Key); err != nil {
			return nil, err
		}
	}
	read, _, err := readListed(ctx, s, objs, cloneStoredWebhook)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(read, func(w *storedWebhook) bool { return w == nil }), nil
}

// ListDeliveries returns one page of an endpoint's delivery log.
func (s *Service) ListDeliveries(ctx context.Context, webhook string, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Delivery], err error) {
	defer markOp(&err, "service.ListDeliveries")
	if _, err := s.directoryFor(ctx, drafts.ActWebhookManage); err != nil {
		return nil, err
	}
	if _, err := s.getWebhook(ctx, webhook); err != nil {
		return nil, err
	}
	objs, next, err := s.listInfos(ctx, deliveriesOf(webhook), opt)
	if err != nil {
		return nil, err
	}
	read, _, err := readListed(ctx, s, objs, cloneDelivery)
	if err != nil {
		return nil, err
	}
	page := &drafts.Page[*drafts.Delivery]{Items: []*drafts.Delivery{}, NextCursor: next}
	for _, d := range read {
		if d != nil {
			page.Items = append(page.Items, d)
		}
	}
	return page, nil
}

func cloneDelivery(d *drafts.Delivery) *drafts.Delivery {
	c := *d
	c.Attempts = slices.Clone(d.Attempts)
	if d.Event != nil {
		c.Event = cloneEvent(d.Event)
	}
	c.NextAttempt, c.DeliveredAt = clonePtr(d.NextAttempt), clonePtr(d.DeliveredAt)
	return &c
}
