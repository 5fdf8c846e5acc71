// Package web is Chancery's web workspace: server-rendered pages (Go's
// html/template) over the same drafts service as the API, for delegates,
// chairs, observers and the secretariat, in English and Russian. It keeps
// sessions in object storage through the service, checks a CSRF token on
// every form and sends a Content-Security-Policy that allows no inline
// script. Templates and static files are embedded.
package web

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"chancery/drafts"
	"chancery/internal/clientip"
	"chancery/internal/flight"
	"chancery/internal/gzipper"
	"chancery/internal/httpstatus"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Cookie names.
const (
	sessionCookie = "chancery_session"
	preCSRFCookie = "chancery_csrf" // CSRF token of forms sent before sign-in
	langCookie    = "chancery_lang"
)

// csp allows scripts, styles and images from the server only: no inline
// script, no inline style, no framing.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Server serves the web workspace. Set the fields, then use Handler.
type Server struct {
	// Service is every service the workspace calls: package service implements
	// it; a test may give a fake that implements only what it calls.
	Service  drafts.Service
	Auth     drafts.Authorizer
	Renderer drafts.Renderer
	Log      *slog.Logger
	// API serves what is not the workspace's: /v1, /healthz, /readyz.
	API http.Handler
	// SessionTTL is how long a session lasts; SignInLinkTTL how long a
	// one-time sign-in link stays valid.
	SessionTTL, SignInLinkTTL time.Duration
	// BodyLimit bounds form bodies (Echo's syntax, "4M").
	BodyLimit string
	// TrustedProxies are the networks whose X-Forwarded-For is believed;
	// with none, the peer address is the client address.
	TrustedProxies []*net.IPNet
	// SignInFailures is how many failed sign-ins an address may make per
	// minute before it is told to wait.
	SignInFailures int
	// StreamHeartbeat and StreamMaxAge are the event streams' (see
	// api.Server): a comment every StreamHeartbeat (15 seconds when
	// zero), an end after about StreamMaxAge (none when zero).
	StreamHeartbeat, StreamMaxAge time.Duration

	echo     *echo.Echo
	pages    map[string]*template.Template
	failures *failures
	streams  streams
	// shared keeps the parts of pages made once for many readers
	// (shared.go); sharing says which parts may be shared, and how.
	shared  *flight.Cache
	sharing map[string]sharing
	// deflated keeps the shared parts deflated, by the same keys, for
	// pages that go compressed (sendPieces).
	deflated *flight.Cache
}

// New returns a Server with defaults.
func New(svc drafts.Service, auth drafts.Authorizer, renderer drafts.Renderer, log *slog.Logger) *Server {
	return &Server{Service: svc, Auth: auth, Renderer: renderer, Log: log,
		SessionTTL: 12 * time.Hour, SignInLinkTTL: 72 * time.Hour, BodyLimit: "8M", SignInFailures: 20, StreamMaxAge: 30 * time.Minute}
}

// Handler returns the workspace as an http.Handler; requests for /v1,
// /healthz and /readyz go to API.
func (s *Server) Handler() http.Handler {
	if s.echo == nil {
		s.build()
	}
	// The API compresses its own answers; the pages are compressed here.
	pages := gzipper.Handler(s.echo)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if s.API != nil && (p == "/v1" || strings.HasPrefix(p, "/v1/") || p == "/healthz" || p == "/readyz") {
			s.API.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
}

func (s *Server) build() {
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	s.pages = parsePages()
	s.shared = flight.NewCache(32 << 20)
	s.deflated = flight.NewCache(8 << 20)
	s.sharing = readSharing(s.pages)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = clientip.Extractor(s.TrustedProxies)
	s.failures = newFailures(s.SignInFailures, time.Minute)
	e.Use(s.recoverPanics)
	e.Use(s.secureHeaders)
	e.Use(middleware.BodyLimit(s.BodyLimit))
	e.Use(s.language)
	e.Use(s.loadSession)

	static, _ := fs.Sub(staticFS, "static")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", staticHandler(static))))
	s.routes(e)
	s.echo = e
}

// staticHandler serves the embedded static files, cached for a day.
func staticHandler(fsys fs.FS) http.Handler {
	h := http.FileServer(http.FS(fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.Log.Error("panic", "path", c.Request().URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = drafts.Errorf(drafts.EINTERNAL, "internal error")
			}
		}()
		return next(c)
	}
}

func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// secure reports whether the request came over TLS, so cookies get Secure.
func secure(c echo.Context) bool {
	return c.Request().TLS != nil || c.Scheme() == "https"
}

func (s *Server) setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(c)})
}

// ctxKeys of the echo context.
const (
	keySession = "session"
	keyLang    = "lang"
	keyExpired = "expired"
)

