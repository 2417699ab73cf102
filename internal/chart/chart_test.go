package chart

import (
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "update golden files instead of checking against them")

// wan formats fen as 万元 with two decimals, rounding half away from zero,
// as Chinese statistical reports do.
func wan(fen int64) string {
	q, r := fen/10000, fen%10000
	switch {
	case r >= 5000:
		q++
	case r <= -5000:
		q--
	}
	sign := ""
	u := uint64(q)
	if q < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d.%02d万元", sign, u/100, u%100)
}

// node is an element of parsed chart markup.
type node struct {
	name   string
	attr   map[string]string // xlink attributes as "xlink:href"
	text   string            // character data directly inside
	kids   []*node
	parent *node
}

// parse decodes s as XML, failing the test unless it is exactly one
// well-formed <svg> element.
func parse(t testing.TB, s string) *node {
	t.Helper()
	root, err := decode(s)
	if err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, s)
	}
	return root
}

// decode is parse without a test, for the fuzz targets' messages too.
func decode(s string) (*node, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	var root, cur *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				key := a.Name.Local
				if a.Name.Space == "http://www.w3.org/1999/xlink" {
					key = "xlink:" + key
				}
				n.attr[key] = a.Value
			}
			if cur == nil {
				if root != nil {
					return nil, fmt.Errorf("second root element <%s>", n.name)
				}
				root = n
			} else {
				cur.kids = append(cur.kids, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur == nil {
				if strings.TrimSpace(string(tok)) != "" {
					return nil, fmt.Errorf("text outside the root: %q", tok)
				}
				continue
			}
			cur.text += string(tok)
		default:
			return nil, fmt.Errorf("unexpected token %T", tok)
		}
	}
	if root == nil || root.name != "svg" {
		return nil, fmt.Errorf("no <svg> root")
	}
	return root, nil
}

// all returns the elements named name under n, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
		out = append(out, k.all(name)...)
	}
	return out
}

// title is the text of n's first child when that is a <title>.
func (n *node) title() (string, bool) {
	if len(n.kids) == 0 || n.kids[0].name != "title" {
		return "", false
	}
	return n.kids[0].text, true
}

// num is the number in attribute key.
func (n *node) num(t testing.TB, key string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr[key], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, key, n.attr[key], err)
	}
	return f
}

// hasClass reports whether n's class attribute lists c.
func (n *node) hasClass(c string) bool {
	return slices.Contains(strings.Fields(n.attr["class"]), c)
}

// bars returns the bar rects of a chart.
func bars(root *node) []*node {
	var out []*node
	for _, r := range root.all("rect") {
		if r.hasClass("bar") {
			out = append(out, r)
		}
	}
	return out
}

// axis returns a bar chart's zero axis.
func axis(t *testing.T, root *node) *node {
	t.Helper()
	for _, l := range root.all("line") {
		if l.hasClass("axis") {
			return l
		}
	}
	t.Fatal("no zero axis")
	return nil
}

var towns = []Bar{
	{Label: "会师镇", Value: 1053440000, Href: "/towns/620422100"},
	{Label: "郭城驿镇", Value: 862315049, Href: "/towns/620422101"},
	{Label: "河畔镇", Value: 701200000, Href: "/towns/620422102", Title: "含扶贫车间租金"},
	{Label: "头寨子镇", Value: 455005000, Href: "/towns/620422103"},
	{Label: "太平店镇", Value: 120000000, Href: "/towns/620422104"},
	{Label: "新添堡回族乡", Value: -23456700, Href: "/towns/620422200", Title: "本年亏损"},
}

