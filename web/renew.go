package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// renewSession extends the session (POST /session/renew): from the
// header's button, back to the page with a message, or from
// workspace.js's notice before the session ends, as JSON.
func (s *Server) renewSession(c echo.Context) error {
	ck, err := c.Cookie(sessionCookie)
	if err != nil {
		return drafts.Errorf(drafts.EUNAUTHORIZED, "your session has ended; sign in again")
	}
	ses, err := s.Service.RenewSession(ctx(c), ck.Value, s.SessionTTL)
	if err != nil {
		return err
	}
	left := ses.ExpiresAt.Sub(s.Service.Now())
	s.setCookie(c, sessionCookie, ck.Value, int(left.Seconds()))
	if strings.Contains(c.Request().Header.Get("Accept"), "application/json") {
		return c.JSON(http.StatusOK, map[string]any{"expires_at": ses.ExpiresAt.UTC().Format(time.RFC3339), "seconds_left": int(left.Seconds())})
	}
	until := ses.ExpiresAt.In(readerZone(c)).Format("2006-01-02 15:04")
	return s.done(c, localPath(c.FormValue("from")), msg("You stay signed in until %s."), until)
}
