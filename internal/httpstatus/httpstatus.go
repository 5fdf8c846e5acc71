// Package httpstatus maps Chancery's error codes to HTTP statuses, for the
// two HTTP front doors (the API and the web workspace), so that the same
// error gets the same status through either.
package httpstatus

import (
	"net/http"

	"chancery/drafts"
)

var statusOf = map[string]int{
	drafts.EMALFORMED:    http.StatusBadRequest,
	drafts.EUNAUTHORIZED: http.StatusUnauthorized,
	drafts.EFORBIDDEN:    http.StatusForbidden,
	drafts.ENOTFOUND:     http.StatusNotFound,
	drafts.ECONFLICT:     http.StatusConflict,
	drafts.EPRECONDITION: http.StatusPreconditionFailed,
	drafts.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	drafts.EINVALID:      http.StatusUnprocessableEntity,
	drafts.ETOOMANY:      http.StatusTooManyRequests,
	drafts.EINTERNAL:     http.StatusInternalServerError,
	drafts.EUNAVAILABLE:  http.StatusServiceUnavailable,
	drafts.ENOTIMPL:      http.StatusNotImplemented,
	drafts.ENOTALLOWED:   http.StatusMethodNotAllowed,
	drafts.ENOTACCEPT:    http.StatusNotAcceptable,
	drafts.EMEDIATYPE:    http.StatusUnsupportedMediaType,
	drafts.ENOTAGREED:    http.StatusConflict,
	drafts.ELANGUAGES:    http.StatusConflict,
}

// Of returns the HTTP status of an error code, and false for a code it
// does not know.
func Of(code string) (int, bool) {
	st, ok := statusOf[code]
	return st, ok
}

// FromError returns the HTTP status of err's code; an error without a
// known code is a 500.
func FromError(err error) int {
	if st, ok := statusOf[drafts.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}
