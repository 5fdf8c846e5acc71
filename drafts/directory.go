package drafts

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Delegation is a member or observer state's (or organisation's) delegation:
// the actor of record of proposals, consents and objections.
type Delegation struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	// NameRu is its name in Russian ("Казахстан"), for Russian pages and
	// documents; Name stands in when it is "" (see NameIn).
	NameRu string `json:"name_ru,omitempty"`
}

var delegationIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z][A-Z0-9-]{1,15}$`) })

// ValidDelegationID reports whether id can be a delegation's id.
func ValidDelegationID(id string) bool { return delegationIDPattern().MatchString(id) }

// Validate checks the delegation's fields.
func (d *Delegation) Validate() error {
	var fields []FieldError
	if !delegationIDPattern().MatchString(d.ID) {
		fields = append(fields, FieldError{Field: "id", Message: "2 to 16 capital letters, digits or '-', starting with a letter (e.g. KZ)"})
	}
	if fe := CheckName("name", d.Name, 200); fe != nil {
		fields = append(fields, *fe)
	}
	if len(d.NameRu) > 200 || d.NameRu != "" && strings.TrimSpace(d.NameRu) == "" {
		fields = append(fields, FieldError{Field: "name_ru", Message: "at most 200 bytes, not blank"})
	}
	if d.Status != StatusMember && d.Status != StatusObserver {
		fields = append(fields, FieldError{Field: "status", Message: `"member" or "observer"`})
	}
	return fieldsError("invalid delegation", fields)
}

// User is a person with a role and, for delegates and observers, a delegation.
type User struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	Delegation string    `json:"delegation"`
	Body       string    `json:"body,omitempty"`
	CreatedAt  time.Time `json:"created_at"`

	// DelegationStatus is filled in at authentication from the delegation.
	DelegationStatus string `json:"delegation_status,omitempty"`
}

// Validate checks the user's fields (not whether the delegation exists).
func (u *User) Validate() error {
	var fields []FieldError
	if fe := CheckName("name", u.Name, 200); fe != nil {
		fields = append(fields, *fe)
	}
	// The other fields are codes: bounded by their patterns, so that
	// nothing long is copied into the user's token records.
	if u.Body != "" && !bodyPattern().MatchString(u.Body) {
		fields = append(fields, FieldError{Field: "body", Message: "the body the chair chairs, e.g. SWG: a letter, then up to 31 letters, digits or '-'"})
	}
	if u.Delegation != "" && !ValidDelegationID(u.Delegation) {
		fields = append(fields, FieldError{Field: "delegation", Message: "the id of a delegation, e.g. KZ"})
	}
	switch u.Role {
	case RoleSecretariat:
	case RoleChair:
		if u.Body == "" {
			fields = append(fields, FieldError{Field: "body", Message: "a chair needs the body it chairs (e.g. SWG)"})
		}
	case RoleDelegate, RoleObserver:
		if u.Delegation == "" {
			fields = append(fields, FieldError{Field: "delegation", Message: "required for a " + u.Role})
		}
	default:
		fields = append(fields, FieldError{Field: "role", Message: `"secretariat", "chair", "delegate" or "observer"`})
	}
	return fieldsError("invalid user", fields)
}

// Subject returns the user as the policy sees them.
func (u *User) Subject() Subject {
	return Subject{User: u.ID, Role: u.Role, Delegation: u.Delegation, DelegationStatus: u.DelegationStatus, Body: u.Body}
}

// Token is an API token as stored: never the secret, only its hash.
type Token struct {
	ID        string     `json:"id"`
	User      string     `json:"user"`
	Hash      string     `json:"hash"` // hex SHA-256 of the secret
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// Holder is the user as a request needs it (role, delegation and its
	// status, body), written with the token so that authentication is one
	// read. Users and delegations do not change once created; whatever
	// changes one must rewrite its users' tokens. Tokens stored before it
	// existed have none, and get it on their next use.
	Holder *User `json:"holder,omitempty"`
	// Audit holds the events of the token's changes (stored, not shown).
	Audit []AuditEntry `json:"-"`
}

// tokenPrefix starts every token so that leaked ones are easy to find.
const tokenPrefix = "chy_"

// NewTokenSecret returns a new token's id, the plain token to show once
// ("chy_<id>_<secret>"), and the hash to store.
func NewTokenSecret() (id, plain, hash string) {
	id = RandomID(10)
	secret := RandomID(32)
	return id, tokenPrefix + id + "_" + secret, HashSecret(secret)
}

// SplitToken returns the id and secret of a plain token, ok false if it is
// not shaped like one.
func SplitToken(plain string) (id, secret string, ok bool) {
	rest, found := strings.CutPrefix(plain, tokenPrefix)
	if !found {
		return "", "", false
	}
	id, secret, found = strings.Cut(rest, "_")
	if !found || !ValidID(id) || secret == "" || len(plain) > 200 {
		return "", "", false
	}
	for _, c := range secret {
		if c <= ' ' || c >= 0x7f {
			return "", "", false
		}
	}
	return id, secret, true
}

// HashSecret returns the hex SHA-256 of a token secret.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// VerifySecret compares a secret with a stored hash in constant time.
func VerifySecret(secret, hash string) bool {
	got := HashSecret(secret)
	return subtle.ConstantTimeCompare([]byte(got), []byte(hash)) == 1
}

// idEncoding is made when first needed: a process that makes no id does
// not pay for it at start.
var idEncoding = sync.OnceValue(func() *base32.Encoding {
	return base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
})

// RandomID returns n random characters of [a-z2-7] from crypto/rand.
func RandomID(n int) string {
	b := make([]byte, (n*5+7)/8)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on Linux
	}
	return idEncoding().EncodeToString(b)[:n]
}

func fieldsError(msg string, fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return &Error{Code: EINVALID, Message: msg + ": " + strings.Join(parts, "; "), Fields: fields}
}

// RecoverAccessInput says whose access to restore and who restores it.
type RecoverAccessInput struct {
	// User is the id of the user who gets a new token ("secretariat" is
	// the first secretariat user).
	User string
	// Operator names who ran the recovery (an operating-system user and
	// host), recorded in the audit event.
	Operator string
	// RevokeOthers revokes every other token of the user, for a token that
	// was lost where someone else may find it.
	RevokeOthers bool
}

// RecoverAccessResult is the new token, shown once, and what was recorded.
type RecoverAccessResult struct {
	Token   *Token
	Plain   string
	Revoked []string // ids of the tokens revoked
	Event   *Event   // the directory audit event
}

// ValidID reports whether id can be the id of a document, proposal, user
// or token: 1 to 64 of a-z, 0-9 and '-'. Anything else names nothing.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
