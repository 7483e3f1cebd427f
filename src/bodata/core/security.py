"""Security primitives: password hashing, random tokens stored hashed, secrets encrypted at rest."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bodata.core.loopguard import check_off_loop

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (salted; the parameters travel inside the hash)."""
    if not password:
        raise ValueError("an empty password cannot be set")
    check_off_loop("a password was hashed")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a wrong or malformed hash."""
    check_off_loop("a password hash was verified")
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (re-hash it at the next login)."""
    return _hasher.check_needs_rehash(password_hash)


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``value`` goes to the client once, ``digest`` is what the database keeps."""

    value: str
    digest: str


def issue_token(prefix: str = "", nbytes: int = 32) -> IssuedToken:
    """A random bearer token (256 bits by default) and the SHA-256 digest to store instead of it.

    Tokens are high-entropy, so a fast hash is enough: a leaked table gives nothing to guess from.
    """
    value = prefix + secrets.token_urlsafe(nbytes)
    return IssuedToken(value=value, digest=token_digest(value))


def token_digest(value: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two strings (digests, CSRF tokens)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class SecretBox:
    """Encrypts secrets at rest (e.g. passwords for external systems) with keys derived from the secret key.

    The secret key may list several keys separated by commas: the first encrypts, every key decrypts, so keys
    can be rotated without losing stored secrets (re-encrypt with ``rotate``).
    """

    def __init__(self, secret_key: str) -> None:
        keys = [key.strip() for key in secret_key.split(",") if key.strip()]
        if not keys:
            raise ValueError("a secret key is required to encrypt secrets")
        self._fernet = MultiFernet([Fernet(_derive_fernet_key(key)) for key in keys])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; raises ``SecretError`` when the data was tampered with or the key does not match."""
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise SecretError("the secret cannot be decrypted with the configured BODATA_SECRET_KEY") from exc

    def rotate(self, ciphertext: str) -> str:
        """The same secret encrypted with the first (newest) key."""
        try:
            return self._fernet.rotate(ciphertext.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise SecretError("the secret cannot be decrypted with the configured BODATA_SECRET_KEY") from exc


class SecretError(ValueError):
    """A stored secret could not be decrypted."""


def _derive_fernet_key(secret_key: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"bodata secrets at rest v1").derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)
