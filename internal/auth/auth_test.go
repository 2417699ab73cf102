package auth

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"example.org/jiti"
)

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPassword(t *testing.T) {
	h1, err := HashPassword("Secret-2025")
	if err != nil {
		t.Fatal(err)
	}
	if !phc.MatchString(h1) {
		t.Fatalf("hash %q is not an argon2id PHC string of the OWASP parameters", h1)
	}
	h2, err := HashPassword("Secret-2025")
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, h := range []string{h1, h2} {
		if ok, err := CheckPassword(h, "Secret-2025"); !ok || err != nil {
			t.Errorf("CheckPassword(right) = %v, %v", ok, err)
		}
		for _, wrong := range []string{"secret-2025", "Secret-2025 ", "Secret-202", ""} {
			if ok, err := CheckPassword(h, wrong); ok || err != nil {
				t.Errorf("CheckPassword(%q) = %v, %v; want false, nil", wrong, ok, err)
			}
		}
	}
	// Unicode passwords are hashed as their UTF-8 bytes.
	h, _ := HashPassword("会宁县农经站2025")
	if ok, _ := CheckPassword(h, "会宁县农经站2025"); !ok {
		t.Error("a Chinese password does not check")
	}
}

// TestCheckPasswordReadsParameters checks that a hash made with other
// parameters (or by another argon2id implementation) still verifies: the
// parameters come from the hash, not from the constants.
func TestCheckPasswordReadsParameters(t *testing.T) {
	// A test vector of the argon2 reference implementation (as in
	// x/crypto's tests): argon2id of "password" with salt "somesalt",
	// t=2, m=64 KiB, p=2, 24 bytes 350ac372…71841362.
	const ref = "$argon2id$v=19$m=64,t=2,p=2$c29tZXNhbHQ$NQrDciL0Nsy1wJcvHr079rlYvyBxhBNi"
	if ok, err := CheckPassword(ref, "password"); !ok || err != nil {
		t.Fatalf("reference hash: %v, %v", ok, err)
	}
	if ok, _ := CheckPassword(ref, "passwore"); ok {
		t.Fatal("reference hash accepts a wrong password")
	}
	p := &params{memory: 64, time: 1, threads: 2, salt: []byte("0123456789abcdef")}
	p.key = make([]byte, 20)
	p.key = p.derive("x-password")
	if ok, err := CheckPassword(p.String(), "x-password"); !ok || err != nil {
		t.Fatalf("small parameters: %v, %v", ok, err)
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	good, _ := HashPassword("Secret-2025")
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	for _, h := range []string{
		"",
		"Secret-2025",
		good + "$",
		"$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=019456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=+2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=300$" + salt + "$" + key,
		"$argon2id$v=19$m=4194304,t=2,p=1$" + salt + "$" + key, // 4 GiB
		"$argon2id$v=19$m=19456,t=2$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "=",
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key[:10],
		"$argon2id$v=19$m=19456,t=2,p=1$$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + strings.ReplaceAll(key, key[:1], "-"),
		// the last character's unused bits set: not the canonical spelling
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt[:21] + nonCanonical(salt) + "$" + key,
	} {
		ok, err := CheckPassword(h, "Secret-2025")
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("CheckPassword(%q) = %v, %v; want false, ErrMalformedHash", h, ok, err)
		}
	}
}

// nonCanonical returns the last character of a 16-byte salt's base64 with
// its low, unused bits set.
func nonCanonical(salt string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := strings.IndexByte(alphabet, salt[21])
	return string(alphabet[i|0x0f])
}

