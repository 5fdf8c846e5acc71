package api

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// A proposal in Word: its text (its base with its changes made) as a
// clean .docx whose paragraphs carry their provision ids, titled with the
// proposal's name; a delegation edits it with Track Changes on and sends
// it back with amends: a sub-amendment.

// proposalWord writes the text of the route's proposal as a .docx and
// returns the file's name.
func (s *Server) proposalWord(c echo.Context, doc *drafts.Document, buf *bytes.Buffer) (string, error) {
	ctx := c.Request().Context()
	p, v, err := s.Service.ProposalText(ctx, doc.ID, c.Param("p"))
	if err != nil {
		return "", err
	}
	d, _ := s.Service.GetDelegation(ctx, p.Delegation)
	titled := *doc
	titled.Title = p.Name(doc.Language, d) + " — " + doc.Title
	if err := s.Word.TextWord(buf, &titled, v, nil); err != nil {
		return "", err
	}
	return fileName(doc.Symbol, v.Number, "-proposal-"+strconv.Itoa(p.Number)), nil
}

// subAmendmentFromWord returns the operations of a sub-amendment sent as
// the exported text of the proposal amends (its id or number) edited with
// Track Changes: a replacement of each provision whose text was changed.
// Anything else the file changes the service refuses, naming it.
func (s *Server) subAmendmentFromWord(c echo.Context, wf *drafts.WordFile, amends string) ([]drafts.Operation, error) {
	if !wf.Tracked {
		msg := "a sub-amendment from Word is the proposal's exported text edited with Track Changes on; this file has no tracked changes"
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "Word file: " + msg, Fields: []drafts.FieldError{{Field: "file", Message: msg}}}
	}
	_, v, err := s.Service.ProposalText(c.Request().Context(), c.Param("doc"), strings.TrimSpace(amends))
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		msg := "no proposal " + amends
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "amends: " + msg, Fields: []drafts.FieldError{{Field: "amends", Message: msg}}}
	}
	if err != nil {
		return nil, err
	}
	return wf.Operations(v.Provisions, drafts.Limits{})
}
