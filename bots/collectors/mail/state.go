// SPDX-License-Identifier: AGPL-3.0-or-later

package mail

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"

	"github.com/emersion/go-imap/v2"

	"github.com/intelmq-go/intelmq/bots/internal/statefile"
)

// seenState is what a read-only collector (mail_mark_as_read = false)
// remembers instead of setting \Seen: the UIDs of the mails it handled in
// its folder, valid while the folder keeps its UIDVALIDITY. The UIDs are
// kept as sorted, disjoint, non-adjacent ranges, so a mailbox read in order
// takes one range. With a path they are saved after each mail.
type seenState struct {
	path string
	log  *slog.Logger
	data seenFile
}

// seenFile is the JSON form of the state file.
type seenFile struct {
	Folder      string      `json:"folder"`
	UIDValidity uint32      `json:"uid_validity"`
	UIDs        [][2]uint32 `json:"uids"` // [first, last] ranges
}

// loadSeenState reads the state file at path (empty: memory only). A
// missing file is a first start; an unreadable one is logged and starts
// afresh, so its mails are read again.
func loadSeenState(path string, log *slog.Logger) *seenState {
	st := &seenState{path: path, log: log}
	if path == "" {
		return st
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st
	}
	if err == nil {
		err = json.Unmarshal(raw, &st.data)
	}
	if err == nil {
		err = st.check()
	}
	if err != nil {
		log.Warn(fmt.Sprintf("Ignoring the state file %s: %v; its mails will be read again.", path, err))
		st.data = seenFile{}
	}
	return st
}

// check verifies that the ranges are sorted, disjoint and well formed.
func (st *seenState) check() error {
	for i, r := range st.data.UIDs {
		if r[0] == 0 || r[0] > r[1] || (i > 0 && r[0] <= st.data.UIDs[i-1][1]+1) {
			return fmt.Errorf("malformed UID ranges at %v", r)
		}
	}
	return nil
}

// use starts a collection of folder with the given UIDVALIDITY; a change
// of either forgets the UIDs, which then mean other mails.
func (st *seenState) use(folder string, validity uint32) {
	if st.data.Folder == folder && st.data.UIDValidity == validity {
		return
	}
	if len(st.data.UIDs) > 0 {
		st.log.Info(fmt.Sprintf("The folder %q changed (UIDVALIDITY %d, was %d): reading all its mails again.",
			folder, validity, st.data.UIDValidity))
	}
	st.data = seenFile{Folder: folder, UIDValidity: validity}
}

// has reports whether uid was handled.
func (st *seenState) has(uid imap.UID) bool {
	u := uint32(uid)
	i := sort.Search(len(st.data.UIDs), func(i int) bool { return st.data.UIDs[i][1] >= u })
	return i < len(st.data.UIDs) && st.data.UIDs[i][0] <= u
}

// unhandled returns the uids not handled yet, in order.
func (st *seenState) unhandled(uids []imap.UID) []imap.UID {
	out := uids[:0:0]
	for _, u := range uids {
		if !st.has(u) {
			out = append(out, u)
		}
	}
	return out
}

// add records uid as handled and saves the state.
func (st *seenState) add(uid imap.UID) error {
	u := uint32(uid)
	if u == 0 || st.has(uid) {
		return nil
	}
	rs := st.data.UIDs
	// i is the first range that starts after u.
	i := sort.Search(len(rs), func(i int) bool { return rs[i][0] > u })
	joinPrev := i > 0 && rs[i-1][1]+1 == u
	joinNext := i < len(rs) && rs[i][0] == u+1
	switch {
	case joinPrev && joinNext:
		rs[i-1][1] = rs[i][1]
		rs = append(rs[:i], rs[i+1:]...)
	case joinPrev:
		rs[i-1][1] = u
	case joinNext:
		rs[i][0] = u
	default:
		rs = append(rs, [2]uint32{})
		copy(rs[i+1:], rs[i:])
		rs[i] = [2]uint32{u, u}
	}
	st.data.UIDs = rs
	return st.save()
}

// save writes the state file atomically.
func (st *seenState) save() error {
	if st.path == "" {
		return nil
	}
	return statefile.WriteJSON(st.path, st.data)
}
