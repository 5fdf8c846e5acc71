package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
	"chancery/internal/gzipper"
)

// quoteETag returns tag as an ETag header's value: in double quotes, and
// escaped as by strconv.Quote if it holds anything but letters, digits
// and '-' (the ETags of both storage backends and of the domain never do;
// the check spares strconv.Quote's rune-by-rune escaping on every GET).
func quoteETag(tag string) string {
	for i := 0; i < len(tag); i++ {
		if c := tag[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return strconv.Quote(tag)
		}
	}
	return `"` + tag + `"`
}

// sendEncoded answers with JSON encoded already.
func sendEncoded(c echo.Context, status int, data []byte) error {
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(data)))
	return c.Blob(status, echo.MIMEApplicationJSON, data)
}

// sendKept answers with data, an encoding of ctype kept under key in
// s.encoded: a client that accepts gzip gets it compressed, compressed
// once and kept beside it, so that a room of readers asking at once for
// the same answer does not have it compressed for each of them.
func (s *Server) sendKept(c echo.Context, key, ctype string, data []byte) error {
	if len(data) < 1024 || !gzipper.Wants(c.Request()) {
		c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(data)))
		return c.Blob(http.StatusOK, ctype, data)
	}
	gz, err := s.encoded.Make(c.Request().Context(), key+"\x00gzip", func() ([]byte, error) {
		return gzipper.Compress(data), nil
	})
	if err != nil {
		return err
	}
	return gzipper.SendCompressed(c.Response(), http.StatusOK, ctype, gz)
}

// sendJSON answers with v encoded whole first, so that the response goes
// out with its length in one write rather than chunked in pieces.
func sendJSON(c echo.Context, status int, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return sendEncoded(c, status, append(data, '\n'))
}

// writeDiff answers with d in the format the client accepts.
func (s *Server) writeDiff(c echo.Context, d *drafts.Diff, meta map[string]any) error {
	format := diffFormat(c)
	data, err := s.encodeDiff(format, d, meta)
	if err != nil {
		return err
	}
	return sendFormat(c, format, data)
}

// diffFormat is the media type of a diff the client accepts best.
func diffFormat(c echo.Context) string {
	return preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, echo.MIMETextPlain)
}

// encodeDiff writes d in format (diffFormat), JSON with the fields of
// meta added.
func (s *Server) encodeDiff(format string, d *drafts.Diff, meta map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	switch format {
	case echo.MIMETextHTML:
		err := s.Renderer.DiffHTML(&buf, d)
		return buf.Bytes(), err
	case echo.MIMETextPlain:
		err := s.Renderer.DiffText(&buf, d)
		return buf.Bytes(), err
	}
	body := map[string]any{"changes": d.Changes, "coarse": d.Coarse}
	for k, v := range meta {
		body[k] = v
	}
	data, err := json.Marshal(body)
	return append(data, '\n'), err
}

// sendFormat answers with data encoded in format: JSON, HTML or text.
func sendFormat(c echo.Context, format string, data []byte) error {
	return c.Blob(http.StatusOK, formatType(format), data)
}

// formatType is the Content-Type of an answer in format (diffFormat).
func formatType(format string) string {
	switch format {
	case echo.MIMETextHTML:
		return echo.MIMETextHTMLCharsetUTF8
	case echo.MIMETextPlain:
		return echo.MIMETextPlainCharsetUTF8
	}
	return echo.MIMEApplicationJSON
}

// sendPDF serves a print, or 304 when the client has it already.
func sendPDF(c echo.Context, p *drafts.PDF) error {
	tag := quoteETag(p.ETag)
	c.Response().Header().Set("ETag", tag)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", p.Filename))
	if c.Request().Header.Get("If-None-Match") == tag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "application/pdf", p.Data)
}

// reply answers with v as JSON in status, or returns err, the failure of
// the call that was to make v.
func reply(c echo.Context, status int, v any, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(status, v)
}

// sendList answers a GET of a list with the page that list returns for the
// request's ?limit=&cursor=.
func sendList[T any](c echo.Context, list func(context.Context, drafts.ListOptions) (*drafts.Page[T], error)) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	page, err := list(c.Request().Context(), opt)
	return reply(c, http.StatusOK, page, err)
}

// sendDocList is sendList for a list of the route's document (:doc).
func sendDocList[T any](c echo.Context, list func(context.Context, string, drafts.ListOptions) (*drafts.Page[T], error)) error {
	return sendList(c, func(ctx context.Context, opt drafts.ListOptions) (*drafts.Page[T], error) {
		return list(ctx, c.Param("doc"), opt)
	})
}
