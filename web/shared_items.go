package web

import (
	"html/template"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The items of the long lists of a page, each a shared part of its own
// (see shared.go).

// itemsAt stands for the request's path and query in the keys of the
// items of a list (sharedList): an item is made with a page that holds
// nothing of the address (see sharedList), so the pages that differ only
// by their query (?position=, ?version=) share their items. No request
// URI is "items" (each begins with "/").
const itemsAt = "items"

// itemPage is the page an item of a list is made with: p, holding the
// document by its id only, and data.
func itemPage(p *Page, data any) *Page {
	ip := *p
	ip.Doc = &drafts.Document{ID: p.Doc.ID}
	ip.Data = data
	return &ip
}

// sharedList makes the n items of a list in page name, item i the
// template part made with the page and the data item(i) returns (as
// sharedPart: once per key, but a key that names no address: itemsAt),
// and returns them joined. The items of a list outlive the list: a list
// made again after a change makes again only the items it changed. The
// page of an item holds the document by its id only, and no field that
// follows the address but the user's own (Path: such a part is never
// shared).
func (s *Server) sharedList(c echo.Context, name, part string, n int, item func(i int) (*Page, string)) (template.HTML, error) {
	parts := make([][]byte, n)
	size := 0
	for i := range n {
		p, data := item(i)
		html, err := s.sharedBytes(c, name, part, p, s.sharedKeyAt(name, part, p, itemsAt, data), nil)
		if err != nil {
			return "", err
		}
		parts[i] = html
		size += len(html)
	}
	var b strings.Builder
	b.Grow(size)
	for _, html := range parts {
		b.Write(html)
	}
	return template.HTML(b.String()), nil
}

// itemsKey names, for a shared part holding the items of a list
// (sharedList) made of template part of page name, what the items' keys
// name beyond their data: what the user may do, the reader's zone, when
// the items' templates use them. The part holding them is made of them,
// so its key must name it too. It is "" (the part holding them is not
// shared either) when the items use a field of the user's own.
func (s *Server) itemsKey(name, part string, p *Page) string {
	sh := s.sharingOf(name, part)
	if sh.never {
		return ""
	}
	key := "items of " + part
	if sh.links {
		key += "/links " + linksKey(p.Links)
	}
	if sh.zone {
		key += "/zone " + p.zone().String()
	}
	return key
}
