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
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	page, err := s.Service.ListVersions(c.Request().Context(), c.Param("doc"), opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
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
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, versionResponse{Version: v, Text: v.Text()})
}

type versionResponse struct {
	*drafts.Version
	Text string `json:"text"`
}

func (s *Server) getVersion(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
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
	key := c.Param("doc") + "/" + strconv.Itoa(n) + "/" + v.ETag
	if data, ok := s.encoded.get(key); ok {
		return sendEncoded(c, http.StatusOK, data)
	}
	data, err := json.Marshal(versionResponse{Version: v, Text: v.Text()})
	if err != nil {
		return err
	}
	data = append(data, '\n')
	s.encoded.add(key, data)
	return sendEncoded(c, http.StatusOK, data)
}

func (s *Server) versionDiff(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	m := n - 1
	if a := c.QueryParam("against"); a != "" {
		if m, err = versionParam(c, "against", a); err != nil {
			return err
		}
	}
	d, _, _, err := s.Service.VersionDiff(c.Request().Context(), c.Param("doc"), n, m)
	if err != nil {
		return err
	}
	return s.writeDiff(c, d, map[string]any{"from": m, "to": n})
}

func (s *Server) versionPDF(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	m := 0
	if a := c.QueryParam("against"); a != "" {
		if m, err = versionParam(c, "against", a); err != nil {
			return err
		}
	}
	p, err := s.Service.VersionPDF(c.Request().Context(), c.Param("doc"), n, m)
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
