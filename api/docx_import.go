package api

import (
	"encoding/json"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// A .docx sent as a new document with the tracked changes of several
// authors is a text that delegations marked up: version 1 is the text
// with their changes rejected, and each delegation's changes become its
// proposal. The authors are matched to delegations by code or name, or
// by the "authors" field (a JSON object: author → delegation code,
// "accept" or "reject"); "unmatched" ("accept" or "reject") says what
// becomes of the changes of the others, which are otherwise refused.

// wordImportKey holds, in the request's context, the import that
// wordToJSON planned for createDocument.
const wordImportKey = "chancery.wordImport"

// planImport matches the authors of a tracked file's changes to
// delegations and reads the file again with the views that gives.
func (s *Server) planImport(c echo.Context, file []byte, wf *drafts.WordFile, fields map[string]string) (*drafts.WordImport, error) {
	mapping := map[string]string{}
	if raw, ok := fields["authors"]; ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), &mapping); err != nil {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: `authors: a JSON object of author names and delegation codes, "accept" or "reject", e.g. {"John Smith": "KZ", "Reviewer": "reject"}`,
				Fields: []drafts.FieldError{{Field: "authors", Message: "a JSON object"}}}
		}
	}
	var dels []*drafts.Delegation
	opt := drafts.ListOptions{Limit: 500}
	for {
		page, err := s.Service.ListDelegations(c.Request().Context(), opt)
		if err != nil {
			return nil, err
		}
		dels = append(dels, page.Items...)
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	views, err := drafts.PlanWordImport(wf.Authors, dels, mapping, fields["unmatched"])
	if err != nil {
		return nil, err
	}
	f, err := s.Word.ReadWordViews(file, views)
	if err != nil {
		return nil, err
	}
	return &drafts.WordImport{File: f, Authors: views.Groups}, nil
}

// importDocument answers createDocument for a marked-up Word file.
func (s *Server) importDocument(c echo.Context, d *drafts.Document, imp *drafts.WordImport) error {
	doc, v, ps, err := s.Service.ImportWordDocument(c.Request().Context(), d, *imp)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/documents/"+doc.ID)
	c.Response().Header().Set("ETag", quoteETag(doc.ETag))
	return c.JSON(http.StatusCreated, documentResponse{Document: doc, Version: &versionResponse{Version: v, Text: v.Text()}, Proposals: ps, Word: wordInfoOf(c)})
}

// wordFileKey holds, in the request's context, the Word file read.
const wordFileKey = "chancery.wordFile"

// wordInfo is what a Word file held besides its text: the template it
// was made from (recorded, never fetched) and the authors of its
// tracked changes.
type wordInfo struct {
	Template string   `json:"template,omitempty"`
	Authors  []string `json:"authors,omitempty"`
}

// wordInfoOf returns what the Word file of the request held, or nil.
func wordInfoOf(c echo.Context) *wordInfo {
	f, ok := c.Get(wordFileKey).(*drafts.WordFile)
	if !ok || f.Template == "" && len(f.Authors) == 0 {
		return nil
	}
	return &wordInfo{Template: f.Template, Authors: f.Authors}
}

// partType is the media type of a multipart part, "" if none.
func partType(ct string) string {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt
}
