package locale

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// maxInitials bounds the spellings Initials returns: a name with many
// characters of several readings would otherwise multiply them.
const maxInitials = 16

// Initials returns the pinyin initials of a name, the 助记码 accountants
// type to find an account: 银行存款 → "yhck". A character with several
// readings gives each (行 is xing and hang, so 银行存款 gives "yxck" and
// "yhck"), up to maxInitials spellings, the common reading first. Letters
// and digits are kept, lower-cased; other characters are dropped.
func Initials(name string) []string {
	args := pinyin.NewArgs()
	args.Style = pinyin.FirstLetter
	args.Heteronym = true
	out := []string{""}
	for _, r := range name {
		var letters []string
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			letters = []string{strings.ToLower(string(r))}
		case unicode.Is(unicode.Han, r):
			letters = hanInitials(r, args)
		}
		if len(letters) == 0 {
			continue
		}
		var next []string
		for _, prefix := range out {
			for _, l := range letters {
				if len(next) < maxInitials {
					next = append(next, prefix+l)
				}
			}
		}
		out = next
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// hanCache holds the initials of each character once read: the pinyin
// library's lookup and styling cost more than the rest of Initials, and a
// register of thousands of names repeats its characters.
var hanCache sync.Map // rune → []string

// hanInitials returns the distinct initials of a Han character's readings.
func hanInitials(r rune, args pinyin.Args) []string {
	if v, ok := hanCache.Load(r); ok {
		return v.([]string)
	}
	var letters []string
	for _, p := range pinyin.SinglePinyin(r, args) {
		if p != "" && !contains(letters, p) {
			letters = append(letters, p)
		}
	}
	hanCache.Store(r, letters)
	return letters
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
