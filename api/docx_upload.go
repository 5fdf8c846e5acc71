package api

import (
	"bytes"
	"io"
	"mime"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The .docx routes take a Word file sent as its own type, as
// application/octet-stream with a .docx file name (curl --data-binary,
// tools that know no better), or in a multipart form. Formats Chancery
// does not read (a Word 97-2003 .doc, OpenDocument, RTF, PDF) get a 415
// that names the format and says to save the file as .docx.

// Media types of the formats refused, and the words that name them.
var refusedTypes = map[string]string{
	"application/msword":                      "a Word 97-2003 document (.doc)",
	"application/vnd.ms-word":                 "a Word 97-2003 document (.doc)",
	"application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
	"application/rtf":                         "a Rich Text Format file (.rtf)",
	"text/rtf":                                "a Rich Text Format file (.rtf)",
	"application/pdf":                         "a PDF file",
}

// refusedExtensions names the formats refused by their file names.
var refusedExtensions = map[string]string{
	".doc": "a Word 97-2003 document (.doc)",
	".dot": "a Word 97-2003 template (.dot)",
	".odt": "an OpenDocument text (.odt)",
	".ott": "an OpenDocument template (.ott)",
	".rtf": "a Rich Text Format file (.rtf)",
	".pdf": "a PDF file",
	".txt": "a plain text file (send its text as JSON)",
}

// unsupportedFormat is the 415 of a file in a format Chancery does not read.
func unsupportedFormat(what string) error {
	return &drafts.Error{Code: drafts.EMEDIATYPE,
		Message: "the file is " + what + ", which Chancery does not read: open it in Word or LibreOffice, save it as a Word Document (.docx), and send the .docx",
		Fields:  []drafts.FieldError{{Field: "file", Message: "save it as .docx"}}}
}

// sniffFormat names the format of a file Chancery refuses by its first
// bytes, or returns "" (a .docx, or something ReadWord will judge).
func sniffFormat(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "a Word 97-2003 document (.doc) or another file of the old Office format"
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return "a Rich Text Format file (.rtf)"
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "a PDF file"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) && len(data) > 38 && string(data[30:38]) == "mimetype":
		// An OpenDocument file starts with its mimetype, stored.
		if bytes.Contains(data[38:min(len(data), 200)], []byte("opendocument.text")) {
			return "an OpenDocument text (.odt)"
		}
		return "an OpenDocument file"
	}
	return ""
}

// fileNameFormat names the refused format a file name says, or "".
func fileNameFormat(name string) string {
	return refusedExtensions[strings.ToLower(path.Ext(strings.TrimSpace(name)))]
}

// dispositionName is the file name of a request's Content-Disposition.
func dispositionName(c echo.Context) string {
	_, params, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentDisposition))
	if err != nil {
		return ""
	}
	return params["filename"]
}

// wordUpload tells whether a request to a .docx route carries a Word file
// to read (else it is the JSON route's): a 415 for a format refused.
// A raw upload without a telling type or name is recognised by its
// first bytes.
func wordUpload(c echo.Context) (bool, error) {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if what, ok := refusedTypes[mt]; ok {
		return false, unsupportedFormat(what)
	}
	switch mt {
	case drafts.WordMediaType, echo.MIMEMultipartForm:
		return true, nil
	case echo.MIMEOctetStream:
	default:
		return false, nil
	}
	name := dispositionName(c)
	if what := fileNameFormat(name); what != "" {
		return false, unsupportedFormat(what)
	}
	if strings.HasSuffix(strings.ToLower(name), ".docx") {
		return true, nil
	}
	// No name: the first bytes say what it is.
	r := c.Request()
	data, err := readAllBody(r.Body)
	if err != nil {
		return false, err
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	if what := sniffFormat(data); what != "" {
		return false, unsupportedFormat(what)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return true, nil
	}
	return false, drafts.Errorf(drafts.EMEDIATYPE, "the body is application/octet-stream of no known kind: send JSON as application/json, or a Word file as %s (or as application/octet-stream with Content-Disposition: attachment; filename=\"name.docx\")", drafts.WordMediaType)
}
