package chart

import (
	"math"
	"strconv"
)

// Geometry of bar charts.
const (
	rowH    = 24.0  // horizontal: one bar's row
	barH    = 16.0  // horizontal: bar thickness
	colH    = 280.0 // vertical: whole chart
	maxColW = 64.0  // vertical: a few columns should not look like slabs
	minPlot = 120.0 // horizontal: room bars keep however long the labels
	lineH   = fontSize + 4
)

// row is a bar ready to draw: texts formatted, link checked, colour chosen.
type row struct {
	label string // full label, cleaned
	value int64
	text  string // formatted value
	tip   string // hover text
	href  string // safe link or ""
	class string
	fill  string
}

// SVG draws the chart. It never fails: no bars gives the Empty text, and
// all-zero values give zero-length bars on a zero axis with their labels.
func (c BarChart) SVG() string {
	bars, hidden := c.shown()
	if len(bars) == 0 {
		return emptySVG(c.Title, c.Empty)
	}
	rows, links := prepare(bars, formatter(c.Format))
	if c.Horizontal {
		return horizontal(c.Title, rows, hidden, links)
	}
	return vertical(c.Title, rows, hidden, links)
}

// shown returns the bars to draw and how many MaxBars leaves out.
func (c BarChart) shown() ([]Bar, int) {
	if c.MaxBars > 0 && len(c.Bars) > c.MaxBars {
		return c.Bars[:c.MaxBars], len(c.Bars) - c.MaxBars
	}
	return c.Bars, 0
}

// prepare formats every bar once, since widths are measured before drawing,
// and reports whether any bar keeps its link.
func prepare(bars []Bar, format func(int64) string) ([]row, bool) {
	rows := make([]row, len(bars))
	links := false
	for i, b := range bars {
		r := row{label: clean(b.Label), value: b.Value, text: clean(format(b.Value)),
			href: safeHref(b.Href), class: "bar", fill: colBar}
		r.tip = tip(r.label, r.text, b.Title)
		if b.Value < 0 {
			r.class, r.fill = "bar neg", colNeg
		}
		if b.Class != "" {
			r.class += " " + b.Class
		}
		links = links || r.href != ""
		rows[i] = r
	}
	return rows, links
}

// extent is the value domain of the rows, always including zero so that
// bars grow from a zero axis and negative values point the other way.
func extent(rows []row) (lo, hi float64) {
	for _, r := range rows {
		v := float64(r.value) // float: hi-lo of extreme int64s would overflow
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

// valueWidths returns the widest value label on the negative side and on
// the zero-or-positive side, 0 for a side without labels.
func valueWidths(rows []row) (neg, pos float64) {
	for _, r := range rows {
		if r.value < 0 {
			neg = math.Max(neg, textWidth(r.text))
		} else {
			pos = math.Max(pos, textWidth(r.text))
		}
	}
	return neg, pos
}

// labelColumn is the width kept for labels left of horizontal bars: the
// widest label, but no more than a third of the chart or than what leaves
// the bars minPlot; longer labels are shortened to fit it.
func labelColumn(rows []row, room float64) float64 {
	widest := 0.0
	for _, r := range rows {
		widest = math.Max(widest, textWidth(r.label))
	}
	limit := math.Max(math.Min(0.35*width, room-minPlot), 3*fontSize)
	return math.Min(widest, limit)
}

// side is the room a value label needs beside its bar, 0 when there is none.
func side(w float64) float64 {
	if w == 0 {
		return 0
	}
	return w + gap
}

// horizontal draws bars left to right from a vertical zero axis, one row
// each, labels right-aligned in a column of their own.
func horizontal(title string, rows []row, hidden int, links bool) string {
	negW, posW := valueWidths(rows)
	labelW := labelColumn(rows, width-2*pad-gap-side(negW)-side(posW))
	lo, hi := extent(rows)
	x := linear{d0: lo, d1: hi,
		r0: pad + labelW + gap + side(negW),
		r1: width - pad - side(posW)}
	plotH := float64(len(rows)) * rowH
	height := 2*pad + plotH
	if hidden > 0 {
		height += rowH
	}
	var s svg
	s.open(height, title, links)
	x0 := x.at(0)
	for i, r := range rows {
		y := pad + float64(i)*rowH
		base := y + rowH/2 + 0.35*fontSize // roughly centres CJK glyphs
		end := s.markOpen(r.href, r.tip)
		s.text(pad+labelW, base, "end", "label", fit(r.label, labelW))
		xv := x.at(float64(r.value))
		s.rect(math.Min(x0, xv), y+(rowH-barH)/2, math.Abs(xv-x0), barH, r.class, r.fill)
		if r.value < 0 {
			s.text(xv-gap/2, base, "end", "value", r.text)
		} else {
			s.text(xv+gap/2, base, "", "value", r.text)
		}
		s.WriteString(end)
	}
	s.line(x0, pad, x0, pad+plotH, "axis", colAxis)
	if hidden > 0 {
		s.text(pad+labelW, pad+plotH+rowH/2+0.35*fontSize, "end", "more", more(hidden))
	}
	return s.close()
}

// vertical draws columns up and down from a horizontal zero axis, labels
// underneath. Value labels are left out when one would be wider than a
// column (the values stay in the hover titles) rather than overlap.
func vertical(title string, rows []row, hidden int, links bool) string {
	n := float64(len(rows))
	slot := (width - 2*pad) / n
	colW := math.Min(slot*0.7, maxColW)
	negW, posW := valueWidths(rows)
	values := math.Max(negW, posW) <= slot-2
	top, bottom := pad, colH-pad-lineH // the bottom line holds the labels
	if hidden > 0 {
		bottom -= lineH
	}
	labelBase := bottom + lineH - 4
	if values && posW > 0 {
		top += lineH
	}
	if values && negW > 0 {
		bottom -= lineH
	}
	lo, hi := extent(rows)
	y := linear{d0: lo, d1: hi, r0: bottom, r1: top}
	var s svg
	s.open(colH, title, links)
	y0 := y.at(0)
	for i, r := range rows {
		cx := pad + (float64(i)+0.5)*slot
		end := s.markOpen(r.href, r.tip)
		yv := y.at(float64(r.value))
		s.rect(cx-colW/2, math.Min(y0, yv), colW, math.Abs(yv-y0), r.class, r.fill)
		switch {
		case !values:
		case r.value < 0:
			s.text(cx, yv+fontSize, "middle", "value", r.text)
		default:
			s.text(cx, yv-4, "middle", "value", r.text)
		}
		if slot-4 >= fontSize { // else even "…" would run into the next column
			s.text(cx, labelBase, "middle", "label", fit(r.label, slot-4))
		}
		s.WriteString(end)
	}
	s.line(pad, y0, width-pad, y0, "axis", colAxis)
	if hidden > 0 {
		s.text(width-pad, labelBase+lineH, "end", "more", more(hidden))
	}
	return s.close()
}

// more is the note for bars MaxBars left out. It has no words, so it needs
// no translation.
func more(hidden int) string {
	return "⋯ +" + strconv.Itoa(hidden)
}

// rect writes a bar.
func (s *svg) rect(x, y, w, h float64, class, fill string) {
	s.WriteString(`<rect class="` + esc(class) + `" x="` + num(x) + `" y="` + num(y) +
		`" width="` + num(w) + `" height="` + num(h) + `" fill="` + fill + `"/>`)
}
