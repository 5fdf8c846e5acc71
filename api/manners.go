package api

import (
	"errors"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
	"chancery/internal/sse"
)

// produces lists, per route path, the media types a route can answer with,
// the preferred first. A route not listed answers application/json only.
// A route that learns a new representation must be listed here, or an
// Accept asking for it gets 406.
var produces = map[string][]string{
	"/v1/documents/:doc/versions/:n":       {echo.MIMEApplicationJSON, echo.MIMETextPlain, drafts.WordMediaType},
	"/v1/documents/:doc/versions/:n/diff":  {echo.MIMEApplicationJSON, echo.MIMETextHTML, echo.MIMETextPlain, drafts.WordMediaType},
	"/v1/documents/:doc/proposals/:p/diff": {echo.MIMEApplicationJSON, echo.MIMETextHTML, echo.MIMETextPlain},
	"/v1/documents/:doc/proposals/:p":      {echo.MIMEApplicationJSON, drafts.WordMediaType},
	"/v1/documents/:doc/compilation":       {echo.MIMEApplicationJSON, echo.MIMETextHTML, "application/pdf", drafts.WordMediaType},
	"/v1/documents/:doc/versions/:n/pdf":   {"application/pdf"},
	"/v1/documents/:doc/events/stream":     {sse.ContentType},
	"/v1/documents/:doc/state":             {echo.MIMEApplicationJSON, echo.MIMETextHTML, "application/pdf", mimeSVG},
}

// offersOf returns the media types the route at path answers with.
func offersOf(path string) []string {
	if o, ok := produces[path]; ok {
		return o
	}
	return []string{echo.MIMEApplicationJSON}
}

// acceptable refuses, with a 406 naming what the route offers, a request
// whose Accept header admits none of the route's media types. It runs after
// authentication, and tells nothing about any document.
func acceptable(path string) echo.MiddlewareFunc {
	offers := offersOf(path)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if _, ok := negotiate(c.Request().Header.Get(echo.HeaderAccept), offers); !ok {
				return drafts.Errorf(drafts.ENOTACCEPT, "this route answers with %s; the Accept header admits none of them", strings.Join(offers, ", "))
			}
			return next(c)
		}
	}
}

// preferred returns the offer the client's Accept header prefers, or the
// first offer when it has no preference (no Accept, or */*). The acceptable
// middleware has already refused requests that admit none.
func preferred(c echo.Context, offers ...string) string {
	best, ok := negotiate(c.Request().Header.Get(echo.HeaderAccept), offers)
	if !ok {
		return offers[0]
	}
	return best
}

// negotiate picks among offers by an Accept header (RFC 9110 §12.5.1): each
// offer takes the quality of the most specific media range that matches
// it; the highest quality above zero wins, ties going to the earlier
// offer. It reports false when the header admits no offer. An empty or
// unparsable header admits everything.
func negotiate(accept string, offers []string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return offers[0], true
	}
	type rng struct {
		typ, sub string
		q        float64
	}
	var ranges []rng
	for _, part := range strings.Split(accept, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		typ, sub, _ := strings.Cut(mt, "/")
		q := 1.0
		if qs, ok := params["q"]; ok {
			f, err := strconv.ParseFloat(qs, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		ranges = append(ranges, rng{typ, sub, q})
	}
	if len(ranges) == 0 {
		return offers[0], true
	}
	best, bestQ := "", 0.0
	for _, o := range offers {
		typ, sub, _ := strings.Cut(o, "/")
		q, specificity := 0.0, -1
		for _, r := range ranges {
			s := -1
			switch {
			case r.typ == typ && r.sub == sub:
				s = 2
			case r.typ == typ && r.sub == "*":
				s = 1
			case r.typ == "*" && r.sub == "*":
				s = 0
			}
			if s > specificity {
				q, specificity = r.q, s
			}
		}
		if q > bestQ {
			best, bestQ = o, q
		}
	}
	return best, bestQ > 0
}

// retryAfter marks an error (a 429 or a 503) with when to try again; the
// error handler sends it as Retry-After.
type retryAfter struct {
	err   error
	after time.Duration
}

func (r *retryAfter) Error() string { return r.err.Error() }
func (r *retryAfter) Unwrap() error { return r.err }

// withRetryAfter returns err marked with a Retry-After of d.
func withRetryAfter(err error, d time.Duration) error { return &retryAfter{err: err, after: d} }

// retryAfterSeconds returns the Retry-After of err in whole seconds (at
// least 1), or def when err carries none.
func retryAfterSeconds(err error, def int) int {
	var r *retryAfter
	if errors.As(err, &r) {
		s := int((r.after + time.Second - 1) / time.Second)
		if s < 1 {
			s = 1
		}
		return s
	}
	return def
}
