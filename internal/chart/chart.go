// Package chart draws small bar and line charts as inline SVG for
// server-rendered pages: no JavaScript, no web fonts, no external styles, and
// a hover title (an SVG <title> child) on every mark.
//
// The charts are meant for county officials on old PCs and phones, so the
// markup is small and responsive: a viewBox with width="100%" and no fixed
// pixel size, one font stack with the common Chinese system fonts set once on
// the root, and plain shapes with integer-ish coordinates.
//
// # Safety
//
// SVG methods return the markup of one <svg> element as a string. Every
// caller-supplied string (chart titles, labels, series names, hover texts,
// CSS classes and the output of Format) is escaped for XML and HTML, and
// characters that XML forbids or invalid UTF-8 are replaced by U+FFFD. Links
// are kept only when they are relative paths beginning with "/" or "?"
// (never "//host", "javascript:" or any other scheme); others are dropped
// and the mark is drawn without a link. The result is therefore safe to
// place in a page as template.HTML, whatever the data says.
//
// # Styling
//
// Marks carry CSS classes for the page's stylesheet ("bar", "bar neg";
// "line" and "pt" with "s0".."s5" for series; "grid", "axis", "tick",
// "label", "value", "legend"; the root is "chart") and also fill or
// stroke presentation attributes, so a chart looks right without any page
// CSS. Presentation attributes lose to every CSS rule, so a page can restyle
// them with plain selectors such as ".chart .bar { fill: ... }".
package chart

import (
	"math"
	"strconv"
	"strings"
)

// Bar is one mark of a bar chart.
type Bar struct {
	Label string // category name, e.g. a township (会师镇)
	Value int64  // in the chart's unit as an integer: fen, or a count
	// Title adds to the hover text, on a line after the label and the
	// formatted value, which the hover text always begins with.
	Title string
	// Href, when a relative path starting with "/" or "?", makes the bar and
	// its labels a link to what is behind it (drill-down). Other values are
	// refused and the bar is drawn without a link.
	Href  string
	Class string // extra CSS classes for the bar
}

// BarChart is a horizontal or vertical bar chart.
//
// Use Horizontal for comparing townships or villages: long Chinese names read
// down the left side. Leave it false for a column chart, such as counts per
// tier of a distribution, whose labels are short; columns too narrow for
// their value labels show the values in hover titles only.
type BarChart struct {
	Title string // accessible name of the chart (aria-label and <title>)
	Bars  []Bar
	// Format writes value labels and hover values, e.g. "12.34万"; nil
	// writes the integer with thousands separators.
	Format     func(int64) string
	Horizontal bool
	// MaxBars, when positive, caps the bars drawn; a note "⋯ +N" tells how
	// many were left out, so callers should sort the bars first.
	MaxBars int
	Empty   string // text shown when there are no bars, e.g. "暂无数据"
}

// Series is one line of a line chart.
type Series struct {
	Name   string  // legend entry and hover prefix; may be empty for one series
	Points []int64 // one value per x label; a short series stops early
	Class  string  // extra CSS classes for the line and its points
}

// LineChart is a trend chart, typically twelve months.
type LineChart struct {
	Title   string   // accessible name of the chart (aria-label and <title>)
	XLabels []string // e.g. "1月".."12月"; points beyond them are numbered
	Series  []Series
	Format  func(int64) string // tick labels and hover values; nil as for BarChart
	Empty   string             // text shown when no series has a point
}

// Geometry of every chart, in viewBox units. The viewBox is scaled to the
// page's width, so these are proportions more than pixels.
const (
	width    = 640.0
	fontSize = 12.0
	pad      = 8.0 // outer margin
	gap      = 6.0 // between a label and what it labels
)

// fontStack lists system fonts only: old PCs have Microsoft YaHei, phones
// PingFang or Noto, and nothing is downloaded.
const fontStack = `system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif`

// Colours used as presentation attributes when the page has no CSS. The
// series palette is colour-blind friendly (Tableau 10); negative bars are red
// like the red figures (赤字) of a deficit.
const (
	colBar   = "#4e79a7"
	colNeg   = "#d6604d"
	colText  = "#333"
	colMuted = "#777"
	colAxis  = "#888"
	colGrid  = "#e3e3e3"
)

var palette = [6]string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"}

// svg accumulates the markup of one chart.
type svg struct{ strings.Builder }

