"""The one password rule (registration, admin-created accounts, a change, an admin's reset, the first admin) and
bcrypt hashing.

The rule, in order:
1. at least 12 characters; at most 1024 (a passphrase of any sensible length is welcome);
2. not made of digits and symbols only ("123456789012", "!!!!!!!!!!!!");
3. not a common password: its letters (lower-cased, digits and symbols dropped, the usual look-alike digits read as
   the letters they stand for: p4ssw0rd → password) are not one of the most-used base words of leaked-password lists
   (`COMMON_BASES`), not that word repeated ("passwordpassword"), not a run along the keyboard or the alphabet
   ("qwertyuiop", "abcdefghijkl") and not one short unit repeated ("abcabcabcabc"); digits and symbols around
   the word do not hide it ("Password123!", "P@ssw0rd2024!");
4. not the username (with digits or symbols around it).

bcrypt reads only the first 72 bytes of its input, so a longer password is first reduced with SHA-256 (base64,
44 bytes): every character of a long passphrase counts, and a password of up to 72 bytes hashes exactly as before
(and as streamlit-authenticator's Hasher hashes it).
"""

from __future__ import annotations

import base64
import hashlib
import re

import bcrypt

from finsheet.errors import AuthError

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
BCRYPT_BYTES = 72

# The base words behind the most common entries of public leaked-password lists (SecLists' top 10 000, the
# NCSC's 100 000) once their digits and symbols are dropped, plus this application's own name.
COMMON_BASES = frozenset("""
password passwd pass admin administrator root login welcome letmein qwerty qwertz azerty iloveyou loveyou love
monkey dragon master shadow sunshine princess football baseball soccer hockey basketball superman batman
trustno changeme default secret michael jennifer jordan hunter killer whatever freedom starwars computer
internet access flower hello charlie donald summer winter spring autumn mustang harley ranger buster tigger
pepper ginger maggie cheese chocolate cookie banana orange purple silver golden diamond thomas robert daniel
andrew joshua matthew jessica ashley michelle amanda nicole hannah samsung google apple microsoft linkedin
facebook yahoo finsheet streamlit test testing guest user demo example sample temp temporary company
""".split())
_KEYBOARD_RUNS = ("qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
                  "abcdefghijklmnopqrstuvwxyz", "qazwsxedcrfvtgbyhnujmikolp", "zyxwvutsrqponmlkjihgfedcba")
_LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a",
                             "$": "s", "!": "i", "+": "t"})
_NOT_LETTERS = re.compile(r"[^a-z]+")
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")


def check_password(password: str, *, username: str = "") -> None:
    """AuthError with the reason unless the password follows the rule above."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"a password needs at least {MIN_PASSWORD} characters (a few words make a good one)")
    if len(password) > MAX_PASSWORD:
        raise AuthError(f"a password can be at most {MAX_PASSWORD} characters long")
    plain = _NOT_LETTERS.sub("", password.lower())
    if not plain:
        raise AuthError("a password of digits and symbols only is too easy to guess: use words")
    # digits and symbols around the word are the usual suffix ("2024!"); inside it they stand for letters (p@ssw0rd)
    letters = _NOT_LETTERS.sub("", _EDGES.sub("", password.lower()).translate(_LOOKALIKES))
    if _is_common(plain) or _is_common(letters):
        raise AuthError("that password is one of the most common ones: choose another (a few words make a good one)")
    name = _NOT_LETTERS.sub("", username.lower())
    if name and plain == name:
        raise AuthError("a password cannot be the username")


def _is_common(letters: str) -> bool:
    if letters in COMMON_BASES:
        return True
    for unit in range(1, len(letters) // 2 + 1):  # one unit repeated: "aaaa", "abcabc", "passwordpassword"
        if len(letters) % unit == 0 and letters[:unit] * (len(letters) // unit) == letters:
            return unit <= 4 or letters[:unit] in COMMON_BASES
    return any(letters in run for run in _KEYBOARD_RUNS)


def _bcrypt_input(password: str) -> bytes:
    raw = password.encode()
    if len(raw) <= BCRYPT_BYTES:
        return raw
    return base64.b64encode(hashlib.sha256(raw).digest())


def hash_password(password: str, *, username: str = "") -> str:
    """A bcrypt hash of a password that follows the rule (AuthError otherwise)."""
    check_password(password, username=username)
    return bcrypt.hashpw(_bcrypt_input(password), bcrypt.gensalt()).decode()


def verify_password(password: str, hashed: str) -> bool:
    """Whether the password matches the hash; False for an empty or malformed hash."""
    try:
        return bool(hashed) and bcrypt.checkpw(_bcrypt_input(password), hashed.encode())
    except ValueError:
        return False


# A hash checked when the username does not exist, so an unknown name costs the same time as a wrong password.
DUMMY_HASH = bcrypt.hashpw(b"finsheet: no such user", bcrypt.gensalt()).decode()
