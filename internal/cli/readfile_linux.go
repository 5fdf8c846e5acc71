package cli

import (
	"os"
	"syscall"
	"unsafe"
)

// readFile returns a file's contents as a string. A process that starts
// for one diff spends more of its time on fresh pages than on the diff, so
// a regular file is mapped, its pages the page cache's, in one call
// (MAP_POPULATE), where reading it would fault in a buffer page by page
// and copy into it; git's diff maps its files too (and, like it, the
// tool would end with a fault if another program cut the file short while
// it runs). The mapping is never undone: the program ends after its one
// command. A file that cannot be mapped is read.
func readFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 && fi.Size() <= int64(TextLimits.MaxBytes) {
		b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
		if err == nil {
			return unsafe.String(unsafe.SliceData(b), len(b)), nil
		}
	}
	return readAll(f)
}
