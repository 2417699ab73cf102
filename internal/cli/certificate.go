package cli

import (
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
)

// Share certificates (股权证): jiti certificate issue, reissue, list, show.

func init() {
	addCommands(
		command{"certificate issue", "cmd.certificate_issue", runCertificateIssue},
		command{"certificate reissue", "cmd.certificate_reissue", runCertificateReissue},
		command{"certificate list", "cmd.certificate_list", runCertificateList},
		command{"certificate show", "cmd.certificate_show", runCertificateShow},
	)
}

func runCertificateIssue(e *env, args []string) error {
	var o opts
	fs := e.flags("certificate issue", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	households := fs.String("households", "", e.p.T("flag.households"))
	on := fs.String("date", "", e.p.T("flag.date"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		cs, err := db.IssueCertificates(e.ctx, by, c.ID, d, splitList(*households))
		if err != nil {
			return err
		}
		e.say("cli.certificates_issued", len(cs))
		return nil
	})
}

func runCertificateReissue(e *env, args []string) error {
	var o opts
	fs := e.flags("certificate reissue", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	number := fs.String("number", "", e.p.T("flag.certificate_number"))
	on := fs.String("date", "", e.p.T("flag.date"))
	reason := fs.String("reason", "", e.p.T("flag.reason"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		n, err := db.ReissueCertificate(e.ctx, by, c.ID, strings.TrimSpace(*number), d, strings.TrimSpace(*reason))
		if err != nil {
			return err
		}
		e.say("cli.certificate_reissued", *number, n.Number)
		return nil
	})
}

func runCertificateList(e *env, args []string) error {
	var o opts
	fs := e.flags("certificate list", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		cs, err := db.Certificates(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := web.CertificatesTable(e.p.T("cli.title.certificates"), cs, e.tr())
		t.Meta = []string{c.Name}
		return e.output(o.format, t, cs)
	})
}

func runCertificateShow(e *env, args []string) error {
	var o opts
	fs := e.flags("certificate show", &o)
	e.outFlag(fs)
	number := fs.String("number", "", e.p.T("flag.certificate_number"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.PublicCertificate(e.ctx, strings.TrimSpace(*number))
	if err != nil {
		return jiti.AsError(err).At("certificate_number")
	}
	t := e.certificateTable(s)
	return e.output(o.format, t, s)
}

// certificateTable is a certificate's content as a table: its shares by
// type, under the certificate's particulars.
func (e *env) certificateTable(s *store.CertificateSheet) *report.Table {
	k := s.Certificate
	meta := []string{
		e.p.T("cli.certificate.number", k.Number, e.p.T("certificate.status."+k.Status)),
		e.p.T("cli.certificate.collective", s.Collective.Name, s.Collective.USCC),
		e.p.T("cli.certificate.household", s.Household.Code, s.Household.Name, strings.Join(s.Members, "、")),
		e.p.T("cli.certificate.issued", k.IssuedOn),
	}
	if k.Status == store.CertificateVoid {
		meta = append(meta, e.p.T("cli.certificate.void", k.VoidedOn, k.VoidReason, k.ReplacedBy))
	}
	t := web.CertificateSharesTable(e.p.T("cli.title.certificate"), s, e.tr())
	t.Meta = meta
	return t
}
