package drafts_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"chancery/drafts"
)

// TestErrorOp: E marks an error with the operation that raised it, for
// logs, and changes nothing else: code, message, fields, the text of
// Error() and what errors.Is finds stay as they were.
func TestErrorOp(t *testing.T) {
	const op = "service.CreateProposal"
	fields := []drafts.FieldError{{Field: "base", Message: "required"}}
	for _, c := range []struct {
		name          string
		err           error
		code, message string
	}{
		{"domain error", &drafts.Error{Code: drafts.EINVALID, Message: "base: required", Fields: fields}, drafts.EINVALID, "base: required"},
		{"wrapped domain error", fmt.Errorf("too much contention: %w", &drafts.Error{Code: drafts.EPRECONDITION, Message: "changed", Fields: fields}), drafts.EPRECONDITION, "changed"},
		{"other error", context.Canceled, drafts.EINTERNAL, "Internal error."},
		{"internal error", drafts.WrapError(drafts.EINTERNAL, errors.New("disk"), "stored object x is damaged"), drafts.EINTERNAL, "Internal error."},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := c.err.Error()
			marked := drafts.E(op, c.err)
			if got := drafts.ErrorOp(marked); got != op {
				t.Errorf("ErrorOp = %q, want %q", got, op)
			}
			if got := drafts.ErrorCode(marked); got != c.code {
				t.Errorf("ErrorCode = %q, want %q", got, c.code)
			}
			if got := drafts.ErrorMessage(marked); got != c.message {
				t.Errorf("ErrorMessage = %q, want %q", got, c.message)
			}
			if got := marked.Error(); got != before {
				t.Errorf("Error() = %q, want %q as before", got, before)
			}
			if !errors.Is(marked, c.err) && drafts.AsError(c.err) == nil {
				t.Error("the marked error no longer wraps the cause")
			}
			if e := drafts.AsError(marked); c.code != drafts.EINTERNAL && (e == nil || len(e.Fields) != 1) {
				t.Errorf("AsError = %+v, want the fields", e)
			}
			if got := drafts.ErrorOp(c.err); got != "" {
				t.Errorf("the original is marked too: %q", got)
			}
			if got := drafts.ErrorOp(drafts.E("service.Other", marked)); got != op {
				t.Errorf("marked twice: ErrorOp = %q, want the first, %q", got, op)
			}
		})
	}
	if drafts.E(op, nil) != nil {
		t.Error("E(op, nil) is not nil")
	}
}
