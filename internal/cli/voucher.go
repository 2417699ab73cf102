package cli

import (
	"encoding/csv"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(
		command{"voucher create", "cmd.voucher_create", runVoucherCreate},
		command{"voucher edit", "cmd.voucher_edit", runVoucherEdit},
		command{"voucher delete", "cmd.voucher_delete", runVoucherDelete},
		command{"voucher approve", "cmd.voucher_approve", runVoucherApprove},
		command{"voucher unapprove", "cmd.voucher_unapprove", runVoucherUnapprove},
		command{"voucher post", "cmd.voucher_post", runVoucherPost},
		command{"voucher reverse", "cmd.voucher_reverse", runVoucherReverse},
		command{"voucher list", "cmd.voucher_list", runVoucherList},
		command{"voucher show", "cmd.voucher_show", runVoucherShow},
	)
}

// lineFlags collects repeated -line flags.
type lineFlags []string

func (l *lineFlags) String() string     { return strings.Join(*l, "; ") }
func (l *lineFlags) Set(s string) error { *l = append(*l, s); return nil }

// voucherFlags are the flags that describe a voucher's content.
type voucherFlags struct {
	date, period, note string
	attachments        int
	lines              lineFlags
}

func (e *env) voucherFlags(name string, o *opts) (*flag.FlagSet, *voucherFlags) {
	fs := e.flags(name, o)
	vf := &voucherFlags{}
	fs.StringVar(&vf.date, "date", "", e.p.T("flag.date"))
	fs.StringVar(&vf.period, "period", "", e.p.T("flag.period"))
	fs.StringVar(&vf.note, "note", "", e.p.T("flag.note"))
	fs.IntVar(&vf.attachments, "attachments", 0, e.p.T("flag.attachments"))
	fs.Var(&vf.lines, "line", e.p.T("flag.line"))
	return fs, vf
}

// voucher builds the voucher the flags describe. Errors name the flag and
// the line ("lines[2].debit").
func (vf *voucherFlags) voucher() (*ledger.Voucher, error) {
	v := &ledger.Voucher{Attachments: vf.attachments, Note: vf.note}
	d, err := jiti.ParseDate(vf.date)
	if err != nil {
		return nil, err.(*jiti.Error).At("date")
	}
	v.Date = d
	if vf.period != "" {
		p, err := jiti.ParsePeriod(vf.period)
		if err != nil {
			return nil, err.(*jiti.Error).At("period")
		}
		v.Period = p
	}
	var errs jiti.Errors
	for i, s := range vf.lines {
		l, err := parseLine(s)
		if err != nil {
			errs = append(errs, err.At(fmt.Sprintf("lines[%d]", i+1)))
			continue
		}
		v.Lines = append(v.Lines, l)
	}
	switch len(errs) {
	case 0:
		return v, nil
	case 1:
		return nil, errs[0]
	}
	return nil, errs
}

// ErrLineSyntax reports a -line value that is not
// "summary,account,debit,credit[,key=value…]".
var ErrLineSyntax = jiti.Errorf(jiti.Invalid, "cli.line_syntax")

// parseLine reads one -line value: comma-separated summary, account, debit,
// credit, then optional key=value references (counterparty, household,
// project, asset, contract). Quotes as in CSV allow commas in a summary.
func parseLine(s string) (ledger.Line, *jiti.Error) {
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	rec, err := r.Read()
	if err != nil || len(rec) < 4 {
		return ledger.Line{}, ErrLineSyntax.With(s)
	}
	l := ledger.Line{Summary: rec[0], Account: strings.TrimSpace(rec[1])}
	var aerr error
	if l.Debit, aerr = optionalAmount(rec[2]); aerr != nil {
		return l, jiti.AsError(aerr).At("debit")
	}
	if l.Credit, aerr = optionalAmount(rec[3]); aerr != nil {
		return l, jiti.AsError(aerr).At("credit")
	}
	for _, kv := range rec[4:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return l, ErrLineSyntax.With(s)
		}
		if !l.SetRef(strings.TrimSpace(k), v) {
			return l, ErrLineSyntax.With(s)
		}
	}
	return l, nil
}

