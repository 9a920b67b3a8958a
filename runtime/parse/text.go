// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// reportText holds, for one report, what the variables of the report's
// text need beyond the records: the whole text (for text and line_end)
// and the line ending (for newline and header).
type reportText struct {
	whole string
	// content is the length of whole without its trailing white space.
	content int
	newline string
}

// reset readies t for a report whose whole text is s ("" when the parser
// does not need it).
func (t *reportText) reset(s string) {
	t.whole = s
	t.content = len(strings.TrimRightFunc(s, unicode.IsSpace))
	t.newline = ""
}

// lineEnd returns the line terminator after rec in the whole text, or ""
// when nothing but white space follows the record (IntelMQ strips the
// report's text before splitting it).
func (t *reportText) lineEnd(rec *Record) string {
	end := rec.Offset + len(rec.Raw)
	if end >= t.content || rec.End > len(t.whole) || end > rec.End {
		return ""
	}
	return t.whole[end:rec.End]
}

// The kinds of line terminators a text holds, as bits.
const (
	termLF   uint8 = 1 << iota // "\n"
	termCRLF                   // "\r\n"
	termCR                     // a lone "\r"
)

// terminators adds the kinds of line terminators of s to kinds. s must not
// end inside a "\r\n" that the next piece completes (textSource pieces end
// just after a "\n").
func terminators(s string, kinds uint8) uint8 {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			if i > 0 && s[i-1] == '\r' {
				kinds |= termCRLF
			} else {
				kinds |= termLF
			}
		case '\r':
			if i+1 == len(s) || s[i+1] != '\n' {
				kinds |= termCR
			}
		}
	}
	return kinds
}

// lineEnding returns the line ending Python's io.StringIO(newline="")
// reports after reading a text with these kinds of terminators, as
// IntelMQ's CSV parsers save it: the one kind, or "\r\n" when the text
// mixes them or has none.
func lineEnding(kinds uint8) string {
	switch kinds {
	case termLF:
		return "\n"
	case termCR:
		return "\r"
	}
	return "\r\n"
}

// scanLineEnding reads the report's text piece by piece and returns its
// line ending.
func scanLineEnding(report *message.Message) (string, error) {
	src, err := reportSource(report)
	if err != nil {
		return "", err
	}
	var kinds uint8
	for {
		s, ok := src.next()
		if !ok {
			return lineEnding(kinds), nil
		}
		kinds = terminators(s, kinds)
	}
}

// headerText returns the lines of prefix, each ended by newline instead of
// its own terminator: the variable header.
func headerText(prefix, newline string) string {
	var b strings.Builder
	for pos := 0; pos < len(prefix); {
		end, next := lineEnd(prefix, pos)
		b.WriteString(prefix[pos:end])
		b.WriteString(newline)
		pos = next
	}
	return b.String()
}

// ErrRejected is wrapped by the error of a report a reject condition
// fails.
var ErrRejected = errors.New("report rejected")

// RejectError is a report that a parser's reject condition failed.
type RejectError struct {
	Message string      // the reject block's message
	Origin  plan.Origin // where the reject block is declared
}

// Error returns "report rejected: message (reject at file:line:col)".
func (e *RejectError) Error() string {
	if o := e.Origin.String(); o != "" {
		return fmt.Sprintf("%v: %s (reject at %s)", ErrRejected, e.Message, o)
	}
	return fmt.Sprintf("%v: %s", ErrRejected, e.Message)
}

// Is makes errors.Is(err, ErrRejected) true.
func (e *RejectError) Is(target error) bool { return target == ErrRejected }

// prepareText reads what the report's text variables need before the
// records: the whole text when text or line_end is used (src is then
// replaced by it) and the line ending when newline or header is used. It
// binds text and newline.
func (x *Executor) prepareText(report *message.Message, src textSource) (textSource, error) {
	x.text.reset("")
	if x.needWhole {
		s := wholeReport(src)
		src = &wholeText{s: s}
		x.text.reset(s)
	}
	if x.needNewline {
		if x.needWhole {
			x.text.newline = lineEnding(terminators(x.text.whole, 0))
		} else {
			nl, err := scanLineEnding(report)
			if err != nil {
				return nil, err
			}
			x.text.newline = nl
		}
	}
	x.setText(varText, x.text.whole)
	x.setText(varNewline, x.text.newline)
	x.setText(varHeader, "")
	return src, nil
}

// setText binds the text variable of kind k, when the parser has it.
func (x *Executor) setText(k varKind, s string) {
	if v := x.textVars[k]; v != nil && v.used {
		x.env[v.name] = s
	}
}

// reject evaluates the parser's reject conditions.
func (x *Executor) reject() error {
	for _, r := range x.p.Reject {
		hold, err := x.evalBool(r.When)
		if err != nil {
			return err
		}
		if hold {
			return &RejectError{Message: r.Message, Origin: r.Origin}
		}
	}
	return nil
}

// spread adds the entries of the map e gives to ev, in key order, each
// replacing the value ev has, as IntelMQ's update does: as given when the
// field accepts the value, else sanitized.
func (x *Executor) spread(ev *message.Message, e *plan.Expr) error {
	out, err := x.eval(e)
	if err != nil {
		return err
	}
	var m map[string]any
	switch t := out.(type) {
	case nil:
		return nil
	case map[string]any:
		m = t
	case map[string]string:
		m = make(map[string]any, len(t))
		for k, v := range t {
			m[k] = v
		}
	case map[any]any:
		y, _ := stringKeys(t)
		m = y.(map[string]any)
	default:
		return exprError(e, fmt.Errorf("the spread expression gave %T, not a map", out))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "__type" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := valueOf(m[k])
		if err != nil {
			return fmt.Errorf("%q: %w", k, err)
		}
		// IntelMQ's update: the value as it is if the field accepts it,
		// else sanitized.
		ok, err := ev.AddWith(k, v, message.AddOptions{Overwrite: message.OverwriteYes, NoSanitize: true, NoRaise: true})
		if err == nil && !ok {
			_, err = ev.AddWith(k, v, message.AddOptions{Overwrite: message.OverwriteYes})
		}
		if err != nil {
			return err
		}
	}
	return nil
}
