package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Post/redirect/get: a form that did what it asked answers with a
// redirect to its result (so that Back and Reload never send it again),
// and the next page says what happened, once: a flash message in a
// short-lived cookie, kept as an interface string and its arguments so
// that it is shown in the reader's language.

const flashCookie = "chancery_flash"

// done ends a form that succeeded: the notice (an interface string and
// its arguments) is shown once on the next page, the form's idempotency
// key (if any) records where it led, and the browser is sent there.
func (s *Server) done(c echo.Context, location, notice string, args ...string) error {
	msg := append([]string{notice}, args...)
	s.finishClaim(c, location, msg)
	s.setFlash(c, msg)
	return c.Redirect(http.StatusSeeOther, location)
}

func (s *Server) setFlash(c echo.Context, msg []string) {
	b, _ := json.Marshal(msg)
	s.setCookie(c, flashCookie, base64.RawURLEncoding.EncodeToString(b), 120)
}

// takeFlash returns the flash message of the request in the reader's
// language ("" if none) and clears it.
func (s *Server) takeFlash(c echo.Context, l Lang) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	s.setCookie(c, flashCookie, "", -1)
	return flashText(l, ck.Value)
}

// flashText reads a flash cookie's value; anything else is no message.
func flashText(l Lang, v string) string {
	b, err := base64.RawURLEncoding.DecodeString(v)
	var msg []string
	if err != nil || len(b) > 2000 || json.Unmarshal(b, &msg) != nil || len(msg) == 0 || len(msg) > 8 {
		return ""
	}
	again := msg[0] == againMark
	if again {
		msg = msg[1:]
		if len(msg) == 0 {
			return l.T("This form had been sent already; nothing was done twice.")
		}
	}
	args := make([]any, len(msg)-1)
	for i, a := range msg[1:] {
		args[i] = a
	}
	text := l.T(msg[0], args...)
	if again {
		return l.T("Sent already; nothing was done twice.") + " " + text
	}
	return text
}

// msg marks an interface string that a form leaves as its flash message
// (translated when shown; TestRussianComplete finds them by it).
func msg(s string) string { return s }

// againMark starts the flash message of a form sent a second time.
const againMark = "~again"
