// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"context"
	"errors"
	"fmt"
	nethttp "net/http"

	"github.com/emersion/go-imap/v2"

	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/internal/pyformat"
	"github.com/intelmq-go/intelmq/bots/internal/report"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// headerBatch is how many headers one FETCH asks for.
const headerBatch = 100

// Report keys.
const (
	keySubject   = "extra.email_subject"
	keyFrom      = "extra.email_from"
	keyMessageID = "extra.email_message_id"
	keyDate      = "extra.email_date"
	keyFileName  = "extra.file_name"
	keyFeedURL   = "feed.url"
)

// mailError is the failure of one mail: it stays unread, the others are
// handled, and the collection fails at the end.
type mailError struct {
	uid     imap.UID
	subject string
	err     error
}

func (e *mailError) Error() string {
	return fmt.Sprintf("mail %d (subject %s): %v", e.uid, pyformat.ReprString(e.subject), e.err)
}

func (e *mailError) Unwrap() error { return e.err }

// Collect reads the mailbox once and sends the reports of the relevant
// mails.
func (c *Collector) Collect(ctx context.Context, out botapi.Emitter) error {
	if c.tls == nil {
		return errors.New("the collector was not started")
	}
	log := c.logger()
	s, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	if c.seen != nil {
		c.seen.use(c.imap.folder, s.uidValidity)
	}
	uids, err := s.search()
	if err != nil {
		return err
	}
	if c.seen != nil {
		uids = c.seen.unhandled(uids)
	}
	if len(uids) == 0 {
		log.Debug("No unread mails to check.")
		return nil
	}
	var failed []*mailError
	for start := 0; start < len(uids); start += headerBatch {
		batch := uids[start:min(start+headerBatch, len(uids))]
		headers, err := s.headers(batch)
		if err != nil {
			return err
		}
		for _, uid := range batch {
			h, ok := headers[uid]
			if !ok {
				continue // deleted meanwhile
			}
			relevant, err := c.handle(ctx, s, out, uid, h)
			var me *mailError
			if errors.As(err, &me) {
				log.Warn(fmt.Sprintf("Mail %d (subject %s) could not be handled and stays unread: %v.",
					uid, pyformat.ReprString(me.subject), me.err))
				failed = append(failed, me)
				continue
			}
			if err != nil {
				return err
			}
			if err := c.markHandled(s, uid, relevant); err != nil {
				return err
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d mails could not be handled and stay unread, the first: %w", len(failed), len(uids), failed[0])
	}
	return nil
}

// markHandled marks a relevant mail read, or, for a read-only collector,
// remembers every mail looked at (relevant or not: its subject does not
// change).
func (c *Collector) markHandled(s *session, uid imap.UID, relevant bool) error {
	if c.seen != nil {
		if err := c.seen.add(uid); err != nil {
			c.logger().Warn(fmt.Sprintf("Could not save the mails handled: %v.", err))
		}
		return nil
	}
	if !relevant {
		return nil
	}
	return s.markSeen(uid)
}

// handle looks at one mail and sends its reports. It returns whether the
// mail was relevant to this collector (IntelMQ marks only those read, so
// that other collectors on the same mailbox see the rest). A *mailError
// fails this mail alone; other errors end the collection.
func (c *Collector) handle(ctx context.Context, s *session, out botapi.Emitter, uid imap.UID, h header) (bool, error) {
	log := c.logger()
	hdr, _, err := readHeader(h.raw)
	if err != nil {
		return false, &mailError{uid: uid, err: err}
	}
	info := infoOf(hdr)
	if c.subjectRe != nil && !c.subjectRe.MatchString(info.Subject) {
		log.Debug(fmt.Sprintf("Message with date %s skipped because subject %s does not match.",
			info.Date, pyformat.ReprString(info.Subject)))
		return false, nil
	}
	if c.maxSize > 0 && h.size > c.maxSize {
		return false, &mailError{uid: uid, subject: info.Subject,
			err: fmt.Errorf("the mail has %d bytes, more than max_size %d", h.size, c.maxSize)}
	}
	raw, err := s.body(uid)
	if err != nil || raw == nil {
		return false, err
	}
	m, err := parseMail(raw)
	if err != nil {
		return false, &mailError{uid: uid, subject: info.Subject, err: err}
	}
	for _, d := range m.Defects {
		log.Debug(fmt.Sprintf("Mail %d: a part could not be read: %s.", uid, d))
	}
	var reports []*message.Message
	var relevant bool
	switch c.mode {
	case modeAttach:
		reports, relevant, err = c.attachReports(m)
	case modeBody:
		reports, relevant, err = c.bodyReports(m)
	default:
		reports, relevant, err = c.urlReports(ctx, m)
	}
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		var me *mailError
		if errors.As(err, &me) {
			me.uid, me.subject = uid, info.Subject
			return false, me
		}
		return false, err
	}
	for _, r := range reports {
		if err := out.Emit(ctx, r); err != nil {
			return false, err
		}
	}
	if c.mode != modeBody {
		log.Info("Email report read.")
	}
	return relevant, nil
}

// newReport returns a Report with the mail's extra.email_* fields and raw.
func (c *Collector) newReport(m *parsedMail, raw []byte) (*message.Message, error) {
	r, err := report.New(c.bc)
	if err != nil {
		return nil, err
	}
	if err := message.SetRawText(r, raw); err != nil {
		return nil, err
	}
	for _, f := range [...]struct{ key, value string }{
		{keySubject, m.Subject}, {keyFrom, m.From}, {keyMessageID, m.MessageID}, {keyDate, m.Date},
	} {
		if f.value == "" {
			continue
		}
		if err := r.AddString(f.key, f.value); err != nil {
			return nil, botapi.Permanent(fmt.Errorf("%s: %w", f.key, err))
		}
	}
	return r, nil
}

// attachReports returns a Report per attachment whose name matches
// attach_regex, or per file of such an archive. Every matching attachment
// is decoded and unpacked before any report is sent, so a corrupt one
// fails the mail without sending half of it.
func (c *Collector) attachReports(m *parsedMail) ([]*message.Message, bool, error) {
	log := c.logger()
	var reports []*message.Message
	relevant := false
	for _, a := range m.Attachments {
		if a.Name == "" {
			log.Debug("Skipping attachment because of missing filename.")
			continue
		}
		if !c.attachRe.MatchString(a.Name) {
			continue
		}
		log.Debug(fmt.Sprintf("Found suitable attachment %s.", a.Name))
		relevant = true
		if a.Err != nil {
			return nil, true, &mailError{err: fmt.Errorf("attachment %s: %w", pyformat.ReprString(a.Name), a.Err)}
		}
		files, err := httpcollector.Extract(a.Data, c.patterns, c.maxSize)
		if err != nil {
			return nil, true, &mailError{err: fmt.Errorf("attachment %s: %w", pyformat.ReprString(a.Name), err)}
		}
		for _, f := range files {
			if len(f.Data) == 0 {
				log.Debug(fmt.Sprintf("Skipping the empty file %s.", pyformat.ReprString(f.Name)))
				continue
			}
			name := f.Name
			if name == "" {
				name = a.Name
			}
			r, err := c.newReport(m, f.Data)
			if err != nil {
				return nil, true, err
			}
			if err := r.AddString(keyFileName, name); err != nil {
				return nil, true, botapi.Permanent(fmt.Errorf("%s: %w", keyFileName, err))
			}
			reports = append(reports, r)
		}
	}
	return reports, relevant, nil
}

// bodyReports returns a Report per non-empty body of the types in
// content_types, in their order.
func (c *Collector) bodyReports(m *parsedMail) ([]*message.Message, bool, error) {
	var reports []*message.Message
	for _, t := range c.contentTypes {
		bodies := m.Plain
		if t == contentHTML {
			bodies = m.HTML
		}
		for _, b := range bodies {
			if b.Err != nil {
				return nil, true, &mailError{err: fmt.Errorf("text/%s body: %w", t, b.Err)}
			}
			if len(b.Data) == 0 {
				continue
			}
			r, err := c.newReport(m, b.Data)
			if err != nil {
				return nil, true, err
			}
			reports = append(reports, r)
		}
	}
	return reports, len(reports) > 0, nil
}

// urlReports downloads the first URL url_regex finds in each text/plain
// body and returns a Report per non-empty document. A download that
// fails fails the mail; a final HTTP error (4xx other than 408 and 429:
// the document is gone) is logged and the mail counts as handled, as
// with IntelMQ's default error_procedure.
func (c *Collector) urlReports(ctx context.Context, m *parsedMail) ([]*message.Message, bool, error) {
	log := c.logger()
	var reports []*message.Message
	relevant := false
	for _, b := range m.Plain {
		match := c.urlRe.Find(b.Data)
		if match == nil {
			continue
		}
		url := string(trimSpace(match))
		relevant = true
		log.Info(fmt.Sprintf("Downloading report from %s.", pyformat.ReprString(url)))
		d, err := c.client.Get(ctx, url)
		var se *httpcollector.StatusError
		if errors.As(err, &se) && se.Status/100 == 4 && se.Status != nethttp.StatusRequestTimeout &&
			se.Status != nethttp.StatusTooManyRequests {
			log.Error(fmt.Sprintf("HTTP response status code was %d for %s.", se.Status, pyformat.ReprString(url)))
			continue
		}
		if err != nil {
			return nil, true, &mailError{err: err}
		}
		if len(d.Body) == 0 {
			log.Warn("Got empty response from server.")
			continue
		}
		log.Info("Report downloaded.")
		r, err := c.newReport(m, d.Body)
		if err != nil {
			return nil, true, err
		}
		if err := r.Set(keyFeedURL, harmonization.String(url)); err != nil {
			return nil, true, &mailError{err: fmt.Errorf("%s: %w", keyFeedURL, err)}
		}
		if d.FileName != "" {
			if err := r.AddString(keyFileName, d.FileName); err != nil {
				return nil, true, botapi.Permanent(fmt.Errorf("%s: %w", keyFileName, err))
			}
		}
		reports = append(reports, r)
	}
	return reports, relevant, nil
}

func trimSpace(b []byte) []byte {
	start, end := 0, len(b)
	for start < end && isSpace(b[start]) {
		start++
	}
	for end > start && isSpace(b[end-1]) {
		end--
	}
	return b[start:end]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
