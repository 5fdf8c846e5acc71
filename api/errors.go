package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
	"chancery/internal/httpstatus"
)

// leak matches what must never reach a client: a storage key (the
// top-level prefixes of the bucket's layout) or a network endpoint (the S3
// service's URL or address).
var leak = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(documents|texts|directory|cache|rounds-due)/` + // a storage key
		`|(?i:https?://|\bs3\b|\bminio\b|\blocalhost:\d+|\.amazonaws\.com)` + // an endpoint, or words about one
		`|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\b[a-z0-9-]+(\.[a-z0-9-]+)+:\d{2,5}\b`) // an address
})

// safeDetail is what a client reads instead of a message that would name
// a storage key or an endpoint, per code.
var safeDetail = map[string]string{
	drafts.ENOTFOUND:     "not found",
	drafts.ECONFLICT:     "the request conflicts with what is stored; reload and try again",
	drafts.EPRECONDITION: "it changed since you read it; reload and try again",
	drafts.EINVALID:      "the request cannot be accepted as given",
	drafts.EUNAVAILABLE:  "storage is not reachable; try again shortly",
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type       string              `json:"type"`
	Title      string              `json:"title"`
	Status     int                 `json:"status"`
	Detail     string              `json:"detail"`
	Instance   string              `json:"instance,omitempty"`
	RequestID  string              `json:"request_id,omitempty"`
	Code       string              `json:"code"`
	Permission string              `json:"permission,omitempty"`
	Errors     []drafts.FieldError `json:"errors,omitempty"`
	Collisions []drafts.Collision  `json:"collisions,omitempty"`
	// NotAgreed lists what keeps a text from adoption (code not_agreed).
	NotAgreed []drafts.Obstacle `json:"not_agreed,omitempty"`
}

// handleError is Echo's error handler: every error becomes a problem+json
// response. Internal errors are logged and shown as "Internal error.".
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := drafts.ErrorCode(err), drafts.ErrorMessage(err)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code, msg = echoCode(he)
	}
	status, ok := httpstatus.Of(code)
	if !ok {
		status = http.StatusInternalServerError
	}
	p := Problem{
		Type:      "https://chancery.example/problems/" + strings.ReplaceAll(code, "_", "-"),
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    msg,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
		Code:      code,
	}
	if p.RequestID != "" {
		// The occurrence, not the path: a path may hold what the client
		// sent, and no body may look like it names a storage key.
		p.Instance = "urn:chancery:request:" + p.RequestID
	}
	if e := drafts.AsError(err); e != nil && code != drafts.EINTERNAL {
		p.Errors, p.Collisions, p.Permission = e.Fields, e.Collisions, e.Permission
		p.NotAgreed = e.NotAgreed
	}
	s.scrub(&p, err)
	if status >= 500 {
		s.Log.Error("request failed", "request_id", p.RequestID, "method", c.Request().Method, "route", c.Path(), "op", drafts.ErrorOp(err), "err", err)
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="chancery"`)
	}
	switch status {
	case http.StatusServiceUnavailable:
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(err, 5)))
	case http.StatusTooManyRequests:
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(err, 60)))
	}
	body, _ := json.Marshal(p)
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(status)
	if c.Request().Method != http.MethodHead {
		_, _ = c.Response().Write(body)
	}
}

// scrub is the last guard before a problem leaves: a detail or a field
// message naming a storage key or an endpoint is replaced by words that do
// not, and the original is logged. Collisions carry only texts and ids.
func (s *Server) scrub(p *Problem, err error) {
	leaked := leak().MatchString(p.Detail)
	for _, f := range p.Errors {
		leaked = leaked || leak().MatchString(f.Message) || leak().MatchString(f.Field)
	}
	if !leaked {
		return
	}
	s.Log.Warn("error message withheld: it names storage", "request_id", p.RequestID, "code", p.Code, "err", err)
	p.Detail = safeDetail[p.Code]
	if p.Detail == "" {
		p.Detail = strings.ToLower(p.Title)
	}
	p.Errors = nil
}

// echoCode turns Echo's own errors (no route, wrong method, body too large,
// bad binding) into domain codes.
func echoCode(he *echo.HTTPError) (string, string) {
	msg := fmt.Sprint(he.Message)
	switch he.Code {
	case http.StatusNotFound:
		return drafts.ENOTFOUND, "no such route"
	case http.StatusMethodNotAllowed:
		return drafts.ENOTALLOWED, "this method is not allowed on this route; the Allow header lists those that are"
	case http.StatusRequestEntityTooLarge:
		return drafts.ETOOLARGE, "request body too large"
	case http.StatusUnauthorized:
		return drafts.EUNAUTHORIZED, msg
	case http.StatusTooManyRequests:
		return drafts.ETOOMANY, "too many requests"
	case http.StatusUnsupportedMediaType:
		return drafts.EMEDIATYPE, "unsupported content type; send application/json"
	}
	if he.Code >= 400 && he.Code < 500 {
		return drafts.EMALFORMED, msg
	}
	return drafts.EINTERNAL, "Internal error."
}

// recoverPanics turns a panic into an internal error, logged with its stack
// but never shown.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.Log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = &drafts.Error{Code: drafts.EINTERNAL, Err: fmt.Errorf("panic: %v", r)}
			}
		}()
		return next(c)
	}
}

// logRequests writes one structured line per request and feeds the metrics.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.Metrics.observeRequest(c.Request().Method, route, status, d)
		level := slogLevel(status)
		if !s.Log.Enabled(c.Request().Context(), level) {
			return nil // spares building the line at a higher --log-level
		}
		attrs := []any{
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"method", c.Request().Method, "route", route, "status", status,
			"duration_ms", float64(d.Microseconds()) / 1000, "bytes", c.Response().Size,
			"remote", c.RealIP(),
		}
		if u := drafts.UserFromContext(c.Request().Context()); u != nil {
			attrs = append(attrs, "user", u.ID)
		}
		s.Log.Log(c.Request().Context(), level, "request", attrs...)
		return nil
	}
}
