package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"chancery/drafts"
	"chancery/internal/sse"
)

// Live: a document's events as a Server-Sent Events stream, and the
// provision under discussion.

func (s *Server) eventStream(c echo.Context) error {
	after, err := sse.After(c.Request())
	if err != nil {
		return err
	}
	sub, err := s.Service.Subscribe(c.Request().Context(), c.Param("doc"), after)
	if err != nil {
		if drafts.IsCode(err, drafts.EUNAVAILABLE) {
			return withRetryAfter(err, 10*time.Second)
		}
		return err
	}
	defer sub.Close()
	sse.Serve(c.Response(), c.Request(), c.Param("doc"), sub, sse.Options{Heartbeat: s.StreamHeartbeat, MaxAge: s.StreamMaxAge, Done: s.streamsDone()})
	return nil
}

// streamsDone returns the channel EndStreams closes.
func (s *Server) streamsDone() <-chan struct{} {
	s.streamsMu.Lock()
	defer s.streamsMu.Unlock()
	if s.ending == nil {
		s.ending = make(chan struct{})
	}
	return s.ending
}

// EndStreams ends every event stream: a server that is stopping calls it
// first (http.Server.RegisterOnShutdown), since a stream never goes idle
// by itself. Clients reconnect, to another replica.
func (s *Server) EndStreams() {
	s.streamsMu.Lock()
	defer s.streamsMu.Unlock()
	if s.ending == nil {
		s.ending = make(chan struct{})
	}
	select {
	case <-s.ending:
	default:
		close(s.ending)
	}
}

type focusRequest struct {
	Provision *string `json:"provision"`
}

func (s *Server) getFocus(c echo.Context) error {
	f, err := s.Service.GetFocus(c.Request().Context(), c.Param("doc"))
	return reply(c, http.StatusOK, f, err)
}

func (s *Server) setFocus(c echo.Context) error {
	var req focusRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	prov := ""
	if req.Provision != nil {
		prov = *req.Provision
	}
	f, err := s.Service.SetFocus(c.Request().Context(), c.Param("doc"), prov)
	return reply(c, http.StatusOK, f, err)
}

// ObserveLive publishes the process's live event streams:
// chancery_live_streams (subscriptions open) and chancery_live_watchers
// (documents polled for them). Observing a second source does nothing.
func (m *Metrics) ObserveLive(stats func() (streams, watchers int)) {
	for _, c := range []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "chancery_live_streams", Help: "Live event streams open (API and workspace pages)."},
			func() float64 { n, _ := stats(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "chancery_live_watchers", Help: "Documents polled for live event streams, one storage read each per interval."},
			func() float64 { _, w := stats(); return float64(w) }),
	} {
		_ = m.Registry.Register(c)
	}
}
