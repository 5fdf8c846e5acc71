package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
	"chancery/internal/sse"
)

// Live parts of the workspace (issue 24): a document's events streamed to
// its open pages through the session (GET /documents/{doc}/events/stream,
// the API's stream with the cookie instead of a token), the provision
// under discussion, set by the chair from the document page or the screen
// (POST /documents/{doc}/focus), and what live.js needs on a page
// (liveView, the "live" partial).

// liveView is what a page needs to follow its document live.
type liveView struct {
	Doc string
	// After is the last event the page was made with: the stream starts
	// after it, so nothing between the page and the stream is missed.
	After int64
	Focus *drafts.Focus
	// CanFocus: the user may set the focus (the chair of the body).
	CanFocus bool
	// Choices are the head's provisions, for the chair's focus form.
	Choices []focusChoice
	// Names maps delegation codes to names, as JSON, for notices.
	Names string
}

// focusChoice is a provision as the focus form offers it.
type focusChoice struct{ ID, Label string }

// live makes the liveView of document d for page p showing its version
// head and its events up to after.
func (s *Server) live(c echo.Context, p *Page, d *drafts.Document, head *drafts.Version, after int64) (*liveView, error) {
	f, err := s.Service.GetFocus(ctx(c), d.ID)
	if err != nil {
		return nil, err
	}
	return s.liveOf(c, p, d, head, after, f), nil
}

// liveOf is live with the focus f read.
func (s *Server) liveOf(c echo.Context, p *Page, d *drafts.Document, head *drafts.Version, after int64, f *drafts.Focus) *liveView {
	v := &liveView{Doc: d.ID, After: after, Focus: f, CanFocus: s.may(c, drafts.ActFocusSet, d.Resource())}
	if v.CanFocus && head != nil {
		for _, p := range head.Provisions {
			label := strings.TrimSuffix(p.Number, ".")
			if label == "" || strings.HasPrefix(label, "#") {
				label = excerpt(p.Text, 50)
			} else {
				label += " — " + excerpt(p.Text, 40)
			}
			v.Choices = append(v.Choices, focusChoice{ID: p.ID, Label: label})
		}
	}
	b, _ := json.Marshal(p.delegationNames())
	v.Names = string(b)
	return v
}

// eventStream streams a document's events to the workspace's pages.
func (s *Server) eventStream(c echo.Context) error {
	after, err := sse.After(c.Request())
	if err != nil {
		return err
	}
	sub, err := s.Service.Subscribe(ctx(c), c.Param("doc"), after)
	if err != nil {
		if drafts.IsCode(err, drafts.EUNAVAILABLE) {
			c.Response().Header().Set("Retry-After", "10")
		}
		return err
	}
	defer sub.Close()
	sse.Serve(c.Response(), c.Request(), c.Param("doc"), sub, sse.Options{Heartbeat: s.StreamHeartbeat, MaxAge: s.StreamMaxAge, Done: s.streamsDone()})
	return nil
}

// streams ends the workspace's event streams (EndStreams).
type streams struct {
	mu     sync.Mutex
	ending chan struct{}
}

func (s *Server) streamsDone() <-chan struct{} {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	if s.streams.ending == nil {
		s.streams.ending = make(chan struct{})
	}
	return s.streams.ending
}

// EndStreams ends every event stream of the workspace: a server that is
// stopping calls it first (http.Server.RegisterOnShutdown). Pages
// reconnect by themselves.
func (s *Server) EndStreams() {
	done := s.streamsDone()
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	select {
	case <-done:
	default:
		close(s.streams.ending)
	}
}

// setFocus sets the provision under discussion from the chair's form (or
// clears it), then returns to the page the form was on. live.js sends the
// form with X-Chancery-Live and gets 204: the page follows the event.
func (s *Server) setFocus(c echo.Context) error {
	d, err := s.doc(c)
	if err != nil {
		return err
	}
	f, err := s.Service.SetFocus(ctx(c), d.ID, c.FormValue("provision"))
	if err != nil {
		return err
	}
	if c.Request().Header.Get("X-Chancery-Live") != "" {
		return c.NoContent(http.StatusNoContent)
	}
	back := fmt.Sprintf("/documents/%s", d.ID)
	if c.FormValue("back") == "screen" {
		back += "/screen"
	}
	if f.Provision != "" {
		back += "#p-" + f.Provision
	}
	return c.Redirect(http.StatusSeeOther, back)
}
