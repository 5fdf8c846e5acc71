package docx

import (
	"encoding/xml"
	"strings"
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
