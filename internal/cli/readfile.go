package cli

import (
	"io"
	"os"
	"unsafe"
)

// readAll reads f to its end into a string without the copy of
// string(bytes), bounded by the largest text the tools take (a larger one
// is refused by the parser, which names the limit).
func readAll(f *os.File) (string, error) {
	b, err := io.ReadAll(io.LimitReader(f, int64(TextLimits.MaxBytes)+1))
	return unsafe.String(unsafe.SliceData(b), len(b)), err
}
