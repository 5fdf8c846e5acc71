package storage

// SetLocalTestHook makes l call f between comparing an ETag and replacing or
// removing the object, in Update and Delete. Tests use it to widen the
// window in which a compare-and-swap without a lock would go wrong.
func SetLocalTestHook(l *Local, f func()) { l.testHookCAS = f }

// SetLocalReadHook makes l call f in Get between reading an object's file
// and offering it to the cache.
func SetLocalReadHook(l *Local, f func(key string)) { l.testHookRead = f }

// SetLocalChangedHook makes l call f in Create, Update and Delete between changing
// an object's file and telling the cache that the write has ended.
func SetLocalChangedHook(l *Local, f func(key string)) { l.testHookChanged = f }

// SetLocalCacheLimits replaces l's cache with an empty one that holds at
// most maxBytes in all and objects of at most maxObject bytes.
func SetLocalCacheLimits(l *Local, maxBytes int64, maxObject int) {
	l.cache = newLocalCache(maxBytes, maxObject)
}

// LocalCacheStats returns how many objects and absences l's cache holds and
// the memory they cost.
func LocalCacheStats(l *Local) (objects, absences int, size, missing int64) {
	return l.cache.stats()
}

// LocalCached reports whether l's cache holds key.
func LocalCached(l *Local, key string) bool {
	l.cache.mu.Lock()
	defer l.cache.mu.Unlock()
	_, ok := l.cache.items[key]
	return ok
}
