package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// A document's page (GET /documents/{doc}): its head, its open proposals
// and what changed since the user's last visit.

// sinceVisit is what changed in a document since the user's last visit.
type sinceVisit struct {
	First    bool
	Visit    *drafts.Visit
	Events   []*drafts.Event
	Versions []string
}

type documentData struct {
	Head      *drafts.Version
	Proposals []*drafts.Proposal
	Since     sinceVisit
	Positions *positionsView
}

func (s *Server) document(c echo.Context) error {
	p, d, err := s.docPage(c, "Document")
	if err != nil {
		return err
	}
	head, props, err := s.headAndOpen(c, d)
	if err != nil {
		return err
	}
	dd := &documentData{Head: head, Proposals: props}
	if dd.Positions, err = s.positionsView(c, d, head); err != nil {
		return err
	}
	visit, err := s.Service.LastVisit(ctx(c), d.ID)
	if err != nil {
		return err
	}
	dd.Since.Visit = visit
	dd.Since.First = visit.At.IsZero()
	last := visit.LastSeq
	// The events after the last one seen, by the service's own option
	// (the cursors it returns then take over, page by page).
	since := drafts.EventsSince{Seq: visit.LastSeq}
	events, err := listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Event], error) {
		return s.Service.ListEventsSince(ctx(c), d.ID, since, opt)
	})
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.Seq > last {
			last = e.Seq
		}
		if !dd.Since.First {
			dd.Since.Events = append(dd.Since.Events, e)
		}
	}
	// Seeing the page is a visit; a failure to remember it fails nothing.
	if err := s.Service.RecordVisit(ctx(c), d.ID, d.Head, last); err != nil {
		s.Log.Warn("recording a visit", "err", err)
	}
	if p.Live, err = s.live(c, d, head, last); err != nil {
		return err
	}
	p.Title = d.Symbol
	p.Data = dd
	return s.render(c, http.StatusOK, "document", p)
}
