package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Translations: what needs translating across every document (GET
// /translations, for the secretariat and chairs), and one provision's
// translation (GET and POST
// /documents/{doc}/versions/{n}/provisions/{id}/translations/{lang}), the
// form the lists post to: on success it goes back to the page it came
// from (next), else it shows the provision with the error and what was
// typed.

// translationWork lists the language versions that need translating.
func (s *Server) translationWork(c echo.Context) error {
	work, err := s.Service.TranslationWork(ctx(c))
	if err != nil {
		return err
	}
	p := s.data(c, "Translations")
	items := make([]workItem, len(work))
	for i, t := range work {
		items[i] = workItem{Task: t, Translate: s.canTranslate(c, t.Document)}
	}
	p.Data = items
	return s.render(c, http.StatusOK, "translations", p)
}

// workItem is a language version that needs translating, and whether the
// user may send its translations.
type workItem struct {
	Task      drafts.TranslationTask
	Translate bool
}

// translationData is the page of one provision's translation.
type translationData struct {
	Version   *drafts.Version
	Provision drafts.Provision
	Lang      string
	Next      string
}

func (s *Server) translationPage(c echo.Context) error {
	p, d, err := s.docPage(c, "Translation")
	if err != nil {
		return err
	}
	return s.showTranslation(c, p, d, http.StatusOK)
}

// showTranslation shows one provision of a version in a language, with
// the original beside it and the form to send its translation.
func (s *Server) showTranslation(c echo.Context, p *Page, d *drafts.Document, status int) error {
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return err
	}
	lang := c.Param("lang")
	v, err := s.Service.GetVersionIn(ctx(c), d.ID, n, lang)
	if err != nil {
		return err
	}
	pr, i := v.Provision(c.Param("id"))
	if i < 0 {
		return drafts.Errorf(drafts.ENOTFOUND, "no provision %q in version %d", c.Param("id"), n)
	}
	if pr.Original == nil { // a current translation: its original, to read it against
		orig, err := s.Service.GetVersion(ctx(c), d.ID, n)
		if err != nil {
			return err
		}
		o := orig.Provisions[i]
		pr.Original = &drafts.OriginalText{Language: d.Language, Number: o.Number, Text: o.Text}
	}
	if _, ok := p.Form["text"]; !ok {
		p.Form["text"] = pr.Text
	}
	next := c.FormValue("next")
	if next == "" {
		next = "/documents/" + d.ID + "/languages"
	}
	p.Data = &translationData{Version: v, Provision: pr, Lang: lang, Next: localPath(next)}
	return s.render(c, status, "translation", p)
}

// setTranslation sends one provision's translation.
func (s *Server) setTranslation(c echo.Context) error {
	p, d, err := s.docPage(c, "Translation")
	if err != nil {
		return err
	}
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.FormValue("text"))
	if _, _, err := s.Service.SetTranslation(ctx(c), d.ID, n, c.Param("id"), c.Param("lang"), text, ""); err != nil {
		p.Error, p.Form["text"] = err, text
		return s.showTranslation(c, p, d, httpStatus(err))
	}
	next := localPath(c.FormValue("next"))
	if next == "/documents" && c.FormValue("next") == "" {
		next = "/documents/" + d.ID + "/languages"
	}
	return c.Redirect(http.StatusSeeOther, next)
}
