package web

import (
	"html/template"
	"strconv"
	"strings"

	"chancery/drafts"
)

// The desk's groups are written in Go, the markup the templates wrote
// ("deskgroup", "collision", "segs"), made once per group: a desk of a
// thousand proposals is some three hundred groups and a thousand rows,
// and the templates' calls and escapers for each cost more than the rest
// of the page (BenchmarkDesk). TestDeskGroupAsTheTemplate holds them to
// the templates' markup byte for byte.

// htmlEscaper escapes text as html/template does in text, quoted
// attribute values and textareas (its htmlReplacementTable): NUL, the
// quotes, "&", "+", "<" and ">".
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

func esc(s string) string { return htmlEscaper.Replace(s) }

// groupHTML writes a desk group: its heading and state, its rows (List)
// and its collision.
func groupHTML(l Lang, g *deskGroup) template.HTML {
	var b strings.Builder
	state := "Several, compatible"
	switch g.State {
	case stateUncontested:
		state = "Uncontested"
	case stateColliding:
		state = "Colliding"
	}
	b.WriteString(`<section class="group st-` + esc(g.State) + `" id="g-` + esc(g.P.ID) + `" data-dels="` + esc(g.Codes) + "\">\n")
	b.WriteString("<h3>" + esc(g.Label) + ` <span class="gs">` + esc(l.T(state)) + "</span></h3>\n")
	b.WriteString(string(g.List))
	b.WriteString("\n")
	if g.Collision != nil {
		collisionHTML(&b, l, g.Collision, g.Label)
	}
	b.WriteString("\n</section>")
	return template.HTML(b.String())
}

// collisionHTML writes a collision's competing texts and the chair's
// compromise, at the group labelled label.
func collisionHTML(b *strings.Builder, l Lang, c *deskCollision, label string) {
	id := esc(c.Provision)
	b.WriteString(`<fieldset class="collision" id="col-` + id + `"><legend>` + esc(l.T("Collision at %s: resolve it", label)) + "</legend>\n")
	b.WriteString(`<div class="competing">` + "\n")
	b.WriteString(`<div class="side base"><h4>` + esc(l.T("Current text")) + "</h4><p>" + esc(c.Base) + "</p></div>\n")
	for _, sd := range c.Sides {
		names := esc(sd.Names)
		b.WriteString(`<div class="side"><h4>` + names + `</h4><p class="sidetext">`)
		if sd.Deleted {
			b.WriteString("<del>" + esc(l.T("delete the provision")) + "</del>")
		} else {
			writeSegs(b, sd.Segments)
		}
		b.WriteString("</p>\n" + `<p><button type="submit" name="action" value="start:` + id + ":" + strconv.Itoa(sd.Index) + `" class="small" data-start="` + id + `"`)
		if sd.Deleted {
			b.WriteString(` data-delete="1"`)
		}
		b.WriteString(">" + esc(l.T("Start from this text")) + `<span class="vh"> — ` + names + "</span></button></p></div>")
	}
	b.WriteString("\n</div>\n" + `<div class="compromise">` + "\n")
	b.WriteString(`<fieldset class="mode"><legend>` + esc(l.T("Your resolution")) + "</legend>\n")
	for _, m := range [...]struct{ value, suffix, label string }{{"", "open", "Leave open for now"}, {"text", "text", "Use the compromise below"}, {"delete", "delete", "Delete the provision"}} {
		box := "mode-" + id + "-" + m.suffix
		b.WriteString(`<p><input type="radio" id="` + box + `" name="mode.` + id + `" value="` + m.value + `"`)
		if c.Mode == m.value {
			b.WriteString(" checked")
		}
		b.WriteString(`> <label for="` + box + `">` + esc(l.T(m.label)) + "</label></p>\n")
	}
	b.WriteString("</fieldset>\n" + `<p><label for="res-` + id + `">` + esc(l.T("Compromise for %s", label)) + `</label><textarea id="res-` + id + `" name="res.` + id + `" rows="4">` + esc(c.Text) + "</textarea></p>\n")
	b.WriteString("</div>\n</fieldset>")
}

// rowsHTML writes a desk group's rows.
func rowsHTML(l Lang, rows []deskRow) template.HTML {
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

// segsHTML writes tracked changes as the "segs" template does (<ins>,
// <del>), made once in Go: the desk shows hundreds of them.
func segsHTML(segs []drafts.Segment) template.HTML {
	var b strings.Builder
	writeSegs(&b, segs)
	return template.HTML(b.String())
}

func writeSegs(b *strings.Builder, segs []drafts.Segment) {
	for _, s := range segs {
		t := esc(s.Text)
		switch s.Op {
		case drafts.SegInsert:
			b.WriteString("<ins>" + t + "</ins>")
		case drafts.SegDelete:
			b.WriteString("<del>" + t + "</del>")
		default:
			b.WriteString(t)
		}
	}
}
