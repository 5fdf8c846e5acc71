package render

import (
	"io"

	"chancery/drafts"
	"chancery/render/tracked"
)

// DiffText writes d as plain text with tracked words: tracked.Text, in
// its own package so that chancery diff links it without the PDF writer.
func (r *Renderer) DiffText(w io.Writer, d *drafts.Diff) error { return tracked.Text(w, d) }

// DiffHTML writes d as an HTML fragment: tracked.HTML.
func (r *Renderer) DiffHTML(w io.Writer, d *drafts.Diff) error { return tracked.HTML(w, d) }
