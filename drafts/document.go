package drafts

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Document kinds.
var documentKinds = []string{"road-map", "catalogue", "rules-of-procedure", "statement", "decision", "regulation", "other"}

// DocumentKinds returns the kinds a document may be of, in the order a
// form offers them.
func DocumentKinds() []string { return slices.Clone(documentKinds) }

// Document states.
const (
	StateDrafting    = "drafting"
	StateNegotiation = "negotiation"
	StateAdoption    = "adoption"
	StateAdopted     = "adopted"
	StateWithdrawn   = "withdrawn"
)

// Document is a text under negotiation, with its metadata. Its versions and
// proposals are stored beside it.
type Document struct {
	ID         string    `json:"id"`
	Symbol     string    `json:"symbol"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	Body       string    `json:"body"`
	Language   string    `json:"language"`
	Visibility string    `json:"visibility"`
	State      string    `json:"state"`
	Head       int       `json:"head"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	CreatedBy  string    `json:"created_by"`
	// Adopted is the adopted version, 0 until the text is adopted.
	Adopted int `json:"adopted,omitempty"`
	// AdoptedAt and AdoptedBy record how the text was adopted.
	AdoptedAt *time.Time `json:"adopted_at,omitempty"`
	AdoptedBy string     `json:"adopted_by,omitempty"` // "consensus" or "silence"
	Agreement *Agreement `json:"agreement,omitempty"`
	// Round is the current or last adoption round.
	Round string `json:"round,omitempty"`
	// LanguageVersions are the languages the text exists in besides its
	// original language (Language), in the order they were added.
	LanguageVersions []string `json:"language_versions,omitempty"`
	// LanguageStates, shown not stored, sums up each language of the head
	// (see LanguageState): the original first.
	LanguageStates []LanguageState `json:"languages,omitempty"`
	ETag           string          `json:"-"`
	// Pending, when past Head, is a version that a request is creating (or
	// created and died before completing): the service keeps it in storage
	// and never shows it.
	Pending int `json:"-"`
	// Audit holds the events of the document's own changes (stored, not
	// shown).
	Audit []AuditEntry `json:"-"`
}

// Agreement is how much of the head version is agreed.
type Agreement struct {
	Provisions       int     `json:"provisions"`
	AgreedProvisions int     `json:"agreed_provisions"`
	Words            int     `json:"words"`
	AgreedWords      int     `json:"agreed_words"`
	CleanShare       float64 `json:"clean_share"`       // by provisions, 0..1
	CleanShareWords  float64 `json:"clean_share_words"` // by words, 0..1
}

var (
	symbolPattern   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}/.\-() ]*$`) }) // and at most 100 characters
	bodyPattern     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,31}$`) })
	languagePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`) })
)

// Validate checks the document's metadata fields.
func (d *Document) Validate() error {
	var fields []FieldError
	if !symbolPattern().MatchString(d.Symbol) || utf8.RuneCountInString(d.Symbol) > 100 {
		fields = append(fields, FieldError{Field: "symbol", Message: "1 to 100 letters, digits, '/', '.', '-', '(', ')' or spaces, e.g. CICA/SWG/2024/R.1"})
	}
	if fe := CheckName("title", d.Title, 500); fe != nil {
		fields = append(fields, *fe)
	}
	if !slices.Contains(documentKinds, d.Kind) {
		fields = append(fields, FieldError{Field: "kind", Message: "one of " + strings.Join(documentKinds, ", ")})
	}
	if !bodyPattern().MatchString(d.Body) {
		fields = append(fields, FieldError{Field: "body", Message: "the owning body, e.g. SWG or SOC"})
	}
	if !languagePattern().MatchString(d.Language) {
		fields = append(fields, FieldError{Field: "language", Message: "a language tag such as en or ru"})
	}
	if d.Visibility != VisibilityMembers && d.Visibility != VisibilityObservers {
		fields = append(fields, FieldError{Field: "visibility", Message: `"members" or "observers"`})
	}
	return fieldsError("invalid document", fields)
}

// Resource returns the document as the policy sees it.
func (d *Document) Resource() Resource {
	return Resource{Type: "document", Body: d.Body, Visibility: d.Visibility}
}

// Version is an immutable snapshot of a document's whole text.
type Version struct {
	Document   string      `json:"document"`
	Number     int         `json:"number"`
	Parent     int         `json:"parent,omitempty"`
	Author     string      `json:"author"`
	Delegation string      `json:"delegation"`
	Message    string      `json:"message"`
	CreatedAt  time.Time   `json:"created_at"`
	Hash       string      `json:"hash"` // hex sha-256 of the text
	Merged     []string    `json:"merged"`
	Lead       string      `json:"lead,omitempty"`
	Provisions []Provision `json:"provisions"`
	// Resolutions lists the provisions whose text the chair set by a
	// compromise when merging.
	Resolutions []string `json:"resolutions,omitempty"`
	// Attribution says which merged proposal changed which provision.
	Attribution []Attribution `json:"attribution,omitempty"`
	// AcceptedModified lists the merged proposals whose text a resolution
	// replaced; Obsolete the proposals the merge found impossible.
	AcceptedModified []string          `json:"accepted_modified,omitempty"`
	Obsolete         map[string]string `json:"obsolete,omitempty"`
	// MergedETags are the merged proposals' ETags as the merge read them,
	// to tell a proposal edited while the merge ran.
	MergedETags map[string]string `json:"merged_etags,omitempty"`
	// Translated holds, by language and provision id, the texts the
	// version gives its provisions in a language version: those of the
	// merged proposals written in that language (ProposalInput.Language),
	// current from the start.
	Translated map[string]map[string]string `json:"translated,omitempty"`
	// Language, on a version read in a language (TranslateVersion), is
	// that language; "" as stored, in the original language.
	Language string `json:"language,omitempty"`
	// ETag changes with the text and with the provisions' statuses.
	ETag string `json:"-"`
	// TitleNotes are notes on the title (the text as a whole) that a
	// caller adds to a copy of the version to print it (see
	// WithPrintNotes); never stored.
	TitleNotes []string `json:"-"`
}

// Text returns the version's text, as printed from its provisions.
func (v *Version) Text() string {
	t := Text{Lead: v.Lead, Provisions: v.Provisions}
	return t.Print()
}

// Provision returns the provision with the given id and its index, or -1.
func (v *Version) Provision(id string) (Provision, int) {
	for i, p := range v.Provisions {
		if p.ID == id {
			return p, i
		}
	}
	return Provision{}, -1
}

// HashText returns the hex sha-256 of a text.
func HashText(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Provision statuses, set by the chair per version.
const (
	ProvisionPending     = "pending"
	ProvisionBracketed   = "bracketed"
	ProvisionAgreedAdRef = "agreed-ad-ref"
	ProvisionAgreed      = "agreed"
)

// ValidProvisionStatus reports whether s is a provision status.
func ValidProvisionStatus(s string) bool {
	switch s {
	case ProvisionPending, ProvisionBracketed, ProvisionAgreedAdRef, ProvisionAgreed:
		return true
	}
	return false
}

// RenumberInput is a chair's request to renumber the head: Base must be
// the head, Message is the new version's message ("" for a default one).
type RenumberInput struct {
	Base    int    `json:"base"`
	Message string `json:"message"`
}
