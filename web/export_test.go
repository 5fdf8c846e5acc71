package web

import (
	"html/template"
	"strings"

	"chancery/drafts"
)

// Russian is the Russian dictionary, all its blocks, for tests.
var Russian = func() map[string]string {
	all := map[string]string{}
	for _, block := range russianBlocks {
		for k, v := range block {
			all[k] = v
		}
	}
	return all
}()

// Actions names the audit trail's actions, for tests.
var Actions = func() map[string][2]string {
	all := map[string][2]string{}
	for _, m := range []map[string][2]string{actions, liveActions} {
		for k, v := range m {
			all[k] = v
		}
	}
	return all
}()

// OneLine and SegsHTML are the merge desk's one-line tracked change, for
// tests.
var (
	OneLine  = oneLine
	SegsHTML = segsHTML
)

// Sharing reports how part of page name may be shared (shared.go): shared
// at all, and under what the user may do.
func Sharing(name, part string) (shared, byLinks bool) {
	sh, ok := readSharing(parsePages())[name+"/"+part]
	return ok && !sh.never, sh.links
}

// SharingOfTemplate is sharingOf for a template of a test's own: shared
// at all, under what the user may do, under the reader's time zone.
func SharingOfTemplate(src string) (shared, byLinks, byZone bool) {
	t := template.Must(template.New("").Funcs(funcs).Parse(src))
	sh := sharingOf(t, "content")
	return !sh.never, sh.links, sh.zone
}

// DeskRows renders sample desk rows (hostile text among them) with
// deskWriter.rows and with the template markup it stands for, in language l.
func DeskRows(l string) (got, want string) {
	rows := []deskRow{
		{Op: "replace", Line: segsHTML([]drafts.Segment{{Op: drafts.SegEqual, Text: "All <b>"}, {Op: drafts.SegInsert, Text: "new & \"x\""}}), Cosponsors: "India (IN), <Japan> (JP) + 'x'",
			Picks: []deskPick{{ID: "p1", Name: `Proposal 1 (Kazakhstan "KZ")`, URL: "/documents/d/proposals/1", Box: "pick-1", Picked: true, Uncontested: true}, {ID: "p2", Name: "Proposal 2 (India)", URL: "/documents/d/proposals/2", Box: "pick-2-1"}}},
		{Op: "insert", Text: "6 bis. <script>alert(1)</script> & more + 'less'\x00", Picks: []deskPick{{ID: "p3", Name: "Proposal 3 (China)", URL: "/documents/d/proposals/3", Box: "pick-3"}}},
		{Op: "delete", Picks: []deskPick{{ID: "p4", Name: "Proposal 4 (Japan)", URL: "/documents/d/proposals/4", Box: "pick-4", Picked: true}}},
		{Op: "move", Where: "7 <a>", Picks: []deskPick{{ID: "p5", Name: "Proposal 5 (India)", URL: "/documents/d/proposals/5", Box: "pick-5"}}},
	}
	const markup = `<ul>{{range .Rows}}<li>{{range .Picks}}<input type="checkbox" id="{{.Box}}" name="proposals" value="{{.ID}}"{{if .Picked}} checked{{end}}{{if .Uncontested}} data-unc{{end}}> <label for="{{.Box}}">{{.Name}}</label> <a href="{{.URL}}">{{$.L.T "open"}}</a> {{end}}
{{with .Cosponsors}}<span class="cos">{{$.L.T "co-sponsored by %s" .}}</span>{{end}}
<span class="l">{{if eq .Op "replace"}}{{.Line}}{{else if eq .Op "insert"}}{{$.L.T "Inserts after it:"}} <ins>{{.Text}}</ins>{{else if eq .Op "delete"}}<del>{{$.L.T "Deletes it"}}</del>{{else}}{{$.L.T "Moves it after %s" .Where}}{{end}}</span></li>{{end}}</ul>`
	var b strings.Builder
	if err := template.Must(template.New("").Parse(markup)).Execute(&b, map[string]any{"Rows": rows, "L": Lang(l)}); err != nil {
		return "", err.Error()
	}
	w := newDeskWriter(Lang(l))
	w.rows(rows)
	return w.String(), b.String()
}

