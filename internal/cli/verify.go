package cli

import (
	"fmt"
)

func init() {
	addCommands(command{"verify", "cmd.verify", runVerify})
}

func runVerify(e *env, args []string) error {
	var o opts
	fs := e.flags("verify", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
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
		e.say("cli.verify_summary", rep.Collectives, rep.Vouchers, rep.Lines)
		for _, p := range rep.Problems {
			where := ""
			if p.VoucherID != 0 {
				where = e.p.Voucher(p.Voucher)
			}
			fmt.Fprintln(e.stdout, e.p.T("cli.verify_problem", p.CollectiveID, where, p.VoucherID, e.p.T(p.Kind), p.Detail))
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
