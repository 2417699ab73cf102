package chart

import (
	"strings"
	"unicode/utf8"
)

// clean replaces what XML 1.0 cannot carry, even as a character reference
// (control characters other than tab and newlines, U+FFFE, U+FFFF), and
// invalid UTF-8 by U+FFFD, so that any input yields well-formed markup.
func clean(s string) string {
	ok := utf8.ValidString(s)
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s { // ranging turns invalid bytes into U+FFFD
		if !xmlChar(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// xmlChar reports whether r is a Char of the XML 1.0 grammar.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= utf8.MaxRune
}

// escaper covers both XML and HTML: numeric references for the quotes are
// understood by either parser, in text and in attributes.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

// esc makes any string safe as text content or a quoted attribute value.
func esc(s string) string {
	return escaper.Replace(clean(s))
}

// safeHref returns h when it is a same-site relative link, and "" otherwise.
// Only paths ("/...") and queries ("?...") pass: no scheme can hide in them.
// "//host" and "/\host" are refused because browsers read them as another
// host, and so is any control character or backslash, because URL parsers
// drop tabs and newlines and turn "\" into "/" ("/\t/host" is "//host").
func safeHref(h string) string {
	if h == "" || (h[0] != '/' && h[0] != '?') || !utf8.ValidString(h) {
		return ""
	}
	if len(h) > 1 && h[0] == '/' && (h[1] == '/' || h[1] == '\\') {
		return ""
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return ""
		}
	}
	return h
}

// ems estimates the rendered width of s in ems without font metrics: CJK and
// other wide characters take a full em, ASCII about 0.55 em, other
// alphabets a little more. The estimate errs wide, and labels are anchored
// at their end next to the bars, so a font wider still can only push a label
// off the left edge, never onto a bar.
func ems(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeEms(r)
	}
	return w
}

// runeEms is the estimated width of one character in ems.
func runeEms(r rune) float64 {
	switch {
	case r < 0x20:
		return 0
	case r < 0x7f:
		return 0.55
	case r < 0x1100: // Latin, Greek, Cyrillic and other narrow scripts
		return 0.65
	default: // Hangul, CJK, kana, fullwidth forms, U+FFFD, symbols
		return 1
	}
}

// textWidth is the estimated width of s in viewBox units at the chart's
// font size.
func textWidth(s string) float64 {
	return ems(s) * fontSize
}

// fit shortens s with an ellipsis so that it is at most w units wide; the
// full text stays in the mark's hover title.
func fit(s string, w float64) string {
	if textWidth(s) <= w {
		return s
	}
	const ellipsis = "…"
	room := w - fontSize // the ellipsis, counted as a full em
	var b strings.Builder
	used := 0.0
	for _, r := range s {
		used += runeEms(r) * fontSize
		if used > room {
			break
		}
		b.WriteRune(r)
	}
	return b.String() + ellipsis
}
