package harness

import (
	"log"
	"strings"
)

// Check ends the program with err's message if err is not nil.
func Check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// Selected reports whether only, a comma-separated list (empty: all),
// selects name: match(name, item) for one of its items.
func Selected(only, name string, match func(name, item string) bool) bool {
	if only == "" {
		return true
	}
	for _, item := range strings.Split(only, ",") {
		if item != "" && match(name, item) {
			return true
		}
	}
	return false
}
