package api

import (
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"chancery/drafts"
)

// failureLimiter rate-limits failed authentication per client address with
// Echo's rate limiter store: an address that used up its budget of failures
// gets 429s, whatever token it sends, until the budget refills.
type failureLimiter struct {
	store   *middleware.RateLimiterMemoryStore
	mu      sync.Mutex
	blocked map[string]time.Time
	window  time.Duration
}

func newFailureLimiter(r rate.Limit, burst int) *failureLimiter {
	return &failureLimiter{
		store:   middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{Rate: r, Burst: burst, ExpiresIn: 10 * time.Minute}),
		blocked: map[string]time.Time{},
		window:  time.Minute,
	}
}

func (f *failureLimiter) isBlocked(ip string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	until, ok := f.blocked[ip]
	if ok && time.Now().After(until) {
		delete(f.blocked, ip)
		return false
	}
	return ok
}

func (f *failureLimiter) fail(ip string) {
	if ok, _ := f.store.Allow(ip); !ok {
		f.mu.Lock()
		now := time.Now()
		if len(f.blocked) > 10000 { // forget expired blocks so the map stays small
			for k, until := range f.blocked {
				if now.After(until) {
					delete(f.blocked, k)
				}
			}
		}
		f.blocked[ip] = now.Add(f.window)
		f.mu.Unlock()
	}
}

// authenticate reads the bearer token and puts its user in the request's
// context. The token never reaches a log or an error message.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ip := c.RealIP()
		if s.failures.isBlocked(ip) {
			return drafts.Errorf(drafts.ETOOMANY, "too many failed authentications from this address; wait a minute")
		}
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, token, ok := strings.Cut(h, " ")
		if h == "" {
			return drafts.Errorf(drafts.EUNAUTHORIZED, "authentication required: send Authorization: Bearer <token>")
		}
		if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(token) == "" {
			s.failures.fail(ip)
			return drafts.Errorf(drafts.EUNAUTHORIZED, "malformed Authorization header: send Authorization: Bearer <token>")
		}
		u, err := s.Service.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		if err != nil {
			if drafts.IsCode(err, drafts.EUNAUTHORIZED) {
				s.failures.fail(ip)
			}
			return err
		}
		c.SetRequest(c.Request().WithContext(drafts.NewContextWithUser(c.Request().Context(), u)))
		return next(c)
	}
}
