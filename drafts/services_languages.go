package drafts

import (
	"context"
	"io"
)

// ELANGUAGES refuses an adoption round while a language version of the
// version is not in step with the original (409): the error's Fields
// name each stale or missing provision ("provisions.<id>").
const ELANGUAGES = "languages_out_of_step"

// TranslationService keeps a document's language versions in step with
// its original text (see TranslationCurrent and CarryOver): the
// secretariat or the chair sends the whole text of the head in a language,
// or one provision's translation; every new version carries them over;
// every read can be had in a language. A language is a tag such as "ru";
// lang "" is the original language. Besides their own codes the methods
// return EINVALID naming the field "language" for a malformed tag, and
// ENOTFOUND for a language the document does not have.
type TranslationService interface {
	// AddLanguage stores text (see ParseText), the whole head in language
	// lang, as that language version of the head, or in place of it: its
	// provisions aligned to the head's by number and order (see
	// AlignTranslation), all current, recorded as a translation revision.
	// It returns the head in lang. ENOTFOUND; EINVALID for the text, the
	// original language, or (with a field per provision) a text that does
	// not align, and nothing is stored; ECONFLICT if the document is
	// adopted, withdrawn or under adoption, or a new version is being
	// made. The secretariat and the chair of the document's body only.
	AddLanguage(ctx context.Context, doc, lang, text string) (*Version, error)
	// SetTranslation records, as a translation revision of the head
	// version n, the translation of provision id in lang: the provision's
	// text (with or without its number in that language), current from
	// now. It returns the provision in lang and the version's new ETag in
	// lang. ENOTFOUND for the document, version, provision or language;
	// EINVALID for the text; ECONFLICT if n is not the head, a new version
	// is being made, or the document is adopted, withdrawn or under
	// adoption; EPRECONDITION if ifMatch (the version's ETag in lang) is
	// stale.
	SetTranslation(ctx context.Context, doc string, n int, id, lang, text, ifMatch string) (*Provision, string, error)
	// GetVersionIn returns version n in lang (see TranslateVersion; in
	// the original language every provision is TranslationOriginal), its
	// ETag covering the translations. ENOTFOUND as GetVersion.
	GetVersionIn(ctx context.Context, doc string, n int, lang string) (*Version, error)
	// GetVersionInLanguages returns version n in each of langs, reading
	// the version once: side by side, one read more than in the original
	// for each language version. Errors as GetVersionIn.
	GetVersionInLanguages(ctx context.Context, doc string, n int, langs []string) ([]*Version, error)
	// VersionDiffIn returns the tracked diff from version m to version n
	// of the text in lang, attributed as VersionDiff's, with both
	// versions in lang. Errors as VersionDiff.
	VersionDiffIn(ctx context.Context, doc string, n, m int, lang string) (*Diff, *Version, *Version, error)
	// CompileIn returns the compilation of version n (0 for the head) in
	// lang: each provision in lang with the original beside it, each
	// proposal under it in the language it was written in
	// (CompiledProposal.Language when that is not lang). Errors as
	// Compile.
	CompileIn(ctx context.Context, doc string, n int, lang string) (*Compilation, *Version, error)
	// VersionPDFIn prints version n in langs: in one language as
	// VersionPDF does (against > 0 for the changes from version against);
	// in two, the clean texts side by side, provision by provision, with
	// their numbers aligned (against must be 0). EINVALID for no language,
	// more than two, one twice, or two with against. Errors as VersionPDF.
	VersionPDFIn(ctx context.Context, doc string, n, against int, langs []string) (*PDF, error)
	// CompilationPDFIn and CompilationHTMLIn print CompileIn's
	// compilation. Errors as CompilationPDF.
	CompilationPDFIn(ctx context.Context, doc string, n int, lang string) (*PDF, error)
	CompilationHTMLIn(ctx context.Context, doc string, n int, lang string) ([]byte, error)
	// TranslationWork lists, across the documents the user may see that
	// are not adopted or withdrawn, each language version of the head
	// with stale or missing provisions. The secretariat and chairs only
	// (EFORBIDDEN for others).
	TranslationWork(ctx context.Context) ([]TranslationTask, error)
}

// ParallelRenderer is implemented by a Renderer that prints a text in two
// languages side by side.
type ParallelRenderer interface {
	// ParallelPDF writes the clean text of a version in two languages
	// (vs, each read in its language: see TranslateVersion), side by
	// side, provision by provision, numbers aligned; round is the
	// adoption round that adopted it, or nil. EINVALID as AgreedPDF.
	ParallelPDF(w io.Writer, doc *Document, vs [2]*Version, round *AdoptionRound) error
}
