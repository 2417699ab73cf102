package chart

import (
	"math"
	"strconv"
	"strings"
)

// Geometry of line charts.
const (
	lineChartH = 300.0
	yTicks     = 6   // at most, so tick labels never crowd
	dotR       = 3.5 // point marker radius
	swatch     = 10.0
)

// SVG draws the chart: gridlines at round values, one line and one marker
// per point for each series, and a legend when there are several series.
// The y axis always includes zero, so a small change never looks like a
// collapse. No points at all gives the Empty text.
func (c LineChart) SVG() string {
	n := c.length()
	if n == 0 {
		return emptySVG(c.Title, c.Empty)
	}
	format := formatter(c.Format)
	lo, hi := c.extent()
	ticks := NiceTicks(lo, hi, yTicks)
	tickText := make([]string, len(ticks))
	tickW := 0.0
	for i, t := range ticks {
		tickText[i] = clean(format(t))
		tickW = math.Max(tickW, textWidth(tickText[i]))
	}
	labels, short, labelW := c.labels(n)
	legend, legendH := c.legend()

	p := plot{n: n,
		left:   pad + math.Max(tickW+gap, labelW/2),
		right:  width - pad - labelW/2,
		top:    pad + legendH + fontSize, // room for the top tick's text
		bottom: lineChartH - pad - lineH - 4}
	p.y = linear{d0: float64(ticks[0]), d1: float64(ticks[len(ticks)-1]), r0: p.bottom, r1: p.top}

	var s svg
	s.open(lineChartH, c.Title, false)
	s.WriteString(legend)
	p.grid(&s, ticks, tickText)
	p.xLabels(&s, short, labelW)
	for i, se := range c.Series {
		p.series(&s, i, se, labels, format)
	}
	return s.close()
}

// length is the number of x positions: every label, or more if a series is
// longer; zero when no series has a point, so labels alone are no data.
func (c LineChart) length() int {
	n := 0
	for _, se := range c.Series {
		n = max(n, len(se.Points))
	}
	if n == 0 {
		return 0
	}
	return max(n, len(c.XLabels))
}

// extent is the range of all points, widened to include zero.
func (c LineChart) extent() (lo, hi int64) {
	for _, se := range c.Series {
		for _, v := range se.Points {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return lo, hi
}

// labels returns the x labels in full for hover titles, numbering positions
// beyond XLabels from 1, the same shortened to a quarter of the chart for
// the axis, and the widest of those.
func (c LineChart) labels(n int) (full, short []string, widest float64) {
	full, short = make([]string, n), make([]string, n)
	for i := range full {
		full[i] = strconv.Itoa(i + 1)
		if i < len(c.XLabels) {
			full[i] = clean(c.XLabels[i])
		}
		short[i] = fit(full[i], width/4)
		widest = math.Max(widest, textWidth(short[i]))
	}
	return full, short, widest
}

// legend lays out one swatch and name per series, wrapping onto further
// rows, and returns its markup and height. One series needs no legend: the
// chart's title names it.
func (c LineChart) legend() (string, float64) {
	if len(c.Series) < 2 {
		return "", 0
	}
	var s svg
	x, y := pad, pad
	for i, se := range c.Series {
		name := fit(clean(se.Name), 0.4*width)
		w := swatch + 4 + textWidth(name) + 2*gap
		if x > pad && x+w > width-pad {
			x, y = pad, y+lineH
		}
		cls, col := seriesClass(i, se.Class)
		s.WriteString(`<g class="legend">`)
		s.rect(x, y+(lineH-swatch)/2-2, swatch, swatch, cls, col)
		s.text(x+swatch+4, y+lineH/2+0.35*fontSize-2, "", "", name)
		s.WriteString("</g>")
		x += w
	}
	return s.String(), y + lineH - pad + 4
}

// seriesClass returns the CSS classes and fallback colour of series i; the
// palette repeats after six series.
func seriesClass(i int, extra string) (string, string) {
	k := i % len(palette)
	cls := "s" + strconv.Itoa(k)
	if extra != "" {
		cls += " " + extra
	}
	return cls, palette[k]
}

// plot is the drawing area of a line chart and its scales.
type plot struct {
	n                        int
	left, right, top, bottom float64
	y                        linear
}

// x is the position of point i; a single point sits in the middle.
func (p plot) x(i int) float64 {
	if p.n < 2 {
		return (p.left + p.right) / 2
	}
	return p.left + float64(i)*(p.right-p.left)/float64(p.n-1)
}

// yAt is the position of value v, kept inside the plot for values beyond
// the ticks' range (only possible past NiceTicks' clamp of 10^18).
func (p plot) yAt(v int64) float64 {
	return math.Max(p.top, math.Min(p.bottom, p.y.at(float64(v))))
}

// grid draws a gridline and a label per tick; the zero line is darker when
// the values go below it.
func (p plot) grid(s *svg, ticks []int64, texts []string) {
	for i, t := range ticks {
		y := p.y.at(float64(t))
		if t == 0 && ticks[0] < 0 {
			s.line(p.left, y, p.right, y, "axis", colAxis)
		} else {
			s.line(p.left, y, p.right, y, "grid", colGrid)
		}
		s.text(p.left-gap, y+0.35*fontSize, "end", "tick", texts[i])
	}
}

// xLabels writes the labels under the points, skipping evenly when they
// would touch (every second or third month on a phone-sized chart).
func (p plot) xLabels(s *svg, labels []string, labelW float64) {
	every := 1
	if p.n > 1 {
		step := (p.right - p.left) / float64(p.n-1)
		every = max(1, int(math.Ceil((labelW+gap)/step)))
	}
	for i := 0; i < p.n; i += every {
		s.text(p.x(i), p.bottom+lineH+4, "middle", "label", labels[i])
	}
}

// series draws one line and a marker per point, each marker with a hover
// title "name · label: value".
func (p plot) series(s *svg, i int, se Series, labels []string, format func(int64) string) {
	if len(se.Points) == 0 {
		return
	}
	cls, col := seriesClass(i, se.Class)
	name := clean(se.Name)
	var pts strings.Builder
	for j, v := range se.Points {
		if j > 0 {
			pts.WriteByte(' ')
		}
		pts.WriteString(num(p.x(j)) + "," + num(p.yAt(v)))
	}
	s.WriteString(`<polyline class="line ` + esc(cls) + `" points="` + pts.String() +
		`" fill="none" stroke="` + col + `" stroke-width="2"/>`)
	for j, v := range se.Points {
		label := labels[j]
		if name != "" {
			label = name + " · " + label
		}
		s.WriteString(`<circle class="pt ` + esc(cls) + `" cx="` + num(p.x(j)) + `" cy="` + num(p.yAt(v)) +
			`" r="` + num(dotR) + `" fill="` + col + `"><title>` + esc(tip(label, clean(format(v)), "")) + "</title></circle>")
	}
}
