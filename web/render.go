package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
	"chancery/internal/wording"
)

// Page is what every template gets: the user, the language, the CSRF token
// of its forms, and the page's own data in fields or Data.
type Page struct {
	Title string
	L     Lang
	User  *drafts.User
	CSRF  string
	Path  string // the request URI, for the language switch
	// Error is the failure to show above the form, with its field errors.
	Error  error
	Notice string
	Doc    *drafts.Document
	// Links says which sections of Doc the user may use.
	Links docLinks
	Data  any
	// Form holds what the user typed, so a failed form keeps it.
	Form map[string]string
	Now  time.Time
	// Live is what live.js needs to follow Doc (pages with the "live"
	// partial, and the screen).
	Live *liveView
	// directory names delegations (proposal_names.go).
	directory *delegationDirectory
	// Flash says what the last form did (post/redirect/get), once.
	Flash string
	// Saved is the saved form the page was opened with (?form=), if any.
	Saved *drafts.SavedForm
	// Zone is the reader's time zone.
	Zone *time.Location
	// Session is the user's session, for its end and renewal.
	Session *drafts.Session
	// Content, when not empty, is the page's content made already
	// (renderShared): the layout shows it instead of its "content".
	Content template.HTML
	// pieces are the shared parts the page holds as marks (sharedPiece).
	pieces []piece
}

// FormKey is a new idempotency key for one form of the page.
func (p *Page) FormKey() string { return drafts.RandomID(24) }

// RenewSoon reports whether the session ends within the hour: the header
// offers to renew it.
func (p *Page) RenewSoon() bool {
	return p.Session != nil && p.Session.ExpiresAt.Sub(p.Now) < time.Hour
}

// Field returns what the user typed into a field.
func (p *Page) Field(name string) string { return p.Form[name] }

// ErrorMessage is the error's message, in the service's words.
func (p *Page) ErrorMessage() string {
	if p.Error == nil {
		return ""
	}
	return drafts.ErrorMessage(p.Error)
}

// ErrorSummary says in the page's language what kind of failure the error
// is; the service's own words (ErrorMessage) are in English.
func (p *Page) ErrorSummary() string { return p.L.errorSummary(p.Error) }

// English reports whether the page is in English: the service's messages
// need no summary and no language mark there.
func (p *Page) English() bool { return p.L != "ru" }

// errorSummary is ErrorSummary for any error.
func (l Lang) errorSummary(err error) string {
	summaries := map[string]string{
		drafts.EINVALID:      l.T("Not accepted: please correct what is named below."),
		drafts.ECONFLICT:     l.T("Not possible: it exists already, or the state has changed."),
		drafts.EFORBIDDEN:    l.T("Your role does not allow this."),
		drafts.ENOTFOUND:     l.T("Not found, or not open to you."),
		drafts.EPRECONDITION: l.T("It changed since you opened the page: reload it and try again."),
		drafts.EUNAVAILABLE:  l.T("The service is busy or cannot reach its storage: try again shortly."),
		drafts.ETOOMANY:      l.T("The service is busy or cannot reach its storage: try again shortly."),
		drafts.ETOOLARGE:     l.T("Too large."),
		drafts.EUNAUTHORIZED: l.T("Please sign in again."),
		drafts.EMALFORMED:    l.T("The request could not be read."),
		drafts.EMEDIATYPE:    l.T("The request could not be read."),
	}
	if s, ok := summaries[drafts.ErrorCode(err)]; ok {
		return s
	}
	return l.T("Something went wrong on the server.")
}

// ErrorMessageOf is another error's message, in the service's words.
func (p *Page) ErrorMessageOf(err error) string { return drafts.ErrorMessage(err) }

// FieldErrors are the error's per-field problems.
func (p *Page) FieldErrors() []drafts.FieldError {
	if e := drafts.AsError(p.Error); e != nil && e.Code != drafts.EINTERNAL {
		return e.Fields
	}
	return nil
}

// FieldList is FieldErrors as the error box lists them: none when the
// one there is says only what the message above it says already.
func (p *Page) FieldList() []drafts.FieldError {
	fs := p.FieldErrors()
	if len(fs) == 1 && fs[0].Line == 0 && fs[0].Field != "" && p.ErrorMessage() == fs[0].Field+": "+fs[0].Message {
		return nil
	}
	return fs
}

// FieldError is the problem with one field, "" if none.
func (p *Page) FieldError(name string) string {
	for _, f := range p.FieldErrors() {
		if f.Field == name || strings.HasPrefix(f.Field, name+".") || strings.HasPrefix(f.Field, name+"[") {
			return f.Message
		}
	}
	return ""
}

func (s *Server) data(c echo.Context, title string) *Page {
	p := &Page{Title: title, L: lang(c), User: user(c), Path: c.Request().URL.RequestURI(), Form: map[string]string{}, Now: s.Service.Now(),
		directory: s.directoryOf(ctx(c)), Zone: readerZone(c)}
	if p.User != nil && p.User.Delegation != "" && c.Request().Method == http.MethodGet {
		// The header names the user's delegation: the delegations are
		// read while the page reads the rest, not after it (a form sent
		// is mostly answered by a redirect: no page to name them in).
		go p.directory.get()
	}
	if ses := session(c); ses != nil {
		p.CSRF, p.Session = maskToken(ses.CSRF), ses
	} else {
		p.CSRF = maskToken(s.preCSRF(c))
	}
	if c.Request().Method == http.MethodGet {
		p.Flash = s.takeFlash(c, p.L)
	} else if from := c.FormValue("from"); from != "" {
		p.Path = localPath(from) // the page the form was on, not the address it posts to
	}
	s.restoreForm(c, p)
	return p
}

