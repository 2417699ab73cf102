// Package auth holds the pure parts of signing in: password hashes
// (argon2id in the PHC string format), the password policy, and the random
// tokens of sessions and API access with the digests the database keeps in
// their stead. It knows no SQL; the store keeps users, sessions and tokens.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"example.org/jiti"
)

// Parameters of new hashes: argon2id with 19 MiB of memory, two passes and
// one lane, the first of OWASP's recommended settings (Password Storage
// Cheat Sheet), about 20–40 ms on a server core. Hashes keep their
// parameters, so these may be raised later without invalidating a single
// stored password: CheckPassword reads them from the hash.
const (
	Memory  = 19 * 1024 // KiB
	Time    = 2
	Threads = 1
	SaltLen = 16
	KeyLen  = 32
)

// Bounds on the parameters CheckPassword accepts from a stored hash, so a
// corrupted or hostile row cannot make one check take gigabytes or
// minutes.
const (
	maxMemory  = 256 * 1024 // KiB
	maxTime    = 16
	maxThreads = 16
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// b64 is the PHC string format's base64: the standard alphabet without
// padding, strict, so that every hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

// ErrMalformedHash reports a stored password hash that is not an argon2id
// PHC string within the accepted parameters: a damaged row, never the
// user's fault.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// params are the parts of an argon2id PHC string.
type params struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// String returns the PHC string of p:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func (p *params) String() string {
	return "$argon2id$v=" + strconv.Itoa(argon2.Version) +
		"$m=" + strconv.FormatUint(uint64(p.memory), 10) +
		",t=" + strconv.FormatUint(uint64(p.time), 10) +
		",p=" + strconv.FormatUint(uint64(p.threads), 10) +
		"$" + b64.EncodeToString(p.salt) + "$" + b64.EncodeToString(p.key)
}

// parse reads an argon2id PHC string. It is strict: the parameters in the
// order m, t, p, decimal without leading zeros, within bounds, and the
// string must be exactly what String would write for them.
func parse(s string) (*params, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, ErrMalformedHash
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return nil, ErrMalformedHash
	}
	var n [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(kv[i], name)
		if !ok {
			return nil, ErrMalformedHash
		}
		x, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return nil, ErrMalformedHash
		}
		n[i] = x
	}
	p := &params{memory: uint32(n[0]), time: uint32(n[1]), threads: uint8(n[2])}
	if n[2] < 1 || n[2] > maxThreads || n[1] < 1 || n[1] > maxTime || n[0] < 8*n[2] || n[0] > maxMemory {
		return nil, ErrMalformedHash
	}
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < minSalt || len(p.salt) > maxSalt {
		return nil, ErrMalformedHash
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < minKey || len(p.key) > maxKey {
		return nil, ErrMalformedHash
	}
	// Leading zeros, a sign or other spellings of the same numbers.
	if p.String() != s {
		return nil, ErrMalformedHash
	}
	return p, nil
}

func (p *params) derive(pw string) []byte {
	return argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
}

// HashPassword returns the argon2id hash of pw as a PHC string, with a
// random 16-byte salt and the parameters above.
func HashPassword(pw string) (string, error) {
	p := &params{memory: Memory, time: Time, threads: Threads, salt: make([]byte, SaltLen), key: make([]byte, KeyLen)}
	if _, err := rand.Read(p.salt); err != nil {
		return "", err
	}
	p.key = p.derive(pw)
	return p.String(), nil
}

// CheckPassword reports whether pw is the password of hash, comparing the
// derived keys in constant time. The parameters are those of the hash. A
// malformed hash (an empty one included) never matches, and is reported
// as ErrMalformedHash.
func CheckPassword(hash, pw string) (ok bool, err error) {
	p, err := parse(hash)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(p.derive(pw), p.key) == 1, nil
}

// dummy is a hash of nothing anyone knows, made once.
var dummy = sync.OnceValue(func() string {
	secret := make([]byte, 32)
	rand.Read(secret)
	h, err := HashPassword(string(secret))
	if err != nil {
		panic(err)
	}
	return h
})

// CheckDummy spends the time of checking pw against a hash of the current
// parameters and always fails: a sign-in of an unknown user takes as long
// as that of a known one, so timing does not tell which names exist.
func CheckDummy(pw string) {
	CheckPassword(dummy(), pw)
}

// The password policy: at least MinPasswordLen characters, at most
// MaxPasswordLen, not digits only (a birthday or a telephone number), and
// no control characters (a pasted line break). Nothing else: long
// passphrases are better than forced symbols.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// Errors of the password policy.
var (
	ErrPasswordShort   = jiti.Errorf(jiti.Invalid, "auth.password_short")
	ErrPasswordLong    = jiti.Errorf(jiti.Invalid, "auth.password_long")
	ErrPasswordDigits  = jiti.Errorf(jiti.Invalid, "auth.password_digits")
	ErrPasswordControl = jiti.Errorf(jiti.Invalid, "auth.password_control")
)

// ValidatePassword checks pw against the password policy and returns an
// error at field "password".
func ValidatePassword(pw string) error {
	if pw == "" {
		return jiti.ErrRequired.At("password")
	}
	if !utf8.ValidString(pw) {
		return ErrPasswordControl.At("password")
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return ErrPasswordShort.With(MinPasswordLen).At("password")
	}
	if n > MaxPasswordLen {
		return ErrPasswordLong.With(MaxPasswordLen).At("password")
	}
	digits := true
	for _, r := range pw {
		if unicode.IsControl(r) {
			return ErrPasswordControl.At("password")
		}
		if r < '0' || r > '9' {
			digits = false
		}
	}
	if digits {
		return ErrPasswordDigits.At("password")
	}
	return nil
}

// TokenBytes is the number of random bytes of a token: 256 bits.
const TokenBytes = 32

// NewToken returns a new random token for a session cookie or an API
// client, 32 bytes in unpadded base64url (43 characters), and its digest,
// which is what the database keeps: a stolen copy of the database signs
// nobody in. A token never begins with "-": it is passed on command lines
// (curl -H, jiti -token), where it would read as an option; one in 64 would.
func NewToken() (token string, hash string) {
	b := make([]byte, TokenBytes)
	for {
		rand.Read(b) // never fails: it crashes the program instead
		token = base64.RawURLEncoding.EncodeToString(b)
		if token[0] != '-' {
			return token, TokenHash(token)
		}
	}
}

// TokenHash returns the digest of a token as the database keeps it: the
// SHA-256 of the token's text, in lowercase hexadecimal. A token has 256
// random bits, so a fast digest is enough; no salt or stretching is needed.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
