package cli

import "example.org/jiti/internal/store"

// SetOpened makes every command call f with each database it opens, as
// tests that put a database into a given state need (a full disk), and
// returns the function that stops it.
func SetOpened(f func(*store.DB)) (stop func()) {
	opened = f
	return func() { opened = nil }
}
