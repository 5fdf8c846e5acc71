package storage

// SetLocalTestHook makes l call f between comparing an ETag and replacing or
// removing the object, in Update and Delete. Tests use it to widen the
// window in which a compare-and-swap without a lock would go wrong.
func SetLocalTestHook(l *Local, f func()) { l.testHookCAS = f }
