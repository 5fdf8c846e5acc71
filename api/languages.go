package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Language versions: the whole text of the head in a language, one
// provision's translation, and ?language= on the reads of versions,
// diffs, compilations, prints and Word files (the handlers of those
// routes hand over to the functions here when it is given).

type languageRequest struct {
	Text string `json:"text"`
}

func (s *Server) addLanguage(c echo.Context) error {
	var req languageRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := s.Service.AddLanguage(c.Request().Context(), c.Param("doc"), c.Param("lang"), req.Text)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(v.ETag))
	return sendJSON(c, http.StatusOK, versionResponse{Version: v, Text: drafts.Printable(v).Text()})
}

func (s *Server) setTranslation(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	var req languageRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, etag, err := s.Service.SetTranslation(c.Request().Context(), c.Param("doc"), n, c.Param("id"), c.Param("lang"), req.Text, ifMatch(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(etag))
	return c.JSON(http.StatusOK, p)
}

// languages returns the languages of ?language= ("en", or "en,ru"), none
// when it is not given.
func languages(c echo.Context) []string {
	q := c.QueryParam("language")
	if q == "" {
		return nil
	}
	langs := strings.Split(q, ",")
	for i := range langs {
		langs[i] = strings.TrimSpace(langs[i])
	}
	return langs
}

// oneLanguage returns the one language of ?language=, "" when none is
// given; two are refused (only a print takes two).
func oneLanguage(c echo.Context) (string, error) {
	langs := languages(c)
	switch len(langs) {
	case 0:
		return "", nil
	case 1:
		return langs[0], nil
	}
	return "", &drafts.Error{Code: drafts.EINVALID, Message: "language: one language here; two side by side only in the PDF of a version",
		Fields: []drafts.FieldError{{Field: "language", Message: "one language"}}}
}

// getVersionIn answers GET …/versions/{n}?language=.
func (s *Server) getVersionIn(c echo.Context, n int, lang string) error {
	v, err := s.Service.GetVersionIn(c.Request().Context(), c.Param("doc"), n, lang)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(v.ETag))
	text := drafts.Printable(v).Text()
	if preferred(c, echo.MIMEApplicationJSON, echo.MIMETextPlain) == echo.MIMETextPlain {
		return c.Blob(http.StatusOK, echo.MIMETextPlainCharsetUTF8, []byte(text))
	}
	return sendJSON(c, http.StatusOK, versionResponse{Version: v, Text: text})
}

// versionDiffIn answers GET …/versions/{n}/diff?language=.
func (s *Server) versionDiffIn(c echo.Context, n, m int, lang string) error {
	d, _, _, err := s.Service.VersionDiffIn(c.Request().Context(), c.Param("doc"), n, m, lang)
	if err != nil {
		return err
	}
	return s.writeDiff(c, d, map[string]any{"from": m, "to": n, "language": lang})
}

// compilationIn answers GET …/compilation?language=.
func (s *Server) compilationIn(c echo.Context, n int, lang string) error {
	ctx := c.Request().Context()
	switch preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, "application/pdf") {
	case echo.MIMETextHTML:
		html, err := s.Service.CompilationHTMLIn(ctx, c.Param("doc"), n, lang)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, html)
	case "application/pdf":
		p, err := s.Service.CompilationPDFIn(ctx, c.Param("doc"), n, lang)
		if err != nil {
			return err
		}
		return sendPDF(c, p)
	}
	comp, _, err := s.Service.CompileIn(ctx, c.Param("doc"), n, lang)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, comp)
}

// Word files in a language (exportWord): each reads in lang, "" for the
// original, and returns the document as the file shows it (in that
// language) with what it prints, missing translations printable.

func (s *Server) versionForWord(ctx context.Context, doc *drafts.Document, n int, lang string) (*drafts.Document, *drafts.Version, error) {
	if lang == "" {
		v, err := s.Service.GetVersion(ctx, doc.ID, n)
		return doc, v, err
	}
	v, err := s.Service.GetVersionIn(ctx, doc.ID, n, lang)
	if err != nil {
		return nil, nil, err
	}
	return drafts.DocumentIn(doc, lang, v, nil), drafts.Printable(v), nil
}

func (s *Server) diffForWord(ctx context.Context, doc *drafts.Document, n, m int, lang string) (*drafts.Document, *drafts.Diff, *drafts.Version, *drafts.Version, error) {
	if lang == "" {
		d, from, to, err := s.Service.VersionDiff(ctx, doc.ID, n, m)
		return doc, d, from, to, err
	}
	d, from, to, err := s.Service.VersionDiffIn(ctx, doc.ID, n, m, lang)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return drafts.DocumentIn(doc, lang, to, nil), d, drafts.Whole(from), drafts.Whole(to), nil
}

func (s *Server) compilationForWord(ctx context.Context, doc *drafts.Document, n int, lang string) (*drafts.Document, *drafts.Compilation, *drafts.Version, error) {
	if lang == "" {
		comp, v, err := s.Service.Compile(ctx, doc.ID, n)
		return doc, comp, v, err
	}
	comp, v, err := s.Service.CompileIn(ctx, doc.ID, n, lang)
	if err != nil {
		return nil, nil, nil, err
	}
	return drafts.DocumentIn(doc, lang, v, nil), comp, drafts.Printable(v), nil
}

// langSuffix marks a file name with its language, "" for the original.
func langSuffix(lang string) string {
	if lang == "" {
		return ""
	}
	return "-" + lang
}
