package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The secretariat's page (GET /secretariat) and its forms: delegations,
// users, API tokens, sign-in links, and revoking a token.

type secretariatData struct {
	Delegations []*drafts.Delegation
	Users       []*drafts.User
	// Secret is a token or sign-in link just issued, shown once.
	Secret, SecretFor, SecretKind, SecretUntil string
	Roles                                      []string
}

func (s *Server) secretariatPage(c echo.Context, p *Page, status int, sd *secretariatData) error {
	dels, err := s.Service.ListDelegations(ctx(c), drafts.ListOptions{Limit: 500})
	if err != nil {
		return err
	}
	users, err := s.Service.ListUsers(ctx(c), drafts.ListOptions{Limit: 500})
	if err != nil {
		return err
	}
	if sd == nil {
		sd = &secretariatData{}
	}
	sd.Delegations, sd.Users = dels.Items, users.Items
	sd.Roles = []string{drafts.RoleDelegate, drafts.RoleObserver, drafts.RoleChair, drafts.RoleSecretariat}
	p.Data = sd
	return s.render(c, status, "secretariat", p)
}

func (s *Server) secretariat(c echo.Context) error {
	return s.secretariatPage(c, s.data(c, "Secretariat"), http.StatusOK, nil)
}

// adminAction runs a secretariat form after asking the policy: back to
// the page saying what was done, or, for a secret it made (a token, a
// sign-in link, shown once and never again), the page with the secret;
// a failure shows the page with the error.
func (s *Server) adminAction(c echo.Context, fields []string, notice func() []string, f func(sd *secretariatData) error) error {
	p := s.data(c, "Secretariat")
	for _, k := range fields {
		p.Form[k] = c.FormValue(k)
	}
	sd := &secretariatData{}
	if err := f(sd); err != nil {
		p.Error = err
		return s.secretariatPage(c, p, httpStatus(err), sd)
	}
	msg := notice()
	if sd.Secret == "" {
		return s.done(c, "/secretariat", msg[0], msg[1:]...)
	}
	// Sent again, the form does not make a second secret: it leads back
	// to the page.
	s.finishClaim(c, "/secretariat", msg)
	p.Form = map[string]string{}
	return s.secretariatPage(c, p, http.StatusOK, sd)
}

func (s *Server) createDelegation(c echo.Context) error {
	return s.adminAction(c, []string{"id", "name", "name_ru", "status"}, func() []string { return []string{msg("Delegation %s added."), c.FormValue("id")} }, func(sd *secretariatData) error {
		d := &drafts.Delegation{ID: strings.TrimSpace(c.FormValue("id")), Name: strings.TrimSpace(c.FormValue("name")),
			NameRu: strings.TrimSpace(c.FormValue("name_ru")), Status: c.FormValue("status")}
		return s.Service.CreateDelegation(ctx(c), d)
	})
}

func (s *Server) createUser(c echo.Context) error {
	return s.adminAction(c, []string{"name", "role", "delegation", "body"}, func() []string { return []string{msg("User %s added."), c.FormValue("name")} }, func(sd *secretariatData) error {
		u := &drafts.User{Name: strings.TrimSpace(c.FormValue("name")), Role: c.FormValue("role"),
			Delegation: c.FormValue("delegation"), Body: strings.TrimSpace(c.FormValue("body"))}
		plain, err := s.Service.CreateUser(ctx(c), u)
		if err != nil {
			return err
		}
		sd.Secret, sd.SecretFor, sd.SecretKind = plain, u.Name, "token"
		return nil
	})
}

// userAction is an adminAction on the user the path names (:id).
func (s *Server) userAction(c echo.Context, f func(sd *secretariatData, u *drafts.User) error) error {
	return s.adminAction(c, nil, func() []string { return []string{msg("Done.")} }, func(sd *secretariatData) error {
		u, err := s.Service.GetUser(ctx(c), c.Param("id"))
		if err != nil {
			return err
		}
		return f(sd, u)
	})
}

func (s *Server) issueToken(c echo.Context) error {
	return s.userAction(c, func(sd *secretariatData, u *drafts.User) error {
		_, plain, err := s.Service.IssueToken(ctx(c), u.ID)
		if err != nil {
			return err
		}
		sd.Secret, sd.SecretFor, sd.SecretKind = plain, u.Name, "token"
		return nil
	})
}

func (s *Server) issueLink(c echo.Context) error {
	return s.userAction(c, func(sd *secretariatData, u *drafts.User) error {
		plain, until, err := s.Service.CreateSignInLink(ctx(c), u.ID, s.SignInLinkTTL)
		if err != nil {
			return err
		}
		scheme := "http"
		if secure(c) {
			scheme = "https"
		}
		sd.Secret = scheme + "://" + c.Request().Host + "/signin/link?t=" + url.QueryEscape(plain)
		sd.SecretFor, sd.SecretKind, sd.SecretUntil = u.Name, "link", until.UTC().Format("2006-01-02 15:04 UTC")
		return nil
	})
}

func (s *Server) revokeToken(c echo.Context) error {
	return confirmFirst(c, func(c echo.Context) error {
		id := strings.TrimSpace(c.FormValue("token"))
		return s.adminAction(c, []string{"token"}, func() []string { return []string{msg("Token %s revoked."), id} }, func(sd *secretariatData) error {
			_, err := s.Service.RevokeToken(ctx(c), id)
			return err
		})
	})
}
