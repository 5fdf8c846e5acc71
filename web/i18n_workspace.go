package web

// russianWorkspace is the Russian of the workspace's editing in place, merge
// desk, confirmations and messages (issue 23).
var russianWorkspace = map[string]string{}
