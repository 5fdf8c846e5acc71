package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Documents: create one, list them, read one.

// createDocumentRequest holds the fields a client may set on a new
// document; the rest (id, state, head, round...) are the server's.
type createDocumentRequest struct {
	Symbol     string `json:"symbol"`
	Title      string `json:"title"`
	Kind       string `json:"kind"`
	Body       string `json:"body"`
	Language   string `json:"language"`
	Visibility string `json:"visibility"`
	Text       string `json:"text"`
}

type documentResponse struct {
	*drafts.Document
	Version *versionResponse `json:"version,omitempty"`
}

func (s *Server) createDocument(c echo.Context) error {
	var req createDocumentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	d := drafts.Document{Symbol: req.Symbol, Title: req.Title, Kind: req.Kind, Body: req.Body,
		Language: req.Language, Visibility: req.Visibility}
	doc, v, err := s.Service.CreateDocument(c.Request().Context(), &d, req.Text)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/documents/"+doc.ID)
	c.Response().Header().Set("ETag", quoteETag(doc.ETag))
	return c.JSON(http.StatusCreated, documentResponse{Document: doc, Version: &versionResponse{Version: v, Text: v.Text()}})
}

func (s *Server) listDocuments(c echo.Context) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	page, err := s.Service.ListDocuments(c.Request().Context(), opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) getDocument(c echo.Context) error {
	d, err := s.Service.GetDocument(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(d.ETag))
	return sendJSON(c, http.StatusOK, d)
}
