package report

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// JournalProblem is one thing CheckJournal found wrong in an exported
// journal.
type JournalProblem struct {
	Line       int             `json:"line"`                 // of the file, from 1; 0 for the file as a whole
	Collective string          `json:"collective,omitempty"` // code
	VoucherID  int64           `json:"voucher_id,omitempty"` // jiti's id, from the voucher tag
	Voucher    jiti.VoucherRef `json:"voucher,omitzero"`
	Seq        int64           `json:"seq,omitempty"`
	Kind       string          `json:"kind"` // a catalog key: journal.hash, journal.link, …
	Detail     string          `json:"detail"`
}

// JournalCheck is the result of CheckJournal.
type JournalCheck struct {
	Collectives int              `json:"collectives"`
	Vouchers    int              `json:"vouchers"`
	Heads       []JournalHead    `json:"heads"` // as the journal states them, to compare with the database's
	Problems    []JournalProblem `json:"problems"`
}

// JournalHead is a collective's chain head as a journal states it.
type JournalHead struct {
	Collective string `json:"collective"`
	Seq        int64  `json:"seq"`
	Hash       string `json:"hash"`
}

// OK reports whether nothing was found.
func (c *JournalCheck) OK() bool { return len(c.Problems) == 0 }

// journalVoucher is a voucher read back from a journal.
type journalVoucher struct {
	v          ledger.Voucher
	collective string
	line       int // of its first line
	tagged     bool
}

// journalPart is a collective's chain head read back from a journal.
type journalPart struct {
	id       int64
	seq      int64
	head     string
	omitted  map[int64]bool
	line     int
	vouchers []*journalVoucher
}

var (
	journalHeader = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}) \* \((\d{4}-\d{2}) 记-(\d+)\) .*?  ; (.*)$`)
	journalDate   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[ =]`)
)

// CheckJournal checks a journal that HledgerWriter wrote, without the
// database: it recomputes each voucher's hash from what the journal says
// of it (ledger.HashVoucher over its date, number, postings and tags) and
// follows each collective's chain from voucher to voucher up to the head
// its part ends with. An amount, an account or a summary edited shows as a
// voucher whose content no longer hashes to its tag; a voucher deleted, as
// a gap in the chain (or a head that is not there); a transaction added,
// as one without jiti's tags. Problems come in the order of the file, so
// the first names the first voucher that does not match.
func CheckJournal(r io.Reader) (*JournalCheck, error) {
	out := &JournalCheck{}
	parts := map[string]*journalPart{}
	var order []string // collectives, as their parts end
	var cur *journalVoucher
	other := false // in a transaction that is not a voucher: its postings are not read
	var vouchers []*journalVoucher
	problem := func(line int, kind, format string, args ...any) {
		out.Problems = append(out.Problems, JournalProblem{Line: line, Kind: kind, Detail: fmt.Sprintf(format, args...)})
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.TrimSpace(text) == "":
			cur, other = nil, false
		case strings.HasPrefix(text, "account "):
			cur, other = nil, false
			name, comment, _ := strings.Cut(strings.TrimPrefix(text, "account "), "  ;")
			if strings.Contains(name, ":") || !strings.Contains(comment, "chain_head:") {
				continue // an account of the chart
			}
			p, err := readPart(strings.TrimSpace(comment))
			if err != nil {
				problem(n, "journal.parse", "%v", err)
				continue
			}
			p.line = n
			if _, dup := parts[name]; dup {
				problem(n, "journal.parse", "collective %s ends twice", name)
				continue
			}
			parts[name] = p
			order = append(order, name)
		case journalDate.MatchString(text):
			cur, other = nil, false
			m := journalHeader.FindStringSubmatch(text)
			if m == nil {
				other = true
				if strings.HasSuffix(text, " 期初余额") {
					continue // opening balances: not a voucher, outside the chain
				}
				problem(n, "journal.untagged", "a transaction that is not an exported voucher: %.60s", text)
				continue
			}
			jv, err := readHeader(m)
			if err != nil {
				problem(n, "journal.parse", "%v", err)
				continue
			}
			jv.line = n
			cur = jv
			vouchers = append(vouchers, jv)
		case cur != nil && strings.HasPrefix(text, "    ; "):
			if err := cur.readTags(strings.TrimPrefix(text, "    ; ")); err != nil {
				problem(n, "journal.parse", "%v", err)
			}
		case cur != nil && strings.HasPrefix(text, "    "):
			if err := cur.readPosting(strings.TrimPrefix(text, "    ")); err != nil {
				problem(n, "journal.parse", "%v", err)
			}
		case other || strings.HasPrefix(text, ";"):
			// A posting of the opening balances, or a comment of the file.
		default:
			problem(n, "journal.parse", "unreadable line: %.60s", text)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, jv := range vouchers {
		out.Vouchers++
		p := parts[jv.collective]
		if p == nil {
			out.Problems = append(out.Problems, jv.problem("journal.head", "collective %s has no chain head in the journal", jv.collective))
			continue
		}
		p.vouchers = append(p.vouchers, jv)
	}
	for _, code := range order {
		out.Collectives++
		p := parts[code]
		out.Heads = append(out.Heads, JournalHead{Collective: code, Seq: p.seq, Hash: p.head})
		out.Problems = append(out.Problems, p.check(code)...)
	}
	sort.SliceStable(out.Problems, func(i, j int) bool { return out.Problems[i].Line < out.Problems[j].Line })
	return out, nil
}

// readHeader reads a voucher's first line: date, month and number, and its
// tags (voucher id, kind).
func readHeader(m []string) (*journalVoucher, error) {
	jv := &journalVoucher{v: ledger.Voucher{Kind: ledger.Normal, Status: ledger.Posted}}
	var err error
	if jv.v.Date, err = jiti.ParseDate(m[1]); err != nil {
		return nil, err
	}
	if jv.v.Period, err = jiti.ParsePeriod(m[2]); err != nil {
		return nil, err
	}
	if jv.v.Number, err = strconv.Atoi(m[3]); err != nil {
		return nil, err
	}
	for _, tag := range strings.Split(m[4], ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(tag), ":")
		switch name {
		case "voucher":
			if jv.v.ID, err = strconv.ParseInt(value, 10, 64); err != nil {
				return nil, fmt.Errorf("voucher:%s: %w", value, err)
			}
		case "kind":
			jv.v.Kind = ledger.VoucherKind(value)
		}
	}
	return jv, nil
}

