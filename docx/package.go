package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
	"unicode"
)

// Relationship types and content types the reader looks for.
const (
	relOfficeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relStrictOffice   = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
	macroContentType  = "macroEnabled"
	mainContentType   = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	templateMainType  = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
)

// pkg is a .docx opened and checked: its XML parts by name.
type pkg struct {
	parts map[string][]byte
	main  string // name of the main document part, e.g. "word/document.xml"
	// template is the file name of the attached template, "" if none.
	template string
}

// rel is one relationship of a .rels part.
type rel struct {
	ID         string `xml:"Id,attr"`
	Type       string `xml:"Type,attr"`
	Target     string `xml:"Target,attr"`
	TargetMode string `xml:"TargetMode,attr"`
}

// openPackage checks data as a .docx and reads its XML parts, refusing
// what a .docx must not hold.
func (w *Word) openPackage(data []byte) (*pkg, error) {
	zr, err := w.openZip(data)
	if err != nil {
		return nil, err
	}
	p, err := w.readParts(zr)
	if err != nil {
		return nil, err
	}
	ct, ok := p.parts["[Content_Types].xml"]
	if !ok {
		return nil, invalid("not a .docx (a zip archive without [Content_Types].xml)")
	}
	if bytes.Contains(ct, []byte(macroContentType)) {
		return nil, invalid("the file is macro-enabled (.docm or .dotm); save it as a Word Document (.docx) without macros")
	}
	if err := p.checkRelsInside(); err != nil {
		return nil, err
	}
	if err := p.findMain(); err != nil {
		return nil, err
	}
	if !bytes.Contains(ct, []byte(mainContentType)) && !bytes.Contains(ct, []byte(templateMainType)) {
		return nil, invalid("not a Word document (the package is another kind of Office file)")
	}
	return p, nil
}

// openZip checks the file's size and kind and opens it as a zip archive
// of at most maxEntries entries.
func (w *Word) openZip(data []byte) (*zip.Reader, error) {
	if int64(len(data)) > w.maxFile {
		return nil, invalid("the file is %d bytes; the limit is %d", len(data), w.maxFile)
	}
	if len(data) == 0 {
		return nil, invalid("the file is empty")
	}
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return nil, invalid("this is an old-style .doc or a password-protected file, not a .docx; save it as a Word Document (.docx) without a password")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalid("not a .docx (it is not a zip archive: %s)", zipProblem(err))
	}
	if len(zr.File) > w.maxEntries {
		return nil, invalid("the file holds %d entries; the limit is %d", len(zr.File), w.maxEntries)
	}
	return zr, nil
}

// readParts reads every entry of the archive, within the bounds of the
// decompressed size, and keeps the XML parts, each checked by checkXML.
// It refuses macros and entries that decompress like a zip bomb.
func (w *Word) readParts(zr *zip.Reader) (*pkg, error) {
	p := &pkg{parts: map[string][]byte{}}
	var total int64
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		lower := strings.ToLower(name)
		if strings.HasSuffix(lower, "vbaproject.bin") || strings.HasSuffix(lower, "vbadata.xml") {
			return nil, invalid("the file is macro-enabled (it holds %s); save it as a Word Document (.docx) without macros", path.Base(name))
		}
		if f.UncompressedSize64 > uint64(w.maxUnzipped) ||
			(f.UncompressedSize64 > 1<<20 && f.UncompressedSize64/max(f.CompressedSize64, 1) > maxRatio) {
			return nil, invalid("%s decompresses to %d bytes from %d: refused as a zip bomb", name, f.UncompressedSize64, f.CompressedSize64)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		keep := strings.HasSuffix(lower, ".xml") || strings.HasSuffix(lower, ".rels")
		data, err := w.readEntry(f, name, keep, &total)
		if err != nil {
			return nil, err
		}
		if keep {
			if err := checkXML(name, data); err != nil {
				return nil, err
			}
			p.parts[name] = data
		}
	}
	return p, nil
}

// readEntry decompresses the entry f (named name), adding its size to
// total, and returns its bytes if keep is set. It refuses the file when
// total passes maxUnzipped or the entry is larger than its header says.
func (w *Word) readEntry(f *zip.File, name string, keep bool, total *int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, invalid("%s cannot be read: %s", name, zipProblem(err))
	}
	var buf bytes.Buffer
	var dst io.Writer = io.Discard
	if keep {
		dst = &buf
	}
	n, err := io.Copy(dst, io.LimitReader(rc, w.maxUnzipped-*total+1))
	rc.Close()
	*total += n
	if *total > w.maxUnzipped {
		return nil, invalid("the file decompresses to more than %d bytes: refused as a zip bomb", w.maxUnzipped)
	}
	if errors.Is(err, zip.ErrFormat) { // archive/zip stops an entry at its declared size
		return nil, invalid("%s decompresses to more than the %d bytes its header says: refused as a zip bomb", name, f.UncompressedSize64)
	}
	if err != nil {
		return nil, invalid("%s cannot be read: %s", name, zipProblem(err))
	}
	return buf.Bytes(), nil
}

