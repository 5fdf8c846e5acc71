package web

import (
	"html/template"
	"strconv"
	"strings"

	"chancery/drafts"
)

// The desk's groups are written in Go, the markup the templates wrote
// ("deskgroup", "collision", "segs"), a section's groups into one
// builder: a desk of a thousand proposals is some three hundred groups
// and a thousand rows, and the templates' calls and escapers for each
// cost more than the rest of the page (BenchmarkDesk).
// TestDeskGroupAsTheTemplate and TestDeskRowsAsTheTemplate hold them to
// the templates' markup byte for byte.

// htmlEscaper escapes text as html/template does in text, quoted
// attribute values and textareas (its htmlReplacementTable): NUL, the
// quotes, "&", "+", "<" and ">".
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// deskWriter writes the desk's markup in language l, its fixed words
// translated and escaped once (words).
type deskWriter struct {
	strings.Builder
	l     Lang
	words map[string]string
}

func newDeskWriter(l Lang) *deskWriter { return &deskWriter{l: l, words: map[string]string{}} }

// put writes markup as it is.
func (w *deskWriter) put(parts ...string) {
	for _, s := range parts {
		w.WriteString(s)
	}
}

// text writes s escaped.
func (w *deskWriter) text(s string) { htmlEscaper.WriteString(&w.Builder, s) }

// word writes the translation of key, escaped.
func (w *deskWriter) word(key string) {
	t, ok := w.words[key]
	if !ok {
		t = htmlEscaper.Replace(w.l.T(key))
		w.words[key] = t
	}
	w.WriteString(t)
}

// groupsHTML writes desk groups, each its heading and state, its rows and
// its collision.
func groupsHTML(l Lang, groups []*deskGroup) template.HTML {
	w := newDeskWriter(l)
	for _, g := range groups {
		w.group(g)
	}
	return template.HTML(w.String())
}

func (w *deskWriter) group(g *deskGroup) {
	state := "Several, compatible"
	switch g.State {
	case stateUncontested:
		state = "Uncontested"
	case stateColliding:
		state = "Colliding"
	}
	w.put(`<section class="group st-`)
	w.text(g.State)
	w.put(`" id="g-`)
	w.text(g.P.ID)
	w.put(`" data-dels="`)
	w.text(g.Codes)
	w.put("\">\n<h3>")
	w.text(g.Label)
	w.put(` <span class="gs">`)
	w.word(state)
	w.put("</span></h3>\n")
	w.rows(g.Rows)
	w.put("\n")
	if g.Collision != nil {
		w.collision(g.Collision, g.Label)
	}
	w.put("\n</section>")
}

// collision writes a collision's competing texts and the chair's
// compromise, at the group labelled label.
func (w *deskWriter) collision(c *deskCollision, label string) {
	id := htmlEscaper.Replace(c.Provision)
	w.put(`<fieldset class="collision" id="col-`, id, `"><legend>`)
	w.text(w.l.T("Collision at %s: resolve it", label))
	w.put("</legend>\n<div class=\"competing\">\n<div class=\"side base\"><h4>")
	w.word("Current text")
	w.put("</h4><p>")
	w.text(c.Base)
	w.put("</p></div>\n")
	for _, sd := range c.Sides {
		names := htmlEscaper.Replace(sd.Names)
		w.put(`<div class="side"><h4>`, names, `</h4><p class="sidetext">`)
		if sd.Deleted {
			w.put("<del>")
			w.word("delete the provision")
			w.put("</del>")
		} else {
			w.segs(sd.Segments)
		}
		w.put("</p>\n"+`<p><button type="submit" name="action" value="start:`, id, ":", strconv.Itoa(sd.Index), `" class="small" data-start="`, id, `"`)
		if sd.Deleted {
			w.put(` data-delete="1"`)
		}
		w.put(">")
		w.word("Start from this text")
		w.put(`<span class="vh"> — `, names, "</span></button></p></div>")
	}
	w.put("\n</div>\n<div class=\"compromise\">\n<fieldset class=\"mode\"><legend>")
	w.word("Your resolution")
	w.put("</legend>\n")
	for _, m := range [...]struct{ value, suffix, label string }{{"", "open", "Leave open for now"}, {"text", "text", "Use the compromise below"}, {"delete", "delete", "Delete the provision"}} {
		w.put(`<p><input type="radio" id="mode-`, id, "-", m.suffix, `" name="mode.`, id, `" value="`, m.value, `"`)
		if c.Mode == m.value {
			w.put(" checked")
		}
		w.put(`> <label for="mode-`, id, "-", m.suffix, `">`)
		w.word(m.label)
		w.put("</label></p>\n")
	}
	w.put("</fieldset>\n"+`<p><label for="res-`, id, `">`)
	w.text(w.l.T("Compromise for %s", label))
	w.put(`</label><textarea id="res-`, id, `" name="res.`, id, `" rows="4">`)
	w.text(c.Text)
	w.put("</textarea></p>\n</div>\n</fieldset>")
}

// rows writes a desk group's rows.
func (w *deskWriter) rows(rows []deskRow) {
	w.put("<ul>")
	for _, r := range rows {
		w.put("<li>")
		for _, pk := range r.Picks {
			box := htmlEscaper.Replace(pk.Box)
			w.put(`<input type="checkbox" id="`, box, `" name="proposals" value="`)
			w.text(pk.ID)
			w.put(`"`)
			if pk.Picked {
				w.put(" checked")
			}
			if pk.Uncontested {
				w.put(" data-unc")
			}
			w.put(`> <label for="`, box, `">`)
			w.text(pk.Name)
			w.put(`</label> <a href="`)
			w.text(pk.URL)
			w.put(`">`)
			w.word("open")
			w.put("</a> ")
		}
		w.put("\n")
		if r.Cosponsors != "" {
			w.put(`<span class="cos">`)
			w.text(w.l.T("co-sponsored by %s", r.Cosponsors))
			w.put("</span>")
		}
		w.put("\n" + `<span class="l">`)
		switch r.Op {
		case "replace":
			w.put(string(r.Line))
		case "insert":
			w.word("Inserts after it:")
			w.put(" <ins>")
			w.text(r.Text)
			w.put("</ins>")
		case "delete":
			w.put("<del>")
			w.word("Deletes it")
			w.put("</del>")
		default:
			w.text(w.l.T("Moves it after %s", r.Where))
		}
		w.put("</span></li>")
	}
	w.put("</ul>")
}

// segsHTML writes tracked changes as the "segs" template does (<ins>,
// <del>), made once in Go: the desk shows hundreds of them.
func segsHTML(segs []drafts.Segment) template.HTML {
	var w deskWriter
	w.segs(segs)
	return template.HTML(w.String())
}

func (w *deskWriter) segs(segs []drafts.Segment) {
	for _, s := range segs {
		switch s.Op {
		case drafts.SegInsert:
			w.put("<ins>")
			w.text(s.Text)
			w.put("</ins>")
		case drafts.SegDelete:
			w.put("<del>")
			w.text(s.Text)
			w.put("</del>")
		default:
			w.text(s.Text)
		}
	}
}