func runVoucherCreate(e *env, args []string) error {
	var o opts
	fs, vf := e.voucherFlags("voucher create", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		v, err := vf.voucher()
		if err != nil {
			return err
		}
		v.CollectiveID = c.ID
		v, err = db.CreateVoucher(e.ctx, by, v)
		if err != nil {
			return err
		}
		e.say("cli.voucher_created", v.ID, v.Period)
		return nil
	})
}

func runVoucherEdit(e *env, args []string) error {
	var o opts
	fs, vf := e.voucherFlags("voucher edit", &o)
	id := fs.Int64("id", 0, e.p.T("flag.voucher_id"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		v, err := vf.voucher()
		if err != nil {
			return err
		}
		if _, err := db.UpdateVoucher(e.ctx, by, *id, v); err != nil {
			return err
		}
		e.say("cli.voucher_updated", *id)
		return nil
	})
}

func runVoucherDelete(e *env, args []string) error {
	var o opts
	fs := e.flags("voucher delete", &o)
	id := fs.Int64("id", 0, e.p.T("flag.voucher_id"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.DeleteVoucher(e.ctx, by, *id); err != nil {
			return err
		}
		e.say("cli.voucher_deleted", *id)
		return nil
	})
}

// batchFlags select the vouchers of a batch approval or posting.
type batchFlags struct {
	id          *int64
	c, from, to *string
	all         *bool
}

func (e *env) batchFlags(fs *flag.FlagSet) *batchFlags {
	return &batchFlags{
		id:   fs.Int64("id", 0, e.p.T("flag.voucher_id")),
		c:    fs.String("c", "", e.p.T("flag.c")),
		all:  fs.Bool("all", false, e.p.T("flag.all")),
		from: fs.String("from", "", e.p.T("flag.from")),
		to:   fs.String("to", "", e.p.T("flag.to")),
	}
}

// ErrBatchOrID reports neither or both of -id and -all.
var ErrBatchOrID = jiti.Errorf(jiti.Invalid, "cli.id_or_all")

// batch runs one (with -id) or all (with -c and -all) of an action.
func (e *env) batch(o *opts, b *batchFlags, one func(db *store.DB, by jiti.UserID, id int64) error,
	all func(db *store.DB, by jiti.UserID, cid int64, from, to jiti.Period) error) error {
	if (*b.id == 0) == !*b.all {
		return ErrBatchOrID.At("id")
	}
	return e.withActor(o, func(db *store.DB, by jiti.UserID) error {
		if *b.id != 0 {
			return one(db, by, *b.id)
		}
		c, err := e.collective(db, *b.c)
		if err != nil {
			return err
		}
		from, to, err := e.monthRange(*b.from, *b.to, c.BooksOpenedOn.Period(), jiti.NewPeriod(9999, 12))
		if err != nil {
			return err
		}
		return all(db, by, c.ID, from, to)
	})
}

// monthRange parses -from and -to, defaulting to def values.
func (e *env) monthRange(from, to string, defFrom, defTo jiti.Period) (jiti.Period, jiti.Period, error) {
	f, t := defFrom, defTo
	var err error
	if from != "" {
		if f, err = jiti.ParsePeriod(from); err != nil {
			return 0, 0, jiti.AsError(err).At("from")
		}
	}
	if to != "" {
		if t, err = jiti.ParsePeriod(to); err != nil {
			return 0, 0, jiti.AsError(err).At("to")
		}
	}
	if t < f {
		return 0, 0, store.ErrPeriodRange.With(f, t).At("to")
	}
	return f, t, nil
}

