package web

import (
	"fmt"
	"html/template"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Positions of delegations on the document page (templates/positions.html,
// under each provision and in a section of their own) and their forms:
// record (POST /documents/{doc}/positions), confirm on the current text
// and withdraw (POST .../positions/{id}/confirm, .../withdraw). A form
// that fails shows the form again with the error (templates/position.html).

// positionsView is what the document page shows of positions.
type positionsView struct {
	ByProvision map[string][]*drafts.Position
	WholeText   []*drafts.Position
	// Record: the user may record a position; Mine is the user's
	// delegation, whose positions it may confirm and withdraw.
	Record bool
	Mine   string
	Kinds  []string
	Head   *drafts.Version
	// Observers: the document is visible to observers, so a position
	// may be too.
	Observers bool
	// Selected is the provision the form starts on (?position=, or the
	// one chosen in a form that failed).
	Selected string
	// Options are the provisions of the form to choose from, made once
	// for the readers of the head (positionOptions).
	Options template.HTML
}

// positionOptions makes the options of the form to record a position in
// p (whose Data holds the positions, v) when the user may record one: the
// same for every reader of the head, made once for them.
func (s *Server) positionOptions(c echo.Context, p *Page, v *positionsView) error {
	if v == nil || !v.Record {
		return nil
	}
	// A piece of the page (some 15 KB on a text of 150 provisions): kept
	// deflated once, not compressed again for every reader.
	var err error
	v.Options, err = s.sharedPiece(c, "document", "position-options-shared", p, sharedData(v.Head.ETag, "selected="+v.Selected), nil)
	return err
}

// positionsView reads the positions open in head that the user may see.
func (s *Server) positionsView(c echo.Context, d *drafts.Document, head *drafts.Version) (*positionsView, error) {
	ps, err := s.listPositions(c, d, head.Number)
	if err != nil {
		return nil, err
	}
	return s.positionsOf(c, d, head, ps), nil
}

// listPositions reads the positions open in version n that the user may
// see.
func (s *Server) listPositions(c echo.Context, d *drafts.Document, n int) ([]*drafts.Position, error) {
	return listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Position], error) {
		return s.Service.ListPositions(ctx(c), d.ID, n, opt)
	})
}

// positionsOf is the view of positions ps, open in head.
func (s *Server) positionsOf(c echo.Context, d *drafts.Document, head *drafts.Version, ps []*drafts.Position) *positionsView {
	v := &positionsView{ByProvision: map[string][]*drafts.Position{}, Kinds: drafts.PositionKinds(), Head: head,
		Observers: d.Visibility == drafts.VisibilityObservers, Selected: c.QueryParam("position")}
	for _, p := range ps {
		if p.Provision == "" {
			v.WholeText = append(v.WholeText, p)
		} else {
			v.ByProvision[p.Provision] = append(v.ByProvision[p.Provision], p)
		}
	}
	open := d.State != drafts.StateAdopted && d.State != drafts.StateWithdrawn
	v.Record = open && s.may(c, drafts.ActPositionCreate, d.Resource())
	if u := user(c); u != nil && open {
		v.Mine = u.Delegation
	}
	return v
}

// positionFormData is the page of a position's form shown again after it
// failed.
type positionFormData struct {
	Positions *positionsView
}

func (s *Server) recordPosition(c echo.Context) error {
	p, d, err := s.docPage(c, "Record a position")
	if err != nil {
		return err
	}
	for _, k := range []string{"provision", "kind", "text", "visibility"} {
		p.Form[k] = c.FormValue(k)
	}
	pos, err := s.Service.RecordPosition(ctx(c), d.ID, drafts.PositionInput{
		Provision: c.FormValue("provision"), Kind: c.FormValue("kind"), Text: c.FormValue("text"), Visibility: c.FormValue("visibility"),
	})
	if err != nil {
		head, herr := s.Service.GetVersion(ctx(c), d.ID, d.Head)
		if herr != nil {
			return err
		}
		pv, herr := s.positionsView(c, d, head)
		if herr != nil {
			return err
		}
		p.Error = err
		pv.Selected = c.FormValue("provision")
		p.Data = &positionFormData{Positions: pv}
		if herr := s.positionOptions(c, p, pv); herr != nil {
			return herr
		}
		return s.render(c, httpStatus(err), "position", p)
	}
	return s.done(c, positionAnchor(d.ID, pos), msg("Position recorded."))
}

// positionAnchor is where a position is shown on its document's page.
func positionAnchor(doc string, p *drafts.Position) string {
	if p.Provision == "" {
		return fmt.Sprintf("/documents/%s#positions-h", doc)
	}
	return fmt.Sprintf("/documents/%s#p-%s", doc, p.Provision)
}

func (s *Server) confirmPosition(c echo.Context) error {
	pos, err := s.Service.ConfirmPosition(ctx(c), c.Param("doc"), c.Param("id"), "")
	if err != nil {
		return err
	}
	return s.done(c, positionAnchor(pos.Document, pos), msg("Position confirmed."))
}

func (s *Server) withdrawPosition(c echo.Context) error {
	pos, err := s.Service.WithdrawPosition(ctx(c), c.Param("doc"), c.Param("id"))
	if err != nil {
		return err
	}
	return s.done(c, positionAnchor(pos.Document, pos), msg("Position withdrawn."))
}
