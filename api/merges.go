package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Merges: the chair folds chosen proposals into a new version.

type mergeRequest struct {
	Base        int               `json:"base"`
	Proposals   []string          `json:"proposals"`
	Resolutions map[string]string `json:"resolutions"`
	Message     string            `json:"message"`
	// Translations: the original-language texts of proposals written in a
	// language version (drafts.MergeInput.Translations).
	Translations map[string]string `json:"translations"`
}

type mergeResponse struct {
	*drafts.Version
	Text     string            `json:"text"`
	Accepted []string          `json:"accepted"`
	Modified []string          `json:"accepted_modified"`
	Obsolete map[string]string `json:"obsolete"`
}

func (s *Server) merge(c echo.Context) error {
	var req mergeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	res, err := s.Service.Merge(c.Request().Context(), c.Param("doc"), drafts.MergeInput{
		Base: req.Base, Proposals: req.Proposals, Resolutions: req.Resolutions, Message: req.Message,
		Translations: req.Translations,
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, mergeResponse{Version: res.Version, Text: res.Version.Text(),
		Accepted: res.Accepted, Modified: res.Modified, Obsolete: res.Obsolete})
}