// open writes the root element. Only the width is given (100%), so the
// browser derives the height from the viewBox and the chart scales on
// phones; the xlink namespace is declared only when a link needs it.
// A chart without links is role="img"; one with links is role="group".
func (s *svg) open(height float64, title string, links bool) {
	s.WriteString(`<svg xmlns="http://www.w3.org/2000/svg"`)
	if links {
		s.WriteString(` xmlns:xlink="http://www.w3.org/1999/xlink"`)
	}
	// An image has no parts for assistive technology, so a chart whose
	// marks are links is a named group instead: its links stay reachable
	// by keyboard and screen reader, each named by its mark's <title>.
	role := "img"
	if links {
		role = "group"
	}
	s.WriteString(` class="chart" viewBox="0 0 ` + num(width) + " " + num(height) + `" width="100%" role="` + role + `"`)
	if title != "" {
		s.WriteString(` aria-label="` + esc(title) + `"`)
	}
	s.WriteString(` font-family="` + fontStack + `" font-size="` + num(fontSize) + `" fill="` + colText + `">`)
	if title != "" {
		s.WriteString("<title>" + esc(title) + "</title>")
	}
}

// close ends the root element and hands back the markup.
func (s *svg) close() string {
	s.WriteString("</svg>")
	return s.String()
}

// muted are the text classes drawn grey: axis ticks and notes, which should
// not compete with the data's labels and values.
var muted = map[string]bool{"tick": true, "more": true, "empty": true}

// text writes a text element; anchor is "", "middle" or "end" and class may
// be empty. The content is escaped here, so callers pass raw strings.
func (s *svg) text(x, y float64, anchor, class, content string) {
	s.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `"`)
	if anchor != "" {
		s.WriteString(` text-anchor="` + anchor + `"`)
	}
	if class != "" {
		s.WriteString(` class="` + esc(class) + `"`)
	}
	if muted[class] {
		s.WriteString(` fill="` + colMuted + `"`)
	}
	s.WriteString(">" + esc(content) + "</text>")
}

// line writes a line segment with the given class and stroke colour.
func (s *svg) line(x1, y1, x2, y2 float64, class, stroke string) {
	s.WriteString(`<line class="` + class + `" x1="` + num(x1) + `" y1="` + num(y1) +
		`" x2="` + num(x2) + `" y2="` + num(y2) + `" stroke="` + stroke + `"/>`)
}

// markOpen starts the group of one mark: a link when href is safe, a plain
// group otherwise. Its <title> comes first so the whole mark, labels
// included, shows the hover text. It returns the closing tag.
func (s *svg) markOpen(href, tip string) string {
	end := "</g>"
	if href != "" {
		// Both spellings: SVG 2 browsers read href, older ones (IE, old
		// WebKit) only xlink:href.
		h := esc(href)
		s.WriteString(`<a href="` + h + `" xlink:href="` + h + `">`)
		end = "</a>"
	} else {
		s.WriteString("<g>")
	}
	s.WriteString("<title>" + esc(tip) + "</title>")
	return end
}

// emptySVG is the chart shown when there is nothing to draw: still a valid,
// titled image so the page layout does not jump, with the caller's text.
func emptySVG(title, empty string) string {
	const height = 60.0
	if empty == "" {
		empty = "—"
	}
	var s svg
	s.open(height, title, false)
	s.text(width/2, height/2+fontSize*0.35, "middle", "empty", empty)
	return s.close()
}

// num writes a coordinate with at most one decimal: enough for a 640-unit
// viewBox and much shorter than %g.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0 // unreachable with the guarded scales; keeps the XML valid anyway
	}
	x = math.Round(x*10) / 10
	if x == 0 {
		x = 0 // no "-0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// formatter returns f, or thousands-separated integers when f is nil.
func formatter(f func(int64) string) func(int64) string {
	if f != nil {
		return f
	}
	return group
}

// group writes v with commas between thousands: 1,234,567.
func group(v int64) string {
	s := strconv.FormatInt(v, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// tip is the hover text of a mark: always the label and the value, so a
// mark can be read even where its value label did not fit, then any extra
// text on its own line (browsers show the line break in tooltips).
func tip(label, value, extra string) string {
	t := label + ": " + value
	if extra != "" {
		t += "\n" + extra
	}
	return t
}

// linear maps a value domain onto a coordinate range.
type linear struct{ d0, d1, r0, r1 float64 }

// at maps v. A degenerate domain (all values zero) maps to r0 rather than
// dividing by zero.
func (l linear) at(v float64) float64 {
	if l.d1 == l.d0 {
		return l.r0
	}
	return l.r0 + (v-l.d0)/(l.d1-l.d0)*(l.r1-l.r0)
}
