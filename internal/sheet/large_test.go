package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"example.org/jiti"
)

// Generated files: a journal of n rows of 8 columns, after a header row.
var journalHeader = []string{"日期", "凭证号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额", "备注"}

var (
	accountCodes = []string{"1001", "1002", "1101", "1131", "1201", "1501", "2001", "2101", "3001", "5001"}
	accountNames = []string{"库存现金", "银行存款", "短期投资", "应收款", "库存物资", "固定资产", "短期借款", "应付款", "资本", "经营收入"}
	notes        = []string{"", "附件2张", "现金", "转账"}
)

// journalAmount returns row i's amount in fen, and its text.
func journalAmount(i int) (jiti.Amount, string) {
	a := jiti.Amount(int64(i)*7919%100_000_000 + 1)
	return a, a.String()
}

// writeJournal writes a journal with Writer, in format "csv" or "xlsx".
func writeJournal(tb testing.TB, path, format string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w, err := NewWriter(f, format, "凭证")
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.WriteHeader(journalHeader...); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		a, _ := journalAmount(i)
		err := w.WriteRow("2025-01-"+strconv.Itoa(i%28+1), i/4+1, fmt.Sprintf("摘要 第%d笔 收到承包费", i),
			Text(accountCodes[i%10]), accountNames[i%10], a, Number("0"), notes[i%4])
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

// writeExcelLike writes a journal as Excel saves one: every text in the
// shared string table (each summary unique, as in real journals), dates as
// serial numbers with a date format, amounts as numbers with "#,##0.00".
// Writer produces inline strings instead, which is why this is needed to
// test the shared-string path at scale.
func writeExcelLike(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	part := func(name string) *bufio.Writer {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		return bufio.NewWriter(w)
	}
	const (
		ns  = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
		rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<workbook ` + ns + ` xmlns:r="` + rel + `"><sheets><sheet name="凭证" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId3" Type="` + rel + `/styles" Target="styles.xml"/></Relationships>`,
		"xl/styles.xml": `<styleSheet ` + ns + `><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy\-mm\-dd"/></numFmts>` +
			`<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
			`<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
			`<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
			`<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
	} {
		w := part(name)
		w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + body)
		w.Flush()
	}
	// Shared strings: the header, account codes and names, notes, then one
	// summary per row.
	var fixed []string
	fixed = append(fixed, journalHeader...)
	fixed = append(fixed, accountCodes...)
	fixed = append(fixed, accountNames...)
	fixed = append(fixed, notes[1:]...)
	idx := func(s string) int {
		for i, f := range fixed {
			if f == s {
				return i
			}
		}
		panic(s)
	}
	w := part("xl/worksheets/sheet1.xml")
	w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<worksheet " + ns + "><sheetData><row r=\"1\">")
	for c := range journalHeader {
		fmt.Fprintf(w, `<c r="%s1" t="s"><v>%d</v></c>`, ColumnName(c), c)
	}
	w.WriteString("</row>")
	for i := range n {
		r := i + 2
		_, amount := journalAmount(i)
		fmt.Fprintf(w, `<row r="%d"><c r="A%d" s="1"><v>%d</v></c><c r="B%d"><v>%d</v></c><c r="C%d" t="s"><v>%d</v></c>`+
			`<c r="D%d" t="s"><v>%d</v></c><c r="E%d" t="s"><v>%d</v></c><c r="F%d" s="2"><v>%s</v></c><c r="G%d" s="2"><v>0</v></c>`,
			r, r, 45658+i%28, r, i/4+1, r, len(fixed)+i, r, idx(accountCodes[i%10]), r, idx(accountNames[i%10]), r, amount, r)
		if note := notes[i%4]; note != "" {
			fmt.Fprintf(w, `<c r="H%d" t="s"><v>%d</v></c>`, r, idx(note))
		}
		w.WriteString("</row>")
	}
	w.WriteString("</sheetData></worksheet>")
	w.Flush()
	w = part("xl/sharedStrings.xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst %s count="%d" uniqueCount="%d">`, ns, len(fixed)+n, len(fixed)+n)
	for _, s := range fixed {
		fmt.Fprintf(w, "<si><t>%s</t></si>", s)
	}
	for i := range n {
		fmt.Fprintf(w, "<si><t>摘要 第%d笔 收到承包费</t></si>", i)
	}
	w.WriteString("</sst>")
	w.Flush()
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
}

