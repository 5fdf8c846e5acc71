// Package apitest is a client for tests of the HTTP API that checks every
// request and response against the OpenAPI document (api.OpenAPI), so that
// the document and the server cannot drift apart unnoticed.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"chancery/api"
)

// rawContentTypes are the non-JSON media types the API answers with; the
// validator takes their bodies as plain strings.
var rawContentTypes = []string{"text/plain", "text/html", "application/pdf", "text/javascript", "text/event-stream", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/svg+xml"}

var registerDecoders sync.Once

// Document parses and validates api.OpenAPI, failing tb if it is not a
// valid OpenAPI 3 document. It is parsed once per test binary (a second
// under the race detector on a busy machine, which tests with a short
// deadline, such as a silence procedure's, cannot spare for every client)
// and shared: read only.
func Document(tb testing.TB) *openapi3.T {
	tb.Helper()
	p := parsed()
	if p.err != nil {
		tb.Fatal(p.err)
	}
	return p.doc
}

// openapiDoc is the OpenAPI document with its router, or why it is not
// usable.
type openapiDoc struct {
	doc    *openapi3.T
	router routers.Router
	err    error
}

// parsed is the OpenAPI document and its router, made once.
var parsed = sync.OnceValue(func() openapiDoc {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		return openapiDoc{err: fmt.Errorf("openapi.json: %w", err)}
	}
	if err := doc.Validate(loader.Context); err != nil {
		return openapiDoc{err: fmt.Errorf("openapi.json is not valid OpenAPI 3: %w", err)}
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return openapiDoc{err: fmt.Errorf("openapi.json: router: %w", err)}
	}
	return openapiDoc{doc: doc, router: router}
})

// Client sends requests to a server under test. Its HTTP client checks every
// exchange against the OpenAPI document and reports a mismatch with
// tb.Errorf, naming the method, path, status and what does not match.
type Client struct {
	// HTTP is the validating client; use it directly for requests Do cannot
	// express.
	HTTP *http.Client
	// BaseURL is the server's address, e.g. "http://127.0.0.1:41234".
	BaseURL string

	tb testing.TB
}

// NewClient returns a validating client of the server at baseURL.
func NewClient(tb testing.TB, baseURL string) *Client {
	tb.Helper()
	return &Client{
		HTTP:    &http.Client{Transport: NewTransport(tb, http.DefaultTransport)},
		BaseURL: strings.TrimSuffix(baseURL, "/"),
		tb:      tb,
	}
}

// NewTransport returns a RoundTripper that sends requests through next and
// checks each request and its response against the OpenAPI document,
// reporting mismatches with tb.Errorf.
//
// A response must always match. A request that does not match is reported
// only when the server accepts it (a status below 400): tests may send
// invalid requests on purpose to see the server refuse them, and then the
// document and the server agree.
func NewTransport(tb testing.TB, next http.RoundTripper) http.RoundTripper {
	tb.Helper()
	registerDecoders.Do(func() {
		raw := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			data, err := io.ReadAll(body)
			return string(data), err
		}
		for _, ct := range rawContentTypes {
			openapi3filter.RegisterBodyDecoder(ct, raw)
		}
	})
	p := parsed()
	if p.err != nil {
		tb.Fatal(p.err)
	}
	return &transport{tb: tb, next: next, doc: p.doc, router: p.router}
}

// transport is the validating RoundTripper.
type transport struct {
	tb     testing.TB
	next   http.RoundTripper
	doc    *openapi3.T
	router routers.Router
	mu     sync.Mutex // serialises validation: the document is shared
}

// RoundTrip implements http.RoundTripper: it reads the request body, sends
// a copy of the request, reads the response in full and checks both.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	send := req
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		reqBody, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		send = req.Clone(req.Context())
		send.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	res, err := t.next.RoundTrip(send)
	if err != nil {
		return nil, err
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	if err := t.check(req, reqBody, res, resBody); err != nil {
		t.tb.Errorf("openapi: %s %s → %d: %v", req.Method, req.URL.RequestURI(), res.StatusCode, err)
	}
	return res, nil
}