func TestRootAttributes(t *testing.T) {
	for _, s := range []string{
		BarChart{Title: "各乡镇集体经营收入", Bars: towns, Format: wan, Horizontal: true}.SVG(),
		LineChart{Title: "月度收入", Series: []Series{{Points: []int64{1, 2}}}}.SVG(),
		BarChart{Title: "空", Empty: "暂无数据"}.SVG(),
	} {
		root := parse(t, s)
		a := root.attr
		if a["width"] != "100%" || a["height"] != "" || !strings.HasPrefix(a["viewBox"], "0 0 640 ") {
			t.Errorf("not responsive: width=%q height=%q viewBox=%q", a["width"], a["height"], a["viewBox"])
		}
		// No links inside an image (assistive technology does not enter
		// it): a chart of links is a named group.
		want := "img"
		if strings.Contains(s, "<a ") {
			want = "group"
		}
		if a["role"] != want || a["aria-label"] == "" {
			t.Errorf("role=%q aria-label=%q, want role %q", a["role"], a["aria-label"], want)
		}
		if got, ok := root.title(); !ok || got != a["aria-label"] {
			t.Errorf("first child title %q, %v; want %q", got, ok, a["aria-label"])
		}
		if !strings.Contains(a["font-family"], `'Microsoft YaHei'`) || !strings.HasPrefix(a["font-family"], "system-ui") {
			t.Errorf("font-family=%q", a["font-family"])
		}
		if n := strings.Count(s, "font-family"); n != 1 {
			t.Errorf("font-family set %d times, want once on the root", n)
		}
	}
}

// TestBarTitles checks that every bar, both ways round, has a hover title
// with its label and formatted value, and the caller's extra text.
func TestBarTitles(t *testing.T) {
	for _, horizontal := range []bool{true, false} {
		c := BarChart{Title: "收入", Bars: towns, Format: wan, Horizontal: horizontal}
		root := parse(t, c.SVG())
		rects := bars(root)
		if len(rects) != len(towns) {
			t.Fatalf("horizontal=%v: %d bars, want %d", horizontal, len(rects), len(towns))
		}
		for i, r := range rects {
			got, ok := r.parent.title()
			b := towns[i]
			if !ok || !strings.Contains(got, b.Label) || !strings.Contains(got, wan(b.Value)) ||
				!strings.Contains(got, b.Title) {
				t.Errorf("horizontal=%v bar %d: title %q, want %s, %s and %q", horizontal, i, got, b.Label, wan(b.Value), b.Title)
			}
			texts := []string{}
			for _, tx := range r.parent.all("text") {
				texts = append(texts, tx.text)
			}
			if !slices.Contains(texts, b.Label) || !slices.Contains(texts, wan(b.Value)) {
				t.Errorf("horizontal=%v bar %d: texts %q, want label and value", horizontal, i, texts)
			}
		}
	}
}

