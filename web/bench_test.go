package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

// bigText returns a text of n numbered provisions of about 500 bytes,
// with a heading every ten.
func bigText(n int) string {
	var b strings.Builder
	words := strings.Fields("the member states shall cooperate in the field of confidence building measures and report annually to the senior officials committee on the implementation of the catalogue in their priority areas taking into account the decisions of the summits")
	for i := 1; i <= n; i++ {
		if i%10 == 1 {
			fmt.Fprintf(&b, "# Cluster %d\n\n", i/10+1)
		}
		fmt.Fprintf(&b, "%d.", i)
		for w := 0; w < 70; w++ {
			fmt.Fprintf(&b, " %s", words[(i*7+w)%len(words)])
		}
		b.WriteString(".\n\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// bigFixture is a 300-provision document with 200 open proposals by two
// delegations, and a signed-in chair's session cookie.
type bigFixture struct {
	e      *env
	doc    string
	cookie *http.Cookie
	csrf   string
	// delegate is a session of KZ's delegate: a reader of the room.
	delegate *http.Cookie
}

func newBigFixture(tb testing.TB) *bigFixture {
	tb.Helper()
	e := newEnv(tb)
	// As serve does (5 s there): a page's visit is kept and stored later
	// for all the visits of those seconds, not by the page.
	e.svc.VisitDelay = time.Hour
	chair := e.as("chair")
	d, v, err := e.svc.CreateDocument(chair, &drafts.Document{Symbol: "B/300", Title: "Bench", Kind: "other", Body: "SWG", Language: "en", Visibility: "members"}, bigText(300))
	if err != nil {
		tb.Fatal(err)
	}
	who := []context.Context{e.as("KZ"), e.as("IN")}
	proposeBig(tb, e, d.ID, v, who, 0, 200)
	ses, plain, err := e.svc.CreateSession(chair, "", time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	_, kz, err := e.svc.CreateSession(who[0], "", time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	return &bigFixture{e: e, doc: d.ID, cookie: &http.Cookie{Name: "chancery_session", Value: plain}, csrf: ses.CSRF,
		delegate: &http.Cookie{Name: "chancery_session", Value: kz}}
}

// proposeBig makes proposals from to from+n-1 on version v of doc, the
// k-th by who[k%len(who)]: each the k*7-th paragraph (modulo their
// number) with its third word changed.
func proposeBig(tb testing.TB, e *env, doc string, v *drafts.Version, who []context.Context, from, n int) {
	tb.Helper()
	var paras []drafts.Provision
	for _, p := range v.Provisions {
		if p.Kind == drafts.KindParagraph {
			paras = append(paras, p)
		}
	}
	for k := from; k < from+n; k++ {
		p := paras[(k*7)%len(paras)]
		words := strings.Fields(p.Text)
		words[2] = fmt.Sprintf("amended%d", k)
		if _, err := e.svc.CreateProposal(who[k%len(who)], doc, drafts.ProposalInput{Base: v.Number, Justification: fmt.Sprintf("Reason %d for the change.", k),
			Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: p.ID, Text: strings.Join(words, " ")}}}); err != nil {
			tb.Fatal(err)
		}
	}
}

func (f *bigFixture) get(tb testing.TB, path string) string {
	return f.getAs(tb, f.cookie, path)
}

// getAs is get in the session of cookie, compressed as a browser asks.
func (f *bigFixture) getAs(tb testing.TB, cookie *http.Cookie, path string) string {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookie)
	if cookie == f.delegate {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	rec := httptest.NewRecorder()
	f.e.Handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		tb.Fatalf("GET %s: %d", path, rec.Code)
	}
	return rec.Body.String()
}

// BenchmarkPages measures the server time of the compilation page and the
// merge desk for a 300-provision text with 200 open proposals, on the
// local directory (target: 150 ms or less).
func BenchmarkPages(b *testing.B) {
	f := newBigFixture(b)
	for _, page := range []string{"compilation", "merges/new", ""} {
		name := page
		if name == "" {
			name = "document"
		}
		b.Run(strings.ReplaceAll(name, "/", "-"), func(b *testing.B) {
			path := strings.TrimSuffix("/documents/"+f.doc+"/"+page, "/")
			var size int
			for b.Loop() {
				size = len(f.get(b, path))
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
		})
	}
	// A delegate's pages, as the room loads them (compressed), nothing
	// changed since the last reader: what each reader's view costs.
	for _, page := range []string{"compilation", ""} {
		name := page
		if name == "" {
			name = "document"
		}
		b.Run("delegate-"+name, func(b *testing.B) {
			path := strings.TrimSuffix("/documents/"+f.doc+"/"+page, "/")
			var size int
			for b.Loop() {
				size = len(f.getAs(b, f.delegate, path))
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
		})
	}
	// The merge desk's preview of all 200 proposals merged.
	b.Run("merge-preview-200", func(b *testing.B) {
		page, err := f.e.svc.ListProposals(f.e.as("chair"), f.doc, drafts.ProposalFilter{Status: "open"}, drafts.ListOptions{Limit: 500})
		if err != nil {
			b.Fatal(err)
		}
		form := url.Values{"csrf": {f.csrf}, "base": {"1"}, "action": {"preview"}}
		for _, p := range page.Items {
			form.Add("proposals", p.ID)
		}
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, "/documents/"+f.doc+"/merges", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(f.cookie)
			rec := httptest.NewRecorder()
			f.e.Handler.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("merge preview: %d", rec.Code)
			}
		}
	})
}

var (
	tags       = regexp.MustCompile(`<[^>]*>`)
	whitespace = regexp.MustCompile(`\s+`)
)

// markupWeight is what a page weighs without its text: the bytes of its
// tags and attributes (text content and the whitespace between tags left
// out).
func markupWeight(html string) int {
	n := 0
	for _, t := range tags.FindAllString(html, -1) {
		n += len(t)
	}
	return n
}

// TestPageWeight: the compilation page and the merge desk for 300
// provisions and 200 open proposals weigh at most 100 KB without their
// text, style sheet included.
func TestPageWeight(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 200 proposals")
	}
	f := newBigFixture(t)
	css := f.get(t, "/static/style.css")
	for _, page := range []string{"compilation", "merges/new", ""} {
		html := f.get(t, strings.TrimSuffix("/documents/"+f.doc+"/"+page, "/"))
		weight := markupWeight(html) + len(css)
		text := len(whitespace.ReplaceAllString(tags.ReplaceAllString(html, " "), " "))
		t.Logf("/%s: %d KB in all, %d KB without the text (markup %d KB + style sheet %d KB), text %d KB",
			page, len(html)/1024, weight/1024, markupWeight(html)/1024, len(css)/1024, text/1024)
		if weight > 100*1024 {
			t.Errorf("/%s weighs %d KB without its text; the limit is 100 KB", page, weight/1024)
		}
	}
}