// checkRelsInside refuses a package with a relationship to anything
// outside the file that could be fetched or run, and notes the template
// the document was made from: a hyperlink is never followed and a
// template never fetched, so both are accepted.
func (p *pkg) checkRelsInside() error {
	for name, data := range p.parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		rels, err := parseRels(name, data)
		if err != nil {
			return err
		}
		for _, r := range rels {
			if !strings.EqualFold(r.TargetMode, "External") {
				continue
			}
			kind := r.Type[strings.LastIndex(r.Type, "/")+1:]
			switch kind {
			case "hyperlink":
				continue
			case "attachedTemplate":
				if p.template == "" {
					p.template = templateName(r.Target)
				}
				continue
			}
			// The target (a URL) is not repeated: it is the sender's, and
			// error details never carry addresses.
			return invalid("%s; nothing in a file is ever fetched, and such files are refused", externalKind(kind))
		}
	}
	return nil
}

// templateName is the file name of a template's address, as Windows
// ("file:///C:\...\Normal.dotm"), a Mac ("file:///Users/.../Normal.dotm",
// "Macintosh HD:Users:...:Normal.dotm") or a server (https://...) gives
// it, without the folders, which name the sender's computer and account.
func templateName(target string) string {
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	if i := strings.LastIndexAny(target, `/\:`); i >= 0 {
		target = target[i+1:]
	}
	target = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, target)
	if r := []rune(target); len(r) > 100 {
		target = string(r[:100])
	}
	return strings.TrimSpace(target)
}

// externalKind says, for a secretariat officer, what a file refers to
// outside itself and what to do about it.
func externalKind(kind string) string {
	switch kind {
	case "image":
		return "the file shows a picture linked from outside it (inserted with \"Link to File\"): insert the picture itself or remove it, and send the file again"
	case "oleObject":
		return "the file holds an object linked to another file (an OLE link): break the link (File > Info > Edit Links to Files > Break Link) and send the file again"
	case "frame", "subDocument":
		return "the file includes a linked " + kind + " from outside it: copy its text into the document and send the file again"
	}
	return "the file refers to an external " + kind + " outside itself: remove it and send the file again"
}

// findMain sets p.main to the main document part the package's
// relationships name, and refuses a package without one.
func (p *pkg) findMain() error {
	rels, err := parseRels("_rels/.rels", p.parts["_rels/.rels"])
	if err != nil {
		return err
	}
	for _, r := range rels {
		if r.Type == relOfficeDocument || r.Type == relStrictOffice {
			p.main = strings.TrimPrefix(path.Clean("/"+r.Target), "/")
		}
	}
	if p.main == "" {
		return invalid("not a .docx (the package names no main document)")
	}
	if _, ok := p.parts[p.main]; !ok {
		return invalid("not a .docx (the main document %s is missing)", p.main)
	}
	return nil
}

// partRels returns the relationships of a part (word/document.xml →
// word/_rels/document.xml.rels), by id, with targets resolved to part names.
func (p *pkg) partRels(part string) (map[string]rel, error) {
	dir, file := path.Split(part)
	name := dir + "_rels/" + file + ".rels"
	rels, err := parseRels(name, p.parts[name])
	if err != nil {
		return nil, err
	}
	out := map[string]rel{}
	for _, r := range rels {
		if !strings.EqualFold(r.TargetMode, "External") {
			if strings.HasPrefix(r.Target, "/") {
				r.Target = strings.TrimPrefix(path.Clean(r.Target), "/")
			} else {
				r.Target = strings.TrimPrefix(path.Clean("/"+dir+r.Target), "/")
			}
		}
		out[r.ID] = r
	}
	return out, nil
}

func parseRels(name string, data []byte) ([]rel, error) {
	if data == nil {
		return nil, nil
	}
	var doc struct {
		Rels []rel `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, invalid("%s is not well-formed XML: %s", name, xmlProblem(err))
	}
	return doc.Rels, nil
}

// checkXML refuses a part holding a DOCTYPE (and so entity declarations):
// OOXML never has one, and entity expansion is a classic attack.
func checkXML(name string, data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return invalid("%s is not well-formed XML: %s", name, xmlProblem(err))
		}
		switch t := tok.(type) {
		case xml.Directive:
			what := "a DOCTYPE"
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				what = "entity declarations"
			}
			return invalid("%s holds %s, which a .docx never has: refused", name, what)
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return invalid("%s nests elements more than %d deep", name, maxDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// maxDepth bounds the nesting of XML elements.
const maxDepth = 256

func zipProblem(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return "not a valid zip file"
	case errors.Is(err, zip.ErrAlgorithm):
		return "unsupported compression method"
	case errors.Is(err, zip.ErrChecksum):
		return "checksum error: the file is damaged"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the file is truncated"
	}
	return "damaged"
}

func xmlProblem(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("line %d: %s", se.Line, se.Msg)
	}
	return "malformed"
}
