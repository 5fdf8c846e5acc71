package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"chancery/drafts"
)

// chromiumPath is Debian's chromium, which test.sh installs.
const chromiumPath = "/usr/bin/chromium"

// needTool skips a test whose tool is missing, or fails it under CI=true.
func needTool(t *testing.T, what, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (%s): run ./test.sh, which installs it", what, path)
		}
		t.Skipf("%s is missing (%s); ./test.sh installs it", what, path)
	}
}

// axePath is axe-core's axe.min.js, which test.sh installs with npm.
func axePath() string {
	if p := os.Getenv("CHANCERY_AXE"); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "chancery", "npm", "node_modules", "axe-core", "axe.min.js")
}

// tab is a headless chromium tab, signed in as one user at a time, that
// runs axe-core on every page it shows and saves a screenshot when its
// test fails.
type tab struct {
	t     *testing.T
	e     *env
	ctx   context.Context
	axe   string
	shots string // folder for screenshots of every page, "" for none
	lang  string
	seq   int
	// Pages lists the pages visited (paths), for the screenshot pass.
	Pages []string
}

func newTab(t *testing.T, e *env) *tab {
	t.Helper()
	needTool(t, "chromium", chromiumPath)
	needTool(t, "axe-core", axePath())
	axe, err := os.ReadFile(axePath())
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1200, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	tb := &tab{t: t, e: e, ctx: ctx, axe: string(axe), shots: os.Getenv("CHANCERY_WEB_SCREENSHOTS"), lang: "en"}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Registered after the browser's cleanup, so it runs before it.
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		dir := os.Getenv("CHANCERY_WEB_FAILURES")
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "chancery-web-failures")
		}
		_ = os.MkdirAll(dir, 0o755)
		sctx, c := context.WithTimeout(ctx, 10*time.Second)
		defer c()
		if buf, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)); err == nil {
			name := filepath.Join(dir, safeName(t.Name())+".png")
			if err := os.WriteFile(name, buf, 0o644); err == nil {
				t.Logf("screenshot of the failing page: %s", name)
			}
		}
	})
	return tb
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func safeName(s string) string { return unsafe.ReplaceAllString(s, "_") }

// run runs steps with a time limit.
func (b *tab) run(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// load runs steps that load a page (navigating or submitting a form) and
// returns the page's HTTP status; then it checks the page with axe.
func (b *tab) load(name string, steps ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.t.Fatalf("browser: loading %s: %v", name, err)
	}
	b.checkAxe(name)
	b.shot(name)
	return resp.Status
}

// visit opens a path of the site and returns the HTTP status.
func (b *tab) visit(path string) int64 {
	b.t.Helper()
	b.Pages = append(b.Pages, path)
	return b.load(path, chromedp.Navigate(b.e.URL+path))
}

// submit clicks a form's button and returns the status of the page it
// loads.
func (b *tab) submit(button string) int64 {
	b.t.Helper()
	return b.load("after "+button, chromedp.Click(chromedp.CSS(button)))
}

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAxe runs axe-core on the page and fails on serious or critical
// violations of WCAG 2.1 A and AA.
func (b *tab) checkAxe(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
		b.t.Fatalf("injecting axe: %v", err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("running axe: %v", err)
	}
	if testing.Verbose() {
		b.t.Logf("axe on %s: %d violations of any impact", name, len(vs))
	}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("axe on %s: %s (%s): %s at %v", name, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

// shot saves a full-page screenshot when CHANCERY_WEB_SCREENSHOTS names a
// folder.
func (b *tab) shot(name string) {
	if b.shots == "" {
		return
	}
	_ = os.MkdirAll(b.shots, 0o755)
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.seq++
	file := filepath.Join(b.shots, fmt.Sprintf("%s-%s-%03d-%s.png", safeName(b.t.Name()), b.lang, b.seq, safeName(strings.TrimPrefix(name, "/"))))
	_ = os.WriteFile(file, buf, 0o644)
}

// text returns the visible text of the first element matching sel ("" if
// none).
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel)))
	if err != nil {
		b.t.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

// count returns how many elements match sel.
func (b *tab) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		b.t.Fatalf("counting %s: %v", sel, err)
	}
	return n
}

