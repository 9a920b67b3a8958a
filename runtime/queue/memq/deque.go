// SPDX-License-Identifier: AGPL-3.0-or-later

package memq

// deque is a double-ended queue of messages on a ring buffer; the front is
// the oldest message.
type deque struct {
	buf  [][]byte
	head int
	n    int
}

func (d *deque) len() int { return d.n }

func (d *deque) grow() {
	if d.n < len(d.buf) {
		return
	}
	nb := make([][]byte, max(16, 2*len(d.buf)))
	for i := 0; i < d.n; i++ {
		nb[i] = d.buf[(d.head+i)%len(d.buf)]
	}
	d.buf, d.head = nb, 0
}

func (d *deque) pushBack(m []byte) {
	d.grow()
	d.buf[(d.head+d.n)%len(d.buf)] = m
	d.n++
}

func (d *deque) pushFront(m []byte) {
	d.grow()
	d.head = (d.head - 1 + len(d.buf)) % len(d.buf)
	d.buf[d.head] = m
	d.n++
}

func (d *deque) popFront() []byte {
	m := d.buf[d.head]
	d.buf[d.head] = nil
	d.head = (d.head + 1) % len(d.buf)
	d.n--
	return m
}

func (d *deque) popBack() []byte {
	i := (d.head + d.n - 1) % len(d.buf)
	m := d.buf[i]
	d.buf[i] = nil
	d.n--
	return m
}

// at returns the i-th oldest message.
func (d *deque) at(i int) []byte { return d.buf[(d.head+i)%len(d.buf)] }
