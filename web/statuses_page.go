package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The chair's page of provision statuses
// (GET and POST /documents/{doc}/versions/{n}/statuses).

type statusData struct {
	Version  *drafts.Version
	Statuses []string
}

var provisionStatuses = []string{drafts.ProvisionPending, drafts.ProvisionBracketed, drafts.ProvisionAgreedAdRef, drafts.ProvisionAgreed}

func (s *Server) statusPage(c echo.Context) error {
	p, d, err := s.formsPage(c, "Provision status", func(l docLinks) bool { return l.Status },
		"only the chair of the document's body may set provision statuses")
	if err != nil {
		return err
	}
	v, err := s.pathVersion(c, d)
	if err != nil {
		return err
	}
	return s.statusesPage(c, p, d, v, http.StatusOK)
}

func (s *Server) statusesPage(c echo.Context, p *Page, d *drafts.Document, v *drafts.Version, status int) error {
	p.Data = &statusData{Version: v, Statuses: provisionStatuses}
	return s.render(c, status, "statuses", p)
}

func (s *Server) setStatuses(c echo.Context) error {
	p, d, err := s.docPage(c, "Provision status")
	if err != nil {
		return err
	}
	v, err := s.pathVersion(c, d)
	if err != nil {
		return err
	}
	var failed error
	for i, pr := range v.Provisions {
		want := c.FormValue("status." + pr.ID)
		cur := pr.Status
		if cur == "" {
			cur = drafts.ProvisionPending
		}
		if want == "" || want == cur {
			continue
		}
		if _, _, err := s.Service.SetProvisionStatus(ctx(c), d.ID, v.Number, pr.ID, want, ""); err != nil {
			failed = err
			p.Form["status."+pr.ID] = want
			continue
		}
		v.Provisions[i].Status = want
	}
	if failed != nil {
		p.Error = failed
		return s.statusesPage(c, p, d, v, httpStatus(failed))
	}
	return s.done(c, fmt.Sprintf("/documents/%s/versions/%d", d.ID, v.Number), msg("Provision statuses saved."))
}
