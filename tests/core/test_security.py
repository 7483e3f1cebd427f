"""Passwords, tokens and secrets at rest."""

from __future__ import annotations

import pytest

from bodata.core.security import (
    SecretBox,
    SecretError,
    hash_password,
    issue_token,
    password_needs_rehash,
    token_digest,
    tokens_equal,
    verify_password,
)


def test_password_hash_verifies_only_the_right_password() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "Correct horse")
    assert not password_needs_rehash(stored)


def test_same_password_hashes_differently_each_time() -> None:
    assert hash_password("demo") != hash_password("demo")


def test_malformed_hash_is_a_failed_login_not_a_crash() -> None:
    assert not verify_password("not-a-hash", "demo")


def test_empty_password_cannot_be_set() -> None:
    with pytest.raises(ValueError, match="empty password"):
        hash_password("")


def test_tokens_are_random_and_stored_as_digests() -> None:
    first, second = issue_token("bt_"), issue_token("bt_")
    assert first.value != second.value
    assert first.value.startswith("bt_")
    assert len(first.value) >= 43
    assert first.digest == token_digest(first.value)
    assert first.value not in first.digest
    assert tokens_equal(first.digest, token_digest(first.value))
    assert not tokens_equal(first.digest, second.digest)


def test_secret_box_round_trip_hides_the_plaintext() -> None:
    box = SecretBox("key-one")
    sealed = box.encrypt("axema-password")
    assert "axema-password" not in sealed
    assert box.encrypt("axema-password") != sealed  # random IV each time
    assert box.decrypt(sealed) == "axema-password"


def test_wrong_key_or_tampering_is_reported() -> None:
    sealed = SecretBox("key-one").encrypt("secret")
    with pytest.raises(SecretError, match="BODATA_SECRET_KEY"):
        SecretBox("key-two").decrypt(sealed)
    tampered = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    with pytest.raises(SecretError):
        SecretBox("key-one").decrypt(tampered)
    with pytest.raises(SecretError):
        SecretBox("key-one").decrypt("ünïcode garbage")


def test_key_rotation_keeps_old_secrets_readable() -> None:
    old = SecretBox("old-key").encrypt("secret")
    rotating = SecretBox("new-key,old-key")
    assert rotating.decrypt(old) == "secret"
    renewed = rotating.rotate(old)
    assert SecretBox("new-key").decrypt(renewed) == "secret"


def test_secret_box_needs_a_key() -> None:
    with pytest.raises(ValueError, match="secret key"):
        SecretBox(" , ")