// loadSession reads the session cookie and puts its user in the request's
// context; an ended session's cookie is cleared and remembered so that the
// sign-in page can say why.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		ses, u, err := s.Service.GetSession(c.Request().Context(), ck.Value)
		if err != nil {
			if !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
				return err
			}
			s.setCookie(c, sessionCookie, "", -1)
			c.Set(keyExpired, true)
			return next(c)
		}
		c.Set(keySession, ses)
		c.SetRequest(c.Request().WithContext(drafts.NewContextWithUser(c.Request().Context(), u)))
		return next(c)
	}
}

func session(c echo.Context) *drafts.Session {
	ses, _ := c.Get(keySession).(*drafts.Session)
	return ses
}

func user(c echo.Context) *drafts.User { return drafts.UserFromContext(c.Request().Context()) }

// signedIn wraps the pages that need a user: others are sent to sign in,
// and come back after.
func (s *Server) signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if user(c) != nil {
			return next(c)
		}
		if c.Request().Method == http.MethodPost && c.Get(keyExpired) != nil {
			return s.carryToSignIn(c)
		}
		q := url.Values{}
		if c.Request().Method == http.MethodGet {
			q.Set("next", c.Request().URL.RequestURI())
		}
		if c.Get(keyExpired) != nil {
			q.Set("expired", "1")
		}
		return c.Redirect(http.StatusSeeOther, "/signin?"+q.Encode())
	}
}

// csrfHeader carries the CSRF token of a request a script sends.
const csrfHeader = "X-CSRF-Token"

// checkCSRF refuses a form whose CSRF token is not the session's (or, before
// sign-in, the one of the pre-session cookie). The token is taken from the
// form's body or the X-CSRF-Token header, never from the URL: a URL is
// logged, kept in histories and sent on as a Referer.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method != http.MethodPost {
			return next(c)
		}
		want := ""
		if ses := session(c); ses != nil {
			want = ses.CSRF
		} else if ck, err := c.Cookie(preCSRFCookie); err == nil {
			want = ck.Value
		}
		got := c.Request().Header.Get(csrfHeader)
		if got == "" {
			got = c.Request().PostFormValue("csrf") // the body only, never the query
		}
		got = unmaskToken(got)
		if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return errCSRF
		}
		return next(c)
	}
}

var errCSRF = drafts.Errorf(drafts.EFORBIDDEN, "this form has expired or did not come from this site; reload the page and send it again")

func httpStatus(err error) int { return httpstatus.FromError(err) }

// handleError shows an error page in the user's language with the
// service's message (the same words as the API).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			err = drafts.Errorf(drafts.ENOTFOUND, "no such page")
		case http.StatusMethodNotAllowed:
			err = drafts.Errorf(drafts.EMALFORMED, "this page does not take that request")
		case http.StatusRequestEntityTooLarge:
			err = drafts.Errorf(drafts.ETOOLARGE, "request body too large")
		default:
			err = drafts.Errorf(drafts.EMALFORMED, "%v", he.Message)
		}
	}
	status := httpStatus(err)
	if status >= 500 {
		s.Log.Error("page failed", "method", c.Request().Method, "path", c.Request().URL.Path, "op", drafts.ErrorOp(err), "err", err)
	}
	d := s.data(c, "Error")
	d.Error = err
	if rerr := s.render(c, status, "error", d); rerr != nil {
		s.Log.Error("error page failed", "err", rerr)
	}
}

// ctx returns the request's context.
func ctx(c echo.Context) context.Context { return c.Request().Context() }

// failures counts failed sign-ins per client address in a fixed window: an
// address that used up its budget is refused until the window ends, so
// that tokens and links cannot be guessed through the sign-in form.
type failures struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string]*failureCount
}

type failureCount struct {
	n     int
	since time.Time
}

func newFailures(max int, window time.Duration) *failures {
	return &failures{max: max, window: window, seen: map[string]*failureCount{}}
}

// blocked reports whether ip used up its failures.
func (f *failures) blocked(ip string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.seen[ip]
	if !ok {
		return false
	}
	if time.Since(c.since) > f.window {
		delete(f.seen, ip)
		return false
	}
	return c.n >= f.max
}

// fail counts one failure of ip.
func (f *failures) fail(ip string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if len(f.seen) > 10000 { // forget old windows so the map stays small
		for k, c := range f.seen {
			if now.Sub(c.since) > f.window {
				delete(f.seen, k)
			}
		}
	}
	c, ok := f.seen[ip]
	if !ok || now.Sub(c.since) > f.window {
		c = &failureCount{since: now}
		f.seen[ip] = c
	}
	c.n++
}

var errTooMany = drafts.Errorf(drafts.ETOOMANY, "too many failed sign-ins from this address; wait a minute")
