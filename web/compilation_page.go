package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The compilation (GET /documents/{doc}/compilation) and its print
// (.../compilation/pdf).

type compilationData struct {
	Comp    *drafts.Compilation
	Version *drafts.Version
	Numbers map[string]string
	Count   int
	Dels    int
	Links   docLinks
}

func (s *Server) compile(c echo.Context, d *drafts.Document) (*drafts.Compilation, *drafts.Version, error) {
	n := 0
	if q := c.QueryParam("version"); q != "" {
		var err error
		if n, err = versionNumber(q, "version"); err != nil {
			return nil, nil, err
		}
	}
	return s.Service.Compile(ctx(c), d.ID, n)
}

func (s *Server) compilation(c echo.Context) error {
	p, d, err := s.docPage(c, "Compilation")
	if err != nil {
		return err
	}
	comp, v, err := s.compile(c, d)
	if err != nil {
		return err
	}
	props, dels := map[string]bool{}, map[string]bool{}
	for _, e := range comp.Entries {
		for _, cp := range e.Proposals {
			for _, id := range cp.Proposals {
				props[id] = true
			}
			for _, x := range cp.Delegations {
				dels[x] = true
			}
		}
	}
	p.Data = &compilationData{Comp: comp, Version: v, Numbers: numbers(v), Count: len(props), Dels: len(dels), Links: s.links(c, d)}
	return s.render(c, http.StatusOK, "compilation", p)
}

func (s *Server) compilationPDF(c echo.Context) error {
	n := 0
	if q := c.QueryParam("version"); q != "" {
		var err error
		if n, err = versionNumber(q, "version"); err != nil {
			return err
		}
	}
	pdf, err := s.Service.CompilationPDF(ctx(c), c.Param("doc"), n)
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}
