package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The chair's confirmation before closing a consensus round (GET
// /documents/{doc}/adoption/close): who has not answered (their silence
// counts as consent), any objection (the round then fails), and what keeps
// the text from adoption (the close is then refused). The form posts to
// POST .../adoption/close.

type closeData struct {
	Round     *drafts.AdoptionRound
	NotAgreed []drafts.Obstacle
	// Numbers names each provision of the head, by its number or the
	// start of its text; Names each delegation by its id.
	Numbers, Names map[string]string
}

func (s *Server) closeConfirmation(c echo.Context) error {
	p, d, err := s.docPage(c, "Close the round")
	if err != nil {
		return err
	}
	if err := refuse(d, s.may(c, drafts.ActAdoptionClose, d.Resource()), "only the chair of this document's body may close its adoption"); err != nil {
		return err
	}
	r, err := s.Service.GetAdoption(ctx(c), d.ID)
	if err != nil {
		return err
	}
	if r.State != drafts.RoundOpen || r.Procedure != drafts.ProcedureConsensus {
		return drafts.Errorf(drafts.ECONFLICT, "no consensus round is open on this document")
	}
	st, err := s.Service.StateOfPlay(ctx(c), d.ID)
	if err != nil {
		return err
	}
	dels, err := listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Delegation], error) {
		return s.Service.ListDelegations(ctx(c), opt)
	})
	if err != nil {
		return err
	}
	cd := &closeData{Round: r, Numbers: provisionNumbers(st.Items), Names: map[string]string{}}
	for _, del := range dels {
		cd.Names[del.ID] = del.Name
	}
	if len(r.Objections) == 0 {
		cd.NotAgreed = st.NotAgreed
	}
	p.Data = cd
	return s.render(c, http.StatusOK, "adoption-close", p)
}
