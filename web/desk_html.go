package web

import (
	"html/template"
	"strings"
)

// rowsHTML writes a desk group's rows, the markup the template would
// write, made once in Go: a desk of a thousand proposals is a thousand
// rows, and the template's calls and escapers for each cost more than
// the rest of the page (BenchmarkDesk).
func rowsHTML(l Lang, rows []deskRow) template.HTML {
	esc := template.HTMLEscapeString
	open := esc(l.T("open"))
	var b strings.Builder
	b.WriteString("<ul>")
	for _, r := range rows {
		b.WriteString("<li>")
		for _, pk := range r.Picks {
			b.WriteString(`<input type="checkbox" id="` + esc(pk.Box) + `" name="proposals" value="` + esc(pk.ID) + `"`)
			if pk.Picked {
				b.WriteString(" checked")
			}
			if pk.Uncontested {
				b.WriteString(" data-unc")
			}
			b.WriteString(`> <label for="` + esc(pk.Box) + `">` + esc(pk.Name) + `</label> <a href="` + esc(pk.URL) + `">` + open + "</a> ")
		}
		b.WriteString("\n")
		if r.Cosponsors != "" {
			b.WriteString(`<span class="cos">` + esc(l.T("co-sponsored by %s", r.Cosponsors)) + "</span>")
		}
		b.WriteString("\n" + `<span class="l">`)
		switch r.Op {
		case "replace":
			b.WriteString(string(r.Line))
		case "insert":
			b.WriteString(esc(l.T("Inserts after it:")) + " <ins>" + esc(r.Text) + "</ins>")
		case "delete":
			b.WriteString("<del>" + esc(l.T("Deletes it")) + "</del>")
		default:
			b.WriteString(esc(l.T("Moves it after %s", r.Where)))
		}
		b.WriteString("</span></li>")
	}
	b.WriteString("</ul>")
	return template.HTML(b.String())
}