// readTags reads a comment line of tags: the voucher's, or its last
// posting's when it follows one.
func (jv *journalVoucher) readTags(text string) error {
	tags, err := splitTags(text)
	if err != nil {
		return err
	}
	v := &jv.v
	if len(v.Lines) > 0 {
		return readLineTags(&v.Lines[len(v.Lines)-1], tags)
	}
	jv.tagged = true
	for name, value := range tags {
		var err error
		switch name {
		case "seq":
			v.Seq, err = strconv.ParseInt(value, 10, 64)
		case "prev":
			v.PrevHash = value
		case "hash":
			v.Hash = value
		case "posted":
			if value != "" {
				v.PostedAt, err = time.Parse(time.RFC3339, value)
			}
		case "maker":
			err = parseID(value, (*int64)(&v.MakerID))
		case "approver":
			err = parseID(value, (*int64)(&v.ApproverID))
		case "poster":
			err = parseID(value, (*int64)(&v.PosterID))
		case "attachments":
			v.Attachments, err = strconv.Atoi(value)
		case "reverses":
			v.ReversesID, err = strconv.ParseInt(value, 10, 64)
		case "note":
			v.Note = value
		}
		if err != nil {
			return fmt.Errorf("%s:%s: %w", name, value, err)
		}
	}
	return nil
}

func parseID(s string, id *int64) error {
	n, err := strconv.ParseInt(s, 10, 64)
	*id = n
	return err
}

// readPosting reads a posting: account, amount and summary; the line's
// debit and credit are read from the amount's sign until its tags say
// otherwise.
func (jv *journalVoucher) readPosting(text string) error {
	account, rest, ok := strings.Cut(text, "  ")
	if !ok {
		return fmt.Errorf("posting without an amount: %.60s", text)
	}
	amount, summary, _ := strings.Cut(rest, "  ;")
	a, err := jiti.ParseAmount(strings.TrimSpace(amount))
	if err != nil {
		return fmt.Errorf("amount %q: %w", amount, err)
	}
	collective, _, _ := strings.Cut(account, ":")
	if jv.collective == "" {
		jv.collective = collective
	} else if collective != jv.collective {
		return fmt.Errorf("posting to %s in a voucher of %s", account, jv.collective)
	}
	l := ledger.Line{No: len(jv.v.Lines) + 1, Account: account[strings.LastIndexByte(account, ':')+1:],
		Summary: strings.TrimPrefix(summary, " ")}
	l.Debit, l.Credit = sides(a)
	jv.v.Lines = append(jv.v.Lines, l)
	return nil
}

func readLineTags(l *ledger.Line, tags map[string]string) error {
	for name, value := range tags {
		var err error
		switch name {
		case "no":
			l.No, err = strconv.Atoi(value)
		case "dr":
			l.Debit, err = jiti.ParseAmount(value)
		case "cr":
			l.Credit, err = jiti.ParseAmount(value)
		case "account":
			l.Account = value
		case "summary":
			l.Summary = value
		default:
			l.SetRef(name, value) // other tags are not the line's
		}
		if err != nil {
			return fmt.Errorf("%s:%s: %w", name, value, err)
		}
	}
	return nil
}

// splitTags reads "name:value, name:value" with values unescaped.
func splitTags(text string) (map[string]string, error) {
	tags := map[string]string{}
	for _, tag := range strings.Split(text, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "" {
			continue
		}
		name, value, ok := strings.Cut(tag, ":")
		if !ok {
			return nil, fmt.Errorf("not a tag: %.40s", tag)
		}
		v, err := unescapeTag(value)
		if err != nil {
			return nil, err
		}
		tags[name] = v
	}
	return tags, nil
}

