"""Message encryption of 兼容 and 安全 mode (WeChat's "AES" scheme).

key = base64decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC with iv = key[:16];
plaintext = 16 random bytes + 4-byte big-endian length + message + AppID, PKCS#7-padded to a
multiple of 32 bytes (WeChat's block size, not AES's 16); the ciphertext travels base64-encoded in
<Encrypt>, signed by msg_signature = sha1(sorted([token, timestamp, nonce, Encrypt])).

Written on `cryptography` directly so that every field of a decrypted message is checked
(padding, length, AppID) before anything of it is used.
"""
from __future__ import annotations

import base64
import binascii
import os
import struct
import time
from typing import Callable, Optional

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from channels.wechat.errors import (
    AppIdMismatch,
    ConfigurationError,
    DecryptionError,
    MessageTooLarge,
)
from channels.wechat.replies import cdata
from channels.wechat.signature import SignatureChecker, make_signature

BLOCK_SIZE = 32  # WeChat pads to 32 bytes
RANDOM_PREFIX_BYTES = 16
MAX_PLAINTEXT_BYTES = 64 * 1024


def decode_aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of a 43-character EncodingAESKey."""
    key_text = (encoding_aes_key or "").strip()
    if len(key_text) != 43:
        raise ConfigurationError(
            f"EncodingAESKey must be 43 characters, got {len(key_text)}")
    try:
        key = base64.b64decode(key_text + "=", validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError("EncodingAESKey is not base64 (A-Z, a-z, 0-9, +, /)") from None
    if len(key) != 32:
        raise ConfigurationError("EncodingAESKey does not decode to 32 bytes")
    return key


def pkcs7_pad(data: bytes, block_size: int = BLOCK_SIZE) -> bytes:
    count = block_size - len(data) % block_size
    return data + bytes([count]) * count


def pkcs7_unpad(data: bytes, block_size: int = BLOCK_SIZE) -> bytes:
    if not data:
        raise DecryptionError("empty plaintext")
    count = data[-1]
    if not 1 <= count <= block_size or count > len(data) or \
            data[-count:] != bytes([count]) * count:
        raise DecryptionError("bad PKCS#7 padding")
    return data[:-count]


class MessageCrypto:
    """Encrypts and decrypts messages of one official account (Token, EncodingAESKey, AppID)."""

    def __init__(self, token: str, encoding_aes_key: str, appid: str,
                 random_prefix: Callable[[], bytes] = lambda: os.urandom(RANDOM_PREFIX_BYTES),
                 checker: Optional[SignatureChecker] = None,
                 clock: Callable[[], float] = time.time) -> None:
        if not appid:
            raise ConfigurationError("AppID is needed for 兼容/安全 mode")
        self._key = decode_aes_key(encoding_aes_key)
        self._token = token
        self.appid = appid
        self._random_prefix = random_prefix
        self._checker = checker or SignatureChecker(token, clock=clock)
        self._clock = clock

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    # ---- raw scheme -------------------------------------------------------------------------

    def encrypt(self, message: bytes) -> str:
        """base64 ciphertext of `message` for this AppID."""
        prefix = self._random_prefix()
        if len(prefix) != RANDOM_PREFIX_BYTES:
            raise ValueError("random prefix must be 16 bytes")
        plain = prefix + struct.pack(">I", len(message)) + message + self.appid.encode("utf-8")
        encryptor = self._cipher().encryptor()
        cipher = encryptor.update(pkcs7_pad(plain)) + encryptor.finalize()
        return base64.b64encode(cipher).decode("ascii")

    def decrypt(self, encrypt: str) -> bytes:
        """The message inside a base64 ciphertext; checks padding, length and AppID."""
        try:
            raw = base64.b64decode((encrypt or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            raise DecryptionError("Encrypt is not base64") from None
        if not raw or len(raw) % 16:
            raise DecryptionError("ciphertext length is not a multiple of the AES block")
        if len(raw) > MAX_PLAINTEXT_BYTES + 2 * BLOCK_SIZE + 256:
            raise MessageTooLarge("encrypted message is over the size limit")
        decryptor = self._cipher().decryptor()
        plain = pkcs7_unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < RANDOM_PREFIX_BYTES + 4:
            raise DecryptionError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body_end = 20 + length
        if body_end > len(plain):
            raise DecryptionError("length field runs past the plaintext")
        appid = plain[body_end:]
        if appid != self.appid.encode("utf-8"):
            raise AppIdMismatch("message is for another AppID")
        return plain[20:body_end]

    # ---- messages ---------------------------------------------------------------------------

    def decrypt_message(self, encrypt: str, msg_signature: Optional[str],
                        timestamp: Optional[str], nonce: Optional[str]) -> bytes:
        """Check msg_signature (and freshness), then decrypt."""
        self._checker.check_message(msg_signature, timestamp, nonce, encrypt)
        return self.decrypt(encrypt)

    def encrypt_reply(self, reply_xml: str, nonce: str, timestamp: Optional[str] = None) -> str:
        """The encrypted envelope WeChat expects as the passive reply."""
        timestamp = timestamp or str(int(self._clock()))
        encrypt = self.encrypt(reply_xml.encode("utf-8"))
        signature = make_signature(self._token, timestamp, nonce, encrypt)
        return (f"<xml><Encrypt>{cdata(encrypt)}</Encrypt>"
                f"<MsgSignature>{cdata(signature)}</MsgSignature>"
                f"<TimeStamp>{int(timestamp)}</TimeStamp>"
                f"<Nonce>{cdata(nonce)}</Nonce></xml>")
