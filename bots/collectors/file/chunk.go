// SPDX-License-Identifier: AGPL-3.0-or-later

package file

import (
	"bufio"
	"bytes"
	"io"
)

// splitChunks is IntelMQ's splitreports.split_chunks: it cuts data into
// pieces of at most size bytes at newlines. Every piece but the last ends
// with a newline; a piece is longer than size only where a line is.
func splitChunks(data []byte, size int) [][]byte {
	var chunks [][]byte
	for len(data) > size {
		nl := bytes.LastIndexByte(data[:size], '\n')
		if nl < 0 {
			// No newline early enough: take the first one after size.
			if i := bytes.IndexByte(data[size:], '\n'); i >= 0 {
				nl = size + i
			}
		}
		if nl < 0 {
			chunks = append(chunks, data)
			data = nil
			break
		}
		chunks = append(chunks, data[:nl+1])
		data = data[nl+1:]
	}
	if len(data) > 0 {
		chunks = append(chunks, data)
	}
	return chunks
}

// readChunks is IntelMQ's read_delimited_chunks: it reads r in size
// pieces and calls fn for each chunk of at most size bytes that ends at a
// newline (the last one may not). The slice passed to fn is only valid
// during the call.
func readChunks(r io.Reader, size int, fn func(chunk []byte) error) error {
	var leftover []byte
	buf := make([]byte, size)
	for {
		n, err := io.ReadFull(r, buf)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return err
		}
		chunks := splitChunks(append(leftover, buf[:n]...), size)
		leftover = nil
		if len(chunks) > 0 {
			// The last piece may stop mid-line: combine it with the next read.
			leftover = append([]byte(nil), chunks[len(chunks)-1]...)
			chunks = chunks[:len(chunks)-1]
		}
		for _, c := range chunks {
			if err := fn(c); err != nil {
				return err
			}
		}
		if n == 0 {
			if len(leftover) > 0 {
				return fn(leftover)
			}
			return nil
		}
	}
}

// generateChunks is IntelMQ's generate_reports without the report: with
// size 0 it calls fn once with the whole content (not at all for an empty
// file); otherwise once per chunk, each prefixed with the first line of
// the file when replicateHeader is set.
func generateChunks(r io.Reader, size int, replicateHeader bool, fn func(raw []byte) error) error {
	if size <= 0 {
		data, err := io.ReadAll(r)
		if err != nil || len(data) == 0 {
			return err
		}
		return fn(data)
	}
	var header []byte
	if replicateHeader {
		br := bufio.NewReader(r)
		line, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return err
		}
		header, r = line, br
	}
	return readChunks(r, size, func(chunk []byte) error {
		raw := make([]byte, 0, len(header)+len(chunk))
		return fn(append(append(raw, header...), chunk...))
	})
}
