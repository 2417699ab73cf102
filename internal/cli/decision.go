package cli

import (
	"fmt"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The decisions register (四议两公开): `jiti decision add|step|list|show`.

func runDecisionAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("decision add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	var d register.Decision
	fs.StringVar(&d.Number, "number", "", e.p.T("flag.decision_number"))
	fs.StringVar(&d.Subject, "subject", "", e.p.T("flag.decision_subject"))
	kind := fs.String("kind", "", e.p.T("flag.decision_kind"))
	fs.StringVar(&d.Note, "note", "", e.p.T("flag.note"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d.Kind = register.DecisionKind(*kind)
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		d.CollectiveID = c.ID
		out, err := db.CreateDecision(e.ctx, by, d)
		if err != nil {
			return err
		}
		e.say("cli.decision_added", out.Number, out.Subject)
		return nil
	})
}

func runDecisionStep(e *env, args []string) error {
	var o opts
	fs := e.flags("decision step", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	number := fs.String("decision", "", e.p.T("flag.decision_number"))
	step := fs.String("step", "", e.p.T("flag.decision_step"))
	on := fs.String("date", "", e.p.T("flag.date"))
	meeting := fs.String("meeting", "", e.p.T("flag.decision_meeting"))
	required := fs.String("required", "", e.p.T("flag.decision_required"))
	present := fs.String("present", "", e.p.T("flag.decision_present"))
	approve := fs.String("approve", "", e.p.T("flag.decision_approve"))
	content := fs.String("content", "", e.p.T("flag.decision_content"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	s := register.DecisionStep{Meeting: register.Meeting(*meeting), Content: *content}
	var err error
	if s.HeldOn, err = dateFlag(*on, "date", true); err != nil {
		return err
	}
	for _, f := range []struct {
		text  string
		field string
		to    *int
	}{{*required, "required", &s.Required}, {*present, "present", &s.Present}, {*approve, "approve", &s.Approve}} {
		if *f.to, err = register.ParseCount(f.text, f.field); err != nil {
			return err
		}
	}
	n, err := register.ParseCount(*step, "step")
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		d, err := db.FindDecisionByNumber(e.ctx, c.ID, *number)
		if err != nil {
			return atField(err, "decision")
		}
		// Without -step, the step is the decision's next.
		s.Step = register.Step(n)
		if n == 0 {
			s.Step = d.Reached + 1
		}
		out, err := db.RecordDecisionStep(e.ctx, by, d.ID, s)
		if err != nil {
			return err
		}
		got := out.Steps[len(out.Steps)-1]
		e.say("cli.decision_step", out.Number, int(got.Step), e.p.T(stepKey(got.Step)), e.p.T(resultKey(got)),
			e.p.T("decision.status."+string(out.Status)))
		return nil
	})
}

func stepKey(s register.Step) string { return fmt.Sprintf("decision.step.%d", s) }

// resultKey names a recorded step's result: published for a
// publication, passed or not for a meeting.
func resultKey(s register.DecisionStep) string {
	switch {
	case !s.Step.Votes():
		return "decision.published"
	case s.Passed:
		return "decision.passed"
	}
	return "decision.not_passed"
}

func runDecisionList(e *env, args []string) error {
	var o opts
	fs := e.flags("decision list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	kind := fs.String("kind", "", e.p.T("flag.decision_kind"))
	status := fs.String("status", "", e.p.T("flag.decision_status"))
	year := fs.Int("year", 0, e.p.T("flag.decision_year"))
	e.outFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.DecisionFilter{Region: *region, Kind: register.DecisionKind(*kind), Status: register.DecisionStatus(*status), Year: *year}
	var col *jiti.Collective
	if *cflag != "" {
		if col, err = e.collective(db, *cflag); err != nil {
			return err
		}
		f.CollectiveID = col.ID
	}
	ds, err := db.FindDecisions(e.ctx, f)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.decisions"), Columns: []report.Column{
		{Key: "cli.col.decision_number", Align: report.Left}, {Key: "cli.col.decision_subject", Align: report.Left},
		{Key: "cli.col.kind", Align: report.Left}, {Key: "cli.col.decision_reached", Align: report.Left},
		{Key: "cli.col.status", Align: report.Left}, {Key: "cli.col.adopted_on", Align: report.Left}}}
	for _, d := range ds {
		reached := ""
		if d.Reached > 0 {
			reached = e.p.T("decision.reached", int(d.Reached), e.p.T(stepKey(d.Reached)))
		}
		adopted := ""
		if !d.AdoptedOn.IsZero() {
			adopted = d.AdoptedOn.String()
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{d.Number, d.Subject, e.p.T("decision.kind." + string(d.Kind)), reached,
			e.p.T("decision.status." + string(d.Status)), adopted}})
	}
	if col != nil {
		t.Meta = []string{e.collectiveMeta(col)}
	} else {
		ids := make([]int64, len(ds))
		for i, d := range ds {
			ids[i] = d.CollectiveID
		}
		if err := e.collectiveColumns(db, t, ids); err != nil {
			return err
		}
	}
	if ds == nil {
		ds = []*register.Decision{}
	}
	return e.output(o.format, t, ds)
}