// deskGroupMarkup is the templates' markup that groupsHTML stands for
// (the rows, List, as DeskRows has them).
const deskGroupMarkup = `{{define "deskgroup"}}{{$g := .G}}{{$L := .L}}<section class="group st-{{$g.State}}" id="g-{{$g.P.ID}}" data-dels="{{$g.Codes}}">
<h3>{{$g.Label}} <span class="gs">{{if eq $g.State "uncontested"}}{{$L.T "Uncontested"}}{{else if eq $g.State "colliding"}}{{$L.T "Colliding"}}{{else}}{{$L.T "Several, compatible"}}{{end}}</span></h3>
{{.List}}
{{with $g.Collision}}{{template "collision" (dict "C" . "L" $L "G" $g)}}{{end}}
</section>{{end}}

{{define "collision"}}{{$c := .C}}{{$L := .L}}{{$id := $c.Provision}}<fieldset class="collision" id="col-{{$id}}"><legend>{{$L.T "Collision at %s: resolve it" .G.Label}}</legend>
<div class="competing">
<div class="side base"><h4>{{$L.T "Current text"}}</h4><p>{{$c.Base}}</p></div>
{{range $c.Sides}}<div class="side"><h4>{{.Names}}</h4><p class="sidetext">{{if .Deleted}}<del>{{$L.T "delete the provision"}}</del>{{else}}{{template "segs" .Segments}}{{end}}</p>
<p><button type="submit" name="action" value="start:{{$id}}:{{.Index}}" class="small" data-start="{{$id}}"{{if .Deleted}} data-delete="1"{{end}}>{{$L.T "Start from this text"}}<span class="vh"> — {{.Names}}</span></button></p></div>{{end}}
</div>
<div class="compromise">
<fieldset class="mode"><legend>{{$L.T "Your resolution"}}</legend>
<p><input type="radio" id="mode-{{$id}}-open" name="mode.{{$id}}" value=""{{if eq $c.Mode ""}} checked{{end}}> <label for="mode-{{$id}}-open">{{$L.T "Leave open for now"}}</label></p>
<p><input type="radio" id="mode-{{$id}}-text" name="mode.{{$id}}" value="text"{{if eq $c.Mode "text"}} checked{{end}}> <label for="mode-{{$id}}-text">{{$L.T "Use the compromise below"}}</label></p>
<p><input type="radio" id="mode-{{$id}}-delete" name="mode.{{$id}}" value="delete"{{if eq $c.Mode "delete"}} checked{{end}}> <label for="mode-{{$id}}-delete">{{$L.T "Delete the provision"}}</label></p>
</fieldset>
<p><label for="res-{{$id}}">{{$L.T "Compromise for %s" .G.Label}}</label><textarea id="res-{{$id}}" name="res.{{$id}}" rows="4">{{$c.Text}}</textarea></p>
</div>
</fieldset>{{end}}`

// DeskGroups renders sample desk groups (hostile text among them, a
// collision of each kind) with groupsHTML and with the template markup it
// stands for ("segs" as parts.html has it), in language l.
func DeskGroups(l string) (got, want string) {
	t := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/parts.html"))
	t = template.Must(t.Parse(deskGroupMarkup))
	nasty := "<b>\"x\" & 'y' + z\x00</b>"
	rows := []deskRow{{Op: "delete", Picks: []deskPick{{ID: "p+1", Name: "Proposal 1 " + nasty, URL: "/documents/d/proposals/1", Box: "pick-1"}}}}
	segs := []drafts.Segment{{Op: drafts.SegEqual, Text: "All " + nasty}, {Op: drafts.SegDelete, Text: "old'"}, {Op: drafts.SegInsert, Text: "new + \"x\""}}
	groups := []*deskGroup{
		{P: drafts.Provision{ID: "a1"}, Codes: "IN KZ", Label: "Paragraph 6 " + nasty, State: stateUncontested, Rows: rows},
		{P: drafts.Provision{ID: "a<2"}, Codes: "CN", Label: "Paragraph 7", State: stateCompatible, Rows: rows},
		{P: drafts.Provision{ID: "a'3"}, Codes: "IN JP", Label: "Paragraph 8 " + nasty, State: stateColliding, Rows: rows, Collision: &deskCollision{
			Provision: "a'3", Base: "Base " + nasty, Mode: "text", Text: "Compromise " + nasty,
			Sides: []deskSide{{Names: "India (IN) " + nasty, Segments: segs}, {Names: "Japan (JP)", Deleted: true, Index: 1}}}},
		{P: drafts.Provision{ID: "a4"}, Label: "Paragraph 9", State: stateColliding, Rows: rows, Collision: &deskCollision{Provision: "a4", Mode: "delete",
			Sides: []deskSide{{Names: "China (CN)", Segments: segs}}}},
		{P: drafts.Provision{ID: "a5"}, Label: "Paragraph 10", State: stateColliding, Rows: rows, Collision: &deskCollision{Provision: "a5", Text: "x"}},
	}
	var b strings.Builder
	for _, g := range groups {
		w := newDeskWriter(Lang(l))
		w.rows(g.Rows)
		if err := t.ExecuteTemplate(&b, "deskgroup", map[string]any{"G": g, "L": Lang(l), "List": template.HTML(w.String())}); err != nil {
			return "", err.Error()
		}
	}
	return string(groupsHTML(Lang(l), groups)), b.String()
}

// SharedParts is how many shared parts s keeps, for tests.
func SharedParts(s *Server) int { return s.shared.Len() }
