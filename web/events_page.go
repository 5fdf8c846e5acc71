package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The audit trail of a document (GET /documents/{doc}/events).

type eventsData struct {
	Items  []*drafts.Event
	Next   string
	Verify *drafts.Verification
}

func (s *Server) events(c echo.Context) error {
	p, d, err := s.docPage(c, "Audit trail")
	if err != nil {
		return err
	}
	cursor := c.QueryParam("cursor")
	page, err := s.Service.ListEvents(ctx(c), d.ID, drafts.ListOptions{Limit: 200, Cursor: cursor})
	if err != nil {
		return err
	}
	ed := &eventsData{Items: page.Items, Next: page.NextCursor}
	if c.QueryParam("verify") != "" {
		if ed.Verify, err = s.Service.VerifyEvents(ctx(c), d.ID); err != nil {
			return err
		}
	}
	p.Data = ed
	return s.render(c, http.StatusOK, "events", p)
}
