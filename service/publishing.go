package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"chancery/drafts"
)

// VersionPDF prints version n of a document, or with against > 0 the
// changes from version against to n, each change attributed. A print kept
// in memory is returned at once; anything else waits for a slot of the
// work limit before it loads the versions.
func (s *Service) VersionPDF(ctx context.Context, doc string, n, against int) (_ *drafts.PDF, err error) {
	defer markOp(&err, "service.VersionPDF")
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	if err := s.needRenderer(); err != nil {
		return nil, err
	}
	if p, ok := s.versionPDFKept(ctx, u, d, n, against); ok {
		return p, nil
	}
	var p *drafts.PDF
	err = s.Work(ctx, func(ctx context.Context) error {
		p, err = s.versionPDF(ctx, u, d, n, against)
		return err
	})
	return p, err
}

// versionPDFKept returns the print VersionPDF would, if it is in memory
// and what names it is in memory too (the versions, and for changes their
// diff): then nothing heavy is loaded.
func (s *Service) versionPDFKept(ctx context.Context, u *drafts.User, d *drafts.Document, n, against int) (*drafts.PDF, bool) {
	needed := []string{versionKey(d.ID, n)}
	if against > 0 {
		needed = append(needed, versionKey(d.ID, against), diffCacheKey(d.ID, n, against))
	} else if d.Adopted == n && d.Round != "" {
		return nil, false // the round's settlement may write
	}
	if !s.kept(needed...) {
		return nil, false
	}
	pr, err := s.versionPrint(ctx, u, d, n, against)
	if err != nil {
		return nil, false
	}
	key, err := s.pdfKey(d, pr.kind, pr.inputs)
	if err != nil {
		return nil, false
	}
	if b, ok := s.immutable().get(key); ok {
		return &drafts.PDF{Data: b.(*printed).data, ETag: b.(*printed).etag, Filename: pr.name}, true
	}
	return nil, false
}

// aPrint is what a print is made of: its kind, its file name, what it
// prints (its key's inputs) and how to make it.
type aPrint struct {
	kind, name string
	inputs     []any
	make       func(w io.Writer) error
}

// versionPrint reads what the print of version n (or of its changes from
// version against) is made of.
func (s *Service) versionPrint(ctx context.Context, u *drafts.User, d *drafts.Document, n, against int) (*aPrint, error) {
	doc := d.ID
	if against > 0 {
		diff, from, to, err := s.versionDiff(ctx, d, n, against)
		if err != nil {
			return nil, err
		}
		digest, err := s.diffDigest(doc, n, against, diff)
		if err != nil {
			return nil, err
		}
		return &aPrint{"changes", pdfName(d.Symbol, n, fmt.Sprintf("-changes-from-v%d", against)), []any{from, to, digest}, func(w io.Writer) error {
			return s.Renderer.ChangesPDF(w, d, from, to, diff)
		}}, nil
	}
	v, err := s.getVersion(ctx, doc, n)
	if err != nil {
		return nil, err
	}
	round, err := s.adoptingRound(ctx, d, n)
	if err != nil {
		return nil, err
	}
	// The adopted text records the delegations' reservations and
	// statements as footnotes, as the reader may see them.
	notes, err := s.positionNotes(ctx, u, d, v)
	if err != nil {
		return nil, err
	}
	inputs := []any{v, round}
	if len(notes.Title) > 0 || len(notes.Provisions) > 0 {
		inputs = append(inputs, notes)
	}
	withNotes := v.WithPrintNotes(notes)
	return &aPrint{"agreed", pdfName(d.Symbol, n, ""), inputs, func(w io.Writer) error {
		return s.Renderer.AgreedPDF(w, d, withNotes, round)
	}}, nil
}

// adoptingRound is the round that adopted version n of d, or nil.
func (s *Service) adoptingRound(ctx context.Context, d *drafts.Document, n int) (*drafts.AdoptionRound, error) {
	if d.Adopted != n || d.Round == "" {
		return nil, nil
	}
	return s.settle(ctx, d.ID, d.Round, d)
}

// versionPDF is VersionPDF on a document already read.
func (s *Service) versionPDF(ctx context.Context, u *drafts.User, d *drafts.Document, n, against int) (*drafts.PDF, error) {
	pr, err := s.versionPrint(ctx, u, d, n, against)
	if err != nil {
		return nil, err
	}
	return s.cachedPDF(ctx, d, pr.kind, pr.name, pr.inputs, pr.make)
}

