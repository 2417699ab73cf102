package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

var chainCollective = jiti.Collective{ID: 7, Code: "620422100201", Name: "南什村股份经济合作社", BooksOpenedOn: jiti.MustDate("2025-01-01")}

// chained posts vs in order as a collective's chain does: numbers per
// month, seqs, hashes.
func chained(vs ...*ledger.Voucher) []*ledger.Voucher {
	prev, numbers := ledger.ChainStart, map[jiti.Period]int{}
	for i, v := range vs {
		v.ID, v.CollectiveID, v.Status = int64(100+i), chainCollective.ID, ledger.Posted
		if v.Kind == "" {
			v.Kind = ledger.Normal
		}
		v.Normalize()
		numbers[v.Period]++
		v.Number, v.Seq, v.PrevHash = numbers[v.Period], int64(i+1), prev
		v.MakerID, v.ApproverID, v.PosterID = 2, 3, 2
		v.PostedAt = time.Date(2025, 12, 31, 10, 0, int(v.Seq), 0, time.UTC)
		v.Hash = ledger.HashVoucher(v, prev)
		prev = v.Hash
	}
	return vs
}

func jline(summary, account string, debit, credit string) ledger.Line {
	l := ledger.Line{Summary: summary, Account: account}
	if debit != "" {
		l.Debit = jiti.MustAmount(debit)
	}
	if credit != "" {
		l.Credit = jiti.MustAmount(credit)
	}
	return l
}

// chainBooks is a chain with everything the journal must carry exactly:
// a red-ink reversal, a note and summaries with commas, semicolons and a
// newline, sub-ledger fields, attachments, a voucher posted into an
// earlier month after a later one.
func chainBooks() []*ledger.Voucher {
	return chained(
		&ledger.Voucher{Date: jiti.MustDate("2025-02-01"), Attachments: 2, Note: "押金,另收; 100%\n见合同",
			Lines: []ledger.Line{jline("收租金;含押金", "10201", "800.55", ""), jline("收租金", "50101", "", "800.55")}},
		&ledger.Voucher{Date: jiti.MustDate("2025-03-03"),
			Lines: []ledger.Line{jline(" 借给张三 ", "113", "100", ""), jline("借给张三", "101", "", "100")}},
		&ledger.Voucher{Date: jiti.MustDate("2025-02-20"),
			Lines: []ledger.Line{{Summary: "付电费", Account: "513", Debit: jiti.MustAmount("77.01"), Counterparty: "国网,会宁供电", Project: "路灯",
				Asset: "ZC-1", Contract: "HT-1", Household: "H001"}, jline("付电费", "10201", "", "77.01")}},
		&ledger.Voucher{Date: jiti.MustDate("2025-03-20"), Kind: ledger.Reversal, ReversesID: 102,
			Lines: []ledger.Line{jline("冲销", "513", "-77.01", ""), jline("冲销", "10201", "", "-77.01")}},
		&ledger.Voucher{Date: jiti.MustDate("2025-12-31"), Kind: ledger.Closing,
			Lines: []ledger.Line{jline("结转", "50101", "800.55", ""), jline("结转", "321", "", "800.55")}},
	)
}

