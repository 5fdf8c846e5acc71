package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Identity implements drafts.RendererIdentity: it names what of the
// Renderer's configuration shows in a PDF (the forum's name, the fallback
// font, determinism), so that prints cached by differently configured
// replicas never cross.
func (r *Renderer) Identity() string {
	h := sha256.New()
	fmt.Fprintf(h, "layout:%s;", layoutVersion)
	fmt.Fprintf(h, "forum:%d:%s;set:%t;deterministic:%t;", len(r.forum), r.forum, r.forumSet, r.deterministic)
	h.Write(r.fallbackBytes)
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// layoutVersion changes whenever the same inputs print differently (fonts,
// layout, marks of changes), so that PDFs cached by an older release are
// not served: 2 is Noto Serif and Sans and whole-word changes.
const layoutVersion = "2"
