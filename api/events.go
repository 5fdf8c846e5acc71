package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// The audit trail of a document: its events, and the check of their chain.

func (s *Server) listEvents(c echo.Context) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	since, err := sinceParam(c.QueryParam("since"))
	if err != nil {
		return err
	}
	page, err := s.Service.ListEventsSince(c.Request().Context(), c.Param("doc"), since, opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) verifyEvents(c echo.Context) error {
	v, err := s.Service.VerifyEvents(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