// readPart reads the tags of a collective's part end.
func readPart(comment string) (*journalPart, error) {
	tags, err := splitTags(comment)
	if err != nil {
		return nil, err
	}
	p := &journalPart{omitted: map[int64]bool{}, head: tags["chain_head"]}
	if p.id, err = strconv.ParseInt(tags["collective_id"], 10, 64); err != nil {
		return nil, fmt.Errorf("collective_id:%s: %w", tags["collective_id"], err)
	}
	if p.seq, err = strconv.ParseInt(tags["chain_seq"], 10, 64); err != nil {
		return nil, fmt.Errorf("chain_seq:%s: %w", tags["chain_seq"], err)
	}
	for _, r := range strings.Fields(tags["omitted"]) {
		from, to, isRange := strings.Cut(r, "-")
		a, err1 := strconv.ParseInt(from, 10, 64)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.ParseInt(to, 10, 64)
		}
		if err1 != nil || err2 != nil || b < a || b > p.seq {
			return nil, fmt.Errorf("omitted:%s", tags["omitted"])
		}
		for s := a; s <= b; s++ {
			p.omitted[s] = true
		}
	}
	return p, nil
}

func (jv *journalVoucher) problem(kind, format string, args ...any) JournalProblem {
	return JournalProblem{Line: jv.line, Collective: jv.collective, VoucherID: jv.v.ID,
		Voucher: jiti.VoucherRef{Period: jv.v.Period, Number: jv.v.Number, ID: jv.v.ID}, Seq: jv.v.Seq,
		Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// check checks a collective's vouchers: each one's hash, and the chain in
// seq order up to the head.
func (p *journalPart) check(code string) []JournalProblem {
	var out []JournalProblem
	bySeq := map[int64]*journalVoucher{}
	for _, jv := range p.vouchers {
		jv.v.CollectiveID = p.id
		if !jv.tagged {
			out = append(out, jv.problem("journal.untagged", "voucher without its chain tags"))
			continue
		}
		if h := ledger.HashVoucher(&jv.v, jv.v.PrevHash); h != jv.v.Hash {
			out = append(out, jv.problem("journal.hash", "seq %d: its content hashes to %.12s…, its tag says %.12s…", jv.v.Seq, h, jv.v.Hash))
		}
		if other, dup := bySeq[jv.v.Seq]; dup {
			out = append(out, jv.problem("journal.link", "seq %d is also the seq of the voucher at line %d", jv.v.Seq, other.line))
			continue
		}
		bySeq[jv.v.Seq] = jv
	}
	seqs := make([]int64, 0, len(bySeq))
	for s := range bySeq {
		seqs = append(seqs, s)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	var before *journalVoucher
	for _, s := range seqs {
		jv := bySeq[s]
		if s > p.seq {
			out = append(out, jv.problem("journal.head", "seq %d is after the chain head, seq %d", s, p.seq))
		}
		var missing []int64
		from := int64(1)
		if before != nil {
			from = before.v.Seq + 1
		}
		for m := from; m < s; m++ {
			if !p.omitted[m] {
				missing = append(missing, m)
			}
		}
		switch {
		case len(missing) > 0:
			out = append(out, jv.problem("journal.gap", "%s not in the journal, before this voucher (seq %d)", seqList(missing), s))
		case before != nil && before.v.Seq == s-1 && jv.v.PrevHash != before.v.Hash:
			out = append(out, jv.problem("journal.link", "seq %d follows %.12s…, the voucher before (seq %d, line %d) has %.12s…",
				s, jv.v.PrevHash, s-1, before.line, before.v.Hash))
		case before == nil && s == 1 && jv.v.PrevHash != ledger.ChainStart:
			out = append(out, jv.problem("journal.link", "the first voucher follows %.12s…", jv.v.PrevHash))
		}
		before = jv
	}
	end := JournalProblem{Line: p.line, Collective: code, Seq: p.seq, Kind: "journal.head"}
	switch last := bySeq[p.seq]; {
	case p.seq == 0 && p.head == ledger.ChainStart:
	case last == nil:
		var missing []int64
		from := int64(1)
		if before != nil {
			from = before.v.Seq + 1
		}
		for m := from; m <= p.seq; m++ {
			if !p.omitted[m] {
				missing = append(missing, m)
			}
		}
		end.Detail = fmt.Sprintf("the chain head, seq %d, is not in the journal (%s missing at the end)", p.seq, seqList(missing))
		out = append(out, end)
	case last.v.Hash != p.head:
		end.Detail = fmt.Sprintf("the chain head is %.12s…, the voucher at seq %d (line %d) has %.12s…", p.head, p.seq, last.line, last.v.Hash)
		out = append(out, end)
	}
	for i := range out {
		out[i].Collective = code
	}
	return out
}

// seqList writes seqs as "seq 7" or "seqs 7, 9, 10".
func seqList(seqs []int64) string {
	if len(seqs) == 1 {
		return fmt.Sprintf("seq %d", seqs[0])
	}
	parts := make([]string, 0, min(len(seqs), 10))
	for i, s := range seqs {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(seqs)))
			break
		}
		parts = append(parts, strconv.FormatInt(s, 10))
	}
	return "seqs " + strings.Join(parts, ", ")
}
