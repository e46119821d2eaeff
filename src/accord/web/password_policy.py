"""Which passwords an account may have: long enough, and hard to guess by zxcvbn's measure.

Hand rules ("a digit and a capital") refuse good passphrases and accept ``Password1!``.
zxcvbn (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX Security 2016)
estimates how many guesses an attacker with dictionaries of common passwords, names,
words, keyboard patterns, dates and repeats would need; NIST SP 800-63B asks for exactly
that kind of check against known and easily guessed values. The user's own name and the
site's name count as known words.
"""

from __future__ import annotations

import unicodedata

from zxcvbn import zxcvbn

from accord.ledger.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 1000
MIN_SCORE = 3
"""zxcvbn's score 3: about 10^8 guesses or more, "safely unguessable" for an online attack
throttled as the login is; scores run from 0 (top-10 password) to 4."""

_SITE_WORDS = ("accord", "negotiation", "mediator", "delegate")


def check_password(password: str, username: str) -> None:
    """Refuse a password that is too short, has control characters, or is easy to guess.

    The message says why and how to do better (zxcvbn's own advice), never the password.
    """
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"password must have at most {MAX_LENGTH} characters")
    if any(unicodedata.category(character) == "Cc" for character in password):
        raise InvalidInput("password must not contain control characters (such as NUL or tab)")
    result = zxcvbn(password, user_inputs=[username, *_SITE_WORDS])
    if result["score"] >= MIN_SCORE:
        return
    feedback = result["feedback"]
    advice = " ".join(part for part in [feedback["warning"], *feedback["suggestions"]] if part)
    raise InvalidInput(
        f"password is too easy to guess (strength {result['score']} of 4, at least "
        f"{MIN_SCORE} needed)" + (f": {advice}" if advice else "")
    )