// CompilationPDF prints the compilation of version n (0 for the head).
func (s *Service) CompilationPDF(ctx context.Context, doc string, n int) (_ *drafts.PDF, err error) {
	defer markOp(&err, "service.CompilationPDF")
	return s.compilationPDF(ctx, doc, n, "")
}

// compilationPDF prints the compilation of version n in lang ("" for the
// original language), compiled and printed in one slot of the work limit.
func (s *Service) compilationPDF(ctx context.Context, doc string, n int, lang string) (*drafts.PDF, error) {
	var p *drafts.PDF
	err := s.compilationToPrint(ctx, doc, n, lang, func(ctx context.Context, d *drafts.Document, comp *drafts.Compilation, v *drafts.Version) error {
		suffix := "-compilation"
		if v.Language != "" {
			suffix += "-" + v.Language
		}
		var err error
		p, err = s.cachedPDF(ctx, d, "compilation", pdfName(d.Symbol, v.Number, suffix), []any{v, comp}, func(w io.Writer) error {
			return s.Renderer.CompilationPDF(w, d, v, comp)
		})
		return err
	})
	return p, err
}

// CompilationHTML writes the compilation of version n as an HTML fragment.
func (s *Service) CompilationHTML(ctx context.Context, doc string, n int) (_ []byte, err error) {
	defer markOp(&err, "service.CompilationHTML")
	return s.compilationHTML(ctx, doc, n, "")
}

