package gzipper

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
)

// A page that many readers load at once is mostly parts made once for
// all of them (the text, the compilation) around a little that is each
// reader's own (the header, the forms). Compressing the whole page for
// each reader would compress the shared parts again every time; instead
// a shared part is deflated once (Deflate) and its bytes spliced into
// each reader's gzip stream between the reader's own parts, compressed
// as they come (Splice). DEFLATE allows it: blocks that end on a byte
// boundary (a sync flush) may be followed by any other blocks, which need
// not refer back to what came before.

// Part is a piece of an answer: Plain, and Deflated when it was deflated
// already (Deflate of Plain).
type Part struct {
	Plain    []byte
	Deflated []byte
}

// Deflate returns data as DEFLATE blocks, none of them final, ending on a
// byte boundary: a part to splice (Part.Deflated). At the fastest level,
// as Compress.
func Deflate(data []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(data) / 4)
	fw := flaters.Get().(*flate.Writer)
	defer putFlater(fw)
	fw.Reset(&buf)
	_, _ = fw.Write(data)
	_ = fw.Flush()
	return buf.Bytes()
}

// flaters deflate the parts compressed for one answer, at the fastest
// level (see writers).
var flaters = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(nil, flate.BestSpeed)
	return fw
}}

// putFlater returns fw to the pool, holding on to no answer's bytes.
func putFlater(fw *flate.Writer) {
	fw.Reset(io.Discard)
	flaters.Put(fw)
}

// header is a gzip member's header: no name, no time, unknown system.
var header = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// Splice returns the gzip stream of the parts' plain bytes, in order:
// the parts deflated already as they are, the others compressed now.
func Splice(parts []Part) []byte {
	var out bytes.Buffer
	SpliceInto(&out, parts)
	return out.Bytes()
}

// SpliceInto is Splice writing the stream into out (a buffer used again,
// say).
func SpliceInto(out *bytes.Buffer, parts []Part) {
	size := 0
	for _, p := range parts {
		size += len(p.Plain)
	}
	out.Grow(size/4 + 64)
	out.Write(header)
	fw := flaters.Get().(*flate.Writer)
	defer putFlater(fw)
	var crc uint32
	for _, p := range parts {
		crc = crc32.Update(crc, crc32.IEEETable, p.Plain)
		switch {
		case p.Deflated != nil:
			out.Write(p.Deflated)
		case len(p.Plain) > 0:
			fw.Reset(out)
			_, _ = fw.Write(p.Plain)
			_ = fw.Flush()
		}
	}
	// The last block: empty, fixed codes, final.
	out.Write([]byte{0x03, 0x00})
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(size))
	out.Write(trailer[:])
}
