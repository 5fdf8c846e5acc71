package service

import (
	"context"
	"fmt"
	"io"
	"strings"

	"chancery/drafts"
)

// Prints in a language: a version (clean or its changes), two languages
// side by side, the compilation. Missing provisions print as a note and
// the original's text (drafts.Printable). Each print is cached under a
// key that names the language version's ETag, so a translation revision
// makes a new print.

// VersionPDFIn prints version n in one language, or in two side by side.
func (s *Service) VersionPDFIn(ctx context.Context, doc string, n, against int, langs []string) (_ *drafts.PDF, err error) {
	defer markOp(&err, "service.VersionPDFIn")
	if err := checkPrintLanguages(langs, against); err != nil {
		return nil, err
	}
	d, err := s.documentIn(ctx, doc, langs[0])
	if err != nil {
		return nil, err
	}
	if len(langs) == 2 && !d.HasLanguage(langs[1]) {
		if _, err := s.documentIn(ctx, doc, langs[1]); err != nil {
			return nil, err
		}
	}
	if err := s.needRenderer(); err != nil {
		return nil, err
	}
	switch {
	case len(langs) == 2:
		return s.parallelPDF(ctx, d, n, langs)
	case langs[0] == d.Language:
		return s.VersionPDF(ctx, doc, n, against)
	case against > 0:
		return s.translatedChangesPDF(ctx, d, n, against, langs[0])
	}
	v, err := s.versionIn(ctx, d, n, langs[0])
	if err != nil {
		return nil, err
	}
	round, err := s.adoptingRound(ctx, d, n)
	if err != nil {
		return nil, err
	}
	pv := drafts.Printable(v)
	dl := s.printedIn(ctx, d, langs[0], pv)
	// The adopted text records the delegations' positions as footnotes, as
	// the original does (see VersionPDF): placed by the original's
	// provisions, worded in the print's language.
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	orig, err := s.getVersion(ctx, d.ID, n)
	if err != nil {
		return nil, err
	}
	notes, err := s.positionNotes(ctx, u, dl, orig)
	if err != nil {
		return nil, err
	}
	withNotes := pv.WithPrintNotes(notes)
	return s.cachedPDF(ctx, dl, "agreed", pdfName(d.Symbol, n, "-"+langs[0]), []any{pv, round, v.ETag, notes}, func(w io.Writer) error {
		return s.Renderer.AgreedPDF(w, dl, withNotes, round)
	})
}

// checkPrintLanguages checks the languages of a print: one, or two
// different ones for a clean text side by side.
func checkPrintLanguages(langs []string, against int) error {
	fail := func(msg string) error {
		return &drafts.Error{Code: drafts.EINVALID, Message: "language: " + msg, Fields: []drafts.FieldError{{Field: "language", Message: msg}}}
	}
	switch {
	case len(langs) == 0:
		return fail("give a language, or two separated by a comma (en,ru)")
	case len(langs) > 2:
		return fail("at most two languages side by side")
	case len(langs) == 2 && langs[0] == langs[1]:
		return fail("two different languages side by side")
	case len(langs) == 2 && against > 0:
		return fail("tracked changes print in one language at a time")
	}
	for _, l := range langs {
		if err := checkLanguageTag(l); err != nil {
			return err
		}
	}
	return nil
}

// translatedChangesPDF prints the changes from version m to version n in
// language lang.
func (s *Service) translatedChangesPDF(ctx context.Context, d *drafts.Document, n, m int, lang string) (*drafts.PDF, error) {
	diff, from, to, err := s.translatedDiff(ctx, d, n, m, lang)
	if err != nil {
		return nil, err
	}
	pfrom, pto := drafts.Whole(from), drafts.Whole(to)
	dl := s.printedIn(ctx, d, lang, pto)
	name := pdfName(d.Symbol, n, fmt.Sprintf("-%s-changes-from-v%d", lang, m))
	return s.cachedPDF(ctx, dl, "changes", name, []any{pfrom, pto, from.ETag, to.ETag, diff}, func(w io.Writer) error {
		return s.Renderer.ChangesPDF(w, dl, pfrom, pto, diff)
	})
}

// parallelPDF prints version n of d in two languages side by side.
func (s *Service) parallelPDF(ctx context.Context, d *drafts.Document, n int, langs []string) (*drafts.PDF, error) {
	pr, ok := s.Renderer.(drafts.ParallelRenderer)
	if !ok {
		return nil, drafts.Errorf(drafts.EINTERNAL, "the service's renderer does not print two languages side by side")
	}
	read, err := s.versionsIn(ctx, d.ID, n, langs)
	if err != nil {
		return nil, err
	}
	vs := [2]*drafts.Version{drafts.Printable(read[0]), drafts.Printable(read[1])}
	round, err := s.adoptingRound(ctx, d, n)
	if err != nil {
		return nil, err
	}
	dl := s.printedIn(ctx, d, langs[0], vs[0])
	name := pdfName(d.Symbol, n, "-"+strings.Join(langs, "-"))
	return s.cachedPDF(ctx, dl, "parallel", name, []any{vs[0], vs[1], vs[0].ETag, vs[1].ETag, round}, func(w io.Writer) error {
		return pr.ParallelPDF(w, dl, vs, round)
	})
}

// printedIn is d as a print of v, a version read in lang, shows it (see
// drafts.DocumentIn).
func (s *Service) printedIn(ctx context.Context, d *drafts.Document, lang string, v *drafts.Version) *drafts.Document {
	orig, err := s.rawVersion(ctx, d.ID, v.Number)
	if err != nil {
		orig = nil // the title stays the original's
	}
	return drafts.DocumentIn(d, lang, v, orig)
}

// CompilationPDFIn prints the compilation of version n in a language.
func (s *Service) CompilationPDFIn(ctx context.Context, doc string, n int, lang string) (_ *drafts.PDF, err error) {
	defer markOp(&err, "service.CompilationPDFIn")
	if err := checkLanguageTag(lang); err != nil {
		return nil, err
	}
	return s.compilationPDF(ctx, doc, n, lang)
}

// CompilationHTMLIn writes the compilation of version n in a language as
// an HTML fragment.
func (s *Service) CompilationHTMLIn(ctx context.Context, doc string, n int, lang string) (_ []byte, err error) {
	defer markOp(&err, "service.CompilationHTMLIn")
	if err := checkLanguageTag(lang); err != nil {
		return nil, err
	}
	return s.compilationHTML(ctx, doc, n, lang)
}
