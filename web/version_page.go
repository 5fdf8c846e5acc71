package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// One version (GET /documents/{doc}/versions/{n}) and its print (.../pdf).

type versionData struct {
	Version *drafts.Version
}

func (s *Server) version(c echo.Context) error {
	if c.QueryParam("language") != "" {
		return s.versionInLanguages(c)
	}
	p, d, err := s.docPage(c, "Version")
	if err != nil {
		return err
	}
	v, err := s.pathVersion(c, d)
	if err != nil {
		return err
	}
	p.Data = &versionData{Version: v}
	return s.render(c, http.StatusOK, "version", p)
}

func (s *Server) versionPDF(c echo.Context) error {
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return err
	}
	against, err := queryVersion(c, "against", 0)
	if err != nil {
		return err
	}
	var pdf *drafts.PDF
	if langs := textLanguages(c); langs != nil {
		pdf, err = s.Service.VersionPDFIn(ctx(c), c.Param("doc"), n, against, langs)
	} else {
		pdf, err = s.Service.VersionPDF(ctx(c), c.Param("doc"), n, against)
	}
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}
