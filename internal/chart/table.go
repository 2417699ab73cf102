package chart

import "strings"

// The tables below are each chart's text equivalent (WCAG 1.1.1): the same
// figures as an HTML table, which a page shows beside the chart or behind
// one click (a <details> element), for screen readers and for whoever
// wants the numbers. They are escaped as the charts are, links included.

// Table returns the bars as an HTML table: the label as the row header
// (a link where the bar is one), the formatted value and the bar's Title.
// labelHead and valueHead head the two columns. Every bar is listed, also
// those MaxBars leaves out of the drawing.
func (c BarChart) Table(labelHead, valueHead string) string {
	rows, _ := prepare(c.Bars, formatter(c.Format))
	var s strings.Builder
	tableOpen(&s, c.Title, []string{labelHead, valueHead}, true)
	for i, r := range rows {
		s.WriteString(`<tr><th scope="row" class="left">`)
		if r.href != "" {
			s.WriteString(`<a href="` + esc(r.href) + `">` + esc(r.label) + `</a>`)
		} else {
			s.WriteString(esc(r.label))
		}
		s.WriteString(`</th><td class="right">` + esc(r.text) + `</td><td class="left">` + esc(clean(c.Bars[i].Title)) + "</td></tr>")
	}
	return tableClose(&s)
}

// Table returns the series as an HTML table: one row per x label (the row
// header), one column per series.
func (c LineChart) Table(xHead string) string {
	n := c.length()
	labels := make([]string, n)
	for i := range labels {
		if i < len(c.XLabels) {
			labels[i] = clean(c.XLabels[i])
		} else {
			labels[i] = num(float64(i + 1))
		}
	}
	heads := []string{xHead}
	for _, se := range c.Series {
		heads = append(heads, clean(se.Name))
	}
	format := formatter(c.Format)
	var s strings.Builder
	tableOpen(&s, c.Title, heads, false)
	for i, l := range labels {
		s.WriteString(`<tr><th scope="row" class="left">` + esc(l) + "</th>")
		for _, se := range c.Series {
			s.WriteString(`<td class="right">`)
			if i < len(se.Points) {
				s.WriteString(esc(clean(format(se.Points[i]))))
			}
			s.WriteString("</td>")
		}
		s.WriteString("</tr>")
	}
	return tableClose(&s)
}

// tableOpen writes the table's caption and column headers; note adds an
// empty-headed last column for the bars' notes.
func tableOpen(s *strings.Builder, title string, heads []string, note bool) {
	s.WriteString(`<table class="report chart-table"><caption>` + esc(clean(title)) + `</caption><thead><tr>`)
	for i, h := range heads {
		align := "right"
		if i == 0 {
			align = "left"
		}
		s.WriteString(`<th scope="col" class="` + align + `">` + esc(clean(h)) + "</th>")
	}
	if note {
		s.WriteString(`<th scope="col" class="left"></th>`)
	}
	s.WriteString("</tr></thead><tbody>")
}

func tableClose(s *strings.Builder) string {
	s.WriteString("</tbody></table>")
	return s.String()
}
