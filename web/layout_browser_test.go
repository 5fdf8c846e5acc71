package web_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"chancery/drafts"
)

// setWidth shows pages as on a screen w CSS pixels wide: 390 is a
// phone's (a mobile viewport, as the page's meta viewport asks), 1366 a
// laptop's.
func (b *tab) setWidth(w int) {
	b.t.Helper()
	b.width = w
	b.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(w), Height: 900, DeviceScaleFactor: 1, Mobile: w < 800})
		return err
	}))
}

// setLang switches the interface language, staying on the page.
func (b *tab) setLang(lang string) {
	b.t.Helper()
	b.lang = lang
	b.run(chromedp.Navigate(b.e.URL + "/lang?to=" + lang + "&next=/documents"))
}

// checkWidth fails when the page scrolls sideways.
func (b *tab) checkWidth(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		b.t.Fatalf("measuring %s: %v", name, err)
	}
	if w[0] > w[1] {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const w = innerWidth; const out = [];
			for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect(); if (r.right > w + 1 && out.length < 4) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); }
			return out.join('; '); })()`))
		b.t.Errorf("%s (%s, %d px): the page is %d px wide and scrolls sideways: %s", name, b.lang, w[1], w[0], wide)
	}
}

// wait waits for an element to be visible (after a fetch in the page).
func (b *tab) wait(sel string) {
	b.t.Helper()
	b.run(chromedp.WaitVisible(chromedp.CSS(sel)))
}

// click clicks an element that changes the page in place (no load).
func (b *tab) click(sel string) {
	b.t.Helper()
	b.run(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: 'center'})`, sel)), chromedp.Click(chromedp.CSS(sel)))
}

// value returns a field's value.
func (b *tab) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {value: ""}).value`, sel)))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// back goes back in history and fails if the browser would have to send
// a form again: it shows its own error page then (net::ERR_CACHE_MISS,
// "Confirm Form Resubmission") instead of ours.
func (b *tab) back(name string) {
	b.t.Helper()
	b.run(chromedp.NavigateBack())
	loc := b.location()
	if strings.HasPrefix(loc, "chrome-error:") {
		b.t.Fatalf("%s: Back shows %s, the browser's resubmission page", name, loc)
	}
	b.checkAxe(name)
	b.checkWidth(name)
	b.shot(name)
}

// noScript turns JavaScript off (or on again) for the pages loaded next:
// they load without it, so that workspace.js does not run; the tests'
// own scripts (axe, measuring) run after each load.
func (b *tab) noScript(off bool) {
	b.t.Helper()
	b.scriptOff = off
}

// scripts allows or forbids the page's scripts.
func (b *tab) scripts(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// chromedpClickAll ticks the merge desk's boxes of proposals ids.
func chromedpClickAll(ids []string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`%q.split(' ').forEach(id => { const b = document.getElementById('pick-' + id); if (b) b.checked = true; })`, strings.Join(ids, " ")))
}

// as signs the browser in as who without going through the sign-in
// page: a session made by the service, its cookie set.
func (b *tab) as(who string) {
	b.t.Helper()
	id, _, _ := drafts.SplitToken(b.e.tokens[who])
	_, plain, err := b.e.svc.CreateSession(b.e.as(who), id, 12*time.Hour)
	if err != nil {
		b.t.Fatal(err)
	}
	host := strings.TrimPrefix(b.e.URL, "http://")
	host = host[:strings.LastIndex(host, ":")]
	b.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "chancery_session", Value: plain, Domain: host, Path: "/",
			HTTPOnly: ptr(true), SameSite: network.CookieSameSiteStrict})
		return err
	}))
}
