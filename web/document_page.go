package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
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
	// Shared is the list of open proposals, the same for every reader of
	// the head who may do the same (template document-shared).
	Shared template.HTML
	// SinceHTML is what changed since the last visit (template
	// document-since-shared), made once for the readers who saw the
	// same events since (sinceKey).
	SinceHTML template.HTML
	// SharedText is the text with its positions, the same for every
	// reader of the head who sees the same positions and may do the same
	// (template document-text-shared).
	SharedText template.HTML
	// ProposalRows are the rows of the list of open proposals, each made
	// once for what it shows (documentProposals).
	ProposalRows template.HTML
	// Provisions are the text's provisions as shown, each made once for
	// what it shows (documentProvisions).
	Provisions template.HTML
}

func (s *Server) document(c echo.Context) error {
	// The reader's last visit, a record of the reader's own, is read while
	// the document is (docPage), the first time a round trip of its own.
	// The read may outlast a request refused: it holds nothing of c, which
	// Echo gives the next request.
	rctx, docID := ctx(c), c.Param("doc")
	visit := meanwhile(func() (*drafts.Visit, error) { return s.Service.LastVisit(rctx, docID) })
	p, d, err := s.docPage(c, "Document")
	if err != nil {
		return err
	}
	if d.ID != docID {
		visit = func() (*drafts.Visit, error) { return s.Service.LastVisit(ctx(c), d.ID) }
	}
	// What the page shows is read side by side, each a round trip or two
	// to the storage: one after the other, they were most of the page's
	// time in the room.
	var (
		since     sinceVisit
		last      int64
		head      *drafts.Version
		props     []*drafts.Proposal
		positions []*drafts.Position
		focus     *drafts.Focus
	)
	err = together(
		func() (err error) { since, last, err = s.sinceLastVisit(c, d, visit); return err },
		func() (err error) { head, err = s.Service.GetVersion(ctx(c), d.ID, d.Head); return err },
		func() (err error) { props, err = s.Service.OpenProposals(ctx(c), d.ID); return err },
		func() (err error) { positions, err = s.listPositions(c, d, d.Head); return err },
		func() (err error) { focus, err = s.Service.GetFocus(ctx(c), d.ID); return err },
	)
	if err != nil {
		return err
	}
	dd := &documentData{Head: head, Proposals: props, Since: since, Positions: s.positionsOf(c, d, head, positions)}
	// Seeing the page is a visit; a failure to remember it fails nothing.
	if err := s.Service.RecordVisit(ctx(c), d.ID, d.Head, last); err != nil {
		s.Log.Warn("recording a visit", "err", err)
	}
	p.Live = s.liveOf(c, p, d, head, last, focus)
	p.Title = d.Symbol
	p.Data = dd
	if err := s.positionOptions(c, p, dd.Positions); err != nil {
		return err
	}
	if dd.SinceHTML, err = s.sharedPart(c, "document", "document-since-shared", p, eventsKey(since)); err != nil {
		return err
	}
	// The open proposals, and the text with its positions: each made once
	// for the readers of this head who see the same (sharedKey): the
	// proposals at their ETags; the positions as this reader sees them,
	// with what it may do. The positions' section with its form is the
	// reader's own (template content).
	if dd.Shared, err = s.sharedPiece(c, "document", "document-shared", p, sharedData(head.ETag, proposalsKey(props), s.itemsKey("document", "document-proposal-shared", p)), func() error {
		return s.documentProposals(c, p, dd)
	}); err != nil {
		return err
	}
	if dd.SharedText, err = s.sharedPiece(c, "document", "document-text-shared", p, sharedData(head.ETag, positionsKey(dd.Positions), s.itemsKey("document", "document-provision-shared", p)), func() error {
		return s.documentProvisions(c, p, dd)
	}); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "document", p)
}

// eventsKey names what changed since a visit for the readers who see the
// same events since their last visit (the room, after a merge), by
// their numbers (an event never changes); "" when there are none: the
// page then says when the reader last came, which is its own.
func eventsKey(since sinceVisit) string {
	if since.First {
		return "first visit"
	}
	if len(since.Events) == 0 {
		return ""
	}
	h := sha256.New()
	for _, e := range since.Events {
		fmt.Fprintf(h, "%d/%s,", e.Seq, e.Hash)
	}
	return "events/" + hex.EncodeToString(h.Sum(nil)[:16])
}

// sinceLastVisit reads what changed in document d since the user's last
// visit (lastVisit waits for it), and returns it with the last event's
// number.
func (s *Server) sinceLastVisit(c echo.Context, d *drafts.Document, lastVisit func() (*drafts.Visit, error)) (sinceVisit, int64, error) {
	var since sinceVisit
	visit, err := lastVisit()
	if err != nil {
		return since, 0, err
	}
	since.Visit = visit
	since.First = visit.At.IsZero()
	last := visit.LastSeq
	// The events after the last one seen, by the service's own option
	// (the cursors it returns then take over, page by page).
	events, err := listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Event], error) {
		return s.Service.ListEventsSince(ctx(c), d.ID, drafts.EventsSince{Seq: visit.LastSeq}, opt)
	})
	if err != nil {
		return since, 0, err
	}
	for _, e := range events {
		if e.Seq > last {
			last = e.Seq
		}
		if !since.First {
			since.Events = append(since.Events, e)
		}
	}
	return since, last, nil
}
