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
// rowsHTML and with the template markup it stands for, in language l.
func DeskRows(l string) (got, want string) {
	rows := []deskRow{
		{Op: "replace", Line: segsHTML([]drafts.Segment{{Op: drafts.SegEqual, Text: "All <b>"}, {Op: drafts.SegInsert, Text: "new & \"x\""}}), Cosponsors: "India (IN), <Japan> (JP)",
			Picks: []deskPick{{ID: "p1", Name: `Proposal 1 (Kazakhstan "KZ")`, URL: "/documents/d/proposals/1", Box: "pick-1", Picked: true, Uncontested: true}, {ID: "p2", Name: "Proposal 2 (India)", URL: "/documents/d/proposals/2", Box: "pick-2-1"}}},
		{Op: "insert", Text: "6 bis. <script>alert(1)</script> & more", Picks: []deskPick{{ID: "p3", Name: "Proposal 3 (China)", URL: "/documents/d/proposals/3", Box: "pick-3"}}},
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
	return string(rowsHTML(Lang(l), rows)), b.String()
}
