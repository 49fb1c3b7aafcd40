package lint

import "os"

// describe words an error of the file system for a message. (The settings
// package has the same helper for its own messages, and source has
// describeOSError.)
func describe(err error) string {
	if os.IsNotExist(err) {
		return "no such file"
	}
	if os.IsPermission(err) {
		return "permission denied"
	}
	return err.Error()
}
