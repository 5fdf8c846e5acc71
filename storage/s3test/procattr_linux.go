package s3test

import "syscall"

// procAttr makes the server die with the test process, so that a test
// binary killed by a timeout does not leave servers holding ports.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
