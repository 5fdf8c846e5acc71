package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Parts of pages that many readers load at once (after a merge the whole
// room opens the document, the compilation and the tracked changes) are
// made once and shared: the readers asking at the same time wait for one
// rendering, and it is kept for those who come after (s.shared).
//
// A shared part is served to other users: it may depend only on what its
// key names. sharedKey always names the page and part, the request's path
// and query, the interface language, the document as read (its ETag) and
// what the user may do in it (Links); the caller adds what the data was
// made from (a compilation's Key, a version's ETag, the proposals'
// ETags). Nothing in a shared part may show the user, their CSRF token or
// anything else of theirs: such things stay in the page around it.

// sharedKey is the key of part of page p (see above), with data naming
// what the part's data was made from.
func sharedKey(c echo.Context, part string, p *Page, data string) string {
	var b bytes.Buffer
	b.WriteString(part)
	for _, s := range []string{c.Request().URL.RequestURI(), string(p.L), linksKey(p.Links), docKey(p.Doc), data} {
		b.WriteByte(0)
		b.WriteString(s)
	}
	return b.String()
}

// linksKey names what the user may do in the document (docLinks).
func linksKey(l docLinks) string {
	b := []byte("-----")
	for i, ok := range []bool{l.Propose, l.Merge, l.Status, l.OpenRound, l.Verify} {
		if ok {
			b[i] = 'y'
		}
	}
	return string(b)
}

// docKey names the document as read: its id and ETag (which changes
// with every change of the document).
func docKey(d *drafts.Document) string {
	if d == nil {
		return ""
	}
	return d.ID + "/" + d.ETag
}

// sharedPart renders the template part of page name with p once for
// every request under key (sharedKey) and returns it; with no key, for
// this request only.
func (s *Server) sharedPart(c echo.Context, name, part string, p *Page, key string) (template.HTML, error) {
	t, ok := s.pages[name]
	if !ok {
		return "", drafts.Errorf(drafts.EINTERNAL, "no template %s", name)
	}
	execute := func() ([]byte, error) {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, part, p); err != nil {
			return nil, drafts.WrapError(drafts.EINTERNAL, err, "rendering %s", name)
		}
		return buf.Bytes(), nil
	}
	var html []byte
	var err error
	if key == "" {
		html, err = execute()
	} else {
		html, err = s.shared.Make(ctx(c), key, execute)
	}
	return template.HTML(html), err
}

// renderShared renders page name with its content (the "content"
// template) shared under sharedKey(c, "content", p, data): only the
// layout around it is made for this user. An empty data (nothing names
// what the page was made from) renders the page as render does.
func (s *Server) renderShared(c echo.Context, status int, name string, p *Page, data string) error {
	if data != "" {
		content, err := s.sharedPart(c, name, "content", p, sharedKey(c, "content", p, data))
		if err != nil {
			return err
		}
		p.Content = content
	}
	return s.render(c, status, name, p)
}

// proposalsKey names a list of proposals as read: each one's id and ETag,
// hashed; "" when one has no ETag (nothing then names its content).
func proposalsKey(ps []*drafts.Proposal) string {
	h := sha256.New()
	for _, p := range ps {
		if p.ETag == "" {
			return ""
		}
		h.Write([]byte(p.ID))
		h.Write([]byte{0})
		h.Write([]byte(p.ETag))
		h.Write([]byte{0})
	}
	return strconv.Itoa(len(ps)) + "/" + hex.EncodeToString(h.Sum(nil)[:16])
}