// checkJournal reads a journal through Header, checking every row's
// content, amounts to the fen, and heap in use every 50,000 rows. It
// returns the largest heap sample.
func checkJournal(tb testing.TB, path string, n int) uint64 {
	tb.Helper()
	r, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	h, err := ReadHeader(r, []Field{
		{Name: "date", Aliases: []string{"日期"}, Required: true},
		{Name: "summary", Aliases: []string{"摘要"}, Required: true},
		{Name: "account", Aliases: []string{"科目编码"}, Required: true},
		{Name: "debit", Aliases: []string{"借方金额"}, Required: true},
	})
	if err != nil {
		tb.Fatal(err)
	}
	var (
		ms      runtime.MemStats
		maxHeap uint64
		i       int
	)
	for ; ; i++ {
		row, err := h.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		want, _ := journalAmount(i)
		got, err := jiti.ParseAmount(h.Get(row, "debit"))
		if err != nil || got != want || row.Line != i+2 || h.Get(row, "account") != accountCodes[i%10] ||
			h.Get(row, "date") != fmt.Sprintf("2025-01-%02d", i%28+1) && h.Get(row, "date") != "2025-01-"+strconv.Itoa(i%28+1) ||
			!strings.HasPrefix(h.Get(row, "summary"), fmt.Sprintf("摘要 第%d笔", i)) {
			tb.Fatalf("row %d: %q", i, row.Cells)
		}
		if i%50_000 == 0 {
			runtime.ReadMemStats(&ms)
			maxHeap = max(maxHeap, ms.HeapInuse)
		}
	}
	if i != n {
		tb.Fatalf("read %d rows, want %d", i, n)
	}
	return maxHeap
}

func TestReadLargeXLSXMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 300,000-row workbooks")
	}
	const n, limit = 300_000, 150 << 20
	for _, tc := range []struct {
		name  string
		write func(testing.TB, string, int)
	}{
		{"shared strings", writeExcelLike},
		{"inline strings", func(tb testing.TB, p string, n int) { writeJournal(tb, p, "xlsx", n) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.xlsx")
			tc.write(t, path, n)
			runtime.GC()
			heap := checkJournal(t, path, n)
			fi, _ := os.Stat(path)
			t.Logf("%d rows, file %.1f MB, peak sampled heap in use %.1f MB", n, float64(fi.Size())/(1<<20), float64(heap)/(1<<20))
			if heap > limit {
				t.Errorf("heap in use reached %.1f MB, over %d MB", float64(heap)/(1<<20), limit>>20)
			}
		})
	}
}

// benchRows is the size of the benchmarks' files.
const benchRows = 200_000

func benchmarkRead(b *testing.B, path string) {
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for b.Loop() {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadCSV(b *testing.B) {
	path := filepath.Join(b.TempDir(), "journal.csv")
	writeJournal(b, path, "csv", benchRows)
	benchmarkRead(b, path)
}

func BenchmarkReadXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "journal.xlsx")
	writeExcelLike(b, path, benchRows)
	benchmarkRead(b, path)
}

// BenchmarkMergesXLSX is the pass over a workbook that lists its merged
// ranges, part of BenchmarkReadXLSX's time: compare the two.
func BenchmarkMergesXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "journal.xlsx")
	writeExcelLike(b, path, benchRows)
	b.ResetTimer()
	for b.Loop() {
		if _, err := sheetMerges(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWriteXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "journal.xlsx")
	for b.Loop() {
		writeJournal(b, path, "xlsx", benchRows)
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func FuzzCSV(f *testing.F) {
	for _, seed := range []string{
		"", "a,b\n1,2\n", "\xEF\xBB\xBF日期,金额\r\n2025-01-05,1\r\n", "\xFF\xFEa\x00\t\x00b\x00\n\x00",
		"\"a\nb\",c\n\n\n,,\n\"unterminated\n", "科目\t金额\n", "\xB7\xD1\xD3\xC3,1\n\n\xB7\xD1,2", "a\x00b\n",
		"\"\"\"\",\"\n\r\n\"\r\n\r\nx", "\r\r\n\n\r", strings.Repeat("x,", 100),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewCSV(bytes.NewReader(data), "fuzz")
		last := 0
		for n := 0; ; n++ {
			if n > len(data)+1 {
				t.Fatalf("more rows than bytes")
			}
			row, err := r.Next()
			if err != nil {
				if _, err2 := r.Next(); err2 != err {
					t.Fatalf("error not sticky: %v then %v", err, err2)
				}
				return
			}
			if row.Line <= last {
				t.Fatalf("line %d after %d", row.Line, last)
			}
			if row.blank() || row.Sheet != "fuzz" {
				t.Fatalf("bad row %+v", row)
			}
			last = row.Line
		}
	})
}
