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
// for people and is shown to the client (except for EINTERNAL). Op names
// the operation that raised it, for logs.
type Error struct {
	// Op is the operation that raised the error ("service.Merge"), set
	// by E; logs name it (ErrorOp), clients never see it. An Error with
	// an Op and no Code only marks where the error it wraps came from.
	Op      string
	Code    string
	Message string

	// Fields lists problems with individual fields or places in a text.
	Fields []FieldError
	// Collisions lists overlapping changes found by a merge (ECONFLICT).
	Collisions []Collision
	// Permission names the missing permission of an EFORBIDDEN error.
	Permission string
	// NotAgreed lists what keeps a text from adoption (ENOTAGREED).
	NotAgreed []Obstacle

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

// Error implements the error interface. The operation is not part of the
// text, which the command line shows; logs add it (ErrorOp).
func (e *Error) Error() string {
	if e.Code == "" && e.Err != nil {
		return e.Err.Error() // an operation's mark only
	}
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

// E returns err marked with the operation op that raised it: an *Error
// is copied with Op set, any other error wrapped in an *Error that only
// marks it. An error that names an operation already keeps it (the first
// mark is the innermost). Codes, messages and fields stay as they were;
// E(op, nil) is nil.
func E(op string, err error) error {
	if err == nil || ErrorOp(err) != "" {
		return err
	}
	if e, ok := err.(*Error); ok {
		c := *e
		c.Op = op
		return &c
	}
	return &Error{Op: op, Err: err}
}

// ErrorOp returns the operation that raised err (see E), or "".
func ErrorOp(err error) string {
	if e := first(err, func(e *Error) bool { return e.Op != "" }); e != nil {
		return e.Op
	}
	return ""
}

// coded returns the first *Error in err's chain that has a code, passing
// over marks of operations, or nil.
func coded(err error) *Error { return first(err, func(e *Error) bool { return e.Code != "" }) }

// first returns the first *Error in err's chain for which ok is true, or
// nil.
func first(err error, ok func(*Error) bool) *Error {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil
		}
		if ok(e) {
			return e
		}
		err = e.Err
	}
	return nil
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e := coded(err); e != nil {
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
	if e := coded(err); e != nil && e.Code != EINTERNAL {
		if e.Message != "" {
			return e.Message
		}
		if e.Err != nil {
			return e.Err.Error()
		}
	}
	return "Internal error."
}

// AsError returns the first *Error in err's chain that has a code, or nil.
func AsError(err error) *Error { return coded(err) }

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }
