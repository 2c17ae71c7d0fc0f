"""The channel's AES scheme against wechatpy's WeChatCrypto as the peer."""
import base64
import re

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException

from channels.wechat.crypto import MessageCrypto, decode_aes_key, pkcs7_pad, pkcs7_unpad
from channels.wechat.errors import (
    AppIdMismatch,
    ConfigurationError,
    DecryptionError,
    InvalidSignature,
    StaleTimestamp,
)
from channels.wechat.messages import parse_xml
from tests.channels.conftest import AES_KEY, APPID, TOKEN

PREFIX = "0123456789abcdef"
MESSAGE = "<xml><Content><![CDATA[你好]]></Content></xml>"
TIMESTAMP = "1700000000"
NONCE = "nonce123"
# AES-256-CBC of PREFIX + len + MESSAGE + APPID under AES_KEY, computed once with wechatpy and
# written down here so a change in either implementation shows.
VECTOR = ("Q3stYC6hdFzMh9T8HCvyDMwQK6xyeRZ7UnuZsYfP7/6Yf0piNuk7kxZYuxJFeZQQ6WWSSAGv9ZFJIKURndrGsw5R"
          "PbXXfGyVyFseI5o3ev1m69fZBO8OAhWGxTVIUBMN")
VECTOR_MSG_SIGNATURE = "7681fae6bdcc15330faaacdb2b3bcc890b060a76"


def ours(appid=APPID, clock_now=1700000000):
    return MessageCrypto(TOKEN, AES_KEY, appid, random_prefix=lambda: PREFIX.encode(),
                         clock=lambda: clock_now)


@pytest.fixture
def peer(monkeypatch):
    monkeypatch.setattr(PrpCrypto, "get_random_string", lambda self: PREFIX)
    return WeChatCrypto(TOKEN, AES_KEY, APPID)


def test_key_decoding():
    key = decode_aes_key(AES_KEY)
    assert len(key) == 32
    assert key == base64.b64decode(AES_KEY + "=")


@pytest.mark.parametrize("bad", ["", "short", AES_KEY + "H", AES_KEY[:-1] + "!"])
def test_bad_keys_are_configuration_errors(bad):
    with pytest.raises(ConfigurationError):
        decode_aes_key(bad)


def test_deterministic_vector():
    assert ours().encrypt(MESSAGE.encode("utf-8")) == VECTOR


def test_wechatpy_produces_the_same_vector(peer):
    envelope = peer.encrypt_message(MESSAGE, NONCE, TIMESTAMP)
    assert re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]>", envelope).group(1) == VECTOR
    assert VECTOR_MSG_SIGNATURE in envelope


def test_decrypt_the_vector():
    assert ours().decrypt(VECTOR) == MESSAGE.encode("utf-8")


def test_wechatpy_encrypts_we_decrypt(peer):
    envelope = parse_xml(peer.encrypt_message(MESSAGE, NONCE, TIMESTAMP).encode("utf-8"))
    plain = ours().decrypt_message(envelope["Encrypt"], envelope["MsgSignature"],
                                   envelope["TimeStamp"], envelope["Nonce"])
    assert plain.decode("utf-8") == MESSAGE


def test_we_encrypt_wechatpy_decrypts(peer):
    reply = ours().encrypt_reply("<xml><Content><![CDATA[回复]]></Content></xml>", NONCE,
                                 TIMESTAMP)
    envelope = parse_xml(reply.encode("utf-8"))
    assert envelope["TimeStamp"] == TIMESTAMP and envelope["Nonce"] == NONCE
    plain = peer.decrypt_message(reply, envelope["MsgSignature"], TIMESTAMP, NONCE)
    assert plain == "<xml><Content><![CDATA[回复]]></Content></xml>"


def test_random_prefix_is_random_by_default():
    crypto = MessageCrypto(TOKEN, AES_KEY, APPID)
    assert crypto.encrypt(b"x") != crypto.encrypt(b"x")
    assert crypto.decrypt(crypto.encrypt(b"x")) == b"x"


@pytest.mark.parametrize("size", [0, 1, 11, 12, 13, 100, 5000])
def test_round_trip_sizes(peer, size):
    text = "字" * size
    assert ours().decrypt(ours().encrypt(text.encode())) == text.encode()
    envelope = ours().encrypt_reply(text, NONCE, TIMESTAMP)
    signature = parse_xml(envelope.encode())["MsgSignature"]
    assert peer.decrypt_message(envelope, signature, TIMESTAMP, NONCE) == text


def test_forged_msg_signature(peer):
    envelope = parse_xml(peer.encrypt_message(MESSAGE, NONCE, TIMESTAMP).encode("utf-8"))
    with pytest.raises(InvalidSignature):
        ours().decrypt_message(envelope["Encrypt"], "0" * 40, TIMESTAMP, NONCE)


def test_stale_msg_timestamp(peer):
    envelope = parse_xml(peer.encrypt_message(MESSAGE, NONCE, TIMESTAMP).encode("utf-8"))
    late = ours(clock_now=int(TIMESTAMP) + 3600)
    with pytest.raises(StaleTimestamp):
        late.decrypt_message(envelope["Encrypt"], envelope["MsgSignature"], TIMESTAMP, NONCE)


def test_our_reply_with_a_wrong_signature_is_refused_by_wechatpy():
    reply = ours().encrypt_reply("<xml/>", NONCE, TIMESTAMP)
    with pytest.raises(InvalidSignatureException):
        WeChatCrypto(TOKEN, AES_KEY, APPID).decrypt_message(reply, "0" * 40, TIMESTAMP, NONCE)


def test_message_for_another_appid():
    other = MessageCrypto(TOKEN, AES_KEY, "wxOTHER000000000000")
    with pytest.raises(AppIdMismatch):
        ours().decrypt(other.encrypt(b"<xml/>"))


@pytest.mark.parametrize("encrypt", ["not base64!", "", "QUJD", base64.b64encode(b"x" * 17).decode()])
def test_garbage_is_a_decryption_error(encrypt):
    with pytest.raises(DecryptionError):
        ours().decrypt(encrypt)


def test_bad_padding_is_a_decryption_error():
    key = decode_aes_key(AES_KEY)
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    raw = encryptor.update(b"\x00" * 63 + b"\x05") + encryptor.finalize()  # claims 5, has 1
    with pytest.raises(DecryptionError):
        ours().decrypt(base64.b64encode(raw).decode())


def test_length_past_the_end_is_a_decryption_error():
    key = decode_aes_key(AES_KEY)
    plain = pkcs7_pad(PREFIX.encode() + (10_000).to_bytes(4, "big") + b"<xml/>")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    raw = encryptor.update(plain) + encryptor.finalize()
    with pytest.raises(DecryptionError):
        ours().decrypt(base64.b64encode(raw).decode())


def test_pkcs7_uses_32_byte_blocks():
    assert len(pkcs7_pad(b"")) == 32
    assert len(pkcs7_pad(b"a" * 32)) == 64
    assert pkcs7_unpad(pkcs7_pad(b"abc")) == b"abc"
    with pytest.raises(DecryptionError):
        pkcs7_unpad(b"abc\x00")


def test_appid_is_required():
    with pytest.raises(ConfigurationError):
        MessageCrypto(TOKEN, AES_KEY, "")
