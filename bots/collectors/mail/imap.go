// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// session is one connection to the mailbox, with the folder selected.
// Every command is guarded by the timeout and by the collection's
// context: either closes the connection, which ends the command.
type session struct {
	c           *Collector
	ctx         context.Context
	addr        string
	conn        net.Conn
	client      *imapclient.Client
	stop        func() bool // unregisters the context's closing of conn
	uidValidity uint32
}

// connect dials the server, logs in and selects the folder: read-write
// when mails are marked read, read-only (EXAMINE) otherwise.
func (c *Collector) connect(ctx context.Context) (*session, error) {
	s := &session{c: c, ctx: ctx, addr: net.JoinHostPort(c.imap.host, strconv.Itoa(c.imap.port))}
	c.logger().Debug(fmt.Sprintf("Connecting to %s.", s.addr))
	if err := s.open(); err != nil {
		return nil, fmt.Errorf("IMAP server %s: %w", s.addr, err)
	}
	return s, nil
}

func (s *session) open() error {
	c := s.c
	d := net.Dialer{Timeout: c.imap.timeout}
	conn, err := d.DialContext(s.ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	s.conn = conn
	s.stop = context.AfterFunc(s.ctx, func() { conn.Close() })
	opts := &imapclient.Options{TLSConfig: c.tls, WordDecoder: newWordDecoder()}
	err = s.guard(func() error {
		switch {
		case c.imap.ssl:
			tc := tls.Client(conn, c.tls.Clone())
			if err := tc.Handshake(); err != nil {
				return fmt.Errorf("TLS handshake: %w", err)
			}
			s.client = imapclient.New(tc, opts)
		case c.imap.startTLS:
			client, err := imapclient.NewStartTLS(conn, opts)
			if err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
			s.client = client
		default:
			s.client = imapclient.New(conn, opts)
		}
		if err := s.client.Login(c.imap.user, c.imap.password).Wait(); err != nil {
			return fmt.Errorf("logging in as %q: %w", c.imap.user, err)
		}
		sel, err := s.client.Select(c.imap.folder, &imap.SelectOptions{ReadOnly: !c.markRead}).Wait()
		if err != nil {
			return fmt.Errorf("selecting the folder %q: %w", c.imap.folder, err)
		}
		s.uidValidity = sel.UIDValidity
		return nil
	})
	if err != nil {
		s.shut()
	}
	return err
}

// shut closes the connection without logging out.
func (s *session) shut() {
	if s.client != nil {
		s.client.Close()
		s.client = nil
	}
	s.conn.Close()
	s.stop()
}

// close logs out and closes the connection.
func (s *session) close() {
	if s.client != nil && s.ctx.Err() == nil {
		_ = s.guard(func() error { return s.client.Logout().Wait() })
	}
	s.shut()
}

// reconnect opens a new connection after the server closed the old one
// (IntelMQ's workaround for servers that drop idle clients). The folder
// must still have the same UIDVALIDITY, or the UIDs mean other mails.
func (s *session) reconnect() error {
	validity := s.uidValidity
	s.shut()
	s.c.logger().Info(fmt.Sprintf("Connection to %s lost, reconnecting.", s.addr))
	if err := s.open(); err != nil {
		return fmt.Errorf("IMAP server %s: reconnecting: %w", s.addr, err)
	}
	if s.uidValidity != validity {
		return fmt.Errorf("IMAP server %s: the UIDVALIDITY of %q changed from %d to %d during the collection",
			s.addr, s.c.imap.folder, validity, s.uidValidity)
	}
	return nil
}

// lost reports whether the connection is closed.
func (s *session) lost() bool {
	if s.client == nil {
		return true
	}
	select {
	case <-s.client.Closed():
		return true
	default:
		return false
	}
}

// guard runs op and closes the connection if op takes longer than the
// timeout, so a server that stops answering cannot block the collector.
// The cancellation of the collection's context is returned as such.
func (s *session) guard(op func() error) error {
	var timedOut atomic.Bool
	conn := s.conn
	t := time.AfterFunc(s.c.imap.timeout, func() {
		timedOut.Store(true)
		conn.Close()
	})
	err := op()
	t.Stop()
	switch {
	case err == nil:
		return nil
	case s.ctx.Err() != nil:
		return s.ctx.Err()
	case timedOut.Load():
		return fmt.Errorf("no answer within %s: %w", s.c.imap.timeout, err)
	}
	return err
}

// search returns the UIDs of the mails to look at, in ascending order:
// the unread ones when mails are marked read, else all, narrowed by
// sent_from and sent_to.
func (s *session) search() ([]imap.UID, error) {
	criteria := &imap.SearchCriteria{}
	if s.c.markRead {
		criteria.NotFlag = []imap.Flag{imap.FlagSeen}
	}
	if s.c.imap.sentFrom != "" {
		criteria.Header = append(criteria.Header, imap.SearchCriteriaHeaderField{Key: "From", Value: s.c.imap.sentFrom})
	}
	if s.c.imap.sentTo != "" {
		criteria.Header = append(criteria.Header, imap.SearchCriteriaHeaderField{Key: "To", Value: s.c.imap.sentTo})
	}
	var data *imap.SearchData
	err := s.guard(func() error {
		var err error
		data, err = s.client.UIDSearch(criteria, nil).Wait()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("IMAP server %s: searching %q: %w", s.addr, s.c.imap.folder, err)
	}
	uids := data.AllUIDs()
	slices.Sort(uids)
	return uids, nil
}

// header is a mail's header section and total size.
type header struct {
	size int64
	raw  []byte
}

// headers fetches the header sections and sizes of uids, without
// setting \Seen. A mail deleted meanwhile is missing from the answer.
func (s *session) headers(uids []imap.UID) (map[imap.UID]header, error) {
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}
	opts := &imap.FetchOptions{UID: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{section}}
	var msgs []*imapclient.FetchMessageBuffer
	err := s.guard(func() error {
		var err error
		msgs, err = s.client.Fetch(imap.UIDSetNum(uids...), opts).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("IMAP server %s: fetching headers: %w", s.addr, err)
	}
	out := make(map[imap.UID]header, len(msgs))
	for _, m := range msgs {
		out[m.UID] = header{size: m.RFC822Size, raw: m.FindBodySection(section)}
	}
	return out, nil
}

// body fetches a whole mail without setting \Seen; nil when the mail was
// deleted meanwhile.
func (s *session) body(uid imap.UID) ([]byte, error) {
	section := &imap.FetchItemBodySection{Peek: true}
	opts := &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}
	var msgs []*imapclient.FetchMessageBuffer
	err := s.guard(func() error {
		var err error
		msgs, err = s.client.Fetch(imap.UIDSetNum(uid), opts).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("IMAP server %s: fetching mail %d: %w", s.addr, uid, err)
	}
	for _, m := range msgs {
		if m.UID == uid {
			return m.FindBodySection(section), nil
		}
	}
	return nil, nil
}

// markSeen sets \Seen on a mail, reconnecting once if the server closed
// the connection meanwhile (a long backpressure wait, say).
func (s *session) markSeen(uid imap.UID) error {
	store := func() error {
		return s.guard(func() error {
			flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}
			return s.client.Store(imap.UIDSetNum(uid), flags, nil).Close()
		})
	}
	err := store()
	if err != nil && s.ctx.Err() == nil && s.lost() {
		if rerr := s.reconnect(); rerr != nil {
			return errors.Join(err, rerr)
		}
		err = store()
	}
	if err != nil {
		return fmt.Errorf("IMAP server %s: marking mail %d read: %w", s.addr, uid, err)
	}
	return nil
}