func (b *tab) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

// set types a value into a field (select, input, textarea).
func (b *tab) set(sel, value string) {
	b.t.Helper()
	b.run(chromedp.SetValue(chromedp.CSS(sel), value))
}

func (b *tab) signIn(who string) {
	b.t.Helper()
	if st := b.visit("/signin"); st != 200 {
		b.t.Fatalf("sign-in page: status %d", st)
	}
	b.set("#token", b.e.tokens[who])
	if st := b.submit("main form button[type=submit]"); st != 200 {
		b.t.Fatalf("signing in as %s: status %d: %s", who, st, b.text("main"))
	}
	if got := b.location(); !strings.HasSuffix(got, "/documents") {
		b.t.Fatalf("after signing in as %s: at %s, want /documents", who, got)
	}
}

func (b *tab) signOut() {
	b.t.Helper()
	b.submit(`header form[action="/signout"] button`)
	if got := b.location(); !strings.Contains(got, "/signin") {
		b.t.Fatalf("after signing out: at %s", got)
	}
}

func (b *tab) mustContain(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Fatalf("%s at %s: %q does not contain %q", sel, b.location(), excerpt(got), want)
	}
}

func excerpt(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// TestNegotiation runs the whole negotiation through the browser: a
// delegate proposes (with a preview), a second delegation proposes a
// colliding text, the chair merges with a compromise, the members consent,
// the chair closes the round, and the agreed PDF downloads.
func TestNegotiation(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	doc := e.Members.ID
	head, err := e.svc.GetVersion(e.as("chair"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	// The provision both delegations amend: the first numbered paragraph.
	var target, original string
	for _, p := range head.Provisions {
		if p.Kind == "paragraph" && p.Number != "" {
			target, original = p.ID, p.Text
			break
		}
	}
	if target == "" {
		t.Fatal("the sample text has no numbered paragraph")
	}
	first, rest, _ := strings.Cut(original, " ")
	_ = first

	propose := func(who, word, why string) string {
		b.signIn(who)
		if st := b.visit("/documents/" + doc); st != 200 {
			t.Fatalf("document page: %d", st)
		}
		b.mustContain("main", "CICA/SWG/2026/R.1")
		indent, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.prov.item p')).marginLeft`))
		if err != nil || indent == "0px" {
			t.Errorf("items are not indented: margin-left %q, %v", indent, err)
		}
		b.visit("/documents/" + doc + "/proposals/new")
		b.set("#op", "replace")
		b.set("#provision", target)
		b.set("#text", word+" "+rest)
		b.set("#justification", why)
		if st := b.submit(`button[value=preview]`); st != 200 {
			t.Fatalf("preview: status %d: %s", st, b.text("main"))
		}
		b.mustContain(".preview ins", word)
		b.mustContain(".preview .tag", who)
		if st := b.submit(`button[value=submit]`); st != 200 {
			t.Fatalf("submit: status %d: %s", st, b.text("main"))
		}
		loc := b.location()
		i := strings.LastIndex(loc, "/proposals/")
		if i < 0 {
			t.Fatalf("after submitting: at %s", loc)
		}
		b.mustContain("main", why)
		b.mustContain("main ins", word)
		b.signOut()
		return loc[i+len("/proposals/"):]
	}
	kz := propose("KZ", "Kazakhstan-wording", "Clearer for the capitals.")
	in := propose("IN", "India-wording", "Consistent with the Charter.")

	// The chair merges both: a collision, every competing text side by
	// side, a compromise, a preview, the merge.
	b.signIn("chair")
	b.visit("/documents/" + doc + "/compilation")
	b.mustContain("main", "Kazakhstan-wording")
	b.mustContain("main", "India-wording")
	b.visit("/documents/" + doc + "/merges/new")
	b.run(chromedp.Click(chromedp.CSS("#pick-"+kz)), chromedp.Click(chromedp.CSS("#pick-"+in)))
	b.set("#message", "Chair's compromise on the first paragraph")
	if st := b.submit(`button[value=merge]`); st != 409 {
		t.Fatalf("merging colliding proposals: status %d, want 409: %s", st, excerpt(b.text("main")))
	}
	b.mustContain(".collision", "Kazakhstan-wording")
	b.mustContain(".collision", "India-wording")
	if n := b.count(".collision .competing .side"); n != 4 {
		t.Errorf("collision shows %d texts, want 4 (base, head, KZ, IN)", n)
	}
	b.set("#res-"+target, "Compromise-wording "+rest)
	if st := b.submit(`button[value=preview]`); st != 200 {
		t.Fatalf("merge preview: status %d: %s", st, excerpt(b.text("main")))
	}
	b.mustContain(".preview ins", "Compromise-wording")
	// The compromise is the chair's, in the preview as in the merged
	// version's diff: never the delegations whose texts it replaced.
	credit := func(where string) {
		t.Helper()
		tag := b.text(fmt.Sprintf(`%s [data-provision=%q] .tag`, where, target))
		if tag != "[Chair (SWG)]" {
			t.Errorf("%s: the compromise is credited to %q, want [Chair (SWG)]", where, tag)
		}
	}
	credit(".preview")
	if st := b.submit(`button[value=merge]`); st != 200 {
		t.Fatalf("merge: status %d: %s", st, excerpt(b.text("main")))
	}
	if loc := b.location(); !strings.Contains(loc, "/versions/2/diff") {
		t.Fatalf("after merging: at %s", loc)
	}
	b.mustContain("main ins", "Compromise-wording")
	credit("main")
	b.visit("/documents/" + doc + "/versions/2/diff?against=1&view=side")
	b.mustContain("table.sbs", "Compromise-wording")

	// The chair marks the paragraph agreed and opens a consensus round.
	b.visit(fmt.Sprintf("/documents/%s/versions/2/statuses", doc))
	b.set("#st-"+target, "agreed")
	b.submit(`main form button[type=submit]`)
	b.visit("/documents/" + doc + "/adoption")
	b.set("#procedure", "consensus")
	if st := b.submit(`form[action$="/adoption"] button`); st != 200 {
		t.Fatalf("opening the round: status %d: %s", st, excerpt(b.text("main")))
	}
	b.mustContain("main", "Round on version 2")
	b.signOut()

	for _, who := range []string{"KZ", "IN"} {
		b.signIn(who)
		b.visit("/documents/" + doc)
		b.mustContain(".since", "merge") // what changed since the last visit
		b.visit("/documents/" + doc + "/adoption")
		if st := b.submit(`form[action$="/adoption/consent"] button`); st != 200 {
			t.Fatalf("%s consenting: status %d: %s", who, st, excerpt(b.text("main")))
		}
		b.mustContain("main", who)
		b.signOut()
	}

	b.signIn("chair")
	b.visit("/documents/" + doc + "/adoption")
	b.mustContain("ul.silent", "CN") // member delegations that did not answer
	if st := b.submit(`a[href$="/adoption/close"]`); st != 200 {
		t.Fatalf("the close confirmation: status %d: %s", st, excerpt(b.text("main")))
	}
	b.mustContain("main", "Silence counts as consent")
	b.mustContain("ul.silent", "CN")
	if got := b.text("ul.silent"); strings.Contains(got, "KZ") || strings.Contains(got, "JP") {
		t.Errorf("the silent members listed are %q: KZ answered, JP is an observer", got)
	}
	if st := b.submit(`form[action$="/adoption/close"] button`); st != 200 {
		t.Fatalf("closing: status %d: %s", st, excerpt(b.text("main")))
	}
	b.visit("/documents/" + doc)
	b.mustContain("dl.meta", "adopted")

	// The agreed PDF downloads.
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	b.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
		return err
	}), chromedp.Click(chromedp.CSS(`a[href$="/versions/2/pdf"]`)))
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the PDF: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the PDF download was cancelled")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	pdf, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 1000 {
		t.Fatalf("the download is not a PDF (%d bytes)", len(pdf))
	}

	// The audit trail names every action in words (consent included),
	// keeps event numbers on one line, and verifies.
	b.visit("/documents/" + doc + "/events")
	b.mustContain("table.events", "Joined consensus")
	if raw := b.text("table.events"); strings.Contains(raw, "adoption.") {
		t.Errorf("the audit trail shows a raw action key: %s", excerpt(raw))
	}
	if ws, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('table.events tbody td')).whiteSpace`)); err != nil || ws != "nowrap" {
		t.Errorf("event numbers may wrap (\"1\" over \"0\"): white-space %q, %v", ws, err)
	}
	b.submit(`main form button`)
	b.mustContain(".notice", "intact")

	if b.shots != "" {
		screenshotPass(t, b, kz)
	}
}

// screenshotPass shows every page, as the chair and the secretariat, in
// English and in Russian, including a merge with a collision.
func screenshotPass(t *testing.T, b *tab, kz string) {
	d := "/documents/" + b.e.Members.ID
	pages := []string{"/documents", d, d + "/versions", d + "/versions/1", d + "/versions/2/diff?against=1",
		d + "/versions/2/diff?against=1&view=side", d + "/versions/2/statuses", d + "/compilation?version=1",
		d + "/proposals/" + kz, d + "/adoption", d + "/events?verify=1"}
	for _, lang := range []string{"en", "ru"} {
		b.lang = lang
		b.run(chromedp.Navigate(b.e.URL + "/lang?to=" + lang + "&next=/documents"))
		for _, p := range pages {
			b.visit(p)
		}
		b.visit(d + "/versions/2/diff?against=1")
		b.printShot("diff")
	}
	// Proposals that collide, on the other document: the compilation,
	// the merge desk with its collision, a proposal's preview.
	o := "/documents/" + b.e.Open.ID
	v, err := b.e.svc.GetVersion(b.e.as("chair"), b.e.Open.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, who := range []string{"KZ", "IN"} {
		p, err := b.e.svc.CreateProposal(b.e.as(who), b.e.Open.ID, drafts.ProposalInput{Base: 1, Justification: "Wording of " + who,
			Operations: []drafts.Operation{{Op: "replace", Provision: v.Provisions[0].ID, Text: "The Working Group of " + who + " met in Astana."}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	for _, lang := range []string{"en", "ru"} {
		b.lang = lang
		b.run(chromedp.Navigate(b.e.URL + "/lang?to=" + lang + "&next=/documents"))
		b.visit(o + "/compilation")
		b.visit(o + "/versions/1/statuses")
		b.visit(o + "/merges/new")
		for _, id := range ids {
			b.run(chromedp.Click(chromedp.CSS("#pick-" + id)))
		}
		b.submit(`button[value=merge]`)
	}
	b.signOut()
	b.signIn("KZ")
	for _, lang := range []string{"en", "ru"} {
		b.lang = lang
		b.run(chromedp.Navigate(b.e.URL + "/lang?to=" + lang + "&next=/documents"))
		b.visit(o)
		b.visit(o + "/proposals/new?provision=" + v.Provisions[1].ID)
		b.set("#text", "Observers attended and spoke.")
		b.submit(`button[value=preview]`)
		b.visit(o + "/proposals/" + ids[1])
	}
	b.signOut()
	for _, lang := range []string{"en", "ru"} {
		b.lang = lang
		b.run(chromedp.Navigate(b.e.URL + "/lang?to=" + lang + "&next=/signin"))
		b.visit("/signin")
		b.signIn("secretariat")
		b.visit("/secretariat")
		b.submit(`form[action$="/signin-links"] button`)
		b.signOut()
	}
}

func ptr[T any](v T) *T { return &v }

// TestObserver: an observer sees the document open to observers, never the
// members-only one, not even by its URL.
func TestObserver(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	b.signIn("JP")
	b.visit("/documents")
	b.mustContain("main", "CICA/SWG/2026/INF.1")
	if got := b.text("main"); strings.Contains(got, "CICA/SWG/2026/R.1") {
		t.Errorf("the observer's list shows the members-only document:\n%s", got)
	}
	if st := b.visit("/documents/" + e.Members.ID); st != 404 {
		t.Errorf("members-only document for an observer: status %d, want 404", st)
	}
	if got := b.text("main"); strings.Contains(got, "Transformation") {
		t.Errorf("the 404 page shows the members-only text: %s", got)
	}
	for _, p := range []string{"/versions/1", "/compilation", "/events", "/versions/1/pdf"} {
		if st := b.visit("/documents/" + e.Members.ID + p); st != 404 {
			t.Errorf("%s of the members-only document for an observer: status %d, want 404", p, st)
		}
	}
	if st := b.visit("/documents/" + e.Open.ID); st != 200 {
		t.Errorf("observers' document: status %d", st)
	}
	// Keyboard: the first Tab reaches the skip link, with a visible focus
	// ring; Enter on it moves to the main content.
	b.run(chromedp.KeyEvent("\t"))
	focus, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const a = document.activeElement; const s = getComputedStyle(a);
		return a.className + '|' + s.outlineStyle + '|' + s.outlineWidth })()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("focus after Tab: %s", focus)
	if parts := strings.Split(focus, "|"); parts[0] != "skip" || parts[1] == "none" || parts[2] == "0px" {
		t.Errorf("after Tab: focus %q, want the skip link with a visible outline", focus)
	}
	if n := b.count(`a[href$="/proposals/new"]`); n != 0 {
		t.Errorf("an observer is offered to propose (%d links)", n)
	}
	if st := b.visit("/documents/" + e.Open.ID + "/proposals/new"); st != 403 {
		t.Errorf("the propose form for an observer: status %d, want 403", st)
	}
}

// TestCSRF: a form sent without its CSRF token, or with another session's,
// is refused and changes nothing.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	b.signIn("KZ")
	b.visit("/documents/" + e.Members.ID + "/proposals/new")
	b.set("#provision", e.firstParagraph(t))
	b.set("#text", "A text sent without a token")
	b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('main form input[name=csrf]').remove()`))
	if st := b.submit(`button[value=submit]`); st != 403 {
		t.Fatalf("form without its CSRF token: status %d, want 403", st)
	}
	b.mustContain(".error", "did not come from this site")
	b.visit("/documents/" + e.Members.ID + "/proposals/new")
	b.set("#provision", e.firstParagraph(t))
	b.set("#text", "A text sent with a forged token")
	b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('main form input[name=csrf]').value = 'forged0000000000000000000000000'`))
	if st := b.submit(`button[value=submit]`); st != 403 {
		t.Fatalf("form with a forged CSRF token: status %d, want 403", st)
	}
	page, err := e.svc.ListProposals(e.as("chair"), e.Members.ID, drafts.ProposalFilter{}, listAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 0 {
		t.Fatalf("a refused form made %d proposals", len(page.Items))
	}
	// The sign-in form too carries a token.
	b.signOut()
	b.visit("/signin")
	b.set("#token", e.tokens["KZ"])
	b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('main form input[name=csrf]').remove()`))
	if st := b.submit("main form button[type=submit]"); st != 403 {
		t.Fatalf("sign-in without its CSRF token: status %d, want 403", st)
	}
}

