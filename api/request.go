package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// bind decodes a JSON body into v, a pointer to a struct of the request's
// fields. It is strict: a body sent as another type is a 415, one that is
// not JSON a 400; a field the request does not define, or one the server
// manages, or one given twice, is a 422 naming it; a value of the wrong kind (a date that is not
// a date, text for a number) is a 422 naming its field.
func bind(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return drafts.Errorf(drafts.EMEDIATYPE, "send the body as application/json (Content-Type: application/json)")
		}
	}
	body, err := readAllBody(c.Request().Body)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		// encoding/json would quietly turn invalid bytes into U+FFFD.
		at := 0
		for at < len(body) {
			r, size := utf8.DecodeRune(body[at:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			at += size
		}
		return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("request body is not valid UTF-8 (byte %d)", at),
			Fields: []drafts.FieldError{{Message: fmt.Sprintf("invalid UTF-8 at byte %d", at)}}}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return drafts.Errorf(drafts.EMALFORMED, "request body is empty; send a JSON object")
	}
	var raw json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return drafts.WrapError(drafts.EMALFORMED, err, "request body is not valid JSON (at byte %d)", se.Offset)
		}
		return drafts.WrapError(drafts.EMALFORMED, err, "request body is not valid JSON")
	}
	if dec.More() {
		return drafts.Errorf(drafts.EMALFORMED, "request body holds more than one JSON value")
	}
	if name, ok := duplicateKey(raw, ""); ok {
		// encoding/json would keep the last quietly: which one the client
		// meant is anyone's guess.
		return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("field %q is given twice; send it once", name),
			Fields: []drafts.FieldError{{Field: name, Message: "given twice"}}}
	}
	return decodeValue(raw, reflect.ValueOf(v).Elem(), "")
}

// duplicateKey returns the path ("operations[0].op") of the first key
// that an object in raw, valid JSON, has twice, if any.
func duplicateKey(raw json.RawMessage, path string) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil {
			return "", false
		}
		seen := map[string]bool{}
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return "", false
			}
			k, _ := t.(string)
			name := joinPath(path, k)
			if seen[k] {
				return name, true
			}
			seen[k] = true
			var value json.RawMessage
			if err := dec.Decode(&value); err != nil {
				return "", false
			}
			if name, ok := duplicateKey(value, name); ok {
				return name, true
			}
		}
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return "", false
		}
		for i, item := range items {
			if name, ok := duplicateKey(item, fmt.Sprintf("%s[%d]", path, i)); ok {
				return name, true
			}
		}
	}
	return "", false
}

// serverManaged are the names of fields the server sets: a client sending
// one is told so rather than that the field does not exist.
var serverManaged = map[string]bool{
	"id": true, "state": true, "head": true, "round": true, "adopted": true, "adopted_at": true, "adopted_by": true,
	"agreement": true, "created_at": true, "updated_at": true, "created_by": true, "author": true, "delegation": true,
	"status": true, "hash": true, "etag": true, "merged": true, "cosponsors": true, "comments": true, "seq": true,
	"token": true, "document": true, "number": true,
}

// refused lists, per type, fields that are in the type but that clients
// may not send (the server gives them).
var refused = map[reflect.Type]map[string]bool{
	reflect.TypeFor[drafts.Operation](): {"id": true},
}

// accepted lists, per request type that embeds a domain type, the only
// fields clients may send; the others are the server's, and so is any
// field the domain type gains until it is listed here.
var accepted = map[reflect.Type]map[string]bool{
	reflect.TypeFor[createDocumentRequest](): {"symbol": true, "title": true, "kind": true, "body": true,
		"language": true, "visibility": true, "text": true},
}

// takes reports whether a request of type t takes the field named key.
func takes(t reflect.Type, key string) bool {
	if refused[t][key] {
		return false
	}
	allowed, ok := accepted[t]
	return !ok || allowed[key]
}