// FuzzCheckPassword checks that no string makes the parser panic, that what
// it accepts is exactly the canonical spelling of its parameters, and that
// nothing verifies but the right password against the genuine hash.
func FuzzCheckPassword(f *testing.F) {
	// A fixed salt: the fuzzing workers are other processes, and must
	// know the same genuine hash.
	const pw = "Secret-2025"
	g := &params{memory: Memory, time: Time, threads: Threads, salt: []byte("jiti-fuzz-salt16"), key: make([]byte, KeyLen)}
	g.key = g.derive(pw)
	good := g.String()
	f.Add(good, pw)
	f.Add(good, "secret-2025")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "password")
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$$", pw)
	f.Add("$$$$$", "")
	f.Add("$argon2id$v=19$m=18446744073709551616,t=2,p=1$c29tZXNhbHQ$c29tZXNhbHRzb21lc2FsdA", pw)
	f.Fuzz(func(t *testing.T, hash, password string) {
		p, perr := parse(hash)
		if perr != nil {
			if ok, err := CheckPassword(hash, password); ok || err == nil {
				t.Fatalf("unparsable %q: CheckPassword = %v, %v", hash, ok, err)
			}
			return
		}
		if p.String() != hash {
			t.Fatalf("parse(%q) accepts a spelling that is not canonical (%q)", hash, p.String())
		}
		if uint64(p.memory)*uint64(p.time) > 2*Memory*Time {
			return // valid but slow; the bounds are tested apart
		}
		ok, err := CheckPassword(hash, password)
		if err != nil {
			t.Fatalf("CheckPassword(%q) after parse: %v", hash, err)
		}
		if ok && !(hash == good && password == pw) {
			t.Fatalf("CheckPassword(%q, %q) verifies", hash, password)
		}
	})
}

func TestCheckDummy(t *testing.T) {
	CheckDummy("anything") // must not panic; the hash is made once
	if !phc.MatchString(dummy()) {
		t.Fatalf("dummy hash %q has other parameters than real ones, so its time differs", dummy())
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want error
	}{
		{"", jiti.ErrRequired},
		{"Abc-123", ErrPasswordShort},
		{"会宁县农经站", ErrPasswordShort},
		{"12345678", ErrPasswordDigits},
		{"20250101123", ErrPasswordDigits},
		{"Secret-2025\n", ErrPasswordControl},
		{"Secret\x00-2025", ErrPasswordControl},
		{"Secret-\xff2025", ErrPasswordControl},
		{strings.Repeat("a", MaxPasswordLen+1), ErrPasswordLong},
		{"Secret-2025", nil},
		{"abcdefgh", nil},
		{"1234567a", nil},
		{"会宁县农经站二〇二五", nil},
		{"correct horse battery staple", nil},
		{strings.Repeat("密", MaxPasswordLen), nil},
	} {
		err := ValidatePassword(tc.pw)
		if tc.want == nil {
			if err != nil {
				t.Errorf("ValidatePassword(%q) = %v, want nil", tc.pw, err)
			}
			continue
		}
		if !errors.Is(err, tc.want) || jiti.FieldOf(err) != "password" || jiti.KindOf(err) != jiti.Invalid {
			t.Errorf("ValidatePassword(%q) = %v (field %q), want %v at password", tc.pw, err, jiti.FieldOf(err), tc.want)
		}
	}
	if e := jiti.AsError(ValidatePassword("short")); len(e.Args) != 1 || e.Args[0] != MinPasswordLen {
		t.Errorf("too short: args %v, want the minimum", e.Args)
	}
}

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash := NewToken()
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) != TokenBytes || len(tok) != 43 {
			t.Fatalf("token %q: %d bytes, %v", tok, len(b), err)
		}
		if hash != TokenHash(tok) || len(hash) != 64 || strings.ToLower(hash) != hash {
			t.Fatalf("hash %q of %q", hash, tok)
		}
		if strings.Contains(hash, tok) || seen[tok] {
			t.Fatalf("token %q repeats or is in its hash", tok)
		}
		seen[tok] = true
	}
	// The digest is SHA-256 of the token's text.
	if got := TokenHash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("TokenHash(abc) = %s", got)
	}
}

// TestNewTokenNoDash: no token begins with "-", which a command line would
// read as an option. Of 10,000 tokens drawn freely some 156 would.
func TestNewTokenNoDash(t *testing.T) {
	for range 10000 {
		tok, _ := NewToken()
		if strings.HasPrefix(tok, "-") {
			t.Fatalf("token %q begins with -", tok)
		}
	}
}
