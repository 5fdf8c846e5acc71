package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// BenchmarkDesk measures the merge desk and the compilation of a text of
// 300 provisions with 1,000 open proposals by ten delegations: the
// server's time per page (ns/op), the page's bytes as sent to a browser
// that accepts gzip (wire-KB) and uncompressed (raw-KB), and, where
// Debian's chromium is installed, the first contentful paint of the page
// over loopback (paint-ms, the median of five loads). The first load
// compiles the proposals (diffs them against the text: none has been
// seen since they were made) and the next ones find the compilation in
// the service's cache: first-ms is the first load's time and warm-ms the
// median of the others (ns/op is the mean of all). The server's CPU
// time per page (cpu-ms/op, the whole process: GC included, the browser
// not) is given too: on a machine shared with other work it says what
// ns/op would be alone. Goals: 150 KB on the wire, 100 ms of server
// time, 0.5 s to the first paint.
//
//	go test -run '^$' -bench BenchmarkDesk -benchtime 10x ./web/
func BenchmarkDesk(b *testing.B) {
	e := newEnv(b)
	f := newDeskFixture(b, e, 1000)
	pages := map[string]string{
		"merge-desk":  "/documents/" + f.doc.ID + "/merges/new",
		"compilation": "/documents/" + f.doc.ID + "/compilation",
	}
	for _, name := range []string{"merge-desk", "compilation"} {
		path := pages[name]
		b.Run(name, func(b *testing.B) {
			var raw, wire int
			var loads []float64
			cpu := cpuTime()
			for b.Loop() {
				start := time.Now()
				raw, wire = f.fetch(b, path)
				loads = append(loads, float64(time.Since(start))/1e6)
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(len(loads))/1e6, "cpu-ms/op")
			b.ReportMetric(loads[0], "first-ms")
			if len(loads) > 1 {
				b.ReportMetric(median(loads[1:]), "warm-ms")
			}
			b.ReportMetric(float64(raw)/1024, "raw-KB")
			b.ReportMetric(float64(wire)/1024, "wire-KB")
			if ms, ok := f.firstPaint(b, path); ok {
				b.ReportMetric(ms, "paint-ms")
			}
		})
	}
}

// cpuTime is the process's CPU time so far (user and system), which a
// machine shared with other work does not inflate as it does wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// fetch gets path as the chair, as a browser would (accepting gzip), and
// returns the page's size uncompressed and as sent.
func (f *deskFixture) fetch(tb testing.TB, path string) (raw, wire int) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(f.cookie)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	rec := httptest.NewRecorder()
	f.e.Handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		tb.Fatalf("GET %s: %d", path, rec.Code)
	}
	body := rec.Body.Bytes()
	wire = len(body)
	if rec.Header().Get("Content-Encoding") != "gzip" {
		return len(body), wire
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return len(plain), wire
}

// firstPaint loads path in headless chromium as the chair five times and
// returns the median first contentful paint in milliseconds; ok is false
// when chromium is not installed.
func (f *deskFixture) firstPaint(b *testing.B, path string) (float64, bool) {
	if _, err := os.Stat(chromiumPath); err != nil {
		b.Logf("no chromium (%s): no first paint", chromiumPath)
		return 0, false
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1366, 900))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, stop := context.WithTimeout(ctx, 2*time.Minute)
	defer stop()
	host := strings.TrimPrefix(f.e.URL, "http://")
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: f.cookie.Name, Value: f.cookie.Value,
			Domain: strings.Split(host, ":")[0], Path: "/"})
		return err
	})); err != nil {
		b.Fatalf("chromium: %v", err)
	}
	var paints []float64
	for i := 0; i < 5; i++ {
		if err := chromedp.Do(ctx, chromedp.Navigate(f.e.URL+path)); err != nil {
			b.Fatalf("loading %s: %v", path, err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
			`new Promise(r => { const f = () => { const e = performance.getEntriesByName('first-contentful-paint')[0]; if (e) r(e.startTime); else setTimeout(f, 20); }; f(); })`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatalf("first paint of %s: %v", path, err)
		}
		paints = append(paints, ms)
	}
	return median(paints), true
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}
