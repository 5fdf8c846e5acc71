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
}

func (s *Server) compile(c echo.Context, d *drafts.Document) (*drafts.Compilation, *drafts.Version, error) {
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return nil, nil, err
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
	props, dels := comp.Counts()
	p.Data = &compilationData{Comp: comp, Version: v, Numbers: numbers(v), Count: props, Dels: dels}
	// The compilation's key names the version (with its statuses) and
	// every open proposal: the page's content is made once for them.
	return s.renderShared(c, http.StatusOK, "compilation", p, comp.Key)
}

func (s *Server) compilationPDF(c echo.Context) error {
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return err
	}
	pdf, err := s.Service.CompilationPDF(ctx(c), c.Param("doc"), n)
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}
