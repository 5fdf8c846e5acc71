package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Nothing lost: a form sent after its session ended is not thrown away.
// The sign-in page carries what was typed (hidden fields, never stored
// before sign-in: whoever has no session stores nothing); once signed in,
// it is kept as a saved form and its page opens filled with it
// (?form=<id>), to check and send again. Only a form from this site is
// carried: the ended session's cookie is SameSite=Strict, so a form
// posted from another site arrives without it and is simply refused.

// carryPrefix prefixes the carried fields on the sign-in form.
const carryPrefix = "carry."

// signedInData is the sign-in page's data: the fields it carries and the
// page they go back to.
type signedInData struct {
	Carry map[string][]string
	Back  string
}

// carryToSignIn answers a form sent after the session ended with the
// sign-in page, carrying the form.
func (s *Server) carryToSignIn(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return drafts.Errorf(drafts.EMALFORMED, "could not read the form")
	}
	carry := map[string][]string{}
	for k, vs := range form {
		if k == "csrf" || k == "formkey" || strings.HasPrefix(k, carryPrefix) {
			continue
		}
		carry[k] = vs
	}
	d := s.data(c, "Sign in")
	d.Notice = d.L.T("Your session has ended. Sign in again: what you typed is kept and comes back in its form.")
	back := form.Get("from")
	if back == "" {
		back = c.Request().URL.Path
	}
	d.Form["next"] = localPath(back)
	d.Data = &signedInData{Carry: carry, Back: localPath(back)}
	return s.render(c, http.StatusUnauthorized, "signin", d)
}

// keepCarried saves the form the sign-in carried, for the user now
// signed in, and returns the page that opens it ("" if nothing was
// carried).
func (s *Server) keepCarried(c echo.Context, u *drafts.User, next string) string {
	form, err := c.FormParams()
	if err != nil {
		return ""
	}
	fields := map[string][]string{}
	for k, vs := range form {
		if name, ok := strings.CutPrefix(k, carryPrefix); ok && name != "" {
			fields[name] = vs
		}
	}
	if len(fields) == 0 {
		return ""
	}
	back := localPath(next)
	path, _, _ := strings.Cut(back, "?")
	f, err := s.Service.SaveForm(drafts.NewContextWithUser(ctx(c), u), &drafts.SavedForm{Path: path, Fields: fields}, "")
	if err != nil {
		s.Log.Warn("keeping a carried form", "err", err)
		return ""
	}
	s.setFlash(c, []string{msg("Signed in again. What you typed is back in its form: check it and send it again.")})
	return withQuery(back, "form", f.ID)
}

// withQuery returns the local path p with the query parameter k set to v.
func withQuery(p, k, v string) string {
	u, err := url.Parse(p)
	if err != nil {
		return p
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// restoreForm fills the page's fields from the saved form its address
// names (?form=<id>), one of the user's on this page.
func (s *Server) restoreForm(c echo.Context, p *Page) {
	id := c.QueryParam("form")
	if id == "" || user(c) == nil || c.Request().Method != http.MethodGet {
		return
	}
	f, err := s.Service.GetForm(ctx(c), id)
	if err != nil {
		if !drafts.IsCode(err, drafts.ENOTFOUND) {
			s.Log.Warn("reading a saved form", "err", err)
		}
		return
	}
	if f.Path != c.Request().URL.Path {
		return
	}
	p.Saved = f
	for k, vs := range f.Fields {
		if len(vs) > 0 && k != "csrf" && k != "formkey" {
			p.Form[k] = vs[0]
		}
	}
}

// keepForm saves a form of the page path as the user's saved form id (a
// new one if id is "" or gone: expired, or another browser's).
func (s *Server) keepForm(c echo.Context, id, path string, fields url.Values) (*drafts.SavedForm, error) {
	f := &drafts.SavedForm{ID: id, Path: path, Fields: fields}
	saved, err := s.Service.SaveForm(ctx(c), f, "")
	if drafts.IsCode(err, drafts.ENOTFOUND) && id != "" {
		f.ID = ""
		saved, err = s.Service.SaveForm(ctx(c), f, "")
	}
	return saved, err
}
