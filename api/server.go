// Package api is Chancery's HTTP interface: the Echo routes of the /v1 API,
// authentication middleware (the service authorizes every call itself),
// the problem+json error
// handler, health, metrics and the OpenAPI document. It is the only package
// that imports Echo.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"chancery/drafts"
	"chancery/internal/clientip"
	"chancery/internal/flight"
	"chancery/internal/gzipper"
)

// Server serves the API. Set the fields, then call Open.
type Server struct {
	// Service is every service the handlers call: package service implements
	// it; a test may give a fake that implements only what it calls.
	Service  drafts.Service
	Auth     drafts.Authorizer
	Renderer drafts.Renderer
	Log      *slog.Logger
	Metrics  *Metrics

	// BodyLimit bounds request bodies ("4M" style, Echo's syntax).
	BodyLimit string
	// ReadTimeout and WriteTimeout bound one request.
	ReadTimeout, WriteTimeout time.Duration
	// TrustedProxies are the networks whose X-Forwarded-For is believed;
	// with none, the peer address is the client address.
	TrustedProxies []*net.IPNet
	// AuthFailures is how many failed authentications an address may make
	// per minute before its further bad tokens get 429s (its valid tokens
	// never do).
	AuthFailures int
	// Now is the clock of the failed-authentication budget; nil is
	// time.Now.
	Now func() time.Time

	// Word reads and writes .docx files (api/docx.go); nil refuses them.
	Word drafts.Word

	// StreamHeartbeat is how often a quiet event stream gets a comment
	// (15 seconds when zero); StreamMaxAge ends a stream after about that
	// long, for the client to reconnect and be authenticated again (none
	// when zero).
	StreamHeartbeat, StreamMaxAge time.Duration

	echo     *echo.Echo
	handler  http.Handler // echo, compressing
	ln       net.Listener
	routes   map[string]route // "METHOD path" → route
	failures *failureLimiter
	// encoded keeps encoded responses that their key determines
	// entirely, made once for concurrent requests (see encodedVersion,
	// compilation, versionDiff).
	encoded *flight.Cache

	streamsMu sync.Mutex
	ending    chan struct{} // closed by EndStreams
}

// route is one API route with the action the policy decides on (the
// service it calls asks the policy; the action documents the route and
// lets tests check that every route has a rule).
type route struct {
	method, path string
	action       string
	handler      echo.HandlerFunc
}

// NewServer returns a Server with defaults.
func NewServer(svc drafts.Service, auth drafts.Authorizer, renderer drafts.Renderer, log *slog.Logger) *Server {
	s := &Server{
		Service: svc, Auth: auth, Renderer: renderer, Log: log,
		BodyLimit: "8M", ReadTimeout: 30 * time.Second, WriteTimeout: 120 * time.Second,
		AuthFailures: 20, StreamMaxAge: 30 * time.Minute,
	}
	return s
}

// Handler builds the Echo instance (once) and returns it as an
// http.Handler, compressing what it answers for clients that accept gzip
// (package gzipper).
func (s *Server) Handler() http.Handler {
	if s.echo == nil {
		s.build()
		s.handler = gzipper.Handler(s.echo)
	}
	return s.handler
}

func (s *Server) build() {
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Metrics == nil {
		s.Metrics = NewMetrics()
	}
	if s.Service != nil {
		s.Metrics.ObserveCache(s.Service.CacheStats)
	}
	s.encoded = flight.NewCache(32 << 20)
	s.failures = newFailureLimiter(rate.Limit(float64(s.AuthFailures)/60), s.AuthFailures, s.Now)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Only trusted proxies may speak for the client's address.
	e.IPExtractor = clientip.Extractor(s.TrustedProxies)
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Generator: func() string { return drafts.RandomID(16) },
	}))
	e.Use(s.logRequests)
	e.Use(s.recoverPanics)
	e.Use(secureHeaders)
	e.Use(middleware.BodyLimit(s.BodyLimit))

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/v1/openapi.json", s.openapi)
	s.registerDocs(e)

	s.routes = map[string]route{}
	for _, r := range s.apiRoutes() {
		r := r
		s.routes[r.method+" "+r.path] = r
		e.Add(r.method, r.path, r.handler, s.authenticate, acceptable(r.path), s.word)
		if r.method == http.MethodGet {
			// HEAD answers as GET; net/http drops the body.
			e.Add(http.MethodHead, r.path, r.handler, s.authenticate, acceptable(r.path), s.word)
		}
	}
	e.HEAD("/healthz", s.healthz)
	e.HEAD("/readyz", s.readyz)
	e.HEAD("/v1/openapi.json", s.openapi)
	s.echo = e
}

// Open listens on addr ("127.0.0.1:0" picks a port) and serves in the
// background until Close.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.Serve(ln)
	return nil
}

// Serve serves on a listener the caller opened (so that a command can
// claim its address before it touches storage), in the background until
// Close.
func (s *Server) Serve(ln net.Listener) {
	h := s.Handler()
	s.ln = ln
	s.echo.Server.Handler = h
	s.echo.Server.ReadTimeout = s.ReadTimeout
	s.echo.Server.ReadHeaderTimeout = 10 * time.Second
	s.echo.Server.WriteTimeout = s.WriteTimeout
	s.echo.Server.IdleTimeout = 2 * time.Minute
	go func() {
		if err := s.echo.Server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Log.Error("http server stopped", "err", err)
		}
	}()
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close ends the event streams, stops accepting requests and waits for
// those in flight to finish, until ctx is done.
func (s *Server) Close(ctx context.Context) error {
	s.EndStreams()
	if s.echo == nil {
		return nil
	}
	return s.echo.Server.Shutdown(ctx)
}

// RouteActions returns every registered /v1 route ("METHOD path") with the
// action the policy decides on, for tests that check each route has a rule.
// HEAD routes are left out: each is its GET route's twin.
func (s *Server) RouteActions() map[string]string {
	s.Handler()
	out := map[string]string{}
	for _, r := range s.echo.Routes() {
		if r.Method == http.MethodHead {
			continue
		}
		key := r.Method + " " + r.Path
		if rt, ok := s.routes[key]; ok {
			out[key] = rt.action
		} else {
			out[key] = ""
		}
	}
	return out
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.Service.Ping(ctx); err != nil {
		s.Log.Warn("storage not ready", "err", err)
		return &drafts.Error{Code: drafts.EUNAVAILABLE, Message: "storage is not reachable", Err: err}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
