package drafts

import (
	"errors"
	"fmt"
)

// Error codes. Every error the domain returns carries one of them; the HTTP
// package maps each code to one status in one place.
const (
	ECONFLICT     = "conflict"     // the state changed or already exists (409)
	EINTERNAL     = "internal"     // a bug or an unexpected failure (500)
	EINVALID      = "invalid"      // well-formed request, unacceptable content (422)
	EMALFORMED    = "malformed"    // the request itself cannot be read (400)
	ENOTFOUND     = "not_found"    // no such thing, or not visible to the caller (404)
	EFORBIDDEN    = "forbidden"    // authenticated but not permitted (403)
	EUNAUTHORIZED = "unauthorized" // no valid credentials (401)
	EPRECONDITION = "precondition" // an If-Match / ETag condition failed (412)
	ETOOLARGE     = "too_large"    // a body or text over its limit (413)
	EUNAVAILABLE  = "unavailable"  // storage or another dependency is down (503)
	ETOOMANY      = "too_many"     // rate limited (429)
	ENOTIMPL      = "not_implemented"
	ENOTALLOWED   = "method_not_allowed"     // the route exists, not with this method (405)
	ENOTACCEPT    = "not_acceptable"         // no representation the Accept header admits (406)
	EMEDIATYPE    = "unsupported_media_type" // a body in a format the route does not take (415)
)

// Error is the domain's error type. Code is machine readable, Message is
// for people and is shown to the client (except for EINTERNAL).
type Error struct {
	Code    string
	Message string

	// Fields lists problems with individual fields or places in a text.
	Fields []FieldError
	// Collisions lists overlapping changes found by a merge (ECONFLICT).
	Collisions []Collision
	// Permission names the missing permission of an EFORBIDDEN error.
	Permission string

	// Err is the underlying cause, never shown to clients.
	Err error
}

// FieldError says what is wrong with one field, or one place in a text.
type FieldError struct {
	Field   string `json:"field,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Err != nil && e.Message != "" {
		return fmt.Sprintf("chancery: %s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("chancery: %s: %s", e.Code, msg)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with the given code and message around err.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-facing message of err. Internal errors
// are reported as "Internal error." whatever their cause.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		if e.Message != "" {
			return e.Message
		}
		if e.Err != nil {
			return e.Err.Error()
		}
	}
	return "Internal error."
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }
