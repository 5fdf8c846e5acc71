package docx

import (
	"strconv"
	"strings"
)

// numRef is a paragraph's reference to a numbering: w:numPr.
type numRef struct {
	id  string
	lvl int
	set bool
}

// style is one paragraph style of styles.xml.
type style struct {
	name    string
	basedOn string
	num     numRef
	outline int // w:outlineLvl + 1, 0 if none
}

// styles maps style ids to paragraph styles.
type styles map[string]style

// Style roles.
const (
	roleBody = iota
	roleHeading
	roleTitle // Title and Subtitle: the document's title, not a provision
	roleSkip  // Chancery's own symbol and note lines
)

// Styles Chancery writes for lines that are not provisions.
const (
	styleSymbol = "ChancerySymbol"
	styleNote   = "ChanceryNote"
	// styleMarkedHeading (+ level) is a "#" heading whose words would
	// read as a numbered heading ("# Раздел I"): reading keeps the "#".
	styleMarkedHeading = "ChanceryMarkedHeading"
)

// role returns what a paragraph of the given style is, and a heading's level.
func (s styles) role(id string) (int, int) {
	for i := 0; i < 20 && id != ""; i++ {
		if id == styleSymbol || id == styleNote {
			return roleSkip, 0
		}
		st, ok := s[id]
		name := strings.ToLower(strings.TrimSpace(st.name))
		if !ok {
			name = strings.ToLower(id) // a style used but not defined
		}
		name = strings.ReplaceAll(name, " ", "")
		switch {
		case name == "title" || name == "subtitle":
			return roleTitle, 0
		case strings.HasPrefix(name, "heading") && len(name) == len("heading")+1 && name[7] >= '1' && name[7] <= '9':
			return roleHeading, min(int(name[7]-'0'), 6)
		case st.outline > 0 && st.outline <= 6:
			return roleHeading, st.outline
		}
		if !ok {
			break
		}
		id = st.basedOn
	}
	return roleBody, 0
}

// numbering returns the numbering a style gives its paragraphs, if any.
func (s styles) numbering(id string) numRef {
	for i := 0; i < 20 && id != ""; i++ {
		st, ok := s[id]
		if !ok {
			break
		}
		if st.num.set {
			return st.num
		}
		id = st.basedOn
	}
	return numRef{}
}

// parseStyles reads the paragraph styles of styles.xml.
func parseStyles(data []byte) styles {
	out := styles{}
	var doc struct {
		Styles []struct {
			Type    string `xml:"type,attr"`
			ID      string `xml:"styleId,attr"`
			Name    val    `xml:"name"`
			BasedOn val    `xml:"basedOn"`
			PPr     struct {
				NumPr *struct {
					Ilvl  val `xml:"ilvl"`
					NumID val `xml:"numId"`
				} `xml:"numPr"`
				Outline *val `xml:"outlineLvl"`
			} `xml:"pPr"`
		} `xml:"style"`
	}
	if !readPart(data, &doc) {
		return out
	}
	for _, st := range doc.Styles {
		if st.Type != "" && st.Type != "paragraph" {
			continue
		}
		s := style{name: st.Name.Val, basedOn: st.BasedOn.Val}
		if n := st.PPr.NumPr; n != nil && n.NumID.Val != "" {
			lvl, _ := strconv.Atoi(n.Ilvl.Val)
			s.num = numRef{id: n.NumID.Val, lvl: lvl, set: true}
		}
		if o := st.PPr.Outline; o != nil {
			if n, err := strconv.Atoi(o.Val); err == nil && n >= 0 && n < 6 {
				s.outline = n + 1
			}
		}
		out[st.ID] = s
	}
	return out
}

// val is an element whose value is its w:val attribute.
type val struct {
	Val string `xml:"val,attr"`
}
