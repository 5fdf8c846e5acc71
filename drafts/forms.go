package drafts

import (
	"context"
	"time"
)

// The web workspace keeps what a user types in storage, so that nothing
// typed is lost and nothing is done twice (see FormService).

// SavedForm is what a user typed into a form of the web workspace: a
// proposal written in several steps, a merge being prepared, a form sent
// after the session ended. Only its user reads it; it expires.
type SavedForm struct {
	ID   string `json:"id"`
	User string `json:"user"`
	// Path is the page the form belongs to, e.g. /documents/d1/proposals/new.
	Path string `json:"path"`
	// Fields are the form's fields as sent.
	Fields    map[string][]string `json:"fields"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
	ExpiresAt time.Time           `json:"expires_at"`
	ETag      string              `json:"-"`
}

// Size is the bytes of the form's path and fields.
func (f *SavedForm) Size() int {
	n := len(f.Path)
	for k, vs := range f.Fields {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// FormClaim records that a user sent a form with an idempotency key: the
// first request with the key claims it and acts; another one finds the
// claim and is sent to the first one's result instead of acting again.
type FormClaim struct {
	Key       string    `json:"key"`
	User      string    `json:"user"`
	CreatedAt time.Time `json:"created_at"`
	// Done is set once the action is carried out: Location is the page of
	// its result, Notice what the user was told (a message and its
	// arguments, in the caller's words).
	Done     bool      `json:"done"`
	Location string    `json:"location,omitempty"`
	Notice   []string  `json:"notice,omitempty"`
	DoneAt   time.Time `json:"done_at,omitempty"`
	ETag     string    `json:"-"`
}

// Bounds of saved forms.
const (
	// MaxFormBytes bounds a saved form's fields.
	MaxFormBytes = 8 << 20
	// FormTTL is how long a saved form is kept after its last change.
	FormTTL = 30 * 24 * time.Hour
)

// FormService keeps the web workspace's saved forms and the claims of
// idempotency keys. Every method acts for the user of ctx, on that user's
// forms only.
type FormService interface {
	// SaveForm stores f for the user: a new form when f.ID is "" (its
	// id, user and times are set), otherwise in place of the user's form
	// f.ID. EINVALID for a path that is not the workspace's or fields
	// over MaxFormBytes; ENOTFOUND for a form that is not the user's or
	// has expired; EPRECONDITION if ifMatch is stale.
	SaveForm(ctx context.Context, f *SavedForm, ifMatch string) (*SavedForm, error)
	// GetForm returns one of the user's saved forms. ENOTFOUND if there
	// is none (or it expired).
	GetForm(ctx context.Context, id string) (*SavedForm, error)
	// DeleteForm removes one of the user's saved forms; removing one that
	// is gone is not an error.
	DeleteForm(ctx context.Context, id string) error
	// ClaimForm claims an idempotency key for the user: claimed is true
	// the first time; otherwise the claim is the one made before (done,
	// or still in progress). EINVALID for a malformed key.
	ClaimForm(ctx context.Context, key string) (claim *FormClaim, claimed bool, err error)
	// FinishForm records the result of the action of a claimed key.
	// ENOTFOUND if the key is not claimed.
	FinishForm(ctx context.Context, key, location string, notice []string) error
	// ReleaseForm forgets a claim whose action failed, so that the form
	// may be sent again; releasing a done or absent claim does nothing.
	ReleaseForm(ctx context.Context, key string) error
}