func runVoucherApprove(e *env, args []string) error {
	var o opts
	fs := e.flags("voucher approve", &o)
	b := e.batchFlags(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.batch(&o, b, func(db *store.DB, by jiti.UserID, id int64) error {
		if err := db.ApproveVoucher(e.ctx, by, id); err != nil {
			return err
		}
		e.say("cli.voucher_approved", id)
		return nil
	}, func(db *store.DB, by jiti.UserID, cid int64, from, to jiti.Period) error {
		n, own, err := db.ApproveVouchers(e.ctx, by, cid, from, to)
		if err != nil {
			return err
		}
		e.say("cli.vouchers_approved", n, own)
		return nil
	})
}

func runVoucherUnapprove(e *env, args []string) error {
	var o opts
	fs := e.flags("voucher unapprove", &o)
	id := fs.Int64("id", 0, e.p.T("flag.voucher_id"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.UnapproveVoucher(e.ctx, by, *id); err != nil {
			return err
		}
		e.say("cli.voucher_unapproved", *id)
		return nil
	})
}

func runVoucherPost(e *env, args []string) error {
	var o opts
	fs := e.flags("voucher post", &o)
	b := e.batchFlags(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.batch(&o, b, func(db *store.DB, by jiti.UserID, id int64) error {
		v, err := db.PostVoucher(e.ctx, by, id)
		if err != nil {
			return err
		}
		e.say("cli.voucher_posted", v.ID, v.Period, v.Number)
		return nil
	}, func(db *store.DB, by jiti.UserID, cid int64, from, to jiti.Period) error {
		n, err := db.PostVouchers(e.ctx, by, cid, from, to)
		if err != nil {
			return err
		}
		e.say("cli.vouchers_posted", n)
		return nil
	})
}

func runVoucherReverse(e *env, args []string) error {
	var o opts
	fs := e.flags("voucher reverse", &o)
	id := fs.Int64("id", 0, e.p.T("flag.voucher_id"))
	date := fs.String("date", "", e.p.T("flag.reverse_date"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		d := today(db.Now())
		if *date != "" {
			var err error
			if d, err = jiti.ParseDate(*date); err != nil {
				return jiti.AsError(err).At("date")
			}
		}
		r, err := db.ReverseVoucher(e.ctx, by, *id, d)
		if err != nil {
			return err
		}
		e.say("cli.voucher_reversed", *id, r.ID)
		return nil
	})
}

func runVoucherList(e *env, args []string) error {
	var o opts
	fs := e.flags("voucher list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	month := fs.String("month", "", e.p.T("flag.month"))
	from := fs.String("from", "", e.p.T("flag.from"))
	to := fs.String("to", "", e.p.T("flag.to"))
	status := fs.String("status", "", e.p.T("flag.status"))
	account := fs.String("account", "", e.p.T("flag.account_code"))
	text := fs.String("text", "", e.p.T("flag.text"))
	limit := fs.Int("limit", 50, e.p.T("flag.limit"))
	offset := fs.Int("offset", 0, e.p.T("flag.offset"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		if *month != "" {
			*from, *to = *month, *month
		}
		f := store.VoucherFilter{CollectiveID: c.ID, Status: ledger.Status(*status), Account: *account, Text: *text,
			Limit: *limit, Offset: *offset}
		if *from != "" || *to != "" {
			var err error
			if f.From, f.To, err = e.monthRange(*from, *to, c.BooksOpenedOn.Period(), jiti.NewPeriod(9999, 12)); err != nil {
				return err
			}
		}
		vs, total, err := db.FindVouchers(e.ctx, f)
		if err != nil {
			return err
		}
		t := &report.Table{Title: e.p.T("cli.title.vouchers"), Meta: []string{c.Name, e.p.T("cli.shown_of", len(vs), total)},
			Columns: []report.Column{
				{Key: "cli.col.id", Align: report.Right}, {Key: "report.col.date", Align: report.Left},
				{Key: "report.col.voucher", Align: report.Left}, {Key: "cli.col.status", Align: report.Left},
				{Key: "report.col.summary", Align: report.Left}, {Key: "report.col.debit", Align: report.Right, Money: true},
				{Key: "cli.col.attachments", Align: report.Right}}}
		for _, v := range vs {
			dr, _ := v.Totals()
			summary := ""
			if len(v.Lines) > 0 {
				summary = v.Lines[0].Summary
			}
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(v.ID, 10), v.Date.String(), e.voucherLabel(v),
				e.p.T("voucher.status." + string(v.Status)), clip(summary, 30), dr.String(), strconv.Itoa(v.Attachments)}})
		}
		return e.output(o.format, t, vs)
	})
}

