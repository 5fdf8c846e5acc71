package service

import (
	"bytes"
	"context"
	"io"

	"chancery/drafts"
)

// StateOfPlayPDF prints the state of play of the head, with its chart.
// A print is kept under a key that hashes everything printed, as the
// caller may see it.
func (s *Service) StateOfPlayPDF(ctx context.Context, doc string) (_ *drafts.PDF, err error) {
	defer markOp(&err, "service.StateOfPlayPDF")
	d, st, err := s.stateToPrint(ctx, doc)
	if err != nil {
		return nil, err
	}
	return s.cachedPDF(ctx, d, "state", pdfName(d.Symbol, st.Version, "-state-of-play"), []any{st}, func(w io.Writer) error {
		return s.Renderer.StateOfPlayPDF(w, d, st)
	})
}

// StateOfPlayHTML writes the state of play of the head as an HTML
// fragment, with its chart.
func (s *Service) StateOfPlayHTML(ctx context.Context, doc string) (_ []byte, err error) {
	defer markOp(&err, "service.StateOfPlayHTML")
	return s.stateBytes(ctx, doc, func(r drafts.Renderer) stateWriter { return r.StateOfPlayHTML })
}

// StateOfPlaySVG draws the chart of the state of play of the head.
func (s *Service) StateOfPlaySVG(ctx context.Context, doc string) (_ []byte, err error) {
	defer markOp(&err, "service.StateOfPlaySVG")
	return s.stateBytes(ctx, doc, func(r drafts.Renderer) stateWriter { return r.StateOfPlaySVG })
}

// stateWriter is a Renderer's method that writes a state of play.
type stateWriter func(io.Writer, *drafts.Document, *drafts.StateOfPlay) error

// stateBytes writes the state of play of the head with the renderer's
// method that writer picks.
func (s *Service) stateBytes(ctx context.Context, doc string, writer func(drafts.Renderer) stateWriter) ([]byte, error) {
	d, st, err := s.stateToPrint(ctx, doc)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writer(s.Renderer)(&buf, d, st); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stateToPrint reads the document and its state of play for a print,
// checking first that there is a renderer to print it.
func (s *Service) stateToPrint(ctx context.Context, doc string) (*drafts.Document, *drafts.StateOfPlay, error) {
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, nil, err
	}
	if err := s.needRenderer(); err != nil {
		return nil, nil, err
	}
	st, err := s.stateOfPlay(ctx, u, d)
	if err != nil {
		return nil, nil, err
	}
	return d, st, nil
}
