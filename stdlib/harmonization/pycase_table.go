// SPDX-License-Identifier: AGPL-3.0-or-later

// This file lists the unconditional upper case mappings of Unicode's
// SpecialCasing.txt that expand one character to several, as Python 3.11's
// str.upper applies them (Go's unicode.ToUpper maps one rune to one rune).

package harmonization

// specialUpper returns the multi-character upper case form of r when Python's
// str.upper maps r to more than one character.
func specialUpper(r rune) (string, bool) {
	switch r {
	case 0x00DF:
		return "SS", true
	case 0x0149:
		return "\u02BCN", true
	case 0x01F0:
		return "J\u030C", true
	case 0x0390:
		return "\u0399\u0308\u0301", true
	case 0x03B0:
		return "\u03A5\u0308\u0301", true
	case 0x0587:
		return "\u0535\u0552", true
	case 0x1E96:
		return "H\u0331", true
	case 0x1E97:
		return "T\u0308", true
	case 0x1E98:
		return "W\u030A", true
	case 0x1E99:
		return "Y\u030A", true
	case 0x1E9A:
		return "A\u02BE", true
	case 0x1F50:
		return "\u03A5\u0313", true
	case 0x1F52:
		return "\u03A5\u0313\u0300", true
	case 0x1F54:
		return "\u03A5\u0313\u0301", true
	case 0x1F56:
		return "\u03A5\u0313\u0342", true
	case 0x1F80:
		return "\u1F08\u0399", true
	case 0x1F81:
		return "\u1F09\u0399", true
	case 0x1F82:
		return "\u1F0A\u0399", true
	case 0x1F83:
		return "\u1F0B\u0399", true
	case 0x1F84:
		return "\u1F0C\u0399", true
	case 0x1F85:
		return "\u1F0D\u0399", true
	case 0x1F86:
		return "\u1F0E\u0399", true
	case 0x1F87:
		return "\u1F0F\u0399", true
	case 0x1F88:
		return "\u1F08\u0399", true
	case 0x1F89:
		return "\u1F09\u0399", true
	case 0x1F8A:
		return "\u1F0A\u0399", true
	case 0x1F8B:
		return "\u1F0B\u0399", true
	case 0x1F8C:
		return "\u1F0C\u0399", true
	case 0x1F8D:
		return "\u1F0D\u0399", true
	case 0x1F8E:
		return "\u1F0E\u0399", true
	case 0x1F8F:
		return "\u1F0F\u0399", true
	case 0x1F90:
		return "\u1F28\u0399", true
	case 0x1F91:
		return "\u1F29\u0399", true
	case 0x1F92:
		return "\u1F2A\u0399", true
	case 0x1F93:
		return "\u1F2B\u0399", true
	case 0x1F94:
		return "\u1F2C\u0399", true
	case 0x1F95:
		return "\u1F2D\u0399", true
	case 0x1F96:
		return "\u1F2E\u0399", true
	case 0x1F97:
		return "\u1F2F\u0399", true
	case 0x1F98:
		return "\u1F28\u0399", true
	case 0x1F99:
		return "\u1F29\u0399", true
	case 0x1F9A:
		return "\u1F2A\u0399", true
	case 0x1F9B:
		return "\u1F2B\u0399", true
	case 0x1F9C:
		return "\u1F2C\u0399", true
	case 0x1F9D:
		return "\u1F2D\u0399", true
	case 0x1F9E:
		return "\u1F2E\u0399", true
	case 0x1F9F:
		return "\u1F2F\u0399", true
	case 0x1FA0:
		return "\u1F68\u0399", true
	case 0x1FA1:
		return "\u1F69\u0399", true
	case 0x1FA2:
		return "\u1F6A\u0399", true
	case 0x1FA3:
		return "\u1F6B\u0399", true
	case 0x1FA4:
		return "\u1F6C\u0399", true
	case 0x1FA5:
		return "\u1F6D\u0399", true
	case 0x1FA6:
		return "\u1F6E\u0399", true
	case 0x1FA7:
		return "\u1F6F\u0399", true
	case 0x1FA8:
		return "\u1F68\u0399", true
	case 0x1FA9:
		return "\u1F69\u0399", true
	case 0x1FAA:
		return "\u1F6A\u0399", true
	case 0x1FAB:
		return "\u1F6B\u0399", true
	case 0x1FAC:
		return "\u1F6C\u0399", true
	case 0x1FAD:
		return "\u1F6D\u0399", true
	case 0x1FAE:
		return "\u1F6E\u0399", true
	case 0x1FAF:
		return "\u1F6F\u0399", true
	case 0x1FB2:
		return "\u1FBA\u0399", true
	case 0x1FB3:
		return "\u0391\u0399", true
	case 0x1FB4:
		return "\u0386\u0399", true
	case 0x1FB6:
		return "\u0391\u0342", true
	case 0x1FB7:
		return "\u0391\u0342\u0399", true
	case 0x1FBC:
		return "\u0391\u0399", true
	case 0x1FC2:
		return "\u1FCA\u0399", true
	case 0x1FC3:
		return "\u0397\u0399", true
	case 0x1FC4:
		return "\u0389\u0399", true
	case 0x1FC6:
		return "\u0397\u0342", true
	case 0x1FC7:
		return "\u0397\u0342\u0399", true
	case 0x1FCC:
		return "\u0397\u0399", true
	case 0x1FD2:
		return "\u0399\u0308\u0300", true
	case 0x1FD3:
		return "\u0399\u0308\u0301", true
	case 0x1FD6:
		return "\u0399\u0342", true
	case 0x1FD7:
		return "\u0399\u0308\u0342", true
	case 0x1FE2:
		return "\u03A5\u0308\u0300", true
	case 0x1FE3:
		return "\u03A5\u0308\u0301", true
	case 0x1FE4:
		return "\u03A1\u0313", true
	case 0x1FE6:
		return "\u03A5\u0342", true
	case 0x1FE7:
		return "\u03A5\u0308\u0342", true
	case 0x1FF2:
		return "\u1FFA\u0399", true
	case 0x1FF3:
		return "\u03A9\u0399", true
	case 0x1FF4:
		return "\u038F\u0399", true
	case 0x1FF6:
		return "\u03A9\u0342", true
	case 0x1FF7:
		return "\u03A9\u0342\u0399", true
	case 0x1FFC:
		return "\u03A9\u0399", true
	case 0xFB00:
		return "FF", true
	case 0xFB01:
		return "FI", true
	case 0xFB02:
		return "FL", true
	case 0xFB03:
		return "FFI", true
	case 0xFB04:
		return "FFL", true
	case 0xFB05:
		return "ST", true
	case 0xFB06:
		return "ST", true
	case 0xFB13:
		return "\u0544\u0546", true
	case 0xFB14:
		return "\u0544\u0535", true
	case 0xFB15:
		return "\u0544\u053B", true
	case 0xFB16:
		return "\u054E\u0546", true
	case 0xFB17:
		return "\u0544\u053D", true
	}
	return "", false
}
