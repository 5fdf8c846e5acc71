package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The state of play of a document's head (GET /documents/{doc}/state):
// the chart the service draws (SVG, inline, no script) with its numbers
// in tables, what keeps the text from adoption, and every provision with
// its status, open proposals and positions; its print (.../state/pdf) and
// the chart alone (.../state/chart.svg).

type stateData struct {
	State *drafts.StateOfPlay
	// Chart is the service's SVG: drawn and escaped by the renderer.
	Chart template.HTML
	// Titles names each section by id, as the chart does; Numbers each
	// provision, by its number or the start of its text.
	Titles, Numbers map[string]string
}

func (s *Server) statePage(c echo.Context) error {
	p, d, err := s.docPage(c, "State of play")
	if err != nil {
		return err
	}
	st, err := s.Service.StateOfPlay(ctx(c), d.ID)
	if err != nil {
		return err
	}
	svg, err := s.Service.StateOfPlaySVG(ctx(c), d.ID)
	if err != nil {
		return err
	}
	sd := &stateData{State: st, Chart: template.HTML(svg), Titles: map[string]string{}, Numbers: provisionNumbers(st.Items)}
	for _, sec := range st.Sections {
		sd.Titles[sec.ID] = sec.Title
	}
	p.Data = sd
	return s.render(c, http.StatusOK, "state", p)
}

func (s *Server) statePDF(c echo.Context) error {
	pdf, err := s.Service.StateOfPlayPDF(ctx(c), c.Param("doc"))
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}

func (s *Server) stateChart(c echo.Context) error {
	svg, err := s.Service.StateOfPlaySVG(ctx(c), c.Param("doc"))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// provisionNumbers names each provision of a state of play by its number
// ("7", "(a)", "Rule 3"), or the start of its text in quotes when it has
// none.
func provisionNumbers(items []drafts.ProvisionState) map[string]string {
	m := make(map[string]string, len(items))
	for _, it := range items {
		m[it.ID] = strings.TrimSuffix(it.Number, ".")
		if it.Number == "" || strings.HasPrefix(it.Number, "#") {
			m[it.ID] = "“" + excerpt(it.Text, 40) + "”"
		}
	}
	return m
}