// TestExpiredSession: a session past its end sends the user back to sign
// in, saying why; signing in again brings them back.
func TestExpiredSession(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	b.signIn("KZ")
	b.visit("/documents/" + e.Members.ID)
	e.clock.Advance(13 * time.Hour)
	b.visit("/documents/" + e.Members.ID)
	if loc := b.location(); !strings.Contains(loc, "/signin") {
		t.Fatalf("expired session: at %s, want the sign-in page", loc)
	}
	b.mustContain(".notice", "session has ended")
	b.set("#token", e.tokens["KZ"])
	b.submit("main form button[type=submit]")
	if loc := b.location(); !strings.HasSuffix(loc, "/documents/"+e.Members.ID) {
		t.Fatalf("after signing in again: at %s, want the document", loc)
	}
	// The session cookie is HttpOnly and SameSite=Strict.
	res, err := chromedp.Run(b.ctx, chromedp.Action[*network.GetCookiesResult](func(ctx context.Context, _ *chromedp.Target) (*network.GetCookiesResult, error) {
		r, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{e.URL}})
		return &r, err
	}))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range res.Cookies {
		if c.Name == "chancery_session" {
			found = true
			if !c.HTTPOnly || c.SameSite != network.CookieSameSiteStrict {
				t.Errorf("session cookie: HttpOnly %v, SameSite %q; want HttpOnly and Strict", c.HTTPOnly, c.SameSite)
			}
		}
	}
	if !found {
		t.Error("no session cookie after signing in")
	}
}