// compilationHTML writes the compilation of version n in lang ("" for the
// original language) as an HTML fragment.
func (s *Service) compilationHTML(ctx context.Context, doc string, n int, lang string) ([]byte, error) {
	var buf bytes.Buffer
	err := s.compilationToPrint(ctx, doc, n, lang, func(ctx context.Context, d *drafts.Document, comp *drafts.Compilation, v *drafts.Version) error {
		return s.Renderer.CompilationHTML(&buf, d, v, comp)
	})
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// compilationToPrint reads the document, checks that there is a renderer
// to print it, and compiles version n of it in lang ("" for the original
// language) for print, all in one slot of the work limit. In a language
// version, the document is as the print shows it (see printedIn) and
// missing provisions printable.
func (s *Service) compilationToPrint(ctx context.Context, doc string, n int, lang string, print func(ctx context.Context, d *drafts.Document, comp *drafts.Compilation, v *drafts.Version) error) error {
	d, err := s.documentIn(ctx, doc, lang)
	if err != nil {
		return err
	}
	if err := s.needRenderer(); err != nil {
		return err
	}
	u, err := actor(ctx)
	if err != nil {
		return err
	}
	printIt := func(ctx context.Context, comp *drafts.Compilation, v *drafts.Version) error {
		if v.Language == "" || v.Language == d.Language {
			return print(ctx, d, comp, v)
		}
		comp.Entries = slices.Clone(comp.Entries) // may be shared
		for i, e := range comp.Entries {
			comp.Entries[i].Provision = drafts.PrintableProvision(e.Provision, lang)
		}
		return print(ctx, s.printedIn(ctx, d, lang, v), comp, drafts.Printable(v))
	}
	if n == 0 {
		n = d.Head
	}
	// As Compile; each print takes a slot (the one it is in, for a
	// version too large to keep).
	return s.withCompilation(ctx, u, d, n, lang, nil, func(ctx context.Context, comp *drafts.Compilation, v *drafts.Version) error {
		return s.Work(ctx, func(ctx context.Context) error { return printIt(ctx, comp, v) })
	})
}

// needRenderer refuses to print without a Renderer.
func (s *Service) needRenderer() error {
	if s.Renderer == nil {
		return drafts.Errorf(drafts.EINTERNAL, "the service has no renderer")
	}
	return nil
}

// printedDocument is what of a document a print may show.
type printedDocument struct {
	ID, Symbol, Title, Kind, Body, Language, Visibility, State string
	Adopted                                                    int
	AdoptedAt                                                  any
	AdoptedBy, Round                                           string
	LanguageVersions                                           []string
}

// pdfKey is the cache key of a print of kind of document d from inputs
// (the versions with their statuses, the diff, the round, the
// compilation): it names the document and hashes everything printed and
// the renderer's configuration, so two documents (or two states of one)
// never share a print.
func (s *Service) pdfKey(d *drafts.Document, kind string, inputs []any) (string, error) {
	identity := ""
	if ri, ok := s.Renderer.(drafts.RendererIdentity); ok {
		identity = ri.Identity()
	}
	h := sha256.New()
	enc := json.NewEncoder(h)
	doc := printedDocument{ID: d.ID, Symbol: d.Symbol, Title: d.Title, Kind: d.Kind, Body: d.Body, Language: d.Language,
		Visibility: d.Visibility, State: d.State, Adopted: d.Adopted, AdoptedAt: d.AdoptedAt, AdoptedBy: d.AdoptedBy, Round: d.Round,
		LanguageVersions: d.LanguageVersions}
	for _, v := range append([]any{kind, identity, doc}, inputs...) {
		if ver, ok := v.(*drafts.Version); ok {
			v = printedVersion(ver)
		}
		if err := enc.Encode(v); err != nil {
			return "", drafts.WrapError(drafts.EINTERNAL, err, "computing the key of a print")
		}
	}
	return printKey(d.ID, kind, hex.EncodeToString(h.Sum(nil))[:40]), nil
}

// printedVersion is what of a version a key must name: everything but the
// text of its provisions, which its hash names (encoding a 2 MB text for
// every request's key would cost what the cache saves), and each
// provision's kind and status.
func printedVersion(v *drafts.Version) any {
	c := *v
	var b strings.Builder
	for _, p := range v.Provisions {
		b.WriteString(p.Kind)
		b.WriteByte(':')
		b.WriteString(p.Status)
		b.WriteByte(';')
	}
	c.Provisions, c.Lead = nil, ""
	return struct {
		Version  *drafts.Version
		Statuses string
	}{&c, b.String()}
}

// diffDigest returns the hash of the diff of versions n and m of doc,
// computed once: the diff never changes.
func (s *Service) diffDigest(doc string, n, m int, d *drafts.Diff) (string, error) {
	key := digestCacheKey(doc, n, m)
	if v, ok := s.immutable().get(key); ok {
		return v.(string), nil
	}
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(d); err != nil {
		return "", drafts.WrapError(drafts.EINTERNAL, err, "computing the key of a print")
	}
	digest := hex.EncodeToString(h.Sum(nil))
	s.immutable().add(key, digest, int64(len(key)+len(digest)))
	return digest, nil
}

// cachedPDF returns the print under its key, making it first if needed.
func (s *Service) cachedPDF(ctx context.Context, d *drafts.Document, kind, filename string, inputs []any, make func(w io.Writer) error) (*drafts.PDF, error) {
	key, err := s.pdfKey(d, kind, inputs)
	if err != nil {
		return nil, err
	}
	// One print per key: from memory, or made once for concurrent callers
	// (all authorized already; the key names the document and everything
	// printed), inside the work limit, and kept in storage and memory.
	if b, ok := s.immutable().get(key); ok {
		return &drafts.PDF{Data: b.(*printed).data, ETag: b.(*printed).etag, Filename: filename}, nil
	}
	b, err := s.flights.do(ctx, key, func() (any, error) {
		if b, ok := s.immutable().get(key); ok {
			return b, nil
		}
		data, etag, err := s.cachedBlob(ctx, key, func() ([]byte, error) {
			var buf bytes.Buffer
			if err := s.heavy(ctx, func() error { return make(&buf) }); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		})
		if err != nil {
			return nil, err
		}
		p := &printed{data: data, etag: etag}
		s.immutable().add(key, p, int64(len(data)))
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return &drafts.PDF{Data: b.(*printed).data, ETag: b.(*printed).etag, Filename: filename}, nil
}

// printed is a print kept in memory; its bytes are shared: read only.
type printed struct {
	data []byte
	etag string
}

var unsafeFilename = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]+`) })

// pdfName builds a download file name from a symbol and version.
func pdfName(symbol string, n int, suffix string) string {
	name := strings.Trim(unsafeFilename().ReplaceAllString(symbol, "-"), "-")
	if name == "" {
		name = "document"
	}
	return fmt.Sprintf("%s-v%d%s.pdf", name, n, suffix)
}

// cachedBlob returns the object at cache/key, making and storing it first
// when there is none (create-only: two makers race harmlessly, both store
// the same bytes). It is for derived, deterministic content such as PDFs.
func (s *Service) cachedBlob(ctx context.Context, key string, make func() ([]byte, error)) ([]byte, string, error) {
	obj, err := s.Store.Get(ctx, key)
	if err == nil {
		return obj.Data, obj.ETag, nil
	}
	if !drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, "", err
	}
	data, err := make()
	if err != nil {
		return nil, "", err
	}
	etag, err := s.Store.Create(ctx, key, data)
	if drafts.IsCode(err, drafts.ECONFLICT) {
		if obj, err := s.Store.Get(ctx, key); err == nil {
			return obj.Data, obj.ETag, nil
		}
	}
	if err != nil {
		return nil, "", err
	}
	return data, etag, nil
}
