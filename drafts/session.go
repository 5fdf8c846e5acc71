package drafts

import "time"

// Session is a signed-in browser of the web workspace, as stored: never the
// secret, only its hash. Sessions live in object storage so that every
// replica honours them.
type Session struct {
	ID   string `json:"id"`
	User string `json:"user"`
	Hash string `json:"hash"`
	CSRF string `json:"csrf"` // the token every form of the session carries
	// Token is the id of the API token the user signed in with ("" for a
	// sign-in link): revoking it ends the session.
	Token     string    `json:"token,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// MaxSessionAge is how long a session may be renewed for, from when it
// began: a week, after which one signs in again.
const MaxSessionAge = 7 * 24 * time.Hour

// SignInLink is a one-time sign-in link the secretariat issues for a user,
// as stored (only the hash of its secret).
type SignInLink struct {
	ID        string    `json:"id"`
	User      string    `json:"user"`
	Hash      string    `json:"hash"`
	IssuedBy  string    `json:"issued_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Visit is what a user last saw of a document: the head version and the
// last audit event.
type Visit struct {
	At      time.Time `json:"at"`
	Head    int       `json:"head"`
	LastSeq int64     `json:"last_seq"`
}
