package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The versions of a document (GET /documents/{doc}/versions), with the
// chair's forms that publish a revised text (POST .../versions) or the head
// renumbered (POST .../renumbering).

type versionsData struct {
	Items []*drafts.Version
	// Revise: the user may publish a revised text.
	Revise bool
}

func (s *Server) versions(c echo.Context) error {
	p, d, err := s.docPage(c, "Versions")
	if err != nil {
		return err
	}
	return s.versionsPage(c, p, d, http.StatusOK)
}

func (s *Server) versionsPage(c echo.Context, p *Page, d *drafts.Document, status int) error {
	all, err := listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Version], error) {
		return s.Service.ListVersions(ctx(c), d.ID, opt)
	})
	if err != nil {
		return err
	}
	vd := &versionsData{Items: all}
	vd.Revise = p.Links.Merge && s.may(c, drafts.ActVersionCreate, d.Resource())
	if vd.Revise && p.Form["text"] == "" {
		head, err := s.Service.GetVersion(ctx(c), d.ID, d.Head)
		if err != nil {
			return err
		}
		p.Form["text"], p.Form["base"] = head.Text(), strconv.Itoa(d.Head)
	}
	p.Data = vd
	return s.render(c, status, "versions", p)
}

// createVersion publishes the chair's revised text.
func (s *Server) createVersion(c echo.Context) error {
	p, d, err := s.docPage(c, "Versions")
	if err != nil {
		return err
	}
	for _, k := range []string{"base", "text", "message"} {
		p.Form[k] = c.FormValue(k)
	}
	base, err := strconv.Atoi(p.Form["base"])
	if err != nil {
		err = &drafts.Error{Code: drafts.EINVALID, Message: "base: a version number", Fields: []drafts.FieldError{{Field: "base", Message: "a version number"}}}
	}
	var v *drafts.Version
	if err == nil {
		v, err = s.Service.CreateVersion(ctx(c), d.ID, base, p.Form["text"], p.Form["message"])
	}
	if err != nil {
		p.Error = err
		return s.versionsPage(c, p, d, httpStatus(err))
	}
	return s.done(c, fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, v.Number, base), msg("Version %s published."), strconv.Itoa(v.Number))
}

// renumber publishes the head with clean numbers (the chair's last step
// before adoption).
func (s *Server) renumber(c echo.Context) error {
	p, d, err := s.docPage(c, "Versions")
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.FormValue("base"))
	if err != nil {
		err = &drafts.Error{Code: drafts.EINVALID, Message: "base: a version number", Fields: []drafts.FieldError{{Field: "base", Message: "a version number"}}}
	}
	var v *drafts.Version
	if err == nil {
		v, err = s.Service.RenumberVersion(ctx(c), d.ID, drafts.RenumberInput{Base: base, Message: c.FormValue("message")})
	}
	if err != nil {
		p.Error = err
		return s.versionsPage(c, p, d, httpStatus(err))
	}
	return s.done(c, fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, v.Number, base), msg("Version %s published, renumbered."), strconv.Itoa(v.Number))
}
