// SPDX-License-Identifier: AGPL-3.0-or-later

package rt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	nethttp "net/http"
	"strings"
	"time"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/pyformat"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// Report keys, as IntelMQ's collector fills them.
const (
	keyRTIRID           = "rtir_id"
	keyObservation      = "time.observation"
	keyEmailSubject     = "extra.email_subject"
	keyTicketSubject    = "extra.ticket_subject"
	keyEmailFrom        = "extra.email_from"
	keyTicketRequestors = "extra.ticket_requestors"
	keyTicketQueue      = "extra.ticket_queue"
	keyTicketStatus     = "extra.ticket_status"
	keyTicketOwner      = "extra.ticket_owner"
	keyFileName         = "extra.file_name"
)

// rtTimeLayout is the form of RT's Created of transactions and
// attachments, in UTC.
const rtTimeLayout = "2006-01-02 15:04:05"

// ticketError is the failure of one ticket: it is left alone (not taken,
// status unchanged), the other tickets are handled, and the collection
// fails at the end, so the ticket is tried again.
type ticketError struct {
	id  int
	err error
}

func (e *ticketError) Error() string { return fmt.Sprintf("ticket %d: %v", e.id, e.err) }

func (e *ticketError) Unwrap() error { return e.err }

// Collect logs in to RT, searches the tickets and handles each one.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.api == nil {
		return errors.New("the collector was not started")
	}
	log := c.logger()
	cl, err := newClient(c.uri, c.user, c.password, c.api, c.maxSize)
	if err != nil {
		return botapi.Fatal(err)
	}
	if err := cl.login(ctx); err != nil {
		return err
	}
	defer func() {
		if err := cl.logout(context.WithoutCancel(ctx)); err != nil {
			log.Debug(fmt.Sprintf("Logout failed: %v.", err))
		}
	}()
	var since time.Time
	if c.since != nil {
		since = c.since(c.bc.Clock.Now())
		log.Debug(fmt.Sprintf("Searching for tickets newer than %s.", pyformat.ReprString(since.UTC().Format(rtTimeLayout))))
	}
	tickets, err := cl.search(ctx, buildQuery(c.search, since))
	if err != nil {
		return err
	}
	log.Info(fmt.Sprintf("%d results on search query.", len(tickets)))
	var failed []*ticketError
	for _, t := range tickets {
		err := c.handle(ctx, cl, out, t)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var te *ticketError
		if errors.As(err, &te) {
			log.Warn(fmt.Sprintf("Ticket %d could not be handled and is left alone: %v.", t.ID, te.err))
			failed = append(failed, te)
			continue
		}
		if err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d tickets could not be handled and are left alone, the first: %w", len(failed), len(tickets), failed[0])
	}
	return nil
}

// source is what a ticket's reports are made of.
type source struct {
	data     []byte
	name     string // the attachment's name or the download's file name
	extract  bool
	created  string // RT's Created, "2006-01-02 15:04:05" in UTC
	download string // the URL downloaded, for log lines
}

// handle sends the reports of one ticket, then takes it and sets its
// status. A *ticketError leaves the ticket alone.
func (c *Collector) handle(ctx context.Context, cl *client, out botapi.Emitter, t ticket) error {
	log := c.logger()
	log.Debug(fmt.Sprintf("Process ticket %d.", t.ID))
	src, err := c.find(ctx, cl, t)
	if err != nil || src == nil {
		return err
	}
	reports, err := c.reports(t, src)
	if err != nil {
		return err
	}
	for _, r := range reports {
		if err := out.Emit(ctx, r); err != nil {
			return err
		}
	}
	c.mark(ctx, cl, t.ID)
	return nil
}

// find returns the ticket's source: the first attachment whose name
// matches attachment_regex, else the download of the first URL that
// url_regex finds in the text of the ticket's first transaction. It
// returns nil for a ticket with neither, or for a download that is gone
// for good (then the ticket is marked, as IntelMQ does).
func (c *Collector) find(ctx context.Context, cl *client, t ticket) (*source, error) {
	log := c.logger()
	if c.attachRe != nil {
		atts, err := cl.attachments(ctx, t.ID)
		if err != nil {
			return nil, &ticketError{id: t.ID, err: err}
		}
		for _, a := range atts {
			if !c.attachRe.MatchString(a.Name) {
				continue
			}
			log.Debug(fmt.Sprintf("Found attachment %d: %s.", a.ID, pyformat.ReprString(a.Name)))
			data, err := cl.attachmentContent(ctx, t.ID, a.ID)
			if err != nil {
				return nil, &ticketError{id: t.ID, err: err}
			}
			created, err := cl.attachmentCreated(ctx, t.ID, a.ID)
			if err != nil {
				return nil, &ticketError{id: t.ID, err: err}
			}
			return &source{data: data, name: a.Name, extract: c.extractAttach, created: created}, nil
		}
	}
	if c.urlRe == nil {
		log.Info("No matching attachment or URL found.")
		return nil, nil
	}
	h, err := cl.firstHistory(ctx, t.ID)
	if err != nil {
		return nil, &ticketError{id: t.ID, err: err}
	}
	url := c.urlRe.FindString(h.Content)
	if url == "" {
		log.Info("No matching attachment or URL found.")
		return nil, nil
	}
	log.Debug(fmt.Sprintf("Matching URL found %s.", pyformat.ReprString(url)))
	d, err := c.download.Get(ctx, url)
	var se *httpcollector.StatusError
	if errors.As(err, &se) && se.Status/100 == 4 && se.Status != nethttp.StatusRequestTimeout &&
		se.Status != nethttp.StatusTooManyRequests {
		log.Error(fmt.Sprintf("HTTP response status code for %s was %d. Skipping ticket %d.",
			pyformat.ReprString(url), se.Status, t.ID))
		c.mark(ctx, cl, t.ID)
		return nil, nil
	}
	if err != nil {
		return nil, &ticketError{id: t.ID, err: err}
	}
	log.Info(fmt.Sprintf("Report #%d downloaded.", t.ID))
	log.Debug(fmt.Sprintf("Downloaded content has %d bytes.", len(d.Body)))
	return &source{data: d.Body, name: d.FileName, extract: c.extractDownload, created: h.Created, download: url}, nil
}