func TestEscaping(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	c := BarChart{
		Title:      `A&B "村" 'x' ` + evil,
		Bars:       []Bar{{Label: evil, Value: 5, Title: `a & b`, Class: `x" onmouseover="alert(1)`}, {Label: "R&D", Value: -3}},
		Format:     func(v int64) string { return "<b>" + strconv.FormatInt(v, 10) + "</b>" },
		Horizontal: true,
	}
	s := c.SVG()
	for _, bad := range []string{"<script", "<b>", `" onmouseover`, "R&D"} {
		if strings.Contains(s, bad) {
			t.Errorf("output contains unescaped %q:\n%s", bad, s)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "R&amp;D", "a &amp; b", "&lt;b&gt;5&lt;/b&gt;"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	root := parse(t, s)
	if root.attr["aria-label"] != c.Title {
		t.Errorf("aria-label decodes to %q, want %q", root.attr["aria-label"], c.Title)
	}
	if got, _ := bars(root)[0].parent.title(); !strings.Contains(got, evil) {
		t.Errorf("title decodes to %q, want it to contain %q", got, evil)
	}

	line := LineChart{Title: evil, XLabels: []string{evil, "&"}, Series: []Series{{Name: evil, Points: []int64{1, 2}}, {Name: "&", Points: []int64{3}}}}.SVG()
	if strings.Contains(line, "<script") || strings.Contains(line, ">&<") {
		t.Errorf("line chart not escaped:\n%s", line)
	}
	parse(t, line)
}

// TestControlCharacters checks that input XML cannot carry is replaced
// rather than breaking the markup.
func TestControlCharacters(t *testing.T) {
	s := BarChart{Title: "a\x00b", Bars: []Bar{{Label: "x\x01\xff\uFFFEy", Value: 1}}, Format: func(int64) string { return "\x1b" }}.SVG()
	root := parse(t, s)
	if got, _ := bars(root)[0].parent.title(); got != "x\uFFFD\uFFFD\uFFFDy: \uFFFD" {
		t.Errorf("title %q", got)
	}
}

func TestHrefs(t *testing.T) {
	tests := []struct {
		href string
		ok   bool
	}{
		{"/towns/620422100", true},
		{"?town=620422100&year=2024", true},
		{"/村/会师镇?年=2024", true},
		{"", false},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{" /x", false},
		{"//evil.example/x", false},
		{`/\evil.example/x`, false},
		{"/\t/evil.example/x", false},
		{"/a\nb", false},
		{`/a\b`, false},
		{"http://evil.example/", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"towns/1", false},
		{"#top", false},
		{"/\xff", false},
	}
	for _, tt := range tests {
		for _, horizontal := range []bool{true, false} {
			s := BarChart{Bars: []Bar{{Label: "会师镇", Value: 7, Href: tt.href}}, Horizontal: horizontal}.SVG()
			root := parse(t, s)
			links := root.all("a")
			if !tt.ok {
				if len(links) != 0 || strings.Contains(strings.ToLower(s), "javascript") || strings.Contains(s, "xlink") {
					t.Errorf("href %q kept:\n%s", tt.href, s)
				}
				if len(bars(root)) != 1 {
					t.Errorf("href %q: the bar itself is missing", tt.href)
				}
				continue
			}
			if len(links) != 1 || links[0].attr["href"] != tt.href || links[0].attr["xlink:href"] != tt.href {
				t.Errorf("href %q: links %v", tt.href, links)
				continue
			}
			// The link holds its title, the bar and both labels: drill-down from any of them.
			if _, ok := links[0].title(); !ok || len(links[0].all("rect")) != 1 || len(links[0].all("text")) != 2 {
				t.Errorf("href %q: link does not wrap the whole mark:\n%s", tt.href, s)
			}
		}
	}
}

// TestNegativeBars checks that negative values grow away from the zero
// axis on the other side from positive ones, with their value labels beyond
// their ends.
func TestNegativeBars(t *testing.T) {
	c := BarChart{Bars: []Bar{{Label: "甲村", Value: -500}, {Label: "乙村", Value: 300}, {Label: "丙村", Value: 0}}, Horizontal: true}
	root := parse(t, c.SVG())
	ax := axis(t, root)
	x0 := ax.num(t, "x1")
	if ax.num(t, "x2") != x0 {
		t.Fatalf("axis not vertical: %v", ax.attr)
	}
	rs := bars(root)
	neg, pos, zero := rs[0], rs[1], rs[2]
	if !neg.hasClass("neg") || pos.hasClass("neg") || zero.hasClass("neg") {
		t.Errorf("neg classes: %q %q %q", neg.attr["class"], pos.attr["class"], zero.attr["class"])
	}
	if x, w := neg.num(t, "x"), neg.num(t, "width"); x >= x0 || math.Abs(x+w-x0) > 0.11 || w <= 0 {
		t.Errorf("negative bar x=%v width=%v, want it to end at the axis %v", x, w, x0)
	}
	if x, w := pos.num(t, "x"), pos.num(t, "width"); math.Abs(x-x0) > 0.11 || w <= 0 {
		t.Errorf("positive bar x=%v width=%v, want it to start at the axis %v", x, w, x0)
	}
	if w := zero.num(t, "width"); w != 0 {
		t.Errorf("zero bar width %v", w)
	}
	if nw, pw := neg.num(t, "width"), pos.num(t, "width"); math.Abs(nw/pw-5.0/3) > 0.01 {
		t.Errorf("bar widths %v and %v not in proportion 5:3", nw, pw)
	}
	// The negative value's label sits left of its bar, right of the labels.
	texts := neg.parent.all("text")
	label, value := texts[0], texts[1]
	if value.attr["text-anchor"] != "end" || value.num(t, "x") >= neg.num(t, "x") {
		t.Errorf("negative value label at x=%v anchor %q, bar at %v", value.num(t, "x"), value.attr["text-anchor"], neg.num(t, "x"))
	}
	if value.num(t, "x")-textWidth(value.text) <= label.num(t, "x") {
		t.Errorf("negative value label runs into the label column")
	}

	// Columns: the negative one hangs below the axis.
	root = parse(t, BarChart{Bars: c.Bars}.SVG())
	ax = axis(t, root)
	y0 := ax.num(t, "y1")
	rs = bars(root)
	if y := rs[0].num(t, "y"); math.Abs(y-y0) > 0.11 || rs[0].num(t, "height") <= 0 {
		t.Errorf("negative column y=%v, want it to hang from the axis %v", y, y0)
	}
	if y, h := rs[1].num(t, "y"), rs[1].num(t, "height"); math.Abs(y+h-y0) > 0.11 || h <= 0 {
		t.Errorf("positive column y=%v height=%v, want it to stand on the axis %v", y, h, y0)
	}
}

// TestOnlyNegative checks the axis moves to the right when every value is
// below zero.
func TestOnlyNegative(t *testing.T) {
	root := parse(t, BarChart{Bars: []Bar{{Label: "甲", Value: -5}, {Label: "乙", Value: -10}}, Horizontal: true}.SVG())
	x0 := axis(t, root).num(t, "x1")
	for _, r := range bars(root) {
		if r.num(t, "x")+r.num(t, "width") > x0+0.11 {
			t.Errorf("bar %v crosses the axis at %v", r.attr, x0)
		}
	}
	if x0 < 600 {
		t.Errorf("axis at %v, want it near the right edge", x0)
	}
}

func TestEmpty(t *testing.T) {
	for name, s := range map[string]string{
		"bar":          BarChart{Title: "收入", Empty: "暂无数据", Horizontal: true}.SVG(),
		"column":       BarChart{Title: "收入", Empty: "暂无数据", Bars: []Bar{}}.SVG(),
		"line":         LineChart{Title: "收入", Empty: "暂无数据"}.SVG(),
		"line labels":  LineChart{Title: "收入", Empty: "暂无数据", XLabels: []string{"1月"}, Series: []Series{{Name: "x"}}}.SVG(),
		"maxbars only": BarChart{Title: "收入", Empty: "暂无数据", MaxBars: 3}.SVG(),
	} {
		root := parse(t, s)
		texts := root.all("text")
		if len(texts) != 1 || texts[0].text != "暂无数据" {
			t.Errorf("%s: texts %v, want the Empty text\n%s", name, texts, s)
		}
	}
	if s := (BarChart{}).SVG(); !strings.Contains(s, "—") {
		t.Errorf("no Empty text given: want a dash, got %s", s)
	}
}

// TestZeroValues checks that all-zero data is drawn, not divided by.
func TestZeroValues(t *testing.T) {
	bs := []Bar{{Label: "甲", Value: 0}, {Label: "乙", Value: 0}}
	for _, horizontal := range []bool{true, false} {
		s := BarChart{Bars: bs, Horizontal: horizontal}.SVG()
		if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
			t.Errorf("horizontal=%v: %s", horizontal, s)
		}
		if rs := bars(parse(t, s)); len(rs) != 2 {
			t.Errorf("horizontal=%v: %d bars", horizontal, len(rs))
		}
	}
	s := LineChart{XLabels: []string{"1月", "2月"}, Series: []Series{{Points: []int64{0, 0}}}}.SVG()
	if strings.Contains(s, "NaN") || len(parse(t, s).all("circle")) != 2 {
		t.Errorf("flat zero line: %s", s)
	}
	s = LineChart{Series: []Series{{Points: []int64{42}}}}.SVG()
	if strings.Contains(s, "NaN") || len(parse(t, s).all("circle")) != 1 {
		t.Errorf("single point: %s", s)
	}
}

func TestMaxBars(t *testing.T) {
	var bs []Bar
	for i := range 10 {
		bs = append(bs, Bar{Label: "村" + strconv.Itoa(i), Value: int64(100 - i)})
	}
	for _, horizontal := range []bool{true, false} {
		s := BarChart{Bars: bs, MaxBars: 3, Horizontal: horizontal}.SVG()
		root := parse(t, s)
		if n := len(bars(root)); n != 3 {
			t.Errorf("horizontal=%v: %d bars, want 3", horizontal, n)
		}
		if !strings.Contains(s, "⋯ +7") {
			t.Errorf("horizontal=%v: no note of the 7 left out", horizontal)
		}
	}
}

// TestLongLabels checks that the label column, measured by its runes,
// keeps every label clear of the bars, and that shortened labels keep
// their full text in the hover title.
func TestLongLabels(t *testing.T) {
	long := strings.Repeat("会宁县郭城驿镇", 10)
	bs := []Bar{
		{Label: long, Value: -1000},
		{Label: "会师镇", Value: 5000},
		{Label: "Guochengyi Town Collective Economic Cooperative", Value: 3000},
		{Label: "郭城驿镇", Value: 4000},
	}
	root := parse(t, BarChart{Bars: bs, Horizontal: true, Format: wan}.SVG())
	for i, r := range bars(root) {
		label := r.parent.all("text")[0]
		lx := label.num(t, "x")
		if label.attr["text-anchor"] != "end" {
			t.Errorf("label %d not right-aligned", i)
		}
		if w := textWidth(label.text); w > lx-pad+0.01 {
			t.Errorf("label %q (%.1f wide) runs off the left edge from x=%v", label.text, w, lx)
		}
		if x := r.num(t, "x"); x < lx+gap {
			t.Errorf("bar %d starts at %v, inside the label column ending at %v", i, x, lx)
		}
		if got, _ := r.parent.title(); !strings.Contains(got, bs[i].Label) {
			t.Errorf("title %q lacks the full label", got)
		}
	}
	if got := bars(root)[1].parent.all("text")[0].text; got != "会师镇" {
		t.Errorf("short label shown as %q", got)
	}
}

func TestEms(t *testing.T) {
	tests := []struct {
		s    string
		want float64
	}{
		{"", 0},
		{"会师镇", 3},
		{"abc", 1.65},
		{"A村", 1.55},
		{"１２", 2}, // fullwidth digits
	}
	for _, tt := range tests {
		if got := ems(tt.s); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("ems(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	for _, w := range []float64{20, 50, 100} {
		if got := fit(strings.Repeat("郭城驿镇ab", 9), w); textWidth(got) > w || !strings.HasSuffix(got, "…") {
			t.Errorf("fit(…, %v) = %q, %.1f wide", w, got, textWidth(got))
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		min, max int64
		n        int
		want     []int64
	}{
		{0, 1234567, 5, []int64{0, 500000, 1000000, 1500000}},
		{0, 1234567, 10, []int64{0, 200000, 400000, 600000, 800000, 1000000, 1200000, 1400000}},
		{0, 100, 6, []int64{0, 20, 40, 60, 80, 100}},
		{0, 101, 6, []int64{0, 50, 100, 150}},
		{3, 97, 11, []int64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}},
		{-1250, 3400, 5, []int64{-2000, 0, 2000, 4000}},
		{-3, -1, 5, []int64{-3, -2, -1}},
		{-1053440000, -23456700, 6, []int64{-1500000000, -1000000000, -500000000, 0}},
		{0, 0, 5, []int64{0, 1}},
		{500, 500, 5, []int64{0, 200, 400, 600}},
		{-7, -7, 5, []int64{-8, -6, -4, -2, 0}},
		{1234567, 0, 5, []int64{0, 500000, 1000000, 1500000}}, // swapped
		{0, 10, 0, []int64{0, 5, 10}},                         // n below 3 counts as 3
		{-1, 1, 2, []int64{-1, 0, 1}},                         // zero needs three ticks
	}
	for _, tt := range tests {
		got := NiceTicks(tt.min, tt.max, tt.n)
		if !slices.Equal(got, tt.want) {
			t.Errorf("NiceTicks(%d, %d, %d) = %v, want %v", tt.min, tt.max, tt.n, got, tt.want)
		}
	}
}

// TestNiceTicksProperties checks the promises of NiceTicks over many ranges,
// the extremes of int64 among them.
func TestNiceTicksProperties(t *testing.T) {
	values := []int64{math.MinInt64, -tickLimit - 1, -1053440000, -99999, -1000, -7, -1, 0, 1, 2, 9, 10, 11,
		99, 1000, 1234567, 862315049, 1053440000, 9_999_999_999_999_999, tickLimit, math.MaxInt64}
	for _, a := range values {
		for _, b := range values {
			for _, n := range []int{0, 2, 3, 5, 6, 12} {
				checkTicks(t, a, b, n, NiceTicks(a, b, n))
			}
		}
	}
}

func checkTicks(t *testing.T, a, b int64, n int, ticks []int64) {
	t.Helper()
	lo, hi := clampTick(min(a, b)), clampTick(max(a, b))
	if len(ticks) < 2 || len(ticks) > max(n, 3) {
		t.Fatalf("NiceTicks(%d, %d, %d) = %v: %d ticks", a, b, n, ticks, len(ticks))
	}
	if ticks[0] > lo || ticks[len(ticks)-1] < hi {
		t.Fatalf("NiceTicks(%d, %d, %d) = %v does not cover the range", a, b, n, ticks)
	}
	step := ticks[1] - ticks[0]
	if !nice(step) {
		t.Fatalf("NiceTicks(%d, %d, %d) = %v: step %d is not 1, 2 or 5 × 10^k", a, b, n, ticks, step)
	}
	for i, v := range ticks {
		if v%step != 0 || (i > 0 && v-ticks[i-1] != step) {
			t.Fatalf("NiceTicks(%d, %d, %d) = %v: uneven at %d", a, b, n, ticks, v)
		}
	}
}

// nice reports whether step is 1, 2 or 5 times a power of ten.
func nice(step int64) bool {
	for step >= 10 && step%10 == 0 {
		step /= 10
	}
	return step == 1 || step == 2 || step == 5
}

var months = []string{"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"}

func TestLineChart(t *testing.T) {
	income := []int64{1053440000, 862315049, 701200000, 455005000, 120000000, 0, 98000000, 150000000, 260000000, 310000000, 330000000, 1200000000}
	spend := []int64{-23456700, 50000000, 60000000, 70000000, 80000000, 90000000}
	c := LineChart{Title: "月度收支", XLabels: months, Format: wan, Series: []Series{
		{Name: "收入", Points: income}, {Name: "支出", Points: spend, Class: "spend"},
	}}
	root := parse(t, c.SVG())
	circles := root.all("circle")
	if len(circles) != len(income)+len(spend) {
		t.Fatalf("%d markers, want %d", len(circles), len(income)+len(spend))
	}
	for i, p := range circles {
		name, v, label := "收入", int64(0), ""
		if i < len(income) {
			v, label = income[i], months[i]
		} else {
			name, v, label = "支出", spend[i-len(income)], months[i-len(income)]
		}
		got, ok := p.title()
		if want := label + ": " + wan(v); !ok || !strings.Contains(got, want) || !strings.Contains(got, name) {
			t.Errorf("marker %d title %q, want %q and %q", i, got, name, want)
		}
	}
	if !circles[len(income)].hasClass("spend") || !circles[len(income)].hasClass("s1") {
		t.Errorf("second series classes %q", circles[len(income)].attr["class"])
	}
	legend := 0
	for _, g := range root.all("g") {
		if g.hasClass("legend") {
			legend++
		}
	}
	if legend != 2 {
		t.Errorf("%d legend entries, want 2", legend)
	}
	// Gridlines at round values that cover the data, zero included.
	var ys []float64
	for _, tx := range root.all("text") {
		if tx.hasClass("tick") {
			ys = append(ys, tx.num(t, "y"))
		}
	}
	if len(ys) < 3 || len(ys) > yTicks {
		t.Errorf("%d ticks", len(ys))
	}
	for _, p := range circles {
		if y := p.num(t, "cy"); y < ys[len(ys)-1]-5 || y > ys[0] {
			t.Errorf("marker at y=%v outside the ticks %v", y, ys)
		}
	}

	one := parse(t, LineChart{XLabels: months, Series: []Series{{Points: income}}}.SVG())
	for _, g := range one.all("g") {
		if g.hasClass("legend") {
			t.Error("legend drawn for a single series")
		}
	}
}

// TestXLabelsThinned checks that crowded x labels are thinned, not overlapped.
func TestXLabelsThinned(t *testing.T) {
	labels := make([]string, 60)
	points := make([]int64, 60)
	for i := range labels {
		labels[i] = fmt.Sprintf("2024年%d月", i%12+1)
		points[i] = int64(i * i)
	}
	root := parse(t, LineChart{XLabels: labels, Series: []Series{{Points: points}}}.SVG())
	var xs []float64
	var ws []float64
	for _, tx := range root.all("text") {
		if tx.hasClass("label") {
			xs = append(xs, tx.num(t, "x"))
			ws = append(ws, textWidth(tx.text))
		}
	}
	if len(xs) < 3 || len(xs) >= 60 {
		t.Fatalf("%d x labels shown", len(xs))
	}
	for i := 1; i < len(xs); i++ {
		if xs[i]-xs[i-1] < (ws[i]+ws[i-1])/2 {
			t.Errorf("x labels %d and %d overlap", i-1, i)
		}
	}
}

func TestGroup(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567",
		math.MinInt64: "-9,223,372,036,854,775,808"} {
		if got := group(v); got != want {
			t.Errorf("group(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestGolden(t *testing.T) {
	tests := map[string]string{
		"bar.svg": BarChart{Title: "2024年各乡镇村集体经营收入（万元）", Bars: towns, Format: wan, Horizontal: true, Empty: "暂无数据"}.SVG(),
		"line.svg": LineChart{Title: "2024年会师镇村集体月度收支（万元）", XLabels: months, Format: wan, Series: []Series{
			{Name: "经营收入", Points: []int64{105344000, 86231504, 70120000, 45500500, 12000000, 0, 9800000, 15000000, 26000000, 31000000, 33000000, 120000000}},
			{Name: "经营支出", Points: []int64{2345670, 5000000, 6000000, 7000000, 8000000, 9000000, -1500000, 4000000, 5000000, 6000000, 7000000, 30000000}},
		}}.SVG(),
	}
	for name, got := range tests {
		parse(t, got)
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got+"\n" != string(want) {
			t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
		}
	}
}

func FuzzBarChart(f *testing.F) {
	f.Add("会师镇|郭城驿镇|<script>", int64(1053440000), "/towns/1", true, uint8(0))
	f.Add("&|\x00|\xff", int64(-1), "javascript:alert(1)", false, uint8(2))
	f.Add("", int64(math.MinInt64), "//x", true, uint8(1))
	f.Add("a|b|c|d|e", int64(math.MaxInt64), "?a=1&b=2", false, uint8(200))
	f.Fuzz(func(t *testing.T, labels string, v int64, href string, horizontal bool, maxBars uint8) {
		var bs []Bar
		for i, l := range strings.Split(labels, "|") {
			if labels == "" {
				break
			}
			bs = append(bs, Bar{Label: l, Value: v * int64(i%3-1), Title: l, Href: href + l, Class: l})
		}
		for _, format := range []func(int64) string{nil, wan} {
			c := BarChart{Title: labels, Bars: bs, Format: format, Horizontal: horizontal, MaxBars: int(maxBars) % 8, Empty: labels}
			s := c.SVG()
			root, err := decode(s)
			if err != nil {
				t.Fatalf("not well-formed: %v\n%s", err, s)
			}
			if strings.Contains(s, "NaN") {
				t.Fatalf("NaN:\n%s", s)
			}
			for _, a := range root.all("a") {
				if safeHref(a.attr["href"]) == "" {
					t.Fatalf("unsafe link %q kept", a.attr["href"])
				}
			}
		}
	})
}

func FuzzLineChart(f *testing.F) {
	f.Add("1月|2月|<b>", "收入|&", int64(1053440000), int64(-5), uint8(12))
	f.Add("", "", int64(0), int64(0), uint8(1))
	f.Add("\x01", "\xff", int64(math.MinInt64), int64(math.MaxInt64), uint8(3))
	f.Fuzz(func(t *testing.T, labels, names string, a, b int64, n uint8) {
		var series []Series
		for i, name := range strings.Split(names, "|") {
			pts := make([]int64, int(n)%40)
			for j := range pts {
				pts[j] = a + b*int64(j*(i+1)) // overflow wraps: more varied values
			}
			series = append(series, Series{Name: name, Points: pts, Class: name})
		}
		c := LineChart{Title: names, XLabels: strings.Split(labels, "|"), Series: series, Format: wan, Empty: labels}
		s := c.SVG()
		if _, err := decode(s); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, s)
		}
		if strings.Contains(s, "NaN") {
			t.Fatalf("NaN:\n%s", s)
		}
	})
}

// TestTables: each chart's text equivalent lists every bar or point, with
// its link kept and its text escaped.
func TestTables(t *testing.T) {
	bars := append([]Bar{{Label: "<b>坏</b>", Value: 5, Href: "javascript:alert(1)"}}, towns...)
	s := BarChart{Title: "各乡镇", Bars: bars, Format: wan, MaxBars: 2}.Table("乡镇", "收入")
	for _, want := range []string{"<caption>各乡镇</caption>", `<th scope="col" class="left">乡镇</th>`, "&lt;b&gt;坏&lt;/b&gt;",
		`<th scope="row" class="left"><a href="/towns/620422200">新添堡回族乡</a></th>`, "本年亏损"} {
		if !strings.Contains(s, want) {
			t.Errorf("bar table lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "javascript") {
		t.Errorf("bar table keeps an unsafe link:\n%s", s)
	}
	if n := strings.Count(s, `<th scope="row"`); n != len(bars) {
		t.Errorf("bar table has %d rows, want every bar (%d)", n, len(bars))
	}
	l := LineChart{Title: "月度", XLabels: []string{"1月", "2月", "3月"}, Series: []Series{{Name: "总收入", Points: []int64{100, 2000}}, {Name: "经营", Points: []int64{1}}}}.Table("月份")
	for _, want := range []string{"<caption>月度</caption>", `<th scope="col" class="right">经营</th>`,
		`<tr><th scope="row" class="left">2月</th><td class="right">2,000</td><td class="right"></td></tr>`, `<th scope="row" class="left">3月</th>`} {
		if !strings.Contains(l, want) {
			t.Errorf("line table lacks %q:\n%s", want, l)
		}
	}
}
