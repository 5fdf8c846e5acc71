package drafts

import (
	"context"
	"time"
)

// Live: a document's events as they are recorded (Subscribe), the
// provision a meeting is discussing (Focus), and webhooks (webhook.go).

// LiveFromNow, as Subscribe's after, follows only the events recorded
// from now on.
const LiveFromNow int64 = -1

// Actions of the audit trail that the focus records.
const (
	ActionFocusSet   = "focus.set"
	ActionFocusClear = "focus.clear"
)

// Focus is the provision a meeting is discussing, set by the chair and
// shown live on the screen page and every open page of the document.
type Focus struct {
	Document string `json:"document"`
	// Provision is the provision's stable id, "" when nothing is under
	// discussion.
	Provision string `json:"provision"`
	// Number is its display number in Version (or the start of its text
	// when it has none), for people.
	Number  string     `json:"number,omitempty"`
	Version int        `json:"version,omitempty"`
	SetBy   string     `json:"set_by,omitempty"`
	SetAt   *time.Time `json:"set_at,omitempty"`
}

// DocumentEvent is an event with the document it belongs to: what an
// event stream and a webhook delivery carry.
type DocumentEvent struct {
	Document string `json:"document"`
	*Event
}

// Subscription is one subscriber's view of a document's events.
type Subscription interface {
	// Next waits for the next events and returns them, in the order of
	// the trail, each once. It returns ctx's error when ctx ends, and
	// EUNAVAILABLE when the server ended the subscription (it is closing,
	// or the subscriber fell too far behind): a client resumes with a new
	// subscription after the last event it received.
	Next(ctx context.Context) ([]*Event, error)
	// Close ends the subscription and frees its place within the bounds.
	Close()
}

// LiveService follows documents as they change: their events as they are
// recorded on any replica, and the provision under discussion.
type LiveService interface {
	// Subscribe follows the events of doc for the user of ctx: those
	// numbered after after (LiveFromNow: those recorded from now on), as
	// any replica records them, within a few seconds. Close the
	// subscription when done. ENOTFOUND; EINVALID for after below
	// LiveFromNow; EUNAVAILABLE when the server, or the user, has as many
	// subscriptions open as it allows.
	Subscribe(ctx context.Context, doc string, after int64) (Subscription, error)
	// LastEvent returns the number of the last event of doc's trail (0
	// when it has none): where a page made now is, for its subscription
	// to start after. ENOTFOUND.
	LastEvent(ctx context.Context, doc string) (int64, error)
	// GetFocus returns the provision under discussion; its Provision is ""
	// when there is none. ENOTFOUND.
	GetFocus(ctx context.Context, doc string) (*Focus, error)
	// SetFocus makes provision (a provision id of the head, "" for none)
	// the one under discussion and records it in the audit trail.
	// ENOTFOUND; EINVALID, naming the field, for a provision the head does
	// not have.
	SetFocus(ctx context.Context, doc, provision string) (*Focus, error)
}
