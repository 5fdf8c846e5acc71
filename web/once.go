package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Nothing twice: every form carries an idempotency key (the "formkey"
// template, a new key each time a page shows a form). The first request
// with a key claims it in storage and acts; a second one, from a double
// click, Reload, Back and Send again or another tab, finds the claim and
// is sent to where the first one led, with its message, instead of acting
// again. A form whose action fails releases its key, so that the user can
// correct it and send it again.

const keyFormKey = "formkey"

// claimWait is how long a repeated form waits for the first one to
// finish.
const claimWait = 5 * time.Second

// once wraps a form's handler with its idempotency key.
func (s *Server) once(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method != http.MethodPost || user(c) == nil || fromScript(c) {
			return next(c)
		}
		key := c.FormValue("formkey")
		if key == "" {
			return next(c)
		}
		claim, claimed, err := s.Service.ClaimForm(ctx(c), key)
		if err != nil {
			return err
		}
		if !claimed {
			return s.repeated(c, key, claim)
		}
		c.Set(keyFormKey, key)
		err = next(c)
		if c.Get(keyFormKey) != nil { // not finished: failed, or showed a page
			if err != nil || c.Response().Status >= 400 {
				if rerr := s.Service.ReleaseForm(ctx(c), key); rerr != nil {
					s.Log.Warn("releasing a form key", "err", rerr)
				}
			} else {
				s.finishClaim(c, "", nil)
			}
		}
		return err
	}
}

// repeated answers a form sent again: where the first one led, once it
// is done.
func (s *Server) repeated(c echo.Context, key string, claim *drafts.FormClaim) error {
	deadline := time.Now().Add(claimWait)
	for !claim.Done && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		var err error
		if claim, _, err = s.Service.ClaimForm(ctx(c), key); err != nil {
			return err
		}
	}
	if !claim.Done {
		return drafts.Errorf(drafts.ECONFLICT, "this form is being sent already; reload the page in a moment")
	}
	s.setFlash(c, append([]string{againMark}, claim.Notice...))
	loc := claim.Location
	if loc == "" {
		loc = localPath(c.FormValue("from"))
	}
	return c.Redirect(http.StatusSeeOther, loc)
}

// finishClaim records where the request's form led, if it has a key.
func (s *Server) finishClaim(c echo.Context, location string, notice []string) {
	key, _ := c.Get(keyFormKey).(string)
	if key == "" {
		return
	}
	c.Set(keyFormKey, nil)
	if err := s.Service.FinishForm(ctx(c), key, location, notice); err != nil {
		s.Log.Warn("recording a form's result", "err", err)
	}
}

// fromScript reports whether a script of the page sent the request
// (fetch: Sec-Fetch-Mode other than navigate), not the browser sending a
// form: a script may send the same form again on purpose (live.js sets
// the focus back to a provision with its form), and answers itself.
func fromScript(c echo.Context) bool {
	m := c.Request().Header.Get("Sec-Fetch-Mode")
	return m != "" && m != "navigate"
}