// preCSRF returns the pre-session CSRF token, setting its cookie first.
func (s *Server) preCSRF(c echo.Context) string {
	if ck, err := c.Cookie(preCSRFCookie); err == nil && len(ck.Value) == 32 {
		return ck.Value
	}
	v := drafts.RandomID(32)
	s.setCookie(c, preCSRFCookie, v, 0)
	// Also for this request, so that two forms on one page agree.
	c.Request().AddCookie(&http.Cookie{Name: preCSRFCookie, Value: v})
	return v
}

func (s *Server) render(c echo.Context, status int, name string, p *Page) error {
	t, ok := s.pages[name]
	if !ok {
		return drafts.Errorf(drafts.EINTERNAL, "no template %s", name)
	}
	buf := pageBuffer()
	defer donePageBuffer(buf)
	buf.Grow(32<<10 + len(p.Content))
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		return drafts.WrapError(drafts.EINTERNAL, err, "rendering %s", name)
	}
	page := buf.Bytes()
	if bytes.Contains(page, []byte(csrfMark)) {
		var err error
		if page, err = fillCSRF(t, page, p); err != nil {
			return err
		}
	}
	if len(p.pieces) > 0 {
		return s.sendPieces(c, status, page, p.pieces)
	}
	return c.HTMLBlob(status, page)
}

var funcs = template.FuncMap{
	"join": strings.Join,
	"deref": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"add":  func(a, b int) int { return a + b },
	"sub":  func(a, b int) int { return a - b },
	"pct":  func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"date": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"datep": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"isoLocal": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04")
	},
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
	"excerpt": excerpt,
	// langName names a language of a text in itself: "English", "Русский".
	"langName": wording.NativeName,
	// langIn names a language of a text in the interface's language:
	// "Russian", "русский".
	"langIn": func(l Lang, code string) string { return wording.For(string(l)).LanguageName(code) },
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"numbered": func(n string) bool { return n != "" && !strings.HasPrefix(n, "#") },
	// headingLevel is the HTML level of a heading: h2 for the top level
	// ("#", "Part One"), h3, then h4 for all deeper ones.
	"headingLevel": func(n string) int { return min(max(drafts.HeadingLevel(n), 1), 3) + 1 },
	// depths maps each provision's id to its depth (drafts.Nesting), for
	// indenting decimal paragraphs and items.
	"depths": provisionDepths,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"oldSide": func(segs []drafts.Segment) []drafts.Segment { return side(segs, drafts.SegDelete) },
	"newSide": func(segs []drafts.Segment) []drafts.Segment { return side(segs, drafts.SegInsert) },
}

// provisionDepths maps each provision's id to its depth (drafts.Nesting).
func provisionDepths(ps []drafts.Provision) map[string]int {
	var n drafts.Nesting
	m := make(map[string]int, len(ps))
	for _, p := range ps {
		m[p.ID] = n.Depth(p.Kind, p.Number)
	}
	return m
}

// side keeps the equal segments and those of one kind: one column of a
// side-by-side diff.
func side(segs []drafts.Segment, keep string) []drafts.Segment {
	var out []drafts.Segment
	for _, s := range segs {
		if s.Op == drafts.SegEqual || s.Op == keep {
			out = append(out, s)
		}
	}
	return out
}

// parsePages parses every page template with the layout and the shared
// parts. A template file that does not define "content" is a partial
// (a feature's part of a page, such as live.html's "live"): it is parsed
// into every page, which includes it by name.
func parsePages() map[string]*template.Template {
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	files := []string{"templates/layout.html", "templates/parts.html"}
	var pageNames []string
	for _, n := range names {
		probe := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, path.Join("templates", n.Name())))
		if probe.Lookup("content") == nil {
			files = append(files, path.Join("templates", n.Name()))
			continue
		}
		pageNames = append(pageNames, n.Name())
	}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, files...))
	pages := map[string]*template.Template{}
	for _, n := range pageNames {
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, path.Join("templates", n)))
		pages[strings.TrimSuffix(n, ".html")] = t
	}
	return pages
}

// may reports whether the user may perform action on res, to decide which
// links and forms a page shows. It is a hint for the page only: the
// service checks the policy itself in every method.
func (s *Server) may(c echo.Context, action string, res drafts.Resource) bool {
	u := user(c)
	return u != nil && s.Auth != nil && s.Auth.Authorize(u.Subject(), action, res) == nil
}

// ErrorSummaryOf is ErrorSummary for another error.
func (p *Page) ErrorSummaryOf(err error) string { return p.L.errorSummary(err) }

// renderPart renders one template of a page's set alone: a fragment of
// the page that workspace.js puts in place without a reload.
func (s *Server) renderPart(c echo.Context, status int, page, part string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return drafts.Errorf(drafts.EINTERNAL, "no template %s", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, data); err != nil {
		return drafts.WrapError(drafts.EINTERNAL, err, "rendering %s of %s", part, page)
	}
	return c.HTMLBlob(status, buf.Bytes())
}
