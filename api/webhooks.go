package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Webhooks: endpoints the Secretariat registers, and their delivery logs.

type webhookRequest struct {
	URL       string   `json:"url"`
	Documents []string `json:"documents"`
	Actions   []string `json:"actions"`
}

type createdWebhook struct {
	*drafts.Webhook
	Secret string `json:"secret"`
}

func (s *Server) createWebhook(c echo.Context) error {
	var req webhookRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	w, secret, err := s.Service.CreateWebhook(c.Request().Context(), drafts.WebhookInput{URL: req.URL, Documents: req.Documents, Actions: req.Actions})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, createdWebhook{Webhook: w, Secret: secret})
}

func (s *Server) listWebhooks(c echo.Context) error {
	return sendList(c, s.Service.ListWebhooks)
}

func (s *Server) deleteWebhook(c echo.Context) error {
	if err := s.Service.DeleteWebhook(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listDeliveries(c echo.Context) error {
	return sendList(c, func(ctx context.Context, opt drafts.ListOptions) (*drafts.Page[*drafts.Delivery], error) {
		return s.Service.ListDeliveries(ctx, c.Param("id"), opt)
	})
}
