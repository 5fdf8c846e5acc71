package api

import (
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"chancery/drafts"
)

// failureLimiter counts failed authentications per client address, with a
// budget of burst failures refilled at a steady rate. It limits failures
// only: a valid token is always accepted, whatever its address did before,
// so a delegation behind one NAT is not locked out by one colleague's
// mistyped token. An address over its budget gets a 429 with Retry-After
// instead of a 401 for each further bad token. Tokens carry a long random
// secret, so guessing one is not what the limit defends against; it tells a
// misbehaving client to back off, and its cost per request is one read.
type failureLimiter struct {
	rate  rate.Limit
	burst int
	now   func() time.Time

	mu    sync.Mutex
	addrs map[string]*failures
}

// failures is one address's budget.
type failures struct {
	lim  *rate.Limiter
	seen time.Time
}

func newFailureLimiter(r rate.Limit, burst int, now func() time.Time) *failureLimiter {
	if now == nil {
		now = time.Now
	}
	return &failureLimiter{rate: r, burst: burst, now: now, addrs: map[string]*failures{}}
}

// fail records a failed authentication from ip. It returns zero while the
// address is within its budget, and otherwise how long until the next
// failure would be.
func (f *failureLimiter) fail(ip string) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if len(f.addrs) > 10000 { // forget quiet addresses so the map stays small
		for k, a := range f.addrs {
			if now.Sub(a.seen) > 10*time.Minute {
				delete(f.addrs, k)
			}
		}
	}
	a, ok := f.addrs[ip]
	if !ok {
		a = &failures{lim: rate.NewLimiter(f.rate, f.burst)}
		f.addrs[ip] = a
	}
	a.seen = now
	if a.lim.AllowN(now, 1) {
		return 0
	}
	r := a.lim.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	if wait <= 0 {
		wait = time.Second
	}
	return wait
}

// refuse returns err, or, when ip is over its budget of failures, a 429
// saying when to try again.
func (s *Server) refuse(ip string, err error) error {
	if wait := s.failures.fail(ip); wait > 0 {
		return withRetryAfter(drafts.WrapError(drafts.ETOOMANY, err,
			"too many failed authentications from this address; this token was not accepted (valid tokens still are); try again in %d seconds",
			int((wait+time.Second-1)/time.Second)), wait)
	}
	return err
}

// authenticate reads the bearer token and puts its user in the request's
// context. The token never reaches a log or an error message.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ip := c.RealIP()
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, token, ok := strings.Cut(h, " ")
		if h == "" {
			return drafts.Errorf(drafts.EUNAUTHORIZED, "authentication required: send Authorization: Bearer <token>")
		}
		if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(token) == "" {
			return s.refuse(ip, drafts.Errorf(drafts.EUNAUTHORIZED, "malformed Authorization header: send Authorization: Bearer <token>"))
		}
		u, err := s.Service.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		if err != nil {
			if drafts.IsCode(err, drafts.EUNAUTHORIZED) {
				return s.refuse(ip, err)
			}
			return err
		}
		c.SetRequest(c.Request().WithContext(drafts.NewContextWithUser(c.Request().Context(), u)))
		return next(c)
	}
}
