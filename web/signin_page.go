package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Signing in and out: the sign-in page (GET and POST /signin), the page of
// a one-time sign-in link (GET and POST /signin/link) and POST /signout;
// the home page (GET /) sends the user to sign in, or to the documents.

func (s *Server) home(c echo.Context) error {
	if user(c) == nil {
		return c.Redirect(http.StatusSeeOther, "/signin")
	}
	return c.Redirect(http.StatusSeeOther, "/documents")
}

func (s *Server) signinPage(c echo.Context) error {
	d := s.data(c, "Sign in")
	d.Form["next"] = localPath(c.QueryParam("next"))
	if c.QueryParam("expired") != "" || c.Get(keyExpired) != nil {
		d.Notice = d.L.T("Your session has ended; sign in again.")
	}
	return s.render(c, http.StatusOK, "signin", d)
}

// startSession signs u in (with the API token tokenID, "" for a sign-in
// link): a new session and its cookie; the pre-session CSRF cookie is
// dropped.
func (s *Server) startSession(c echo.Context, u *drafts.User, tokenID, next string) error {
	rctx := drafts.NewContextWithUser(ctx(c), u)
	_, plain, err := s.Service.CreateSession(rctx, tokenID, s.SessionTTL)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, plain, int(s.SessionTTL.Seconds()))
	s.setCookie(c, preCSRFCookie, "", -1)
	if kept := s.keepCarried(c, u, next); kept != "" {
		next = kept
	}
	return c.Redirect(http.StatusSeeOther, localPath(next))
}

func (s *Server) signin(c echo.Context) error {
	token := strings.TrimSpace(c.FormValue("token"))
	next := c.FormValue("next")
	u, err := s.Service.Authenticate(ctx(c), token)
	err = s.failed(c, err)
	if err == nil {
		id, _, _ := drafts.SplitToken(token)
		err = s.startSession(c, u, id, next)
	}
	if err != nil {
		d := s.data(c, "Sign in")
		d.Error = err
		d.Form["next"] = localPath(next) // the token is not kept: a secret
		d.Data = carried(c, next)
		return s.render(c, httpStatus(err), "signin", d)
	}
	return nil
}

// failed counts a failed sign-in of c's address and returns err, or, once
// the address has failed too often, errTooMany instead. Only failures are
// limited: a valid token or link always signs in, whatever its address did
// before (behind a proxy or a NAT, a whole delegation shares an address),
// as on the API.
func (s *Server) failed(c echo.Context, err error) error {
	if !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
		return err
	}
	if s.failures.blocked(c.RealIP()) {
		return errTooMany
	}
	s.failures.fail(c.RealIP())
	return err
}

func (s *Server) linkPage(c echo.Context) error {
	d := s.data(c, "Sign-in link")
	d.Form["link"] = c.QueryParam("t")
	return s.render(c, http.StatusOK, "signin-link", d)
}

func (s *Server) redeemLink(c echo.Context) error {
	u, err := s.Service.RedeemSignInLink(ctx(c), c.FormValue("link"))
	err = s.failed(c, err)
	if err == nil {
		// The delegation's status comes with authentication; a sign-in
		// link names the user, so read it again.
		err = s.startSession(c, u, "", "/documents")
	}
	if err != nil {
		d := s.data(c, "Sign-in link")
		d.Error = err
		return s.render(c, httpStatus(err), "signin-link", d)
	}
	return nil
}

func (s *Server) signout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.Service.DeleteSession(ctx(c), ck.Value); err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	return c.Redirect(http.StatusSeeOther, "/signin")
}

// carried is the sign-in page's data after a failed sign-in: the form it
// carries still carried.
func carried(c echo.Context, next string) *signedInData {
	form, err := c.FormParams()
	if err != nil {
		return nil
	}
	carry := map[string][]string{}
	for k, vs := range form {
		if name, ok := strings.CutPrefix(k, carryPrefix); ok && name != "" {
			carry[name] = vs
		}
	}
	if len(carry) == 0 {
		return nil
	}
	return &signedInData{Carry: carry, Back: localPath(next)}
}
