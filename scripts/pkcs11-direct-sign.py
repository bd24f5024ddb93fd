#!/usr/bin/python3
"""ECDSA P-256 signatures per second on a PKCS#11 token driven directly (python3-pykcs11), the reference beside
`hallmark bench sign --vault pkcs11`: one session, logged in once, a key generated as a token object (as the vault
makes CA keys: SoftHSM2 checks a token object's file at each use, so a session key would be faster), and
per signature a SHA-256 digest of a certificate-sized TBS signed with CKM_ECDSA, as the JDK's provider does.

usage: pkcs11-direct-sign.py LIBRARY TOKEN_LABEL PIN_FILE [SECONDS]"""
import hashlib
import os
import sys
import time

import PyKCS11
from PyKCS11.LowLevel import CKA_CLASS, CKA_EC_PARAMS, CKA_KEY_TYPE, CKA_PRIVATE, CKA_SENSITIVE, CKA_SIGN, CKA_TOKEN, \
    CKA_VERIFY, CKK_EC, CKM_ECDSA, CKM_EC_KEY_PAIR_GEN, CKO_PRIVATE_KEY, CKO_PUBLIC_KEY

library, label, pin_file = sys.argv[1:4]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0
pin = open(pin_file).read().strip()
p11 = PyKCS11.PyKCS11Lib()
p11.load(library)
slot = next(s for s in p11.getSlotList(tokenPresent=True) if p11.getTokenInfo(s).label.strip() == label)
session = p11.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
session.login(pin)
P256 = bytes.fromhex("06082a8648ce3d030107")  # the OID of prime256v1, DER
public_template = [(CKA_CLASS, CKO_PUBLIC_KEY), (CKA_KEY_TYPE, CKK_EC), (CKA_TOKEN, False), (CKA_VERIFY, True),
                   (CKA_EC_PARAMS, P256)]
private_template = [(CKA_CLASS, CKO_PRIVATE_KEY), (CKA_KEY_TYPE, CKK_EC), (CKA_TOKEN, True), (CKA_PRIVATE, True),
                    (CKA_SENSITIVE, True), (CKA_SIGN, True)]
_, private = session.generateKeyPair(public_template, private_template, mecha=PyKCS11.Mechanism(CKM_EC_KEY_PAIR_GEN))
tbs = os.urandom(420)
mechanism = PyKCS11.Mechanism(CKM_ECDSA)
end = time.monotonic() + 1
while time.monotonic() < end:  # warm-up
    session.sign(private, hashlib.sha256(tbs).digest(), mechanism)
count = 0
start = time.monotonic()
end = start + seconds
while time.monotonic() < end:
    session.sign(private, hashlib.sha256(tbs).digest(), mechanism)
    count += 1
elapsed = time.monotonic() - start
print(f"direct PKCS#11 (python3-pykcs11), 1 session: {count} signatures, {count / elapsed:.0f}/s")
session.destroyObject(private)  # the measurement's key does not stay on the token
session.logout()
session.closeSession()
