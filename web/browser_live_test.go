package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chancery/drafts"
)

// until waits, until deadline, for a script expression to be true on the
// tab's page.
func (b *tab) until(what, expr string, deadline time.Time) {
	b.t.Helper()
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: not by the deadline (%v)", what, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// saveShot saves a screenshot of the viewport where CHANCERY_LIVE_SHOTS
// says, for people to look at.
func (b *tab) saveShot(name string) {
	dir := os.Getenv("CHANCERY_LIVE_SHOTS")
	if dir == "" {
		return
	}
	_ = os.MkdirAll(dir, 0o755)
	buf, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

// TestLiveInTheBrowser: the chair, on the screen, puts paragraph 6 under
// discussion; a delegate's open document page highlights paragraph 6 and
// scrolls to it within 2 seconds, without a reload. A merge made
// elsewhere shows a notice on the delegate's page and brings the screen's
// text up to date. The screen is checked with axe, at 1920×1080.
func TestLiveInTheBrowser(t *testing.T) {
	e := newEnv(t)
	doc := e.Members.ID
	p6 := e.provisionNumbered(t, doc, "6.")
	p3 := e.provisionNumbered(t, doc, "3.")
	prop, err := e.svc.CreateProposal(e.as("KZ"), doc, drafts.ProposalInput{Base: 1, Justification: "Sooner.",
		Operations: []drafts.Operation{{Op: "replace", Provision: p3.ID, Text: strings.Replace(p3.Text, "shall", "shall promptly", 1)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateProposal(e.as("IN"), doc, drafts.ProposalInput{Base: 1, Justification: "Simpler.",
		Operations: []drafts.Operation{{Op: "delete", Provision: e.provisionNumbered(t, doc, "7.").ID}}}); err != nil {
		t.Fatal(err)
	}

	kz := newTab(t, e)
	kz.signIn("KZ")
	if st := kz.visit("/documents/" + doc); st != 200 {
		t.Fatalf("document page: %d", st)
	}
	chair := newTab(t, e)
	chair.run(chromedp.EmulateViewport(1920, 1080))
	chair.signIn("chair")
	if st := chair.visit("/documents/" + doc + "/screen"); st != 200 {
		t.Fatalf("screen: %d", st)
	}
	chair.saveShot("screen-top-1920x1080")
	connected := `document.getElementById('live').dataset.liveConnected === 'yes'`
	kz.until("the delegate's page connects", connected, time.Now().Add(10*time.Second))
	chair.until("the screen connects", connected, time.Now().Add(10*time.Second))

	focused := fmt.Sprintf(`document.getElementById('p-%s').classList.contains('live-focus')`, p6.ID)
	inView := fmt.Sprintf(`(function(){var r=document.getElementById('p-%s').getBoundingClientRect();return r.top>=0&&r.bottom<=window.innerHeight;})()`, p6.ID)
	clicked := time.Now()
	chair.run(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#p-%s .sp-btn`, p6.ID))))
	kz.until("paragraph 6 highlighted on the delegate's page", focused, clicked.Add(2*time.Second))
	t.Logf("the delegate's page highlighted paragraph 6 %s after the chair's click", time.Since(clicked).Round(time.Millisecond))
	kz.until("paragraph 6 scrolled into view", inView, time.Now().Add(3*time.Second))
	kz.mustContain("#live-focus-text", "Under discussion: 6")
	chair.until("paragraph 6 highlighted on the screen", focused, time.Now().Add(2*time.Second))
	if got := chair.location(); !strings.HasSuffix(got, "/screen") {
		t.Fatalf("the chair's click left the screen for %s", got)
	}

	// A merge made elsewhere (another desk, another replica).
	if _, err := e.svc.Merge(e.as("chair"), doc, drafts.MergeInput{Base: 1, Proposals: []string{prop.ID}, Message: "Sooner."}); err != nil {
		t.Fatal(err)
	}
	merged := time.Now()
	kz.until("a notice of the new version on the delegate's page", `document.getElementById('live-notices').innerText.indexOf('Version 2 has been published.') >= 0`, merged.Add(2*time.Second))
	chair.until("the screen's text brought up to date", `document.getElementById('screen-version').textContent.indexOf('Version 2') >= 0 && document.body.innerText.indexOf('shall promptly') >= 0`, merged.Add(5*time.Second))
	chair.until("the focus kept after the update", focused, time.Now().Add(2*time.Second))
	chair.checkAxe("screen, after live updates")
	kz.checkAxe("document page, with a notice")
	chair.saveShot("screen-1920x1080")
	kz.saveShot("document-with-notice")

	// The chair moves on with the keyboard: → puts the next provision
	// under discussion.
	chair.run(chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}))`))
	p7 := e.provisionNumbered(t, doc, "7.")
	kz.until("the next provision under discussion", fmt.Sprintf(`document.getElementById('p-%s').classList.contains('live-focus')`, p7.ID), time.Now().Add(3*time.Second))
	if n := kz.count(".live-focus"); n != 1 {
		t.Fatalf("%d provisions highlighted", n)
	}
}
