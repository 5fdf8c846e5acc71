package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

// The compilation of a document: every open proposal under the provision
// it touches, as JSON, HTML or PDF.

func (s *Server) compilation(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return err
	}
	if lang, err := oneLanguage(c); err != nil || lang != "" {
		if err != nil {
			return err
		}
		return s.compilationIn(c, n, lang)
	}
	switch preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, "application/pdf") {
	case echo.MIMETextHTML:
		html, err := s.Service.CompilationHTML(ctx, c.Param("doc"), n)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, html)
	case "application/pdf":
		p, err := s.Service.CompilationPDF(ctx, c.Param("doc"), n)
		if err != nil {
			return err
		}
		return sendPDF(c, p)
	}
	comp, _, err := s.Service.Compile(ctx, c.Param("doc"), n)
	if err != nil {
		return err
	}
	if comp.Key == "" {
		return sendJSON(c, http.StatusOK, comp)
	}
	// The key names everything the compilation was made from: encoded
	// once for everyone who reads the document.
	key := "compilation/" + comp.Key
	data, err := s.encoded.Make(ctx, key, func() ([]byte, error) {
		data, err := json.Marshal(comp)
		return append(data, '\n'), err
	})
	if err != nil {
		return err
	}
	return s.sendKept(c, key, echo.MIMEApplicationJSON, data)
}
