package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
	"chancery/internal/gzipper"
)

// Parts of pages that many readers load at once (after a merge the whole
// room opens the document, the compilation and the tracked changes) are
// made once and shared: the readers asking at the same time wait for one
// rendering, and it is kept for those who come after (s.shared).
//
// A shared part is served to other users: it may depend only on what its
// key names. sharedKey always names the page and part, the request's path
// and query, the interface language and the document as read (its ETag);
// what the user may do in it (Links) and the reader's time zone (Zone,
// Date) when the part's templates use them; the caller adds what the data was made from (a compilation's Key, a
// version's ETag, the proposals' ETags). A part whose templates use a
// field of the user's own (personal) is never shared: it is rendered for
// each request, as if it had no key.
//
// The items of the long lists (the text's provisions, the open proposals,
// the compilation's entries) are parts of their own (sharedList), made
// with a page that holds the document by its id only, and named by what
// each shows rather than by the version or the document as read: they
// outlive a merge, and the room's first reader after one makes again only
// the items the merge changed. The part holding them names what their
// keys name beyond their data (itemsKey).

// personal are the fields of a Page that are the user's own.
var personal = []string{"User", "CSRF", "Form", "Field", "FormKey", "Error", "Notice", "Flash", "Saved", "Session", "RenewSoon", "Path", "Now"}

// zoned are the fields of a Page that show times in the reader's zone.
var zoned = []string{"Zone", "Date", "DateP"}

// sharing says how a part of a page may be shared, from the fields of the
// Page its templates use (sharingOf).
type sharing struct {
	never bool // it uses a personal field
	links bool // it uses Links: the key names them
	zone  bool // it uses the reader's zone: the key names it
}

// sharingOf reads which fields of the Page the template part of t uses,
// through the templates it calls. It errs on the side of care: any field
// of that name, whatever the dot is at that point, counts.
func sharingOf(t *template.Template, part string) sharing {
	used := map[string]bool{}
	seen := map[string]bool{}
	var visit func(n parse.Node)
	visit = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					visit(c)
				}
			}
		case *parse.ActionNode:
			visit(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					visit(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				visit(a)
			}
		case *parse.FieldNode:
			used[n.Ident[0]] = true
		case *parse.VariableNode:
			if len(n.Ident) > 1 && n.Ident[0] == "$" {
				used[n.Ident[1]] = true
			}
		case *parse.ChainNode:
			visit(n.Node)
		case *parse.IfNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.RangeNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.WithNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.TemplateNode:
			visit(n.Pipe)
			if !seen[n.Name] {
				seen[n.Name] = true
				if c := t.Lookup(n.Name); c != nil && c.Tree != nil {
					visit(c.Tree.Root)
				}
			}
		}
	}
	if pt := t.Lookup(part); pt != nil && pt.Tree != nil {
		visit(pt.Tree.Root)
	}
	return sharing{
		never: slices.ContainsFunc(personal, func(f string) bool { return used[f] }),
		links: used["Links"],
		zone:  slices.ContainsFunc(zoned, func(f string) bool { return used[f] }),
	}
}

// sharedKey is the key of part of page name for p (see above), with data
// naming what the part's data was made from; "" when the part may not be
// shared.
func (s *Server) sharedKey(c echo.Context, name, part string, p *Page, data string) string {
	return s.sharedKeyAt(name, part, p, c.Request().URL.RequestURI(), data)
}

// sharedKeyAt is sharedKey with where for the request's path and query.
func (s *Server) sharedKeyAt(name, part string, p *Page, where, data string) string {
	sh := s.sharingOf(name, part)
	if sh.never || data == "" {
		return ""
	}
	links, zone := "", ""
	if sh.links {
		links = linksKey(p.Links)
	}
	if sh.zone {
		zone = p.zone().String()
	}
	var b bytes.Buffer
	b.WriteString(name + "/" + part)
	for _, s := range []string{where, string(p.L), links, zone, docKey(p.Doc), data} {
		b.WriteByte(0)
		b.WriteString(s)
	}
	return b.String()
}

// sharingOf returns how part of page name may be shared (as readSharing
// found); a part it did not read is never shared.
func (s *Server) sharingOf(name, part string) sharing {
	if sh, ok := s.sharing[name+"/"+part]; ok {
		return sh
	}
	return sharing{never: true}
}

// readSharing reads, before the first request (executing a template
// changes its tree), how each page's content and each of its parts named
// "…-shared" may be shared.
func readSharing(pages map[string]*template.Template) map[string]sharing {
	m := map[string]sharing{}
	for name, t := range pages {
		for _, pt := range t.Templates() {
			if part := pt.Name(); part == "content" || strings.HasSuffix(part, "-shared") {
				m[name+"/"+part] = sharingOf(t, part)
			}
		}
	}
	return m
}

