package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The list of documents (GET /documents) and the form that creates one
// (POST /documents).

type documentsData struct {
	Items       []*drafts.Document
	State, Body string
	States      []string
	Bodies      []string
	// Create: the user may create documents (of Kinds).
	Create bool
	Kinds  []string
}

func (s *Server) documents(c echo.Context) error {
	return s.documentsPage(c, s.data(c, "Documents"), http.StatusOK)
}

func (s *Server) documentsPage(c echo.Context, p *Page, status int) error {
	dd := &documentsData{State: c.QueryParam("state"), Body: c.QueryParam("body"),
		States: []string{drafts.StateDrafting, drafts.StateNegotiation, drafts.StateAdoption, drafts.StateAdopted, drafts.StateWithdrawn}}
	all, err := listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Document], error) {
		return s.Service.ListDocuments(ctx(c), opt)
	})
	if err != nil {
		return err
	}
	bodies := map[string]bool{}
	for _, d := range all {
		if !bodies[d.Body] {
			bodies[d.Body] = true
			dd.Bodies = append(dd.Bodies, d.Body)
		}
		if (dd.State == "" || d.State == dd.State) && (dd.Body == "" || d.Body == dd.Body) {
			dd.Items = append(dd.Items, d)
		}
	}
	u := user(c)
	dd.Create = s.may(c, drafts.ActDocumentCreate, drafts.Resource{Type: "document", Body: u.Body, Visibility: drafts.VisibilityMembers})
	dd.Kinds = drafts.DocumentKinds()
	if p.Form["body"] == "" {
		p.Form["body"], p.Form["language"], p.Form["visibility"] = u.Body, "en", drafts.VisibilityMembers
	}
	p.Data = dd
	return s.render(c, status, "documents", p)
}

func (s *Server) createDocument(c echo.Context) error {
	p := s.data(c, "Documents")
	for _, k := range []string{"symbol", "title", "kind", "body", "language", "visibility", "text"} {
		p.Form[k] = c.FormValue(k)
	}
	d := &drafts.Document{Symbol: strings.TrimSpace(p.Form["symbol"]), Title: strings.TrimSpace(p.Form["title"]), Kind: p.Form["kind"],
		Body: strings.TrimSpace(p.Form["body"]), Language: strings.TrimSpace(p.Form["language"]), Visibility: p.Form["visibility"]}
	doc, _, err := s.Service.CreateDocument(ctx(c), d, p.Form["text"])
	if err != nil {
		p.Error = err
		return s.documentsPage(c, p, httpStatus(err))
	}
	return s.done(c, "/documents/"+doc.ID, msg("Document %s created."), doc.Symbol)
}
