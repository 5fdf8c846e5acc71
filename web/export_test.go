package web

import "html/template"

// Russian is the Russian dictionary, for tests.
var Russian = russian

// Actions names the audit trail's actions, for tests.
var Actions = actions

// Sharing reports how part of page name may be shared (shared.go): shared
// at all, and under what the user may do.
func Sharing(name, part string) (shared, byLinks bool) {
	sh, ok := readSharing(parsePages())[name+"/"+part]
	return ok && !sh.never, sh.links
}

// SharingOfTemplate is sharingOf for a template of a test's own.
func SharingOfTemplate(src string) (shared, byLinks bool) {
	t := template.Must(template.New("").Funcs(funcs).Parse(src))
	sh := sharingOf(t, "content")
	return !sh.never, sh.links
}
