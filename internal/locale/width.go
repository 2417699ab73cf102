package locale

import (
	"sort"
	"strings"
	"unicode"
)

// Width returns the number of terminal columns s occupies: 2 for each East
// Asian wide or fullwidth rune (CJK ideographs, kana, hangul, fullwidth forms,
// CJK punctuation such as "，" and "："), 0 for combining marks, format
// characters (zero-width space, joiners) and control characters, 1 for
// everything else. Command-line tables of account names line up with it.
//
// East Asian "ambiguous" runes (“ ” … — ·) count 1: terminals outside a CJK
// legacy locale draw them narrow, and so do the terminals jiti runs in.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// PadRight returns s followed by spaces up to w columns; s is returned as it
// is when already as wide.
func PadRight(s string, w int) string {
	if n := Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// PadLeft returns s preceded by spaces up to w columns, to right-align
// numbers; s is returned as it is when already as wide.
func PadLeft(s string, w int) string {
	if n := Width(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

func runeWidth(r rune) int {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return 0
	case r < 0x300:
		// Latin before the combining diacritics: the common case, decided
		// without a table. (U+00AD, the soft hyphen, is drawn as one.)
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		// Checked before the wide table, which spans the combining kana
		// voiced marks U+3099–309A.
		return 0
	case isWide(r):
		return 2
	}
	return 1
}

// wide lists the ranges of East Asian Wide (W) and Fullwidth (F) runes of
// Unicode's EastAsianWidth.txt, merged where the gaps between them are
// unassigned. The emoji blocks are taken whole: the few narrow symbols in
// them are rare in account names and statements. Sorted, for binary search.
var wide = []struct{ lo, hi rune }{
	{0x1100, 0x115F}, // Hangul Jamo initials
	{0x231A, 0x231B}, // watch, hourglass
	{0x2329, 0x232A}, // angle brackets
	{0x23E9, 0x23EC},
	{0x23F0, 0x23F0},
	{0x23F3, 0x23F3},
	{0x25FD, 0x25FE},
	{0x2614, 0x2615},
	{0x2648, 0x2653},
	{0x267F, 0x267F},
	{0x2693, 0x2693},
	{0x26A1, 0x26A1},
	{0x26AA, 0x26AB},
	{0x26BD, 0x26BE},
	{0x26C4, 0x26C5},
	{0x26CE, 0x26CE},
	{0x26D4, 0x26D4},
	{0x26EA, 0x26EA},
	{0x26F2, 0x26F3},
	{0x26F5, 0x26F5},
	{0x26FA, 0x26FA},
	{0x26FD, 0x26FD},
	{0x2705, 0x2705},
	{0x270A, 0x270B},
	{0x2728, 0x2728},
	{0x274C, 0x274C},
	{0x274E, 0x274E},
	{0x2753, 0x2755},
	{0x2757, 0x2757},
	{0x2795, 0x2797},
	{0x27B0, 0x27B0},
	{0x27BF, 0x27BF},
	{0x2B1B, 0x2B1C},
	{0x2B50, 0x2B50},
	{0x2B55, 0x2B55},
	{0x2E80, 0x303E},   // CJK radicals, Kangxi radicals, CJK symbols and punctuation (、。「」《》 and U+3000)
	{0x3041, 0x33FF},   // kana, bopomofo, Hangul compatibility jamo, CJK strokes, enclosed CJK, CJK compatibility
	{0x3400, 0xA4CF},   // CJK extension A, CJK unified ideographs, Yi
	{0xA960, 0xA97F},   // Hangul Jamo extended A
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE10, 0xFE19},   // vertical forms
	{0xFE30, 0xFE6F},   // CJK compatibility forms, small form variants
	{0xFF00, 0xFF60},   // fullwidth forms: ，：（）！ and fullwidth ASCII
	{0xFFE0, 0xFFE6},   // fullwidth signs: ￥ ￠ ￡
	{0x16FE0, 0x16FE4}, // ideographic symbols
	{0x17000, 0x18CFF}, // Tangut, Khitan
	{0x1B000, 0x1B2FF}, // kana supplement and extensions, Nushu
	{0x1F004, 0x1F004},
	{0x1F0CF, 0x1F0CF},
	{0x1F18E, 0x1F18E},
	{0x1F191, 0x1F19A},
	{0x1F200, 0x1F251}, // enclosed ideographic supplement (🈶 🉐)
	{0x1F260, 0x1F265},
	{0x1F300, 0x1F64F}, // pictographs, emoticons
	{0x1F680, 0x1F6FF}, // transport and map symbols
	{0x1F7E0, 0x1F7EB},
	{0x1F90C, 0x1F9FF}, // supplemental symbols and pictographs
	{0x1FA70, 0x1FAFF},
	{0x20000, 0x2FFFD}, // CJK extensions B–F, compatibility supplement
	{0x30000, 0x3FFFD}, // CJK extensions G–H
}

func isWide(r rune) bool {
	if r < wide[0].lo {
		return false
	}
	i := sort.Search(len(wide), func(i int) bool { return wide[i].hi >= r })
	return i < len(wide) && wide[i].lo <= r
}
