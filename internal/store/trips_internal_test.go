package store

import (
	"encoding/binary"
	"testing"
)

// TestMessageCounter: the statements of a conversation are counted however
// its writes cut its messages, and a connection asking for TLS is not
// followed.
func TestMessageCounter(t *testing.T) {
	msg := func(typ byte, body string) []byte {
		b := []byte{typ, 0, 0, 0, 0}
		binary.BigEndian.PutUint32(b[1:], uint32(4+len(body)))
		return append(b, body...)
	}
	startup := []byte{0, 0, 0, 0, 0, 3, 0, 0}
	startup = append(startup, "user\x00postgres\x00\x00"...)
	binary.BigEndian.PutUint32(startup, uint32(len(startup)))
	var talk []byte
	talk = append(talk, startup...)
	talk = append(talk, msg('p', "secret\x00")...)
	talk = append(talk, msg('Q', "BEGIN\x00")...)
	for range 3 { // a pipeline: Parse, Bind, Describe, Execute each, then Sync
		talk = append(talk, msg('P', "\x00SELECT 1\x00\x00\x00")...)
		talk = append(talk, msg('B', "\x00\x00\x00\x00\x00\x00\x00\x00")...)
		talk = append(talk, msg('D', "P\x00")...)
		talk = append(talk, msg('E', "\x00\x00\x00\x00\x00")...) // an 'E' inside a body is no Execute
	}
	talk = append(talk, msg('S', "")...)
	talk = append(talk, msg('Q', "COMMIT\x00")...)
	for _, cut := range []int{1, 2, 3, 5, 7, 13, len(talk)} {
		var m messageCounter
		var n int64
		for b := talk; len(b) > 0; {
			k := min(cut, len(b))
			n += m.executes(b[:k])
			b = b[k:]
		}
		if n != 5 {
			t.Errorf("written %d bytes at a time: %d statements, want 5", cut, n)
		}
	}
	ssl := []byte{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}
	var m messageCounter
	if n := m.executes(append(ssl, msg('Q', "BEGIN\x00")...)); n != 0 || !m.off {
		t.Errorf("after an SSL request: %d statements, off %v", n, m.off)
	}
}