// renderShared renders page name with its content (the "content"
// template) shared under its sharedKey: only the layout around it is made
// for this user. prepare, when not nil, completes p's data for the
// content, only when the content is made. An empty data (nothing names
// what the page was made from) renders the page as render does.
func (s *Server) renderShared(c echo.Context, status int, name string, p *Page, data string, prepare func() error) error {
	key := s.sharedKey(c, name, "content", p, data)
	if key == "" {
		if prepare != nil {
			if err := prepare(); err != nil {
				return err
			}
		}
		return s.render(c, status, name, p)
	}
	content, err := s.keyedPiece(c, name, "content", p, key, prepare)
	if err != nil {
		return err
	}
	p.Content = content
	return s.render(c, status, name, p)
}

// csrfMark stands in a shared part for the CSRF fields of a form
// (Page.CSRFMark); render puts the reader's own in its place. No user's
// words can make it: they are escaped ("<" is written "&lt;").
const csrfMark = "<!--chancery:csrf-->"

// CSRFMark is the place of a form's CSRF fields (the "csrf" template) in a
// part made once for many readers: render fills in the reader's own, so
// the part need not be made for each reader because it holds a form.
func (p *Page) CSRFMark() template.HTML { return csrfMark }

// fillCSRF puts the reader's CSRF fields (the "csrf" template of t, a new
// form key each) in place of each csrfMark of page.
func fillCSRF(t *template.Template, page []byte, p *Page) ([]byte, error) {
	parts := bytes.Split(page, []byte(csrfMark))
	var out bytes.Buffer
	out.Grow(len(page) + 200*(len(parts)-1))
	for i, part := range parts {
		if i > 0 {
			if err := t.ExecuteTemplate(&out, "csrf", p); err != nil {
				return nil, drafts.WrapError(drafts.EINTERNAL, err, "rendering a form's fields")
			}
		}
		out.Write(part)
	}
	return out.Bytes(), nil
}

