package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The adoption page (GET /documents/{doc}/adoption) and its forms: open a
// round, consent, object, close.

type adoptionData struct {
	Round                  *drafts.AdoptionRound
	TimeLeft               string
	Open, Respond, Close   bool
	Procedures             []string
	Responded, HasDeadline bool
}

func (s *Server) adoptionPage(c echo.Context, p *Page, d *drafts.Document, status int) error {
	r, err := s.Service.GetAdoption(ctx(c), d.ID)
	if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return err
	}
	res := d.Resource()
	ad := &adoptionData{Round: r, Procedures: []string{drafts.ProcedureConsensus, drafts.ProcedureSilence}}
	roundOpen := r != nil && r.State == drafts.RoundOpen
	ad.Open = !roundOpen && d.State != drafts.StateAdopted && d.State != drafts.StateWithdrawn && s.may(c, drafts.ActAdoptionOpen, res)
	ad.Respond = roundOpen && s.may(c, drafts.ActAdoptionConsent, res)
	ad.Close = roundOpen && r.Procedure == drafts.ProcedureConsensus && s.may(c, drafts.ActAdoptionClose, res)
	if roundOpen && r.Deadline != nil {
		ad.HasDeadline = true
		ad.TimeLeft = timeLeft(p.L, r.Deadline.Sub(s.Service.Now()))
	}
	if u := user(c); r != nil && u != nil && u.Delegation != "" {
		for _, x := range append(append([]drafts.Response{}, r.Consents...), r.Objections...) {
			if x.Delegation == u.Delegation {
				ad.Responded = true
			}
		}
	}
	if p.Form["version"] == "" {
		p.Form["version"] = strconv.Itoa(d.Head)
		p.Form["procedure"] = drafts.ProcedureConsensus
	}
	p.Data = ad
	return s.render(c, status, "adoption", p)
}

// timeLeft says how long until a deadline, in days, hours and minutes.
func timeLeft(l Lang, d time.Duration) string {
	if d <= 0 {
		return l.T("ended")
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d.Hours())/24, int(d.Hours())%24, int(d.Minutes())%60
	if l == "ru" {
		return fmt.Sprintf("%d д %d ч %d мин", days, hours, mins)
	}
	return fmt.Sprintf("%dd %dh %dm", days, hours, mins)
}

func (s *Server) adoption(c echo.Context) error {
	p, d, err := s.docPage(c, "Adoption")
	if err != nil {
		return err
	}
	return s.adoptionPage(c, p, d, http.StatusOK)
}

// adoptionAction runs an adoption form after asking the policy and goes
// back to the adoption page; a failure shows it with the error.
func (s *Server) adoptionAction(c echo.Context, fields []string, notice string, f func(doc string) error) error {
	p, d, err := s.docPage(c, "Adoption")
	if err != nil {
		return err
	}
	for _, k := range fields {
		p.Form[k] = c.FormValue(k)
	}
	if err := f(d.ID); err != nil {
		p.Error = err
		return s.adoptionPage(c, p, d, httpStatus(err))
	}
	return s.done(c, fmt.Sprintf("/documents/%s/adoption", d.ID), notice)
}

func (s *Server) openAdoption(c echo.Context) error {
	return s.adoptionAction(c, []string{"version", "procedure", "deadline", "tz"}, msg("Adoption round opened."), func(doc string) error {
		in := drafts.AdoptionInput{Procedure: c.FormValue("procedure")}
		n, err := strconv.Atoi(c.FormValue("version"))
		if err != nil {
			return &drafts.Error{Code: drafts.EINVALID, Message: "version: a version number", Fields: []drafts.FieldError{{Field: "version", Message: "a version number"}}}
		}
		in.Version = n
		if in.Deadline, err = deadline(c.FormValue("deadline"), c.FormValue("tz")); err != nil {
			return err
		}
		_, err = s.Service.OpenAdoption(ctx(c), doc, in)
		return err
	})
}

func (s *Server) consent(c echo.Context) error {
	return s.adoptionAction(c, nil, msg("You joined the consensus."), func(doc string) error {
		_, err := s.Service.Consent(ctx(c), doc)
		return err
	})
}

func (s *Server) object(c echo.Context) error {
	return s.adoptionAction(c, []string{"reason"}, msg("Your objection is recorded."), func(doc string) error {
		_, err := s.Service.Object(ctx(c), doc, c.FormValue("reason"))
		return err
	})
}

func (s *Server) closeAdoption(c echo.Context) error {
	return confirmFirst(c, func(c echo.Context) error {
		return s.adoptionAction(c, nil, msg("The round is closed."), func(doc string) error {
			_, err := s.Service.CloseAdoption(ctx(c), doc)
			return err
		})
	})
}

// deadline reads the deadline picker: a date and time (datetime-local)
// in the time zone tz (an IANA name, UTC if none), nil if empty.
func deadline(value, tz string) (*time.Time, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, nil
	}
	loc := time.UTC
	if tz != "" && tz != "UTC" {
		if loc = zoneNamed(tz); loc == nil {
			return nil, &drafts.Error{Code: drafts.EINVALID, Message: "tz: a time zone such as Asia/Almaty",
				Fields: []drafts.FieldError{{Field: "tz", Message: "a time zone such as Asia/Almaty"}}}
		}
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", value, loc)
	if err != nil {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "deadline: a date and time such as 2026-12-01T17:00",
			Fields: []drafts.FieldError{{Field: "deadline", Message: "a date and time"}}}
	}
	t = t.UTC()
	return &t, nil
}
