package web

// Russian is the Russian dictionary, every block in one, for tests.
var Russian = func() map[string]string {
	all := map[string]string{}
	for _, b := range russianBlocks {
		for k, v := range b {
			if _, ok := all[k]; !ok {
				all[k] = v
			}
		}
	}
	return all
}()

// Actions names the audit trail's actions, for tests.
var Actions = actions

// OneLine and SegsHTML are the merge desk's one-line tracked change, for
// tests.
var (
	OneLine  = oneLine
	SegsHTML = segsHTML
)
