package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Versions of a document: list them, publish one, read one, its tracked
// changes and its print; and the statuses of its provisions.

func (s *Server) listVersions(c echo.Context) error {
	return sendDocList(c, s.Service.ListVersions)
}

type createVersionRequest struct {
	Base    int    `json:"base"`
	Text    string `json:"text"`
	Message string `json:"message"`
}

func (s *Server) createVersion(c echo.Context) error {
	var req createVersionRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := s.Service.CreateVersion(c.Request().Context(), c.Param("doc"), req.Base, req.Text, req.Message)
	return sendVersion(c, http.StatusCreated, v, err)
}

type versionResponse struct {
	*drafts.Version
	Text string `json:"text"`
}

// sendVersion answers with v and its text, or returns err, the failure of
// the call that was to make v.
func sendVersion(c echo.Context, status int, v *drafts.Version, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(status, versionResponse{Version: v, Text: v.Text()})
}

func (s *Server) getVersion(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	if lang, err := oneLanguage(c); err != nil || lang != "" {
		if err != nil {
			return err
		}
		return s.getVersionIn(c, n, lang)
	}
	v, err := s.Service.GetVersion(c.Request().Context(), c.Param("doc"), n)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(v.ETag))
	if preferred(c, echo.MIMEApplicationJSON, echo.MIMETextPlain) == echo.MIMETextPlain {
		return c.Blob(http.StatusOK, echo.MIMETextPlainCharsetUTF8, []byte(v.Text()))
	}
	// The encoding is determined by the document, the number and the ETag.
	key := "version/" + c.Param("doc") + "/" + strconv.Itoa(n) + "/" + v.ETag
	data, err := s.encoded.Make(c.Request().Context(), key, func() ([]byte, error) {
		data, err := json.Marshal(versionResponse{Version: v, Text: v.Text()})
		return append(data, '\n'), err
	})
	if err != nil {
		return err
	}
	return s.sendKept(c, key, echo.MIMEApplicationJSON, data)
}

func (s *Server) versionDiff(c echo.Context) error {
	n, m, err := diffVersions(c)
	if err != nil {
		return err
	}
	if lang, err := oneLanguage(c); err != nil || lang != "" {
		if err != nil {
			return err
		}
		return s.versionDiffIn(c, n, m, lang)
	}
	d, _, _, err := s.Service.VersionDiff(c.Request().Context(), c.Param("doc"), n, m)
	if err != nil {
		return err
	}
	// Versions never change, nor their diff: its encoding in each format
	// is made once.
	format := diffFormat(c)
	key := "diff/" + c.Param("doc") + "/" + strconv.Itoa(n) + "/" + strconv.Itoa(m) + "/" + format
	data, err := s.encoded.Make(c.Request().Context(), key, func() ([]byte, error) {
		return s.encodeDiff(format, d, map[string]any{"from": m, "to": n})
	})
	if err != nil {
		return err
	}
	return s.sendKept(c, key, formatType(format), data)
}

func (s *Server) versionPDF(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	m, err := queryVersion(c, "against", 0)
	if err != nil {
		return err
	}
	var p *drafts.PDF
	if langs := languages(c); langs != nil {
		p, err = s.Service.VersionPDFIn(c.Request().Context(), c.Param("doc"), n, m, langs)
	} else {
		p, err = s.Service.VersionPDF(c.Request().Context(), c.Param("doc"), n, m)
	}
	if err != nil {
		return err
	}
	return sendPDF(c, p)
}

type statusRequest struct {
	Status string `json:"status"`
}

func (s *Server) setStatus(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	var req statusRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, etag, err := s.Service.SetProvisionStatus(c.Request().Context(), c.Param("doc"), n, c.Param("id"), req.Status, ifMatch(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(etag))
	return c.JSON(http.StatusOK, p)
}