// positionsKey names the positions as the reader sees them
// (positionsView): which, in what state, and what the reader may do with
// them (record; confirm and withdraw its delegation's own). The reader's
// delegation is named only when one of them is its own: readers of every
// delegation without a position share one part.
func positionsKey(v *positionsView) string {
	if v == nil {
		return "no positions"
	}
	mine := ""
	for _, ps := range v.ByProvision {
		for _, p := range ps {
			if p.Delegation == v.Mine {
				mine = v.Mine
			}
		}
	}
	data, err := json.Marshal(struct {
		ByProvision map[string][]*drafts.Position
		WholeText   []*drafts.Position
		Record      bool
		Mine        string
		Observers   bool
	}{v.ByProvision, v.WholeText, v.Record, mine, v.Observers})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// proposalsKey names a list of proposals as read: each one's id and ETag,
// hashed; "" when one has no ETag (nothing then names its content).
// Every document page asks for it, over the 200-odd open proposals: the
// ids and ETags go to the hash a kilobyte at a time, where writing each
// made a copy of it.
func proposalsKey(ps []*drafts.Proposal) string {
	h := sha256.New()
	b := make([]byte, 0, 1<<10)
	for _, p := range ps {
		if p.ETag == "" {
			return ""
		}
		if len(b)+len(p.ID)+len(p.ETag)+2 > cap(b) {
			h.Write(b)
			b = b[:0]
		}
		b = append(append(append(append(b, p.ID...), 0), p.ETag...), 0)
	}
	h.Write(b)
	return strconv.Itoa(len(ps)) + "/" + hex.EncodeToString(h.Sum(b[:0])[:16])
}

// linksKey names what the user may do in the document (docLinks).
func linksKey(l docLinks) string {
	b := []byte("------")
	for i, ok := range []bool{l.Propose, l.Merge, l.Status, l.OpenRound, l.Verify, l.Record} {
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
// every request under its sharedKey, data naming what the part was made
// from (sharedData), and returns it; with no key, for this request only.
func (s *Server) sharedPart(c echo.Context, name, part string, p *Page, data string) (template.HTML, error) {
	html, err := s.sharedBytes(c, name, part, p, s.sharedKey(c, name, part, p, data), nil)
	return template.HTML(html), err
}

// sharedData joins what a shared part was made from: "" (not shared)
// when any of it is "" (nothing names it).
func sharedData(parts ...string) string {
	if slices.Contains(parts, "") {
		return ""
	}
	return strings.Join(parts, "/")
}

// sharedBytes is the template part of page name made with p, running
// prepare (when not nil) first, or as kept under key: read only.
func (s *Server) sharedBytes(c echo.Context, name, part string, p *Page, key string, prepare func() error) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, drafts.Errorf(drafts.EINTERNAL, "no template %s", name)
	}
	execute := func() ([]byte, error) {
		if prepare != nil {
			if err := prepare(); err != nil {
				return nil, err
			}
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, part, p); err != nil {
			return nil, drafts.WrapError(drafts.EINTERNAL, err, "rendering %s", name)
		}
		return buf.Bytes(), nil
	}
	if key == "" {
		return execute()
	}
	return s.shared.Make(ctx(c), key, execute)
}

// minPiece is the smallest shared part worth splicing compressed.
const minPiece = 4 << 10

// sharedPiece is sharedPart for a part placed in the page itself (not
// inside another shared part), running prepare (when not nil) when the
// part is made: a large part shared under its key, with no form in it,
// goes into the page as a mark (piece) that render replaces with the
// part, or with the part deflated once for all its readers when the page
// goes compressed (see gzipper.Splice).
func (s *Server) sharedPiece(c echo.Context, name, part string, p *Page, data string, prepare func() error) (template.HTML, error) {
	return s.keyedPiece(c, name, part, p, s.sharedKey(c, name, part, p, data), prepare)
}

// keyedPiece is sharedPiece under a key made already.
func (s *Server) keyedPiece(c echo.Context, name, part string, p *Page, key string, prepare func() error) (template.HTML, error) {
	html, err := s.sharedBytes(c, name, part, p, key, prepare)
	if err != nil || key == "" || len(html) < minPiece || bytes.Contains(html, []byte(csrfMark)) {
		return template.HTML(html), err
	}
	p.pieces = append(p.pieces, piece{key: key, html: html})
	return template.HTML(pieceMark + strconv.Itoa(len(p.pieces)-1) + "-->"), nil
}

// pieceMark, its number and "-->" stand for a piece of the page being
// rendered (Page.pieces). No user's words can make it ("<" is escaped).
const pieceMark = "<!--chancery:piece:"

// piece is a shared part of a page, by its key in s.shared: the bytes
// kept there, read only.
type piece struct {
	key  string
	html []byte
}

// sendPieces answers with page, putting its pieces in place of their
// marks: compressed, when the client accepts it, from the pieces'
// deflated forms made once (s.deflated) and the rest deflated now.
func (s *Server) sendPieces(c echo.Context, status int, page []byte, pieces []piece) error {
	compress := gzipper.Wants(c.Request())
	var parts []gzipper.Part
	for len(page) > 0 {
		i := bytes.Index(page, []byte(pieceMark))
		if i < 0 {
			parts = append(parts, gzipper.Part{Plain: page})
			break
		}
		end := bytes.Index(page[i:], []byte("-->"))
		n := -1
		if end > 0 {
			n, _ = strconv.Atoi(string(page[i+len(pieceMark) : i+end]))
		}
		if n < 0 || n >= len(pieces) {
			return drafts.Errorf(drafts.EINTERNAL, "a page names a part it does not have")
		}
		pc := gzipper.Part{Plain: pieces[n].html}
		if compress {
			var err error
			pc.Deflated, err = s.deflated.Make(ctx(c), pieces[n].key, func() ([]byte, error) {
				return gzipper.Deflate(pc.Plain), nil
			})
			if err != nil {
				return err
			}
		}
		parts = append(parts, gzipper.Part{Plain: page[:i]}, pc)
		page = page[i+end+len("-->"):]
	}
	out := pageBuffer()
	defer donePageBuffer(out)
	if compress {
		gzipper.SpliceInto(out, parts)
		return gzipper.SendCompressed(c.Response(), status, echo.MIMETextHTMLCharsetUTF8, out.Bytes())
	}
	size := 0
	for _, p := range parts {
		size += len(p.Plain)
	}
	out.Grow(size)
	for _, p := range parts {
		out.Write(p.Plain)
	}
	return c.HTMLBlob(status, out.Bytes())
}

// pageBuffers hold pages while they are made and sent, and are used again
// once sent: a page's buffer and its compressed copy were most of what
// each reader's view allocated, and the collector's work follows that.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// pageBuffer returns an empty buffer from pageBuffers.
func pageBuffer() *bytes.Buffer {
	b := pageBuffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// donePageBuffer returns b, whose bytes are sent, to pageBuffers (unless
// it grew past 1 MB: a rare page's size is not kept for every page).
func donePageBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		pageBuffers.Put(b)
	}
}

// readingOnce makes a page (a GET) read each record of the storage once
// however many things it asks the service (drafts.ReadOnce): the
// document, the version's statuses, the token are read at the start and
// the page shows that one reading.
func (s *Server) readingOnce(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodGet {
			c.SetRequest(c.Request().WithContext(drafts.NewContextReadingOnce(c.Request().Context())))
		}
		return next(c)
	}
}