// ratio shows part of whole as a percentage with one decimal, the way the
// minutes of a meeting state attendance and votes.
func ratio(part, whole int) string {
	if whole <= 0 {
		return ""
	}
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64) + "%"
}

func runDecisionShow(e *env, args []string) error {
	var o opts
	fs := e.flags("decision show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	number := fs.String("decision", "", e.p.T("flag.decision_number"))
	e.outFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		d, err := db.FindDecisionByNumber(e.ctx, c.ID, *number)
		if err != nil {
			return atField(err, "decision")
		}
		if o.format == "json" {
			return e.output("json", nil, d)
		}
		meta := e.p.T("cli.decision_meta", e.p.T("decision.kind."+string(d.Kind)), e.p.T("decision.status."+string(d.Status)))
		if !d.AdoptedOn.IsZero() {
			meta += " · " + e.p.T("cli.decision_adopted_on", d.AdoptedOn)
		}
		t := &report.Table{Title: e.p.T("cli.title.decision", d.Number, d.Subject), Meta: []string{e.collectiveMeta(c), meta},
			Columns: []report.Column{{Key: "cli.col.decision_step", Align: report.Left}, {Key: "cli.col.held_on", Align: report.Left},
				{Key: "cli.col.meeting", Align: report.Left}, {Key: "cli.col.required", Align: report.Right},
				{Key: "cli.col.present", Align: report.Right}, {Key: "cli.col.present_ratio", Align: report.Right},
				{Key: "cli.col.approve", Align: report.Right}, {Key: "cli.col.approve_ratio", Align: report.Right},
				{Key: "cli.col.result", Align: report.Left}, {Key: "cli.col.content", Align: report.Left}}}
		for _, s := range d.Steps {
			row := []string{strconv.Itoa(int(s.Step)) + " " + e.p.T(stepKey(s.Step)), s.HeldOn.String(), "", "", "", "", "", "",
				e.p.T(resultKey(s)), s.Content}
			if s.Meeting != "" {
				row[2] = e.p.T("decision.meeting." + string(s.Meeting))
			}
			if s.Step.Votes() {
				row[3], row[4], row[5] = strconv.Itoa(s.Required), strconv.Itoa(s.Present), ratio(s.Present, s.Required)
				row[6], row[7] = strconv.Itoa(s.Approve), ratio(s.Approve, s.Present)
			}
			t.Rows = append(t.Rows, report.TableRow{Cells: row})
		}
		if next := d.Next(); next != 0 {
			t.Meta = append(t.Meta, e.p.T("cli.decision_next", int(next), e.p.T(stepKey(next))))
		}
		return e.output(o.format, t, d)
	})
}

// atField places an error that names no field on field.
func atField(err error, field string) error {
	if e := jiti.AsError(err); e != nil && e.Field == "" {
		return e.At(field)
	}
	return err
}
