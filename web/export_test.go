package web

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
