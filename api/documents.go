package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Documents: create one, list them, read one.

// createDocumentRequest is a new document: the fields of a Document that
// a client may set (request.go's accepted names them; the others, id,
// state, head, round..., are the server's) and its first text.
type createDocumentRequest struct {
	drafts.Document
	Text string `json:"text"`
}

type documentResponse struct {
	*drafts.Document
	Version *versionResponse `json:"version,omitempty"`
	// Proposals are those a marked-up Word file made (see docx_import.go).
	Proposals []*drafts.Proposal `json:"proposals,omitempty"`
	// Word says what a Word file the document was made from held.
	Word *wordInfo `json:"word,omitempty"`
}

func (s *Server) createDocument(c echo.Context) error {
	var req createDocumentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if imp, ok := c.Get(wordImportKey).(*drafts.WordImport); ok {
		return s.importDocument(c, &req.Document, imp)
	}
	doc, v, err := s.Service.CreateDocument(c.Request().Context(), &req.Document, req.Text)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/documents/"+doc.ID)
	c.Response().Header().Set("ETag", quoteETag(doc.ETag))
	return c.JSON(http.StatusCreated, documentResponse{Document: doc, Version: &versionResponse{Version: v, Text: v.Text()}, Word: wordInfoOf(c)})
}

func (s *Server) listDocuments(c echo.Context) error {
	return sendList(c, s.Service.ListDocuments)
}

func (s *Server) getDocument(c echo.Context) error {
	d, err := s.Service.GetDocument(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(d.ETag))
	return sendJSON(c, http.StatusOK, d)
}
