package docx

import (
	"encoding/xml"
	"strings"

	"chancery/drafts"
)

// readPart decodes an optional part of the package into v, and reports
// false when the part is missing or malformed: such a part reads as empty.
func readPart(data []byte, v any) bool {
	return data != nil && xml.Unmarshal(data, v) == nil
}

// parseComments reads comments.xml: comment id → its text.
func parseComments(data []byte) map[string]string {
	out := map[string]string{}
	var doc struct {
		Comments []struct {
			ID     string `xml:"id,attr"`
			Author string `xml:"author,attr"`
			Paras  []struct {
				Texts []string `xml:"r>t"`
			} `xml:"p"`
		} `xml:"comment"`
	}
	if !readPart(data, &doc) {
		return out
	}
	for _, c := range doc.Comments {
		var parts []string
		for _, p := range c.Paras {
			if s := strings.TrimSpace(strings.Join(p.Texts, "")); s != "" {
				parts = append(parts, s)
			}
		}
		out[c.ID] = strings.Join(parts, " ")
	}
	return out
}

// coreTitle reads the title property of docProps/core.xml.
func coreTitle(data []byte) string {
	var doc struct {
		Title string `xml:"title"`
	}
	if !readPart(data, &doc) {
		return ""
	}
	return strings.TrimSpace(doc.Title)
}

// noteParas are the paragraphs of the footnotes and endnotes, by note
// ("foo:<id>", "end:<id>").
type noteParas map[string][]*xpara

// parseNotes reads footnotes.xml or endnotes.xml into notes, and reports
// whether it holds tracked changes.
func parseNotes(data []byte, notes noteParas) (bool, error) {
	if data == nil {
		return false, nil
	}
	paras, tracked, err := parseBody(data)
	if err != nil {
		return false, err
	}
	for _, p := range paras {
		if p.note != "" {
			notes[p.note] = append(notes[p.note], p)
		}
	}
	return tracked, nil
}

// text returns the words of a note in a view that accepts acc: its
// paragraphs one line each, blank ones left out.
func (n noteParas) text(id string, acc accepts) string {
	var lines []string
	for _, p := range n[id] {
		var b strings.Builder
		for _, pc := range p.pieces {
			if pc.note == "" && pc.present(acc) {
				b.WriteString(pc.text)
			}
		}
		if line := cleanText(b.String()); !drafts.IsBlank(line) {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}
