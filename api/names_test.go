package api_test

import (
	"net/http"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestNamesAndFieldsBounded: a name or a title with a control character
// (NUL, BEL, ESC, a line break) is refused with a 422 naming the field,
// and so is an over-long value of any field of a user, a delegation or a
// document: nothing of it is stored, or copied into a token's record.
func TestNamesAndFieldsBounded(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	huge := strings.Repeat("S", 1536<<10)
	doc := func(field, value string) map[string]any {
		d := map[string]any{"symbol": "N/1", "title": "Title", "kind": "other", "body": "SWG", "language": "en", "visibility": "members", "text": "1. One.\n"}
		d[field] = value
		return d
	}
	cases := []struct {
		name, path, who, field string
		body                   map[string]any
	}{
		{"delegation name with NUL", "/v1/delegations", "secretariat", "name", map[string]any{"id": "ZZ", "name": "Zed\x00land", "status": "member"}},
		{"delegation name with BEL", "/v1/delegations", "secretariat", "name", map[string]any{"id": "ZZ", "name": "Zed\x07land", "status": "member"}},
		{"delegation name of 1.5 MB", "/v1/delegations", "secretariat", "name", map[string]any{"id": "ZZ", "name": huge, "status": "member"}},
		{"user name with ESC", "/v1/users", "secretariat", "name", map[string]any{"name": "Ann\x1b[31m", "role": "delegate", "delegation": "KZ"}},
		{"user name on two lines", "/v1/users", "secretariat", "name", map[string]any{"name": "Ann\nBob", "role": "delegate", "delegation": "KZ"}},
		{"user body of 1.5 MB", "/v1/users", "secretariat", "body", map[string]any{"name": "Ann", "role": "chair", "body": huge}},
		{"user delegation of 1.5 MB", "/v1/users", "secretariat", "delegation", map[string]any{"name": "Ann", "role": "delegate", "delegation": huge}},
		{"document title with NUL", "/v1/documents", "chair", "title", doc("title", "Road\x00map")},
		{"document title with ESC", "/v1/documents", "chair", "title", doc("title", "Road\x1bmap")},
		{"document title of 1.5 MB", "/v1/documents", "chair", "title", doc("title", huge)},
		{"document symbol of 1.5 MB", "/v1/documents", "chair", "symbol", doc("symbol", huge)},
		{"document body of 1.5 MB", "/v1/documents", "secretariat", "body", doc("body", huge)},
		{"document language of 1.5 MB", "/v1/documents", "chair", "language", doc("language", huge)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", c.path, c.who, c.body)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %.300s", r.Status, r.Body)
			}
			var p struct {
				Errors []drafts.FieldError `json:"errors"`
			}
			r.JSON(&p)
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Fatalf("problem %s, want the field %q named", r.Body, c.field)
			}
			if len(r.Body) > 4096 {
				t.Errorf("the problem repeats the value: %d bytes", len(r.Body))
			}
		})
	}
	// Nothing was stored: no delegation ZZ, no user named Ann.
	e.do("GET", "/v1/delegations/ZZ", "secretariat", nil).MustStatus(http.StatusNotFound)
	var users struct {
		Items []drafts.User `json:"items"`
	}
	e.mustJSON(http.StatusOK, &users, "GET", "/v1/users?limit=500", "secretariat", nil)
	for _, u := range users.Items {
		if strings.HasPrefix(u.Name, "Ann") {
			t.Errorf("user %q was stored", u.Name)
		}
	}
	// Names in any script, with right-to-left marks, are names.
	e.mustJSON(http.StatusCreated, nil, "POST", "/v1/delegations", "secretariat", map[string]any{"id": "EG", "name": "مصر\u200f (Egypt)", "status": "observer"})
	e.mustJSON(http.StatusCreated, nil, "POST", "/v1/users", "secretariat", map[string]any{"name": "Ерлан Қасымов", "role": "chair", "body": "SOC"})
}