// check validates one exchange. The request is a copy with its body
// restored, so that validation does not disturb the caller's.
func (t *transport) check(req *http.Request, reqBody []byte, res *http.Response, resBody []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	ctx := context.Background()
	r := req.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	head := req.Method == http.MethodHead
	if head {
		// HEAD is GET without the body: it is checked against the GET
		// operation, headers and status only.
		if len(resBody) > 0 {
			return fmt.Errorf("a HEAD response has a body of %d bytes", len(resBody))
		}
		r.Method = http.MethodGet
	}
	route, params, err := t.router.FindRoute(r)
	if err != nil {
		// Not in the document: the server must refuse it with a problem.
		if res.StatusCode < 400 {
			return fmt.Errorf("route not in the document (%v), yet the server answered it", err)
		}
		return t.checkProblem(req, res, resBody)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
		ExcludeResponseBody:   head,
	}
	opts.WithCustomSchemaErrorFunc(schemaError)
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && res.StatusCode < 400 {
		return fmt.Errorf("the server accepted a request the document forbids: %v", err)
	}
	if res.StatusCode < 400 && route.Operation.Responses.Status(res.StatusCode) == nil {
		return fmt.Errorf("status %d is not documented for this operation", res.StatusCode)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(resBody)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("response: %v", err)
	}
	return nil
}

// schemaError says where a value does not match and why, with the value,
// instead of kin-openapi's dump of the whole schema.
func schemaError(err *openapi3.SchemaError) string {
	value, _ := json.Marshal(err.Value)
	if len(value) > 200 {
		value = append(value[:200], "..."...)
	}
	return fmt.Sprintf("at /%s: %s (value %s)", strings.Join(err.JSONPointer(), "/"), err.Reason, value)
}

// checkProblem validates a response to a route the document lacks: it
// must be a problem+json body.
func (t *transport) checkProblem(req *http.Request, res *http.Response, body []byte) error {
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		return fmt.Errorf("error response has Content-Type %q, want application/problem+json", ct)
	}
	if req.Method == http.MethodHead {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("problem body is not JSON: %v", err)
	}
	if err := t.doc.Components.Schemas["Problem"].Value.VisitJSON(v); err != nil {
		return fmt.Errorf("problem body: %v", err)
	}
	return nil
}

// Do sends a request to path (e.g. "/v1/me") with the bearer token (none if
// token is "") and returns the response, read in full. body is sent as JSON,
// except a string or []byte, sent as it is (still labelled
// application/json: for malformed bodies); nil sends no body. headers are
// name, value pairs, set last (so they may replace Content-Type). A
// transport failure fails the test.
func (c *Client) Do(method, path, token string, body any, headers ...string) *Response {
	c.tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.tb.Fatalf("%s %s: encoding the body: %v", method, path, err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.BaseURL+path, rd)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", method, path, err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if len(headers)%2 != 0 {
		c.tb.Fatalf("%s %s: headers must come in name, value pairs", method, path)
	}
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.tb.Fatalf("%s %s: reading the response: %v", method, path, err)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: data, tb: c.tb, what: method + " " + path}
}

// Response is a response read in full.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers.
	Header http.Header
	// Body is the raw body.
	Body []byte

	tb   testing.TB
	what string // "METHOD path", for messages
}

// MustStatus fails the test, showing the body, unless the status is want.
// It returns r for chaining.
func (r *Response) MustStatus(want int) *Response {
	r.tb.Helper()
	if r.Status != want {
		r.tb.Fatalf("%s: status %d, want %d: %s", r.what, r.Status, want, r.Body)
	}
	return r
}

// JSON decodes the body into v, failing the test if it cannot. It returns r
// for chaining.
func (r *Response) JSON(v any) *Response {
	r.tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.tb.Fatalf("%s: decoding the %d response: %v: %s", r.what, r.Status, err, r.Body)
	}
	return r
}
