package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// The state of play of a document's head: JSON, an HTML fragment, a PDF,
// or its chart as an SVG image, by Accept.

// mimeSVG is the media type of the state of play's chart.
const mimeSVG = "image/svg+xml"

func (s *Server) stateOfPlay(c echo.Context) error {
	ctx := c.Request().Context()
	doc := c.Param("doc")
	switch preferred(c, offersOf(c.Path())...) {
	case echo.MIMETextHTML:
		html, err := s.Service.StateOfPlayHTML(ctx, doc)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, html)
	case "application/pdf":
		p, err := s.Service.StateOfPlayPDF(ctx, doc)
		if err != nil {
			return err
		}
		return sendPDF(c, p)
	case mimeSVG:
		svg, err := s.Service.StateOfPlaySVG(ctx, doc)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, mimeSVG, svg)
	}
	st, err := s.Service.StateOfPlay(ctx, doc)
	return reply(c, http.StatusOK, st, err)
}
