package docx

import (
	"bytes"
	"strconv"
	"strings"
)

// level is one level of a numbering definition.
type level struct {
	start   int
	format  string
	text    string
	isLegal bool
}

// numbering holds numbering.xml: list instances and their definitions.
type numbering struct {
	abstract map[string]map[int]level // abstractNumId → ilvl → level
	nums     map[string]numInstance
}

type numInstance struct {
	abstract string
	starts   map[int]int // ilvl → startOverride
}

// parseNumbering reads numbering.xml (nil data: no numbering).
func parseNumbering(data []byte) *numbering {
	n := &numbering{abstract: map[string]map[int]level{}, nums: map[string]numInstance{}}
	type lvlXML struct {
		Ilvl    string `xml:"ilvl,attr"`
		Start   *val   `xml:"start"`
		NumFmt  val    `xml:"numFmt"`
		LvlText val    `xml:"lvlText"`
		IsLgl   *val   `xml:"isLgl"`
	}
	var doc struct {
		Abstract []struct {
			ID     string   `xml:"abstractNumId,attr"`
			Levels []lvlXML `xml:"lvl"`
		} `xml:"abstractNum"`
		Nums []struct {
			ID        string `xml:"numId,attr"`
			Abstract  val    `xml:"abstractNumId"`
			Overrides []struct {
				Ilvl  string `xml:"ilvl,attr"`
				Start *val   `xml:"startOverride"`
			} `xml:"lvlOverride"`
		} `xml:"num"`
	}
	if !readPart(data, &doc) {
		return n
	}
	for _, a := range doc.Abstract {
		levels := map[int]level{}
		for _, l := range a.Levels {
			i, err := strconv.Atoi(l.Ilvl)
			if err != nil || i < 0 || i > 8 {
				continue
			}
			lv := level{start: 1, format: l.NumFmt.Val, text: l.LvlText.Val, isLegal: l.IsLgl != nil && l.IsLgl.Val != "0" && l.IsLgl.Val != "false"}
			if s, ok := startValue(l.Start); ok {
				lv.start = s
			}
			if lv.format == "" {
				lv.format = "decimal"
			}
			levels[i] = lv
		}
		n.abstract[a.ID] = levels
	}
	for _, m := range doc.Nums {
		inst := numInstance{abstract: m.Abstract.Val, starts: map[int]int{}}
		for _, o := range m.Overrides {
			i, err := strconv.Atoi(o.Ilvl)
			if err != nil {
				continue
			}
			if s, ok := startValue(o.Start); ok {
				inst.starts[i] = s
			}
		}
		n.nums[m.ID] = inst
	}
	return n
}

// startValue reads the number a level starts at (w:start,
// w:startOverride), if it is there and reasonable.
func startValue(v *val) (int, bool) {
	if v == nil {
		return 0, false
	}
	s, err := strconv.Atoi(v.Val)
	return s, err == nil && s >= 0 && s < 100000
}

// counter numbers the paragraphs of one view in order, as Word does:
// instances of one definition share counters unless an override restarts
// them; a level's counter restarts when a higher level is used.
type counter struct {
	n       *numbering
	counts  map[string][]int // abstract id → count per level (0: unused)
	started map[string]bool  // num ids whose overrides were applied
}

func newCounter(n *numbering) *counter {
	return &counter{n: n, counts: map[string][]int{}, started: map[string]bool{}}
}

// next returns the label of the next paragraph with numbering ref ("" if
// it shows none: a bullet, no definition), and the level's format.
func (c *counter) next(ref numRef) (string, string) {
	if !ref.set || ref.id == "0" || ref.lvl < 0 || ref.lvl > 8 {
		return "", ""
	}
	inst, ok := c.n.nums[ref.id]
	if !ok {
		return "", ""
	}
	levels := c.n.abstract[inst.abstract]
	lv, ok := levels[ref.lvl]
	if !ok {
		return "", ""
	}
	counts := c.counts[inst.abstract]
	if counts == nil {
		counts = make([]int, 9)
		c.counts[inst.abstract] = counts
	}
	if !c.started[ref.id] {
		c.started[ref.id] = true
		for l := range inst.starts {
			if l >= 0 && l < 9 {
				counts[l] = 0 // the override restarts this level here
			}
		}
	}
	if counts[ref.lvl] == 0 {
		start := lv.start
		if s, ok := inst.starts[ref.lvl]; ok {
			start = s
		}
		counts[ref.lvl] = start
	} else {
		counts[ref.lvl]++
	}
	for l := ref.lvl + 1; l < 9; l++ {
		counts[l] = 0
	}
	if lv.format == "bullet" || lv.format == "none" {
		return "", lv.format
	}
	return label(levels, counts, ref.lvl), lv.format
}

// label writes the label of a paragraph at level lvl from the level's
// text ("%1.%2."), each %n the count of level n in its format (decimal
// on a legal numbering level), or where level n was not used, its start.
func label(levels map[int]level, counts []int, lvl int) string {
	lv := levels[lvl]
	var b strings.Builder
	t := lv.text
	for i := 0; i < len(t); i++ {
		if t[i] == '%' && i+1 < len(t) && t[i+1] >= '1' && t[i+1] <= '9' {
			l := int(t[i+1] - '1')
			i++
			v := counts[l]
			if v == 0 && l != lvl {
				v = max(levels[l].start, 1)
			}
			f := levels[l].format
			if lv.isLegal {
				f = "decimal"
			}
			b.WriteString(formatNumber(v, f))
			continue
		}
		b.WriteByte(t[i])
	}
	return strings.TrimSpace(b.String())
}

// formatNumber writes n in a Word number format.
func formatNumber(n int, format string) string {
	switch format {
	case "lowerLetter":
		return letters(n, "abcdefghijklmnopqrstuvwxyz")
	case "upperLetter":
		return letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	case "russianLower":
		return letters(n, "абвгдежзиклмнопрстуфхцчшщэюя")
	case "russianUpper":
		return letters(n, "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ")
	case "lowerRoman":
		return strings.ToLower(roman(n))
	case "upperRoman":
		return roman(n)
	case "decimalZero":
		if n < 10 {
			return "0" + strconv.Itoa(n)
		}
	}
	return strconv.Itoa(n)
}

// letters writes n as Word does: a..z, then aa..zz, then aaa...
func letters(n int, alphabet string) string {
	abc := []rune(alphabet)
	if n < 1 {
		return string(abc[0])
	}
	r := abc[(n-1)%len(abc)]
	return strings.Repeat(string(r), (n-1)/len(abc)+1)
}

func roman(n int) string {
	if n < 1 || n > 3999 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b bytes.Buffer
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
