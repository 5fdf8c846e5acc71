// Package docx reads and writes Word documents (.docx, Office Open XML
// WordprocessingML) with encoding/xml and archive/zip only. It implements
// drafts.WordReader and drafts.WordWriter.
//
// Reading turns paragraphs into provisions' markup: numbers come from the
// literal text or from Word's automatic numbering, Heading styles make
// headings, and tracked changes (insertions, deletions, moves) give two
// texts, every change rejected and every change accepted, linked paragraph
// by paragraph. A file is checked before anything in it is parsed: size,
// entry count and decompressed size are bounded, and macro-enabled files,
// references to anything outside the file (remote templates, linked
// images, frames; hyperlinks excepted) and XML with a DOCTYPE are refused.
// Nothing is ever fetched.
//
// Writing makes a clean text (symbol, title, literal numbers, headings,
// adoption line, page X of Y in the footer), a text with the changes
// between two versions as real Word revisions authored by the delegations,
// and a compilation. Every provision paragraph carries its id in a
// bookmark named "chy_<id>", which Word and LibreOffice keep.
package docx

import (
	"chancery/drafts"
)

// Default limits of a file read.
const (
	// DefaultMaxFileBytes bounds the .docx file itself.
	DefaultMaxFileBytes = 8 << 20
	// DefaultMaxUnzippedBytes bounds the sum of the decompressed sizes of
	// the parts read.
	DefaultMaxUnzippedBytes = 64 << 20
	// DefaultMaxEntries bounds the number of entries of the zip file.
	DefaultMaxEntries = 1000
	// maxRatio is the highest compression ratio accepted for a large entry:
	// XML compresses about 10:1, a zip bomb 1000:1.
	maxRatio = 200
)

// Word implements drafts.WordReader and drafts.WordWriter. The zero value
// is not usable; create it with New. It holds no mutable state and is
// safe for concurrent use.
type Word struct {
	maxFile     int64
	maxUnzipped int64
	maxEntries  int
	limits      drafts.Limits
}

var (
	_ drafts.WordReader = (*Word)(nil)
	_ drafts.WordWriter = (*Word)(nil)
)

// Option configures a Word.
type Option func(*Word)

// WithLimits sets the largest file, the largest total decompressed size
// and the most zip entries accepted (0 keeps a default).
func WithLimits(fileBytes, unzippedBytes int64, entries int) Option {
	return func(w *Word) {
		if fileBytes > 0 {
			w.maxFile = fileBytes
		}
		if unzippedBytes > 0 {
			w.maxUnzipped = unzippedBytes
		}
		if entries > 0 {
			w.maxEntries = entries
		}
	}
}

// WithTextLimits sets the limits of the texts read (drafts defaults if unset).
func WithTextLimits(l drafts.Limits) Option {
	return func(w *Word) { w.limits = l }
}

// New returns a Word with the given options.
func New(opts ...Option) *Word {
	w := &Word{maxFile: DefaultMaxFileBytes, maxUnzipped: DefaultMaxUnzippedBytes, maxEntries: DefaultMaxEntries}
	for _, o := range opts {
		o(w)
	}
	return w
}

// invalid returns the EINVALID error of a file that cannot be read.
func invalid(format string, args ...any) error {
	e := drafts.Errorf(drafts.EINVALID, "Word file: "+format, args...)
	e.Fields = []drafts.FieldError{{Field: "file", Message: e.Message}}
	return e
}
