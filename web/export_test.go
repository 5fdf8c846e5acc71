package web

import "html/template"

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