// reports builds every report of a ticket before any is sent, so a
// corrupt archive fails the ticket without sending half of it.
func (c *Collector) reports(t ticket, src *source) ([]*message.Message, error) {
	log := c.logger()
	files := []httpcollector.File{{Data: src.data}}
	if src.extract {
		var err error
		files, err = httpcollector.Extract(src.data, c.patterns, c.maxSize)
		if err != nil {
			return nil, &ticketError{id: t.ID, err: fmt.Errorf("could not uncompress %s: %w", pyformat.ReprString(src.name), err)}
		}
		if len(files) == 0 {
			log.Warn(fmt.Sprintf("Ticket %d: no file of the archive %s matches extract_files.", t.ID, pyformat.ReprString(src.name)))
		}
	}
	gz := bytes.HasPrefix(src.data, []byte{0x1f, 0x8b})
	var reports []*message.Message
	for _, f := range files {
		if len(f.Data) == 0 {
			log.Debug(fmt.Sprintf("Skipping the empty file %s of ticket %d.", pyformat.ReprString(f.Name), t.ID))
			continue
		}
		name := f.Name
		if name == "" {
			name = src.name
			if src.extract && gz {
				name = strings.TrimSuffix(name, ".gz")
			}
		}
		r, err := c.newReport(t, src.created, name, f.Data)
		if err != nil {
			return nil, &ticketError{id: t.ID, err: err}
		}
		reports = append(reports, r)
	}
	return reports, nil
}

// newReport returns a Report with the ticket's fields, the file name and
// raw.
func (c *Collector) newReport(t ticket, created, name string, data []byte) (*message.Message, error) {
	r, err := report.New(c.bc)
	if err != nil {
		return nil, err
	}
	if err := r.Add(keyRTIRID, harmonization.Int(int64(t.ID))); err != nil {
		return nil, fmt.Errorf("%s: %w", keyRTIRID, err)
	}
	if created != "" {
		if ts, err := time.Parse(rtTimeLayout, created); err == nil {
			if err := r.Set(keyObservation, harmonization.String(datetime.Format(ts))); err != nil {
				return nil, fmt.Errorf("%s: %w", keyObservation, err)
			}
		} else {
			c.logger().Debug(fmt.Sprintf("Ticket %d: the creation time %s is not RT's, time.observation is the current time.",
				t.ID, pyformat.ReprString(created)))
		}
	}
	requestors := strings.Join(t.Requestors, ",")
	for _, f := range [...]struct{ key, value string }{
		{keyEmailSubject, t.Subject}, {keyTicketSubject, t.Subject},
		{keyEmailFrom, requestors}, {keyTicketRequestors, requestors},
		{keyTicketQueue, t.Queue}, {keyTicketStatus, t.Status}, {keyTicketOwner, t.Owner},
		{keyFileName, name},
	} {
		if f.value == "" {
			continue
		}
		if err := r.AddString(f.key, f.value); err != nil {
			return nil, fmt.Errorf("%s: %w", f.key, err)
		}
	}
	if err := message.SetRawText(r, data); err != nil {
		return nil, err
	}
	return r, nil
}

// mark takes the ticket and sets its status, as configured, once its
// reports are sent, even when the bot is stopping. A failure is logged: the reports are sent already,
// and the ticket will be found again by the next search.
func (c *Collector) mark(ctx context.Context, cl *client, id int) {
	log := c.logger()
	ctx = context.WithoutCancel(ctx) // the reports are sent: finish, within the client's timeout
	if c.take {
		if err := cl.take(ctx, id); err != nil {
			log.Error(fmt.Sprintf("Could not take ticket %d: %v.", id, err))
		}
	}
	if c.setStatus != "" {
		if err := cl.setStatus(ctx, id, c.setStatus); err != nil {
			log.Error(fmt.Sprintf("Could not set the status of ticket %d to %s: %v.", id, pyformat.ReprString(c.setStatus), err))
		}
	}
}
