package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// renumber publishes the head with its numbers made a clean sequence
// ("6 bis" becomes 7): POST /v1/documents/{doc}/renumbering {base, message}.
func (s *Server) renumber(c echo.Context) error {
	var req drafts.RenumberInput
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := s.Service.RenumberVersion(c.Request().Context(), c.Param("doc"), req)
	return sendVersion(c, http.StatusCreated, v, err)
}
