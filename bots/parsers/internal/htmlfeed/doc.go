// SPDX-License-Identifier: AGPL-3.0-or-later

// Package htmlfeed tokenizes HTML the way IntelMQ's HTML-scraping parsers
// see it: they strip each line of the page and feed the lines one by one,
// without line breaks, to Python's html.parser.HTMLParser, and look at the
// parser's state after each line. Feed returns the start tags, end tags
// and text pieces with the line in which Python's parser reports them: a
// tag in the line where its ">" is fed, text split at the end of each fed
// line (unless a character reference may continue on the next line), the
// content of script and style elements whole.
//
// Tokens come from golang.org/x/net/html's tokenizer, told that only
// script and style hold raw text, as in Python's parser.
//
// It imports the standard library and golang.org/x/net/html only.
package htmlfeed