var listAll = drafts.ListOptions{Limit: 500}

// firstParagraph returns the id of the first numbered paragraph of the
// members' document.
func (e *env) firstParagraph(t *testing.T) string {
	t.Helper()
	v, err := e.svc.GetVersion(e.as("chair"), e.Members.ID, e.Members.Head)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Provisions {
		if p.Kind == "paragraph" && p.Number != "" {
			return p.ID
		}
	}
	t.Fatal("no numbered paragraph")
	return ""
}

// printShot saves a screenshot of the page as printed (print style sheet).
func (b *tab) printShot(name string) {
	if b.shots == "" {
		return
	}
	b.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	b.shot(name + "-print")
	b.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	}))
}

// TestAxeCatchesViolations shows that the accessibility check can fail: a
// page with an image without alternative text and an unlabelled field.
func TestAxeCatchesViolations(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	b.run(chromedp.Navigate(`data:text/html,<!doctype html><html><head><title>x</title></head><body><img src="x.png"><input type="text"></body></html>`))
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
		t.Fatal(err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: v.impact || ''})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, v := range vs {
		found[v.ID] = v.Impact
	}
	if found["image-alt"] != "critical" || found["label"] != "critical" {
		t.Fatalf("axe found %v; want image-alt and label, critical", found)
	}
}

// TestSignInLink: the secretariat issues a one-time sign-in link; it signs
// its user in once, and never again.
func TestSignInLink(t *testing.T) {
	e := newEnv(t)
	b := newTab(t, e)
	b.signIn("secretariat")
	b.visit("/secretariat")
	b.submit(fmt.Sprintf(`form[action="/secretariat/users/%s/signin-links"] button`, e.users["IN"].ID))
	link := strings.TrimSpace(b.text("#secret"))
	if !strings.HasPrefix(link, e.URL+"/signin/link?t=lnk_") {
		t.Fatalf("sign-in link %q", link)
	}
	b.signOut()
	b.load("the sign-in link", chromedp.Navigate(link))
	if st := b.submit("main form button[type=submit]"); st != 200 {
		t.Fatalf("using the link: status %d: %s", st, b.text("main"))
	}
	b.mustContain("header", "Delegate of India")
	b.signOut()
	b.load("the sign-in link again", chromedp.Navigate(link))
	if st := b.submit("main form button[type=submit]"); st != 401 {
		t.Fatalf("using the link twice: status %d, want 401", st)
	}
	b.mustContain(".error", "not valid")
}
