package api

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// redocJS is the vendored Redoc standalone bundle (see docsviewer/README.md).
//
//go:embed docsviewer/redoc.standalone.js
var redocJS []byte

// redocLogo is the one resource Redoc 2.5.4 loads from elsewhere: an image
// in its sidebar. It is served as an empty data: image instead, which the
// viewer hides.
var redocLogo = []byte(`src:"https://cdn.redoc.ly/redoc/logo-mini.svg"`)

// docsJS is the viewer as served: the bundle without its CDN logo. It is
// made on first use, not when a program that never serves it starts.
var docsJS = sync.OnceValue(func() []byte {
	return bytes.Replace(redocJS, redocLogo, []byte(`src:"data:,"`), 1)
})

// docsETag identifies the served viewer (it changes only with the binary).
var docsETag = sync.OnceValue(func() string {
	sum := sha256.Sum256(append(append([]byte{}, docsJS()...), docsInit...))
	return `"` + hex.EncodeToString(sum[:8]) + `"`
})

// DocsContentSecurityPolicy is the policy of the reference page: everything
// from the server itself, nothing from elsewhere. Redoc's styled components
// need inline styles, its search runs in a worker made from a blob.
const DocsContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// docsPage is the reference page: Redoc renders the OpenAPI document into it.
const docsPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chancery API reference</title>
</head>
<body style="margin:0">
<noscript><p>This page needs JavaScript. The API's OpenAPI document is at <a href="openapi.json">/v1/openapi.json</a>.</p></noscript>
<div id="redoc"></div>
<script src="docs/redoc.standalone.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`

// docsInit starts Redoc on the page, with fonts the reader's system has
// (Redoc's defaults name web fonts that would be fetched from elsewhere).
const docsInit = `"use strict";
(function () {
  var sans = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
  Redoc.init("openapi.json", {
    expandResponses: "200,201",
    pathInMiddlePanel: true,
    theme: {
      typography: {
        fontFamily: sans,
        headings: { fontFamily: sans },
        code: { fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace' }
      }
    }
  }, document.getElementById("redoc"));
})();
`

// APIContentSecurityPolicy is the policy of every API response but the
// reference page's: the API's HTML (a tracked diff, a compilation) is
// markup without script, style or anything to load, and must not become
// more if a browser opens it.
const APIContentSecurityPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// secureHeaders gives every API response a Content-Security-Policy and
// X-Content-Type-Options: nosniff (so that no browser takes a JSON or text
// answer for HTML); the reference page sets its own policy.
func secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", APIContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		return next(c)
	}
}

// registerDocs adds the API reference page, GET /v1/docs, and its scripts.
// No token is needed: the page shows the public OpenAPI document.
func (s *Server) registerDocs(e *echo.Echo) {
	e.GET("/v1/docs", s.docsPage)
	e.GET("/v1/docs/:file", s.docsAsset)
	// HEAD answers as GET; net/http drops the body.
	e.HEAD("/v1/docs", s.docsPage)
	e.HEAD("/v1/docs/:file", s.docsAsset)
}

func (s *Server) docsPage(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", DocsContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	return c.HTML(http.StatusOK, docsPage)
}

func (s *Server) docsAsset(c echo.Context) error {
	var body []byte
	switch c.Param("file") {
	case "redoc.standalone.js":
		body = docsJS()
	case "init.js":
		body = []byte(docsInit)
	default:
		return drafts.Errorf(drafts.ENOTFOUND, "the reference page has no file %q", c.Param("file"))
	}
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("ETag", docsETag())
	if c.Request().Header.Get("If-None-Match") == docsETag() {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", body)
}
