package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The audit trail of a document: its events, and the check of their chain.

func (s *Server) listEvents(c echo.Context) error {
	return sendList(c, func(ctx context.Context, opt drafts.ListOptions) (*drafts.Page[*drafts.Event], error) {
		since, err := sinceParam(c.QueryParam("since"))
		if err != nil {
			return nil, err
		}
		return s.Service.ListEventsSince(ctx, c.Param("doc"), since, opt)
	})
}

func (s *Server) verifyEvents(c echo.Context) error {
	v, err := s.Service.VerifyEvents(c.Request().Context(), c.Param("doc"))
	return reply(c, http.StatusOK, v, err)
}