// voucherLabel is the voucher's number as printed: 记-5 for a posted
// voucher, or its status for one that has none yet.
func (e *env) voucherLabel(v *ledger.Voucher) string {
	if v.Number == 0 {
		return "—"
	}
	return e.p.T("voucher.number", v.Number)
}

func runVoucherShow(e *env, args []string) error {
	var o opts
	fs := e.flags("voucher show", &o)
	id := fs.Int64("id", 0, e.p.T("flag.voucher_id"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.FindVoucher(e.ctx, *id)
	if err != nil {
		return err
	}
	c, err := db.FindCollective(e.ctx, v.CollectiveID)
	if err != nil {
		return err
	}
	accounts, err := db.Accounts(e.ctx, v.CollectiveID)
	if err != nil {
		return err
	}
	chart := ledger.NewChart(accounts)
	names := map[jiti.UserID]string{}
	for _, uid := range []jiti.UserID{v.MakerID, v.ApproverID, v.PosterID} {
		if uid != 0 {
			if u, err := db.FindUser(e.ctx, uid); err == nil {
				names[uid] = u.DisplayName
			}
		}
	}
	dr, cr := v.Totals()
	t := &report.Table{Title: e.p.T("voucher.title"), Meta: []string{
		c.Name,
		e.p.T("voucher.meta", v.Date, e.voucherLabel(v), v.Attachments, e.p.T("voucher.status."+string(v.Status))),
	}, Columns: []report.Column{
		{Key: "report.col.summary", Align: report.Left}, {Key: "report.col.code", Align: report.Left},
		{Key: "report.col.account", Align: report.Left}, {Key: "report.col.debit", Align: report.Right, Money: true},
		{Key: "report.col.credit", Align: report.Right, Money: true}, {Key: "cli.col.refs", Align: report.Left}}}
	for _, l := range v.Lines {
		name := ""
		if a := chart[l.Account]; a != nil {
			name = e.accountName(a)
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{l.Summary, l.Account, name, blank(l.Debit), blank(l.Credit), lineRefs(l)}})
	}
	t.Rows = append(t.Rows, report.TableRow{Cells: []string{e.p.T("voucher.total_capitals", locale.Capitals(dr)), "", "", dr.String(), cr.String(), ""}, Bold: true})
	footer := e.p.T("voucher.signatures", names[v.MakerID], names[v.ApproverID], names[v.PosterID])
	if v.Kind.Derived() {
		footer += "  " + e.p.T("voucher.system_generated")
	}
	if v.ReversesID != 0 {
		footer += "  " + e.p.T("voucher.reverses", v.ReversesID)
	}
	if v.ReversedByID != 0 {
		footer += "  " + e.p.T("voucher.reversed_by", v.ReversedByID)
	}
	if v.Hash != "" {
		footer += "  SHA-256 " + v.Hash[:16] + "…"
	}
	if o.format == "json" {
		return e.output(o.format, t, v)
	}
	if err := e.output(o.format, t, v); err != nil {
		return err
	}
	if o.format == "text" || o.format == "" {
		fmt.Fprintln(e.stdout, footer)
	}
	return nil
}

func lineRefs(l ledger.Line) string {
	var parts []string
	for _, r := range l.Refs() {
		parts = append(parts, r.Name+"="+r.Value)
	}
	return strings.Join(parts, " ")
}

// today returns the current date in China Standard Time, which is the
// accounting date of the county whatever the server's zone.
func today(now time.Time) jiti.Date {
	return jiti.DateOf(now.In(time.FixedZone("CST", 8*3600)))
}