// decodeValue decodes raw into v, refusing object keys v's struct types do
// not define, and naming the field (path, e.g. "operations[2].op") of any
// value that does not fit.
func decodeValue(raw json.RawMessage, v reflect.Value, path string) error {
	raw = bytes.TrimSpace(raw)
	t := v.Type()
	if bytes.Equal(raw, []byte("null")) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			return nil
		}
		if path == "" {
			return drafts.Errorf(drafts.EMALFORMED, "request body is null; send a JSON object")
		}
		return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("field %q: expected %s, not null", path, jsonKind(t)),
			Fields: []drafts.FieldError{{Field: path, Message: "expected " + jsonKind(t)}}}
	}
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && !implementsUnmarshaler(t) {
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return decodeValue(raw, v.Elem(), path)
	}
	switch {
	case t.Kind() == reflect.Struct && !implementsUnmarshaler(reflect.PointerTo(t)):
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return fieldValueError(path, err)
		}
		fields := jsonFields(t)
		// Report in a stable order: the body's order is lost in the map.
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			name := joinPath(path, k)
			idx, ok := fields[k]
			if !ok || !takes(t, k) {
				return unknownField(name, k)
			}
			if err := decodeValue(obj[k], v.FieldByIndex(idx), name); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return fieldValueError(path, err)
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeValue(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
		return fieldValueError(path, err)
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func implementsUnmarshaler(t reflect.Type) bool { return t.Implements(unmarshalerType) }

// jsonFields maps the JSON names of t's fields (embedded structs' fields
// promoted) to their indexes.
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, idx := range jsonFields(f.Type) {
				if _, ok := out[k]; !ok {
					out[k] = append([]int{i}, idx...)
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = []int{i}
	}
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// unknownField is the 422 for a field the request does not take.
func unknownField(path, key string) error {
	msg := "this request has no such field"
	if serverManaged[key] {
		msg = "the server sets this field; do not send it"
	}
	return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("field %q: %s", path, msg),
		Fields: []drafts.FieldError{{Field: path, Message: msg}}}
}

// fieldValueError is the 422 for a value that does not fit its field.
func fieldValueError(path string, err error) error {
	want := "a value of another kind"
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.Is(err, errProposalRef):
		want = errProposalRef.Error()
	case errors.As(err, &pe):
		want = "a date and time in RFC 3339 form, e.g. 2026-12-01T17:00:00Z"
	case errors.As(err, &te):
		want = jsonKind(te.Type)
	case strings.Contains(err.Error(), "Time.UnmarshalJSON"):
		want = "a date and time in RFC 3339 form, e.g. 2026-12-01T17:00:00Z"
	}
	if path == "" {
		return &drafts.Error{Code: drafts.EINVALID, Message: "request body: expected " + want, Err: err}
	}
	return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("field %q: expected %s", path, want), Err: err,
		Fields: []drafts.FieldError{{Field: path, Message: "expected " + want}}}
}

// jsonKind says in words what JSON a Go type takes.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "a value of another kind"
}

// versionParam reads a version number path or query parameter. Only the
// canonical decimal form names a version: "01" and "+1" are not version 1.
func versionParam(c echo.Context, name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || strconv.Itoa(n) != v {
		return 0, drafts.Errorf(drafts.ENOTFOUND, "%s: no version %q", name, v)
	}
	return n, nil
}

// sinceParam reads ?since=: a sequence number (canonical decimal) or an
// RFC 3339 time.
func sinceParam(v string) (drafts.EventsSince, error) {
	if v == "" {
		return drafts.EventsSince{}, nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 && strconv.FormatInt(n, 10) == v {
		return drafts.EventsSince{Seq: n}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return drafts.EventsSince{Time: t}, nil
	}
	return drafts.EventsSince{}, &drafts.Error{Code: drafts.EINVALID,
		Message: "since: an event's sequence number (e.g. 42) or an RFC 3339 time (e.g. 2026-12-01T17:00:00Z)",
		Fields:  []drafts.FieldError{{Field: "since", Message: "a sequence number or an RFC 3339 time"}}}
}

// listOptions reads ?limit=&cursor=.
func listOptions(c echo.Context) (drafts.ListOptions, error) {
	opt := drafts.ListOptions{Cursor: c.QueryParam("cursor")}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return opt, &drafts.Error{Code: drafts.EMALFORMED, Message: "limit: a whole number from 1 to 500",
				Fields: []drafts.FieldError{{Field: "limit", Message: "1 to 500"}}}
		}
		opt.Limit = n
	}
	return opt, nil
}

// ifMatch returns the client's If-Match ETag, unquoted ("" if none).
func ifMatch(c echo.Context) string {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if v == "*" {
		return ""
	}
	v = strings.TrimPrefix(v, "W/")
	if u, err := strconv.Unquote(v); err == nil {
		return u
	}
	return v
}

func readAllBody(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		if e := bodyError(err); e != nil {
			return nil, e
		}
		return nil, drafts.WrapError(drafts.EMALFORMED, err, "could not read the request body")
	}
	return data, nil
}

// bodyError maps a body over the size limit to ETOOLARGE.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return drafts.Errorf(drafts.ETOOLARGE, "request body too large")
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	return nil
}

// queryVersion reads the version number of the query parameter name, def
// when the request gives none.
func queryVersion(c echo.Context, name string, def int) (int, error) {
	q := c.QueryParam(name)
	if q == "" {
		return def, nil
	}
	return versionParam(c, name, q)
}

// diffVersions reads the two versions of a diff: the path's (:n) and
// ?against=, by default the one before it.
func diffVersions(c echo.Context) (n, against int, err error) {
	if n, err = versionParam(c, "version", c.Param("n")); err != nil {
		return 0, 0, err
	}
	against, err = queryVersion(c, "against", n-1)
	return n, against, err
}
