// Package render writes texts, tracked diffs and compilations for people:
// plain text and HTML fragments, and PDF files with embedded Unicode fonts
// (Noto Serif for the text and Noto Sans around it, which cover Latin,
// Greek and Cyrillic with their extended letters, subset into each PDF,
// and an optional fallback font for other scripts). It implements drafts.Renderer with github.com/jung-kurt/gofpdf.
//
// The PDFs are legible in black and white: insertions are underlined,
// deletions struck through, changed provisions carry a bar in the margin and
// a label in words, and every change is tagged with the delegation that
// proposed it. Colour is added, never relied upon.
package render

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"chancery/drafts"
)

// DefaultForum is the forum named on every page when no other is given.
const DefaultForum = "Conference on Interaction and Confidence Building Measures in Asia"

// Renderer implements drafts.Renderer. Create it with New; it holds no
// mutable state after that and is safe for concurrent use.
type Renderer struct {
	forum         string
	forumSet      bool
	fallbackBytes []byte
	now           func() time.Time
	deterministic bool

	// fonts are parsed on first use (ready): a command that prints no
	// PDF never parses them.
	fontsOnce sync.Once
	fonts     *fontSet
	err       error
}

var _ drafts.Renderer = (*Renderer)(nil)

// Option configures a Renderer.
type Option func(*Renderer)

// WithForum sets the forum's name printed in the header of every page of a
// PDF (DefaultForum, or its Russian name for a Russian text, if unset).
func WithForum(name string) Option {
	return func(r *Renderer) {
		r.forum = name
		r.forumSet = name != ""
	}
}

// WithFallbackFont gives a TrueType font (the bytes of a .ttf file) used
// for characters the document fonts cannot show, such as Chinese or Arabic
// letters. It is used for every style (regular, bold, italic). Only
// characters of the Basic Multilingual Plane (up to U+FFFF) can be printed.
func WithFallbackFont(ttf []byte) Option {
	return func(r *Renderer) { r.fallbackBytes = ttf }
}

// WithClock sets the clock giving the creation date of PDFs. It defaults
// to time.Now.
func WithClock(now func() time.Time) Option {
	return func(r *Renderer) { r.now = now }
}

// WithDeterministic makes PDFs byte-for-byte reproducible, for tests and
// golden files: the creation and modification dates come from the clock,
// or are 2000-01-01 UTC when no clock was given, and the PDF catalog is
// written in sorted order.
func WithDeterministic(on bool) Option {
	return func(r *Renderer) { r.deterministic = on }
}

// New returns a Renderer with the given options. A fallback font that
// cannot be parsed, or a forum name the fonts cannot print (or longer than
// 300 bytes, or on several lines), makes every PDF method fail; Err
// reports it at once.
func New(opts ...Option) *Renderer {
	r := &Renderer{forum: DefaultForum}
	for _, o := range opts {
		o(r)
	}
	if len(r.fallbackBytes) > 0 || r.forumSet {
		r.ready() // a font or forum given is checked at once
	}
	return r
}

// ready parses the fonts on first use, checks the forum's name with them,
// and returns the renderer's error.
func (r *Renderer) ready() error {
	r.fontsOnce.Do(func() {
		r.fonts, r.err = loadFonts(r.fallbackBytes)
		if r.err == nil && r.forumSet {
			r.err = r.checkForum()
		}
	})
	return r.err
}

// maxForum is the longest forum name, in bytes.
const maxForum = 300

// checkForum refuses a forum name that would make every PDF fail or
// overflow its header: too long, on several lines, or with characters no
// font can show.
func (r *Renderer) checkForum() error {
	bad := func(why string) error {
		return &drafts.Error{Code: drafts.EINVALID, Message: "the forum name " + why}
	}
	if len(r.forum) > maxForum {
		return bad(fmt.Sprintf("is longer than %d bytes", maxForum))
	}
	var miss missingRunes
	for _, c := range cleanText(r.forum) {
		switch {
		case c == '\n':
			return bad("is on several lines")
		case c == ' ' || invisible(c) || r.fonts.main[faceSansBold].has(c) || (r.fonts.fallback != nil && r.fonts.fallback.has(c)):
		default:
			miss.add(c)
		}
	}
	if err := miss.err(r.fonts.fallback != nil); err != nil {
		return bad("holds characters the PDF fonts cannot show: " + strings.TrimPrefix(drafts.ErrorMessage(err), "the text holds characters "))
	}
	return nil
}

// Err returns the error of a fallback font that could not be loaded (an
// EINVALID *drafts.Error), or nil.
func (r *Renderer) Err() error { return r.ready() }

// creationDate returns the date written into a PDF's information dictionary.
func (r *Renderer) creationDate() time.Time {
	switch {
	case r.now != nil:
		return r.now()
	case r.deterministic:
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	default:
		return time.Now()
	}
}

// pdf runs write, which makes the PDF the method named method makes, if
// the renderer is usable (else its error) and the method was given what
// it needs (ready; else EINTERNAL). A panic of the PDF library becomes
// EINTERNAL.
func (r *Renderer) pdf(method string, ready bool, write func() error) error {
	return safely(func() error {
		if err := r.ready(); err != nil {
			return err
		}
		if !ready {
			return drafts.Errorf(drafts.EINTERNAL, "render: %s needs a document and versions", method)
		}
		return write()
	})
}

// safely runs f, turning a panic of the PDF library into EINTERNAL.
func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &drafts.Error{Code: drafts.EINTERNAL, Message: "render: the PDF library failed", Err: fmt.Errorf("panic: %v", p)}
		}
	}()
	return f()
}

// internal wraps an unexpected failure, such as a PDF library error.
func internal(err error, what string) error {
	if err == nil {
		return nil
	}
	if drafts.AsError(err) != nil {
		return err
	}
	return &drafts.Error{Code: drafts.EINTERNAL, Message: fmt.Sprintf("render: %s", what), Err: err}
}
