package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHostileRequests sends each hostile request of issue 10 and checks
// the status, that the answer is a problem, and that no body names storage
// (texts/, documents/, directory/). Nothing they send changes storage,
// except where the request is refused after the change it asks for
// (none here).
func TestHostileRequests(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, v1 := e.document(corpus(t, "sample-draft-road-map.txt"), "members")
	p0, p1 := v1.Provisions[0], v1.Provisions[1]
	prop := e.propose(doc, "KZ", 1, replace(p0.ID, "Changed."))
	e.mustJSON(http.StatusCreated, nil, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop}})
	newDoc := map[string]any{"symbol": "S/2", "title": "T", "kind": "other", "body": "SWG", "language": "en", "visibility": "members", "text": "1. A."}
	with := func(k string, v any) map[string]any {
		out := map[string]any{k: v}
		for kk, vv := range newDoc {
			out[kk] = vv
		}
		return out
	}
	tests := []struct {
		name, method, path, who string
		body                    any
		headers                 []string
		want                    int
	}{
		{"server-managed round with a path", "POST", "/v1/documents", "chair", with("round", "../../../directory/tokens/boot"), nil, 422},
		{"server-managed id with a path", "POST", "/v1/documents", "chair", with("id", "../texts/x"), nil, 422},
		{"server-managed head", "POST", "/v1/documents", "chair", with("head", 99), nil, 422},
		{"a symbol another document has", "POST", "/v1/documents", "chair", map[string]any{"symbol": "cica/swg/2026/r.1", "title": "T", "kind": "other", "body": "SWG", "language": "en", "visibility": "members", "text": "1. A."}, nil, 409},
		{"a typo in a field", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 2, "justfication": "x", "operations": []map[string]string{replace(p1.ID, "Y.")}}, nil, 422},
		{"a provision id chosen by the client", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 2, "operations": []map[string]string{{"op": "insert", "after": p1.ID, "text": "New.", "id": "../../directory/x"}}}, nil, 422},
		{"malformed date", "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "silence", "deadline": "soon"}, nil, 422},
		{"silence for a year", "POST", docPath(doc, "/adoption"), "chair", map[string]any{"version": 2, "procedure": "silence", "deadline": time.Now().AddDate(1, 0, 0).UTC()}, nil, 422},
		{"a proposal that changes nothing", "POST", docPath(doc, "/proposals"), "KZ", map[string]any{"base": 2, "operations": []map[string]string{replace(p1.ID, p1.Text)}}, nil, 422},
		{"status of a superseded version", "PUT", docPath(doc, "/versions/1/provisions/", p1.ID, "/status"), "chair", map[string]string{"status": "agreed"}, nil, 409},
		{"version 01", "GET", docPath(doc, "/versions/01"), "KZ", nil, nil, 404},
		{"version +1", "GET", docPath(doc, "/versions/+1"), "KZ", nil, nil, 404},
		{"against 01", "GET", docPath(doc, "/versions/2/pdf?against=01"), "KZ", nil, nil, 404},
		{"wrong method", "DELETE", docPath(doc), "KZ", nil, nil, 405},
		{"wrong method on a list", "PATCH", "/v1/documents", "KZ", nil, nil, 405},
		{"an Accept nothing meets", "GET", docPath(doc), "KZ", nil, []string{"Accept", "application/pdf"}, 406},
		{"an Accept of images", "GET", docPath(doc, "/versions/2/pdf"), "KZ", nil, []string{"Accept", "image/png"}, 406},
		{"a document id that is a path", "GET", "/v1/documents/..%2F..%2Fdirectory%2Ftokens", "KZ", nil, nil, 404},
		{"a document id naming storage", "GET", "/v1/documents/directory", "KZ", nil, nil, 404},
		{"a proposal id that is a path", "GET", docPath(doc, "/proposals/..%2F..%2F..%2Fdirectory%2Fusers"), "KZ", nil, nil, 404},
		{"a cursor that is a path", "GET", docPath(doc, "/proposals?cursor=../../directory/tokens/"), "KZ", nil, nil, 400},
		{"since that is a path", "GET", docPath(doc, "/events?since=../texts/"), "KZ", nil, nil, 422},
		{"a token that is a path", "GET", "/v1/me", "", nil, []string{"Authorization", "Bearer chy_../../directory/tokens/x_y"}, 401},
		{"not JSON", "POST", docPath(doc, "/proposals"), "KZ", "{\"base\": 2, ", nil, 400},
		{"a field given twice", "POST", docPath(doc, "/proposals"), "KZ", `{"base": 2, "text": "1. X.", "text": "1. Y."}`, nil, 422},
		{"a field given twice in an operation", "POST", docPath(doc, "/proposals"), "KZ", `{"base": 2, "operations": [{"op": "replace", "provision": "` + p1.ID + `", "text": "Y.", "text": "Z."}]}`, nil, 422},
		{"two JSON values", "POST", docPath(doc, "/proposals"), "KZ", "{} {}", nil, 400},
		{"a body of another type", "POST", docPath(doc, "/proposals"), "KZ", "<xml/>", []string{"Content-Type", "application/xml"}, 415},
		{"JSON sent as plain text", "POST", docPath(doc, "/proposals"), "KZ", `{"base": 2, "text": "1. X."}`, []string{"Content-Type", "text/plain"}, 415},
		{"a body over the limit", "POST", docPath(doc, "/versions"), "chair", map[string]any{"base": 2, "text": strings.Repeat("word ", 2000000)}, nil, 413},
		{"an observer on a members-only text", "GET", docPath(doc), "observer", nil, nil, 404},
		{"an observer breaking silence", "POST", docPath(doc, "/adoption/objection"), "observer", map[string]string{"reason": "x"}, nil, 404},
	}
	before := storeKeys(t, e.store)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.do(tt.method, tt.path, tt.who, tt.body, tt.headers...)
			if resp.Status != tt.want {
				t.Fatalf("status %d, want %d: %s", resp.Status, tt.want, resp.Body)
			}
			problemOf(t, resp.Status, resp.Header, resp.Body)
			if w := leaks(resp.Body); w != "" {
				t.Errorf("the body names storage (%s): %s", w, resp.Body)
			}
		})
	}
	if after := storeKeys(t, e.store); !equalKeysIgnoringEvents(before, after) {
		t.Fatalf("hostile requests changed storage:\nbefore %v\nafter  %v", before, after)
	}
}
