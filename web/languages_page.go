package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Language versions in the workspace: a version read in a language, or in
// two side by side (GET /documents/{doc}/versions/{n}?language=ru or
// ?language=en,ru); a document's languages, with the form to send the
// whole text in one (GET and POST /documents/{doc}/languages). The
// translation of one provision and the list of what needs translating are
// in translations_page.go.

// languageRow is one provision of a version read in one language, or in
// two side by side (Right).
type languageRow struct {
	Left  drafts.Provision
	Right *drafts.Provision
	Depth int
}

// languagesView is a version read in one or two languages.
type languagesView struct {
	Version *drafts.Version // the first language's
	Langs   []string
	Rows    []languageRow
	// State sums up the language version shown (the second of two).
	State drafts.LanguageState
	// Translate says whether the user may send translations here (the
	// head of an open document).
	Translate bool
	Path      string
}

// Side reports whether two languages are shown side by side.
func (v *languagesView) Side() bool { return len(v.Langs) == 2 }

// Translated is the language version shown: the second of two, or the one.
func (v *languagesView) Translated() string { return v.Langs[len(v.Langs)-1] }

// textLanguages returns the languages ?language= names: one, or two.
func textLanguages(c echo.Context) []string {
	var out []string
	for _, l := range strings.Split(c.QueryParam("language"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// versionInLanguages shows a version in the languages ?language= names.
func (s *Server) versionInLanguages(c echo.Context) error {
	p, d, err := s.docPage(c, "Version")
	if err != nil {
		return err
	}
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return err
	}
	langs := textLanguages(c)
	if len(langs) > 2 {
		return &drafts.Error{Code: drafts.EINVALID, Message: "language: at most two languages side by side"}
	}
	vs, err := s.Service.GetVersionInLanguages(ctx(c), d.ID, n, langs)
	if err != nil {
		return err
	}
	view := &languagesView{Version: vs[0], Langs: langs, Path: p.Path,
		Translate: n == d.Head && s.canTranslate(c, d) && vs[len(vs)-1].Language != d.Language}
	var nest drafts.Nesting
	for i, pr := range vs[0].Provisions {
		row := languageRow{Left: pr, Depth: nest.Depth(pr.Kind, pr.Number)}
		if len(vs) == 2 {
			row.Right = &vs[1].Provisions[i]
		}
		view.Rows = append(view.Rows, row)
	}
	view.State = drafts.CountTranslations(view.Translated(), vs[len(vs)-1], stateMap(vs[len(vs)-1]))
	p.Data = view
	return s.render(c, http.StatusOK, "version_languages", p)
}

// stateMap is the translation states of a version read in a language, as
// CountTranslations takes them.
func stateMap(v *drafts.Version) map[string]drafts.Translation {
	m := make(map[string]drafts.Translation, len(v.Provisions))
	for _, p := range v.Provisions {
		m[p.ID] = drafts.Translation{State: p.Translation}
	}
	return m
}

// canTranslate reports whether the user may send translations of d, whose
// text may still change.
func (s *Server) canTranslate(c echo.Context, d *drafts.Document) bool {
	open := d.State != drafts.StateAdopted && d.State != drafts.StateWithdrawn && d.State != drafts.StateAdoption
	return open && s.may(c, drafts.ActTranslationSet, d.Resource())
}

// languagesData is a document's languages page.
type languagesData struct {
	Translate bool
	// Work lists, per language version, the stale and missing provisions
	// of the head.
	Work map[string][]drafts.Provision
}

// languagesPage shows a document's languages, how far each is in step,
// and the form to send the whole text of the head in a language.
func (s *Server) languagesPage(c echo.Context) error {
	p, d, err := s.docPage(c, "Languages")
	if err != nil {
		return err
	}
	return s.showLanguages(c, p, d, http.StatusOK)
}

func (s *Server) showLanguages(c echo.Context, p *Page, d *drafts.Document, status int) error {
	ld := &languagesData{Translate: s.canTranslate(c, d), Work: map[string][]drafts.Provision{}}
	for _, lang := range d.LanguageVersions {
		v, err := s.Service.GetVersionIn(ctx(c), d.ID, d.Head, lang)
		if err != nil {
			return err
		}
		for _, pr := range v.Provisions {
			if pr.Translation != drafts.TranslationCurrent {
				ld.Work[lang] = append(ld.Work[lang], pr)
			}
		}
	}
	p.Data = ld
	return s.render(c, status, "languages", p)
}

// addLanguage sends the whole text of the head in a language.
func (s *Server) addLanguage(c echo.Context) error {
	p, d, err := s.docPage(c, "Languages")
	if err != nil {
		return err
	}
	lang, text := strings.TrimSpace(c.FormValue("lang")), c.FormValue("text")
	if _, err := s.Service.AddLanguage(ctx(c), d.ID, lang, text); err != nil {
		p.Error, p.Form["lang"], p.Form["text"] = err, lang, text
		return s.showLanguages(c, p, d, httpStatus(err))
	}
	to := fmt.Sprintf("/documents/%s/versions/%d?language=%s", d.ID, d.Head, url.QueryEscape(d.Language+","+lang))
	return c.Redirect(http.StatusSeeOther, to)
}
