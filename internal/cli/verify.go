package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(command{"verify", "cmd.verify", runVerify})
}

func runVerify(e *env, args []string) error {
	var o opts
	fs := e.flags("verify", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	journal := fs.String("journal", "", e.p.T("flag.journal"))
	disclosure := fs.String("disclosure", "", e.p.T("flag.disclosure_file"))
	hash := fs.String("hash", "", e.p.T("flag.disclosure_hash"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *disclosure != "" {
		return verifyDisclosure(e, *disclosure, *hash)
	}
	if *journal != "" {
		return verifyJournal(e, &o, *journal)
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	var cid int64
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		cid = c.ID
	}
	rep, err := db.Verify(e.ctx, cid)
	if err != nil {
		return err
	}
	if o.format == "json" {
		if err := e.output("json", nil, rep); err != nil {
			return err
		}
	} else {
		e.say("cli.verify_summary", rep.Collectives, rep.Vouchers, rep.Lines, rep.AuditEvents, rep.Records)
		ids := make([]int64, len(rep.Problems))
		for i, p := range rep.Problems {
			ids[i] = p.CollectiveID
		}
		names, err := db.CollectiveNames(e.ctx, ids)
		if err != nil {
			return err
		}
		for _, p := range rep.Problems {
			fmt.Fprintln(e.stdout, e.problem(p, names[p.CollectiveID]))
		}
		if rep.OK() {
			e.say("cli.verify_ok")
		}
	}
	if !rep.OK() {
		e.say("cli.verify_failed", len(rep.Problems))
		return errProblems
	}
	return nil
}

// problem is one line of verify's report: what is at fault (a record, the
// audit log, a voucher of a collective, named by its code and name), what
// is wrong, and the detail.
func (e *env) problem(p store.Problem, c store.RecordName) string {
	switch {
	case p.Entity != "":
		return e.p.T("cli.verify_problem_record", p.Entity, p.EntityID, e.p.T(p.Kind), p.Detail)
	case strings.HasPrefix(p.Kind, "verify.audit_"):
		return e.p.T("cli.verify_problem_audit", e.p.T(p.Kind), p.Detail)
	}
	where := c.Label()
	if where == "" { // a collective that does not exist has only the id its vouchers carry
		where = "#" + strconv.FormatInt(p.CollectiveID, 10)
	}
	if p.VoucherID != 0 {
		where += " " + e.p.Voucher(p.Voucher)
	}
	return e.p.T("cli.verify_problem", where, e.p.T(p.Kind), p.Detail)
}

// verifyJournal checks an exported journal without the database: each
// voucher's hash and each collective's chain (report.CheckJournal).
func verifyJournal(e *env, o *opts, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := report.CheckJournal(f)
	if err != nil {
		return err
	}
	if o.format == "json" {
		if err := e.output("json", nil, rep); err != nil {
			return err
		}
	} else {
		e.say("cli.journal_checked", path, rep.Collectives, rep.Vouchers)
		for _, h := range rep.Heads {
			e.say("cli.journal_head", h.Collective, h.Seq, h.Hash)
		}
		for _, p := range rep.Problems {
			voucher := ""
			if p.VoucherID != 0 {
				voucher = e.p.Voucher(p.Voucher)
			}
			fmt.Fprintln(e.stdout, e.p.T("cli.journal_problem", p.Line, p.Collective, voucher, e.p.T(p.Kind), p.Detail))
		}
		if rep.OK() {
			e.say("cli.journal_ok")
		}
	}
	if !rep.OK() {
		e.say("cli.verify_failed", len(rep.Problems))
		return errProblems
	}
	return nil
}