func export(t testing.TB, vs []*ledger.Voucher) string {
	t.Helper()
	var b bytes.Buffer
	w := report.NewHledgerWriter(&b)
	w.Begin(&chainCollective, nil)
	w.Opening(&chainCollective, chainCollective.BooksOpenedOn, map[string]jiti.Amount{"101": 100000, "301": -100000})
	for _, v := range vs {
		w.Voucher(&chainCollective, v)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func check(t testing.TB, journal string) *report.JournalCheck {
	t.Helper()
	rep, err := report.CheckJournal(strings.NewReader(journal))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// firstProblem checks that the journal's first problem is of kind and
// names the voucher with seq.
func firstProblem(t testing.TB, rep *report.JournalCheck, kind string, seq int64) report.JournalProblem {
	t.Helper()
	if len(rep.Problems) == 0 {
		t.Fatalf("no problem found, want %s at seq %d", kind, seq)
	}
	p := rep.Problems[0]
	if p.Kind != kind || p.Seq != seq || p.Collective != chainCollective.Code {
		t.Fatalf("first problem = %+v, want %s at seq %d\nall: %+v", p, kind, seq, rep.Problems)
	}
	return p
}

func TestCheckJournal(t *testing.T) {
	vs := chainBooks()
	journal := export(t, vs)
	t.Run("OK", func(t *testing.T) {
		rep := check(t, journal)
		if !rep.OK() || rep.Collectives != 1 || rep.Vouchers != 5 {
			t.Fatalf("clean export: %+v\n%s", rep, journal)
		}
		for _, want := range []string{"    ; seq:1, prev:" + ledger.ChainStart + ", hash:" + vs[0].Hash,
			"account 620422100201  ; collective_id:7, chain_seq:5, chain_head:" + vs[4].Hash + "\n",
			"note:押金%2C另收%3B 100%25%0A见合同", "    ; dr:-77.01, cr:0.00"} {
			if !strings.Contains(journal, want) {
				t.Errorf("the export lacks %q:\n%s", want, journal)
			}
		}
	})
	t.Run("ErrAmount", func(t *testing.T) {
		// Both postings of a voucher, so that it still balances.
		edited := strings.Replace(journal, "  800.55  ; 收租金", "  810.55  ; 收租金", 1)
		edited = strings.Replace(edited, "  -800.55  ; 收租金", "  -810.55  ; 收租金", 1)
		if edited == journal {
			t.Fatal("nothing edited")
		}
		p := firstProblem(t, check(t, edited), "journal.hash", 1)
		if p.VoucherID != 100 || p.Voucher.Number != 1 || p.Voucher.Period != jiti.MustPeriod("2025-02") {
			t.Fatalf("problem names %+v", p)
		}
	})
	t.Run("ErrSummary", func(t *testing.T) {
		edited := strings.Replace(journal, "; 付电费\n", "; 付水费\n", 1)
		firstProblem(t, check(t, edited), "journal.hash", 3)
	})
	t.Run("ErrDeleted", func(t *testing.T) {
		// The second voucher's block, from its first line to the blank
		// line after it.
		start := strings.Index(journal, "2025-03-03 *")
		end := start + strings.Index(journal[start:], "\n\n") + 2
		p := firstProblem(t, check(t, journal[:start]+journal[end:]), "journal.gap", 3)
		if !strings.Contains(p.Detail, "seq 2 not in the journal") {
			t.Fatalf("gap problem = %+v", p)
		}
	})
	t.Run("ErrLastDeleted", func(t *testing.T) {
		start := strings.Index(journal, "2025-12-31 *")
		end := start + strings.Index(journal[start:], "\n\n") + 2
		p := firstProblem(t, check(t, journal[:start]+journal[end:]), "journal.head", 5)
		if !strings.Contains(p.Detail, "seq 5 missing at the end") {
			t.Fatalf("head problem = %+v", p)
		}
	})
	t.Run("ErrAdded", func(t *testing.T) {
		added := strings.Replace(journal, "account 620422100201  ;", "2025-06-01 * 补记\n    620422100201:101  5.00\n    620422100201:301  -5.00\n\naccount 620422100201  ;", 1)
		rep := check(t, added)
		if len(rep.Problems) != 1 || rep.Problems[0].Kind != "journal.untagged" {
			t.Fatalf("problems = %+v", rep.Problems)
		}
	})
	t.Run("ErrReplaced", func(t *testing.T) {
		// A voucher rebuilt with a new hash of its own: the next one's
		// link no longer meets it.
		v := *vs[1]
		v.Lines = append([]ledger.Line(nil), v.Lines...)
		v.Lines[0].Debit, v.Lines[1].Credit = jiti.MustAmount("1"), jiti.MustAmount("1")
		v.Hash = ledger.HashVoucher(&v, v.PrevHash)
		replaced := export(t, []*ledger.Voucher{vs[0], &v, vs[2], vs[3], vs[4]})
		firstProblem(t, check(t, replaced), "journal.link", 3)
	})
	t.Run("OKTwoCollectives", func(t *testing.T) {
		other := jiti.Collective{ID: 8, Code: "620422100202", Name: "南咀村股份经济合作社", BooksOpenedOn: chainCollective.BooksOpenedOn}
		ws := chained(&ledger.Voucher{Date: jiti.MustDate("2025-02-01"), Lines: []ledger.Line{jline("收租金", "10201", "5", ""), jline("收租金", "50101", "", "5")}})
		ws[0].CollectiveID = other.ID
		ws[0].Hash = ledger.HashVoucher(ws[0], ws[0].PrevHash)
		var b bytes.Buffer
		w := report.NewHledgerWriter(&b)
		w.Begin(&chainCollective, nil)
		for _, v := range vs {
			w.Voucher(&chainCollective, v)
		}
		w.Begin(&other, nil)
		w.Voucher(&other, ws[0])
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		rep := check(t, b.String())
		if !rep.OK() || rep.Collectives != 2 || rep.Vouchers != 6 || len(rep.Heads) != 2 || rep.Heads[1].Hash != ws[0].Hash {
			t.Fatalf("two collectives: %+v\n%s", rep, b.String())
		}
	})
	t.Run("OKPartial", func(t *testing.T) {
		// March alone: the seqs of February are declared omitted.
		partial := export(t, []*ledger.Voucher{vs[1], vs[3]})
		if !strings.Contains(partial, "chain_seq:4, chain_head:"+vs[3].Hash+", omitted:1 3\n") {
			t.Fatalf("partial export:\n%s", partial)
		}
		if rep := check(t, partial); !rep.OK() || rep.Vouchers != 2 {
			t.Fatalf("partial export: %+v", rep)
		}
		start := strings.Index(partial, "2025-03-03 *")
		end := start + strings.Index(partial[start:], "\n\n") + 2
		firstProblem(t, check(t, partial[:start]+partial[end:]), "journal.gap", 4)
	})
}

// FuzzJournalText checks that any text in a voucher's note, summaries and
// sub-ledger fields survives the journal exactly: the export of a chain
// checks clean whatever its free text holds.
func FuzzJournalText(f *testing.F) {
	f.Add("押金,另收; 100%", "收租金;含押金\n", "国网,会宁", " H001")
	f.Add("", "", "", "")
	f.Add("%zz", "  ", "a:b, c:d", "\r\t")
	f.Fuzz(func(t *testing.T, note, summary, counterparty, household string) {
		for _, s := range []string{note, summary, counterparty, household} {
			if !utf8Valid(s) {
				t.Skip()
			}
		}
		vs := chained(&ledger.Voucher{Date: jiti.MustDate("2025-02-01"), Note: note, Lines: []ledger.Line{
			{Summary: "x", Account: "10201", Debit: 100},
			{Summary: "y", Account: "50101", Credit: 100},
		}})
		// Text exactly as given, not as Normalize trims it.
		v := vs[0]
		v.Note, v.Lines[0].Summary, v.Lines[1].Counterparty, v.Lines[1].Household = note, summary, counterparty, household
		v.Hash = ledger.HashVoucher(v, v.PrevHash)
		journal := export(t, vs)
		if rep := check(t, journal); !rep.OK() {
			t.Fatalf("%+v\n%s", rep.Problems, journal)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
