package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"
	_ "time/tzdata" // every reader's time zone, whatever the server has installed

	"github.com/labstack/echo/v4"
)

// For everyone: times in the reader's time zone with UTC beside
// (delegations and proposals are named in proposal_names.go).

// zoneCookie holds the reader's time zone (an IANA name such as
// Asia/Almaty), set by workspace.js from the browser's own setting or
// chosen on a form.
const zoneCookie = "chancery_tz"

// readerZone returns the time zone of the request's reader: UTC unless
// the zone cookie names a zone.
func readerZone(c echo.Context) *time.Location {
	if ck, err := c.Cookie(zoneCookie); err == nil {
		if loc := zoneNamed(ck.Value); loc != nil {
			return loc
		}
	}
	return time.UTC
}

// zoneNamed returns the zone of an IANA name, nil for anything else.
func zoneNamed(name string) *time.Location {
	if name == "" || len(name) > 64 || strings.ContainsAny(name, ". ") && !strings.HasPrefix(name, "Etc/") {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil
	}
	return loc
}

// zoneLabel names a zone as a reader knows it: its city ("Almaty").
func zoneLabel(loc *time.Location) string {
	name := loc.String()
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, "_", " ")
}

// Date shows a time in the reader's zone with UTC beside, in a <time>
// element that carries the exact instant.
func (p *Page) Date(t time.Time) template.HTML {
	return formatTime(t, p.zone())
}

// DateP is Date of a time that may be absent.
func (p *Page) DateP(t *time.Time) template.HTML {
	if t == nil {
		return ""
	}
	return formatTime(*t, p.zone())
}

func (p *Page) zone() *time.Location {
	if p.Zone == nil {
		return time.UTC
	}
	return p.Zone
}

// formatTime writes t in loc with UTC beside: "2026-11-30 14:00 Almaty
// (09:00 UTC)", the date repeated where UTC's differs.
func formatTime(t time.Time, loc *time.Location) template.HTML {
	u := t.UTC()
	iso := u.Format(time.RFC3339)
	if loc == time.UTC || loc.String() == "UTC" {
		return template.HTML(`<time datetime="` + iso + `">` + u.Format("2006-01-02 15:04") + ` UTC</time>`)
	}
	l := t.In(loc)
	utc := u.Format("15:04")
	if u.Format("2006-01-02") != l.Format("2006-01-02") {
		utc = u.Format("2006-01-02 15:04")
	}
	return template.HTML(`<time datetime="` + iso + `">` + l.Format("2006-01-02 15:04") + " " + template.HTMLEscapeString(zoneLabel(loc)) +
		` <span class="utc">(` + utc + ` UTC)</span></time>`)
}

// TH translates key as T does, into HTML: string arguments are escaped,
// template.HTML ones (such as a Date) kept.
func (p *Page) TH(key string, args ...any) template.HTML {
	format := template.HTMLEscapeString(p.L.T(key))
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case template.HTML:
			out[i] = string(v)
		default:
			out[i] = template.HTMLEscapeString(fmt.Sprint(v))
		}
	}
	return template.HTML(fmt.Sprintf(format, out...))
}
